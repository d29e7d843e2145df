// Standard reporting periods (1M, 3M, YTD, 1Y, 3Y, 5Y, 10Y, inception) measured on a growth index
// (W(0) = 1 at the first date, W(i) = growth of 1 to the end of dates[i]). A period ending at `asOf` starts at the
// end of its start date: asOf − N months (end-of-month clamped), or December 31 of the prior year for YTD. Its base
// is the last index point on or before the start date; a period the series does not fully cover is null
// (except inception). Periods of at least 365 days are also annualized (ACT/365); shorter ones are not.
import type { IsoDate } from '@aw/domain';
import { addMonths, daysBetween } from './day-count.ts';
import { annualize } from './twr.ts';
import { lowerBound } from './value-series.ts';

export const PERIODS = ['1M', '3M', 'YTD', '1Y', '3Y', '5Y', '10Y', 'inception'] as const;
export type Period = (typeof PERIODS)[number];

const MONTHS: Record<Exclude<Period, 'YTD' | 'inception'>, number> = { '1M': 1, '3M': 3, '1Y': 12, '3Y': 36, '5Y': 60, '10Y': 120 };

/** The date whose closing value is the period's base. */
export function periodStartDate(period: Period, asOf: IsoDate, inception: IsoDate): IsoDate {
  if (period === 'inception') return inception;
  if (period === 'YTD') return `${Number(asOf.slice(0, 4)) - 1}-12-31`;
  return addMonths(asOf, -MONTHS[period]);
}

export interface PeriodReturn {
  period: Period;
  /** Base date actually used (last series date on or before the period start); null when not covered. */
  startDate: IsoDate | null;
  endDate: IsoDate;
  /** Cumulative time-weighted return over the period, null when the series does not cover it. */
  return: number | null;
  /** ACT/365 annualized, for periods of at least 365 days; null otherwise. */
  annualized: number | null;
}

export function periodReturns(dates: readonly IsoDate[], index: ArrayLike<number>, asOf?: IsoDate): PeriodReturn[] {
  if (dates.length === 0) return [];
  let end = dates.length - 1;
  if (asOf !== undefined) {
    const i = lowerBound(dates, asOf);
    end = dates[i] === asOf ? i : i - 1;
  }
  if (end < 0) return [];
  const endDate = dates[end]!;
  return PERIODS.map((period) => {
    const start = periodStartDate(period, endDate, dates[0]!);
    let base: number;
    if (period === 'inception') base = 0;
    else if (start < dates[0]!) base = -1;
    else {
      const i = lowerBound(dates, start);
      base = dates[i] === start ? i : i - 1;
    }
    if (base < 0 || base > end) return { period, startDate: null, endDate, return: null, annualized: null };
    const ret = index[end]! / index[base]! - 1;
    const days = daysBetween(dates[base]!, endDate);
    return { period, startDate: dates[base]!, endDate, return: ret, annualized: days >= 365 ? annualize(ret, days) : null };
  });
}
