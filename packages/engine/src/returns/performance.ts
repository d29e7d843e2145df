// Account performance report: the numbers a performance view shows, from a value series (or stored snapshots):
// TWR (cumulative and ACT/365 annualized), money-weighted return (XIRR), volatility, max drawdown, Sharpe,
// Sortino, beta and tracking error against a benchmark's closes, and the standard periods.
// Definitions are those of ./metrics.ts and ./twr.ts. Rates are decimal fractions; `riskFreeRate` is annual.
// Undefined statistics (no benchmark, zero variance, no IRR root) are null.
import type { IsoDate, PriceMatrix } from '@aw/domain';
import { daysBetween } from './day-count.ts';
import type { LedgerTransaction } from './ledger.ts';
import { annualizedVolatility, beta, maxDrawdown, sharpeRatio, sortinoRatio, trackingError, TRADING_DAYS_PER_YEAR } from './metrics.ts';
import { periodReturns, type PeriodReturn } from './periods.ts';
import type { AccountSnapshots } from './snapshots.ts';
import { annualize, growthIndex, seriesCashFlows, subPeriodReturns, validateSeries, type ValuePoint } from './twr.ts';
import { buildValueSeries, lowerBound } from './value-series.ts';
import { IrrNoRootError, xirr } from './xirr.ts';

/** Daily closes of a benchmark (NaN = no close that day). */
export interface BenchmarkSeries {
  symbol: string;
  dates: readonly IsoDate[];
  closes: ArrayLike<number>;
}

export interface PerformanceOptions {
  /** Annual risk-free rate for Sharpe (and the Sortino target), default 0.02. */
  riskFreeRate?: number;
  periodsPerYear?: number;
  benchmark?: BenchmarkSeries;
  asOf?: IsoDate;
}

export interface PerformanceReport {
  startDate: IsoDate;
  endDate: IsoDate;
  days: number;
  /** Market value after the last date's flow. */
  endValue: number;
  netFlows: number;
  twr: number;
  twrAnnualized: number;
  irr: number | null;
  volatility: number | null;
  maxDrawdown: number;
  maxDrawdownPeak: IsoDate;
  maxDrawdownTrough: IsoDate;
  sharpe: number | null;
  sortino: number | null;
  benchmarkSymbol: string | null;
  benchmarkReturn: number | null;
  beta: number | null;
  trackingError: number | null;
  periods: PeriodReturn[];
  /** Dates and growth index for charts (value and drawdown). */
  dates: IsoDate[];
  index: Float64Array;
}

const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The benchmark's column of a price matrix. */
export function benchmarkFromMatrix(prices: PriceMatrix, symbol: string): BenchmarkSeries {
  const c = prices.symbols.indexOf(symbol);
  if (c < 0) throw new RangeError(`benchmark ${symbol} is not in the price data`);
  const n = prices.symbols.length;
  const closes = new Float64Array(prices.dates.length);
  for (let d = 0; d < prices.dates.length; d++) closes[d] = prices.closes[d * n + c]!;
  return { symbol, dates: prices.dates, closes };
}

/** Benchmark returns over the same sub-periods as `dates` (last close on or before each date). */
export function alignBenchmark(b: BenchmarkSeries, dates: readonly IsoDate[]): Float64Array {
  const level = new Float64Array(dates.length);
  let j = 0, last = NaN;
  for (let i = 0; i < dates.length; i++) {
    while (j < b.dates.length && b.dates[j]! <= dates[i]!) {
      const v = b.closes[j]!;
      if (!Number.isNaN(v)) last = v;
      j++;
    }
    level[i] = last;
  }
  const r = new Float64Array(Math.max(0, dates.length - 1));
  for (let i = 1; i < dates.length; i++) r[i - 1] = level[i]! / level[i - 1]! - 1;
  return r;
}

function report(dates: IsoDate[], values: ArrayLike<number>, flows: ArrayLike<number>, index: Float64Array, returns: Float64Array, opts: PerformanceOptions): PerformanceReport {
  const n = dates.length;
  const rf = opts.riskFreeRate ?? 0.02;
  const ppy = opts.periodsPerYear ?? TRADING_DAYS_PER_YEAR;
  const days = daysBetween(dates[0]!, dates[n - 1]!);
  const total = index[n - 1]! / index[0]! - 1;
  const series: ValuePoint[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || i === n - 1 || flows[i] !== 0) series.push({ date: dates[i]!, value: values[i]!, flow: flows[i]! });
  let irr: number | null = null;
  try { irr = xirr(seriesCashFlows(series)); } catch (e) { if (!(e instanceof IrrNoRootError)) throw e; }
  const dd = maxDrawdown(index);
  let netFlows = 0;
  for (let i = 0; i < n; i++) netFlows += flows[i]!;
  let bench: Float64Array | null = null;
  if (opts.benchmark) {
    bench = alignBenchmark(opts.benchmark, dates);
    if (bench.some((x) => !Number.isFinite(x))) bench = null; // the benchmark does not cover the series
  }
  let benchReturn: number | null = null;
  if (bench) { let g = 1; for (const x of bench) g *= 1 + x; benchReturn = g - 1; }
  return {
    startDate: dates[0]!, endDate: dates[n - 1]!, days,
    endValue: values[n - 1]! + flows[n - 1]!, netFlows,
    twr: total, twrAnnualized: days > 0 ? annualize(total, days) : 0, irr,
    volatility: orNull(annualizedVolatility(returns, ppy)),
    maxDrawdown: dd.maxDrawdown, maxDrawdownPeak: dates[dd.peakIndex]!, maxDrawdownTrough: dates[dd.troughIndex]!,
    sharpe: orNull(sharpeRatio(returns, rf, ppy)), sortino: orNull(sortinoRatio(returns, rf, ppy)),
    benchmarkSymbol: opts.benchmark?.symbol ?? null, benchmarkReturn: benchReturn,
    beta: bench ? orNull(beta(returns, bench)) : null,
    trackingError: bench ? orNull(trackingError(returns, bench, ppy)) : null,
    periods: periodReturns(dates, index, opts.asOf),
    dates, index,
  };
}

/** Performance of a value series. */
export function seriesPerformance(series: readonly ValuePoint[], opts: PerformanceOptions = {}): PerformanceReport {
  validateSeries(series);
  const returns = subPeriodReturns(series);
  return report(series.map((p) => p.date), series.map((p) => p.value), series.map((p) => p.flow), growthIndex(returns), returns, opts);
}

/** Performance read from stored snapshots, optionally from `from` (the view's window): no revaluation. */
export function snapshotPerformance(s: AccountSnapshots, opts: PerformanceOptions & { from?: IsoDate } = {}): PerformanceReport {
  const i0 = opts.from ? Math.max(0, lowerBound(s.dates, opts.from)) : 0;
  const dates = s.dates.slice(i0);
  if (dates.length < 2) throw new RangeError(`account ${s.accountId}: fewer than two snapshot days to measure`);
  const index = Float64Array.from(s.index.slice(i0));
  const returns = new Float64Array(index.length - 1);
  for (let i = 1; i < index.length; i++) returns[i - 1] = index[i]! / index[i - 1]! - 1;
  return report(dates, s.values.slice(i0), s.flows.slice(i0), index, returns, opts);
}

export interface PerformanceInput extends PerformanceOptions {
  transactions: readonly LedgerTransaction[];
  prices: PriceMatrix;
  /** Benchmark symbol in `prices` (used when `benchmark` is not given). */
  benchmarkSymbol?: string;
  from?: IsoDate;
}

/** Full computation from transactions and closes: value series, then the report (the bench's case). */
export function performanceMetrics(input: PerformanceInput): PerformanceReport {
  const series = buildValueSeries(input.transactions, input.prices, { from: input.from, to: input.asOf });
  const benchmark = input.benchmark ?? (input.benchmarkSymbol ? benchmarkFromMatrix(input.prices, input.benchmarkSymbol) : undefined);
  return seriesPerformance(series, { ...input, benchmark });
}
