// Display formatting of analytics numbers (shared with the e2e test so it compares exactly what is shown).
export const pct = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)}%`;

export const ratio = (x: number | null | undefined): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(2);

export const PERIOD_LABELS: Record<string, string> = {
  '1M': '1M', '3M': '3M', YTD: 'YTD', '1Y': '1Y', '3Y': '3Y', '5Y': '5Y', '10Y': '10Y', inception: 'Inception',
};
