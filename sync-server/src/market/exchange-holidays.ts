// NYSE full-day closures (the exchange is shut all day; weekends are handled by market-hours.ts) as data, keyed by
// New York calendar date 'YYYY-MM-DD'. Source: NYSE holiday calendar; a holiday on a Saturday closes the Friday
// before, on a Sunday the Monday after. 2025-01-09 is the National Day of Mourning for President Carter.
// Early closes (13:00 sessions) are not modelled: those days count as full sessions. Years outside
// HOLIDAY_YEARS have no holidays here (extend the table each year).
export const NYSE_HOLIDAYS: Readonly<Record<string, string>> = {
  '2025-01-01': "New Year's Day",
  '2025-01-09': 'National Day of Mourning (President Carter)',
  '2025-01-20': 'Martin Luther King Jr. Day',
  '2025-02-17': "Washington's Birthday",
  '2025-04-18': 'Good Friday',
  '2025-05-26': 'Memorial Day',
  '2025-06-19': 'Juneteenth',
  '2025-07-04': 'Independence Day',
  '2025-09-01': 'Labor Day',
  '2025-11-27': 'Thanksgiving Day',
  '2025-12-25': 'Christmas Day',
  '2026-01-01': "New Year's Day",
  '2026-01-19': 'Martin Luther King Jr. Day',
  '2026-02-16': "Washington's Birthday",
  '2026-04-03': 'Good Friday',
  '2026-05-25': 'Memorial Day',
  '2026-06-19': 'Juneteenth',
  '2026-07-03': 'Independence Day (observed)',
  '2026-09-07': 'Labor Day',
  '2026-11-26': 'Thanksgiving Day',
  '2026-12-25': 'Christmas Day',
  '2027-01-01': "New Year's Day",
  '2027-01-18': 'Martin Luther King Jr. Day',
  '2027-02-15': "Washington's Birthday",
  '2027-03-26': 'Good Friday',
  '2027-05-31': 'Memorial Day',
  '2027-06-18': 'Juneteenth (observed)',
  '2027-07-05': 'Independence Day (observed)',
  '2027-09-06': 'Labor Day',
  '2027-11-25': 'Thanksgiving Day',
  '2027-12-24': 'Christmas Day (observed)',
};

/** Years the table covers. */
export const HOLIDAY_YEARS = [2025, 2026, 2027] as const;

/** Daily-bar keys (UTC midnight of the New York date) of the holidays, for O(1) checks on the tick path. */
const holidayDayKeys = new Set(Object.keys(NYSE_HOLIDAYS).map((d) => Date.parse(`${d}T00:00:00Z`)));

/** The holiday's name when the New York date with key `dayMs` (UTC midnight) is a full-day NYSE closure. */
export function nyseHoliday(dayMs: number): string | undefined {
  return holidayDayKeys.has(dayMs) ? NYSE_HOLIDAYS[new Date(dayMs).toISOString().slice(0, 10)] : undefined;
}

export const isNyseHoliday = (dayMs: number): boolean => holidayDayKeys.has(dayMs);
