// Trading calendar of the demo market: weekdays (Mon–Fri) as ISO dates `YYYY-MM-DD`, UTC.

const DAY_MS = 86_400_000;

export const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const parseIsoDate = (d: string): number => Date.parse(`${d}T00:00:00Z`);

/** Weekdays in (endDate − years, endDate], oldest first; endDate itself is included when it is a weekday. */
export function tradingDates(endDate: string, years: number): string[] {
  const endMs = parseIsoDate(endDate);
  if (!Number.isFinite(endMs) || isoDate(endMs) !== endDate) throw new RangeError(`endDate must be a real date YYYY-MM-DD, got ${endDate}`);
  if (!(years > 0)) throw new RangeError(`years must be > 0, got ${years}`);
  const end = new Date(endMs);
  const start = Date.UTC(end.getUTCFullYear() - Math.floor(years), end.getUTCMonth(), end.getUTCDate())
    - Math.round((years - Math.floor(years)) * 365) * DAY_MS;
  const out: string[] = [];
  for (let t = start + DAY_MS; t <= endMs; t += DAY_MS) {
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6) out.push(isoDate(t));
  }
  return out;
}
