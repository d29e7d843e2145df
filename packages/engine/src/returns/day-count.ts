// Calendar helpers for ISO dates (YYYY-MM-DD), pure and UTC-based: day numbers (days since 1970-01-01),
// ACT/365 year fractions, and month/year arithmetic with end-of-month clamping (2026-03-31 − 1 month = 2026-02-28).
import type { IsoDate } from '@aw/domain';

export class DateError extends Error {
  override name = 'DateError';
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** '2026-01-31' → days since 1970-01-01 (UTC). Throws DateError on anything that is not a real calendar date. */
export function dayNumber(date: IsoDate): number {
  const m = ISO.exec(date);
  if (!m) throw new DateError(`not an ISO date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new DateError(`not a calendar date: ${date}`);
  }
  return ms / MS_PER_DAY;
}

/** Days since 1970-01-01 → '2026-01-31'. */
export function fromDayNumber(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export const addDays = (date: IsoDate, days: number): IsoDate => fromDayNumber(dayNumber(date) + days);

/** Calendar days from `a` to `b` (positive when b is later). */
export const daysBetween = (a: IsoDate, b: IsoDate): number => dayNumber(b) - dayNumber(a);

/** ACT/365 year fraction, as spreadsheet XIRR uses. */
export const yearFraction = (a: IsoDate, b: IsoDate): number => daysBetween(a, b) / 365;

/** Add (or subtract) whole months, clamping to the end of the month. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  dayNumber(date); // validates
  const y = Number(date.slice(0, 4)), m = Number(date.slice(5, 7)) - 1, d = Number(date.slice(8, 10));
  const total = y * 12 + m + months;
  const ny = Math.floor(total / 12), nm = total - ny * 12;
  const lastDay = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return fromDayNumber(Date.UTC(ny, nm, Math.min(d, lastDay)) / MS_PER_DAY);
}

export const addYears = (date: IsoDate, years: number): IsoDate => addMonths(date, 12 * years);
