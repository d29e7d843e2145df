// Word lists for demo households and accounts (fictional names).

export const SURNAMES = ['Rivera', 'Chen', 'Okafor', 'Patel', 'Nguyen', 'Schmidt', 'Johnson', 'Garcia', 'Kim', 'Müller', 'Williams',
  'Brown', 'Rossi', 'Tanaka', 'Haddad', 'Kowalski', 'Silva', 'Dubois', "O'Brien", 'Andersson', 'Cohen', 'Mensah', 'Novak', 'Ibrahim',
  'Larsen', 'Moreau', 'Fischer', 'Ortiz', 'Sato', 'Walker', 'Hughes', 'Bianchi', 'Yilmaz', 'Popescu', 'Kaur', 'Alvarez', 'Murphy',
  'Nakamura', 'Osei', 'Price', 'Reyes', 'Stewart', 'Thompson', 'Varga', 'Weber', 'Young', 'Zhang', 'Abbott', 'Baker', 'Castillo'];
export const FIRST_NAMES = ['Ana', 'Ben', 'Chloe', 'David', 'Elena', 'Farah', 'George', 'Hana', 'Ivan', 'Julia', 'Kofi', 'Lena', 'Marco',
  'Nora', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sam', 'Tara', 'Umar', 'Vera', 'Wei', 'Yara', 'Zoe'];
export const US_STATES = ['CA', 'NY', 'TX', 'FL', 'IL', 'WA', 'MA', 'NJ', 'PA', 'CO', 'GA', 'NC', 'AZ', 'OR', 'MN', 'VA', 'OH', 'MI', 'NV', 'TN'];
export const TAX_BRACKETS = [0.12, 0.22, 0.24, 0.32, 0.35, 0.37];
export const CUSTODIANS = ['Schwab', 'Fidelity', 'Pershing', 'Vanguard', 'Interactive Brokers'];
