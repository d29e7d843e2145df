// Time-weighted and money-weighted returns of a value series (CONTRACTS section 2, "Value series"):
// each point's `value` is the portfolio's market value at the end of `date` BEFORE that date's external flow,
// and `flow` is the external cash flow at the end of `date` (+ contribution, − withdrawal). So the capital at work
// from the end of day i−1 to the end of day i is V(i−1) + F(i−1), and the sub-period return is
//   r(i) = V(i) / (V(i−1) + F(i−1)) − 1,
// chain-linked: TWR = Π (1 + r(i)) − 1. The last point's flow does not affect the TWR.
// Annualizing uses calendar days (ACT/365): (1 + R)^(365 / days) − 1.
// The money-weighted return is XIRR of: −(V₀ + F₀) on the first date, −F(i) on each later date but the last,
// and +V(last) on the last date (a flow on the last date nets out against the proceeds).
// All values are decimal currency amounts; returns are decimal fractions (0.05 = 5 %).
import type { IsoDate } from '@aw/domain';
import { dayNumber } from './day-count.ts';
import { xirr, type CashFlow } from './xirr.ts';

export interface ValuePoint {
  date: IsoDate;
  /** Market value at the end of `date`, before that date's external flow. */
  value: number;
  /** External flow at the end of `date`: + contribution, − withdrawal. */
  flow: number;
}

/** A value series that cannot be measured (unordered dates, capital appearing from nothing…). */
export class ValueSeriesError extends Error {
  override name = 'ValueSeriesError';
}

export function validateSeries(series: readonly ValuePoint[]): void {
  if (series.length < 2) throw new ValueSeriesError(`a value series needs at least two dates, got ${series.length}`);
  let prev = -Infinity;
  for (const p of series) {
    const d = dayNumber(p.date);
    if (d <= prev) throw new ValueSeriesError(`dates must be strictly increasing: ${p.date} comes after a later or equal date`);
    if (!Number.isFinite(p.value) || !Number.isFinite(p.flow)) throw new ValueSeriesError(`value or flow on ${p.date} is not a finite number`);
    prev = d;
  }
}

/**
 * Sub-period returns r(1..n−1) (index i−1 holds r(i)). A period that starts with no capital and ends with none
 * has return 0; one that starts with no (or negative) capital but ends with value is rejected.
 */
export function subPeriodReturns(series: readonly ValuePoint[]): Float64Array {
  const out = new Float64Array(Math.max(0, series.length - 1));
  for (let i = 1; i < series.length; i++) {
    const capital = series[i - 1]!.value + series[i - 1]!.flow;
    const v = series[i]!.value;
    if (Math.abs(capital) < 1e-9) {
      if (Math.abs(v) < 1e-9) { out[i - 1] = 0; continue; }
      throw new ValueSeriesError(`value ${v} on ${series[i]!.date} follows a zero balance on ${series[i - 1]!.date}: add the contribution as a flow`);
    }
    if (capital < 0) throw new ValueSeriesError(`capital after the flow on ${series[i - 1]!.date} is negative (${capital}); the return is undefined`);
    out[i - 1] = v / capital - 1;
  }
  return out;
}

/** Growth of 1 from returns: index[0] = 1, index[i] = index[i−1] × (1 + r(i)). */
export function growthIndex(returns: ArrayLike<number>): Float64Array {
  const idx = new Float64Array(returns.length + 1);
  idx[0] = 1;
  for (let i = 0; i < returns.length; i++) idx[i + 1] = idx[i]! * (1 + returns[i]!);
  return idx;
}

/** Chain-linked time-weighted return over the whole series. */
export function twr(series: readonly ValuePoint[]): number {
  validateSeries(series);
  const r = subPeriodReturns(series);
  let g = 1;
  for (let i = 0; i < r.length; i++) g *= 1 + r[i]!;
  return g - 1;
}

/** (1 + R)^(365 / days) − 1 for a return R earned over `days` calendar days. */
export function annualize(totalReturn: number, days: number): number {
  if (!(days > 0)) throw new ValueSeriesError(`cannot annualize over ${days} days`);
  return Math.pow(1 + totalReturn, 365 / days) - 1;
}

/** Cash flows (investor's view) for the money-weighted return of a value series. */
export function seriesCashFlows(series: readonly ValuePoint[]): CashFlow[] {
  const n = series.length;
  const flows: CashFlow[] = [];
  for (let i = 0; i < n; i++) {
    const p = series[i]!;
    let amount: number;
    if (i === 0) amount = -(p.value + p.flow);
    else if (i === n - 1) amount = p.value;
    else amount = -p.flow;
    if (amount !== 0 || i === 0 || i === n - 1) flows.push({ date: p.date, amount });
  }
  return flows;
}

/** Money-weighted annual return (XIRR, ACT/365) of the series. */
export function moneyWeightedReturn(series: readonly ValuePoint[]): number {
  validateSeries(series);
  return xirr(seriesCashFlows(series));
}

export interface SeriesReturns {
  twr: number;
  twrAnnualized: number;
  irr: number;
  days: number;
}

/** What `advisor returns` prints: TWR, its ACT/365 annualization, and the money-weighted return. */
export function seriesReturns(series: readonly ValuePoint[]): SeriesReturns {
  const total = twr(series);
  const days = dayNumber(series[series.length - 1]!.date) - dayNumber(series[0]!.date);
  return { twr: total, twrAnnualized: annualize(total, days), irr: moneyWeightedReturn(series), days };
}
