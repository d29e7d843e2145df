// Reader of the accounts CSV (CONTRACTS.md section 2): `account,household,type` with type ∈ taxable, ira,
// roth_ira, 401k. Optional beside a transactions file; without it every account is a taxable account of one
// household (see defaultAccounts).
import { ACCOUNT_TYPES, type AccountType } from '@aw/domain';
import { IssueList } from './csv-error.ts';
import { checkWidth, mapColumns, parseCsvTable } from './csv-table.ts';
import { parseEnum, parseName } from './csv-values.ts';

export interface AccountRow {
  line: number;
  account: string;
  household: string;
  type: AccountType;
}

const COLUMNS = { required: ['account', 'household', 'type'], optional: [] } as const;

/** Parses an accounts file; throws CsvImportError listing every problem. */
export function readAccountsCsv(text: string, fileName: string): AccountRow[] {
  const issues = new IssueList(fileName);
  const table = parseCsvTable(text, issues);
  const col = table && mapColumns(table, COLUMNS, issues);
  const out: AccountRow[] = [];
  if (table && col) {
    const seen = new Map<string, number>();
    for (const row of table.rows) {
      if (!checkWidth(row, table.header.length, issues)) continue;
      const cell = (name: string): string => row.cells[col[name]!]!;
      const before = issues.issues.length;
      const account = parseName({ issues, line: row.line, column: 'account' }, cell('account'), 'account');
      const household = parseName({ issues, line: row.line, column: 'household' }, cell('household'), 'household', 200);
      const type = parseEnum({ issues, line: row.line, column: 'type' }, cell('type'), ACCOUNT_TYPES);
      if (account && seen.has(account)) issues.add(row.line, 'account', `account "${account}" already appears on line ${seen.get(account)}`);
      else if (account) seen.set(account, row.line);
      if (issues.issues.length > before || issues.truncated) continue;
      out.push({ line: row.line, account: account!, household: household!, type: type! });
    }
  }
  issues.throwIfAny();
  return out;
}

/** Accounts when no accounts file is given: every account is taxable, in one household named `household`. */
export function defaultAccounts(accountNames: Iterable<string>, household = 'household'): AccountRow[] {
  return [...new Set(accountNames)].map((account) => ({ line: 0, account, household, type: 'taxable' as const }));
}

/** Checks that every account used by transactions is listed in the accounts file (issues name the transactions file). */
export function checkAccountsKnown(
  transactions: readonly { line: number; account: string }[], accounts: readonly AccountRow[], transactionsFile: string,
): void {
  const known = new Set(accounts.map((a) => a.account));
  const issues = new IssueList(transactionsFile);
  for (const t of transactions) if (!known.has(t.account)) issues.add(t.line, 'account', `account "${t.account}" is not in the accounts file`);
  issues.throwIfAny();
}
