// Holding periods and the estimated federal tax of realized gains (state taxes are not estimated).
// Units: gains and tax in integer cents; rates as fractions (0.32 = 32%); dates ISO `YYYY-MM-DD`.
import type { Cents, IsoDate } from '@aw/domain';

const DAY_MS = 86_400_000;

/** Whole days from `a` to `b` (b − a), both ISO dates. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** `date` shifted by `days` (may be negative). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Long-term when held more than one year: sold after the anniversary of the holding-period start. */
export function isLongTerm(holdingPeriodStart: IsoDate, saleDate: IsoDate): boolean {
  const anniversary = `${String(Number(holdingPeriodStart.slice(0, 4)) + 1).padStart(4, '0')}${holdingPeriodStart.slice(4)}`;
  return saleDate > anniversary;
}

/**
 * The latest holding-period start that is long-term on `saleDate` is the day before this cutoff:
 * isLongTerm(start, saleDate) ⟺ start < longTermCutoff(saleDate) (ISO strings compare as dates).
 */
export function longTermCutoff(saleDate: IsoDate): IsoDate {
  return `${String(Number(saleDate.slice(0, 4)) - 1).padStart(4, '0')}${saleDate.slice(4)}`;
}

/** Long-term rate implied by the ordinary (short-term) bracket: 0% up to 12%, 20% at 37%, else 15%. */
export function longTermRateFor(bracket: number): number {
  if (bracket <= 0.12) return 0;
  if (bracket >= 0.37) return 0.2;
  return 0.15;
}

/**
 * Tax on net short- and long-term gains after the usual netting (a net loss on one side offsets the other
 * side's gain). Never negative: a net loss is worth nothing this year in this estimate.
 */
export function estimateTaxCents(shortTermGainCents: Cents, longTermGainCents: Cents, bracket: number, longTermRate: number): Cents {
  let st = shortTermGainCents;
  let lt = longTermGainCents;
  if (st < 0 && lt > 0) { lt = Math.max(0, lt + st); st = 0; } else if (lt < 0 && st > 0) { st = Math.max(0, st + lt); lt = 0; }
  return Math.round(Math.max(0, st) * bracket + Math.max(0, lt) * longTermRate);
}
