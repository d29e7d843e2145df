// Risk and return statistics of periodic (daily) returns. Definitions (the empyrical / PyPortfolioOpt conventions):
// - volatility        = sample standard deviation (n − 1) of returns × √periodsPerYear
// - Sharpe ratio      = mean(r − rf) / sd(r − rf) × √periodsPerYear, rf = the per-period rate (1 + rfAnnual)^(1/periodsPerYear) − 1
// - Sortino ratio     = mean(r − rf) × periodsPerYear / downside deviation, where the downside deviation is
//                       √(mean over ALL periods of min(r − rf, 0)²) × √periodsPerYear
// - max drawdown      = min over t of (W(t) / max(W(s), s ≤ t) − 1) for the growth index W (W(0) = 1): a number ≤ 0
// - beta              = cov(r, b) / var(b) (both n − 1), b = benchmark returns over the same periods
// - tracking error    = sd(r − b) × √periodsPerYear (n − 1)
// Returns are decimal fractions per period; NaN means "undefined for this input" (e.g. zero variance).
export const TRADING_DAYS_PER_YEAR = 252;

export function mean(x: ArrayLike<number>): number {
  if (x.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

/** Sample standard deviation (divides by n − 1). */
export function sampleStd(x: ArrayLike<number>): number {
  if (x.length < 2) return NaN;
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - m) ** 2;
  return Math.sqrt(s / (x.length - 1));
}

export function annualizedVolatility(returns: ArrayLike<number>, periodsPerYear = TRADING_DAYS_PER_YEAR): number {
  return sampleStd(returns) * Math.sqrt(periodsPerYear);
}

export const perPeriodRate = (annualRate: number, periodsPerYear = TRADING_DAYS_PER_YEAR): number =>
  Math.pow(1 + annualRate, 1 / periodsPerYear) - 1;

export function sharpeRatio(returns: ArrayLike<number>, riskFreeAnnual = 0, periodsPerYear = TRADING_DAYS_PER_YEAR): number {
  const rf = perPeriodRate(riskFreeAnnual, periodsPerYear);
  const ex = Float64Array.from(returns as ArrayLike<number>, (r) => r - rf);
  const sd = sampleStd(ex);
  return sd > 0 ? (mean(ex) / sd) * Math.sqrt(periodsPerYear) : NaN;
}

export function downsideDeviation(returns: ArrayLike<number>, targetAnnual = 0, periodsPerYear = TRADING_DAYS_PER_YEAR): number {
  if (returns.length === 0) return NaN;
  const t = perPeriodRate(targetAnnual, periodsPerYear);
  let s = 0;
  for (let i = 0; i < returns.length; i++) {
    const d = Math.min(returns[i]! - t, 0);
    s += d * d;
  }
  return Math.sqrt(s / returns.length) * Math.sqrt(periodsPerYear);
}

export function sortinoRatio(returns: ArrayLike<number>, targetAnnual = 0, periodsPerYear = TRADING_DAYS_PER_YEAR): number {
  const t = perPeriodRate(targetAnnual, periodsPerYear);
  let s = 0;
  for (let i = 0; i < returns.length; i++) s += returns[i]! - t;
  const dd = downsideDeviation(returns, targetAnnual, periodsPerYear);
  return dd > 0 ? ((s / returns.length) * periodsPerYear) / dd : NaN;
}

export interface Drawdown {
  /** ≤ 0, e.g. −0.25 for a 25 % fall from the peak. */
  maxDrawdown: number;
  peakIndex: number;
  troughIndex: number;
}

export function maxDrawdown(index: ArrayLike<number>): Drawdown {
  let peak = -Infinity, peakAt = 0, best = 0, bestPeak = 0, bestTrough = 0;
  for (let i = 0; i < index.length; i++) {
    const w = index[i]!;
    if (w > peak) { peak = w; peakAt = i; }
    const dd = peak > 0 ? w / peak - 1 : 0;
    if (dd < best) { best = dd; bestPeak = peakAt; bestTrough = i; }
  }
  return { maxDrawdown: best, peakIndex: bestPeak, troughIndex: bestTrough };
}

function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new RangeError(`returns and benchmark returns differ in length (${a.length} vs ${b.length})`);
}

export function beta(returns: ArrayLike<number>, benchmark: ArrayLike<number>): number {
  checkSameLength(returns, benchmark);
  if (returns.length < 2) return NaN;
  const mr = mean(returns), mb = mean(benchmark);
  let cov = 0, varB = 0;
  for (let i = 0; i < returns.length; i++) {
    cov += (returns[i]! - mr) * (benchmark[i]! - mb);
    varB += (benchmark[i]! - mb) ** 2;
  }
  return varB > 0 ? cov / varB : NaN;
}

export function trackingError(returns: ArrayLike<number>, benchmark: ArrayLike<number>, periodsPerYear = TRADING_DAYS_PER_YEAR): number {
  checkSameLength(returns, benchmark);
  const diff = new Float64Array(returns.length);
  for (let i = 0; i < returns.length; i++) diff[i] = returns[i]! - benchmark[i]!;
  return sampleStd(diff) * Math.sqrt(periodsPerYear);
}
