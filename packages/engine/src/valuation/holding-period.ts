// Holding period of a tax lot: long-term when held MORE than one year (IRS rule), i.e. the as-of date is after the
// one-year anniversary of the holding-period start. Dates are ISO `YYYY-MM-DD` strings (compared as text).
import type { IsoDate } from '@aw/domain';

export type Term = 'short' | 'long';

export class InvalidDateError extends Error {
  override name = 'InvalidDateError';
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The first anniversary of `start`; a Feb 29 start has its anniversary on Feb 28 of the next year. */
export function oneYearAnniversary(start: IsoDate): IsoDate {
  const m = ISO_DATE.exec(start);
  if (!m) throw new InvalidDateError(`not an ISO date (YYYY-MM-DD): ${JSON.stringify(start)}`);
  const year = String(Number(m[1]) + 1).padStart(4, '0');
  const monthDay = `${m[2]}-${m[3]}` === '02-29' ? '02-28' : `${m[2]}-${m[3]}`;
  return `${year}-${monthDay}`;
}

/** 'long' when `asOf` is after the first anniversary of `holdingPeriodStart`, else 'short'. */
export function holdingTerm(holdingPeriodStart: IsoDate, asOf: IsoDate): Term {
  if (!ISO_DATE.test(asOf)) throw new InvalidDateError(`not an ISO date (YYYY-MM-DD): ${JSON.stringify(asOf)}`);
  return asOf > oneYearAnniversary(holdingPeriodStart) ? 'long' : 'short';
}
