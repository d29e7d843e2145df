// Expected annual returns per security from historical prices (PyPortfolioOpt's `expected_returns` module).
// Units: input closes per period (daily by default); output is an annual rate as a fraction (0.12 = 12 % a year),
// `frequency` periods per year (252 trading days). Each security uses only its own available history (a later
// listing is estimated from its first return on). Returns follow the convention of risk/daily-returns.ts.
// - mean: compounded (geometric) mean, Π(1 + r) ^ (frequency / count) − 1 over the security's present returns
//   (`mean_historical_return`), or the arithmetic mean × frequency with `compounding: false`.
// - ema: pandas `ewm(span).mean()` (adjust = true, missing values keep their place in the decay) at the last
//   period, then (1 + ema) ^ frequency − 1 (`ema_historical_return`, default span 500).
// - capm: rf + β·(E[R_m] − rf) with β = cov(r, r_m) / var(r_m) over pairwise-complete periods and E[R_m] the
//   compounded market return; the market is the equal-weighted mean of the available returns each period unless
//   a benchmark price series is given (`capm_return`).
import type { PriceMatrix } from '@aw/domain';
import { dailyReturns, requireReturns, returnTotals, type DailyReturns, type MissingPriceFill } from '../risk/daily-returns.ts';
import { EstimatorError } from '../risk/errors.ts';

export type ReturnsMethod = 'mean' | 'ema' | 'capm';

export interface BenchmarkPrices {
  dates: string[];
  closes: ArrayLike<number>;
}

export interface ExpectedReturnsOptions {
  method?: ReturnsMethod;
  /** Periods per year; default 252. */
  frequency?: number;
  /** Geometric (true, default) or arithmetic annualization. */
  compounding?: boolean;
  /** EMA span in periods; default 500. */
  span?: number;
  /** Annual risk-free rate for CAPM; default 0.02. */
  riskFreeRate?: number;
  /** CAPM market proxy; default the equal-weighted mean of the securities' returns. */
  benchmark?: BenchmarkPrices;
  /** Missing-close convention; default 'none' (see risk/daily-returns.ts). */
  fill?: MissingPriceFill;
}

const isReturns = (x: PriceMatrix | DailyReturns): x is DailyReturns => (x as DailyReturns).periods !== undefined;

/** Annual expected return per security, in the order of `prices.symbols`. */
export function expectedReturns(prices: PriceMatrix | DailyReturns, opts: ExpectedReturnsOptions = {}): Float64Array {
  const method = opts.method ?? 'mean';
  const frequency = opts.frequency ?? 252;
  const compounding = opts.compounding ?? true;
  if (!(frequency > 0)) throw new EstimatorError('bad_option', `frequency must be positive, got ${frequency}`);
  const r = isReturns(prices) ? prices : dailyReturns(prices, opts.fill ?? 'none');
  switch (method) {
    case 'mean':
      requireReturns(r, 1);
      return meanHistorical(r, frequency, compounding);
    case 'ema': {
      const span = opts.span ?? 500;
      if (!(span >= 1)) throw new EstimatorError('bad_option', `EMA span must be at least 1, got ${span}`);
      requireReturns(r, 1);
      return emaHistorical(r, frequency, compounding, span);
    }
    case 'capm':
      requireReturns(r, 2);
      return capm(r, frequency, compounding, opts.riskFreeRate ?? 0.02, opts.benchmark);
    default:
      throw new EstimatorError('bad_option', `unknown expected-returns method "${String(method)}" (mean, ema or capm)`);
  }
}

function annualize(product: number, mean: number, count: number, frequency: number, compounding: boolean): number {
  return compounding ? product ** (frequency / count) - 1 : mean * frequency;
}

function meanHistorical(r: DailyReturns, frequency: number, compounding: boolean): Float64Array {
  const n = r.symbols.length;
  const { sum, growth } = returnTotals(r); // Σ r and Π (1 + r) over each security's present returns
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = annualize(growth[i], sum[i] / r.count[i], r.count[i], frequency, compounding);
  return out;
}

/** pandas ewm(span, adjust=True, ignore_na=False).mean() of one series, value at the last row. */
export function ewmMeanLast(values: Float64Array, offset: number, length: number, span: number): number {
  const alpha = 2 / (span + 1);
  const oldWtFactor = 1 - alpha;
  let weighted = NaN;
  let oldWt = 1;
  for (let t = 0; t < length; t++) {
    const cur = values[offset + t];
    const isObs = cur === cur;
    if (weighted === weighted) {
      oldWt *= oldWtFactor;
      if (isObs) {
        if (weighted !== cur) weighted = (oldWt * weighted + cur) / (oldWt + 1);
        oldWt += 1;
      }
    } else if (isObs) {
      weighted = cur;
    }
  }
  return weighted;
}

function emaHistorical(r: DailyReturns, frequency: number, compounding: boolean, span: number): Float64Array {
  const n = r.symbols.length;
  const out = new Float64Array(n);
  const values = r.values;
  for (let i = 0; i < n; i++) {
    const ema = ewmMeanLast(values, i * r.periods, r.periods, span);
    out[i] = compounding ? (1 + ema) ** frequency - 1 : ema * frequency;
  }
  return out;
}

function marketReturns(r: DailyReturns, benchmark: BenchmarkPrices | undefined): Float64Array {
  const n = r.symbols.length;
  const T = r.periods;
  const m = new Float64Array(T);
  if (!benchmark) {
    const values = r.values;
    for (let t = 0; t < T; t++) {
      let s = 0;
      let c = 0;
      for (let i = 0; i < n; i++) {
        const v = values[i * T + t];
        if (v === v) { s += v; c++; }
      }
      m[t] = s / c;
    }
    return m;
  }
  if (benchmark.dates.length !== benchmark.closes.length) {
    throw new EstimatorError('bad_prices', 'benchmark dates and closes differ in length');
  }
  const byDate = new Map<string, number>();
  for (let d = 1; d < benchmark.dates.length; d++) {
    const v = benchmark.closes[d] / benchmark.closes[d - 1] - 1;
    if (v === v) byDate.set(benchmark.dates[d], v);
  }
  for (let t = 0; t < T; t++) m[t] = byDate.get(r.dates[t]) ?? NaN;
  return m;
}

function capm(r: DailyReturns, frequency: number, compounding: boolean, rf: number, benchmark?: BenchmarkPrices): Float64Array {
  const n = r.symbols.length;
  const T = r.periods;
  const m = marketReturns(r, benchmark);
  // Market variance and annual return over its own present periods.
  let mSum = 0, mCount = 0, mProd = 1;
  for (let t = 0; t < T; t++) if (m[t] === m[t]) { mSum += m[t]; mCount++; mProd *= 1 + m[t]; }
  if (mCount < 2) throw new EstimatorError('insufficient_data', 'the market series has fewer than 2 returns');
  const mMean = mSum / mCount;
  let mVar = 0;
  for (let t = 0; t < T; t++) if (m[t] === m[t]) mVar += (m[t] - mMean) ** 2;
  mVar /= mCount - 1;
  const marketReturn = annualize(mProd, mMean, mCount, frequency, compounding);
  const out = new Float64Array(n);
  const values = r.values;
  for (let i = 0; i < n; i++) {
    const o = i * T;
    let sa = 0, sm = 0, k = 0;
    for (let t = 0; t < T; t++) {
      const v = values[o + t];
      if (v === v && m[t] === m[t]) { sa += v; sm += m[t]; k++; }
    }
    if (k < 2) throw new EstimatorError('insufficient_data', `${r.symbols[i]} has fewer than 2 returns overlapping the market`);
    const ma = sa / k, mm = sm / k;
    let c = 0;
    for (let t = 0; t < T; t++) {
      const v = values[o + t];
      if (v === v && m[t] === m[t]) c += (v - ma) * (m[t] - mm);
    }
    const beta = c / (k - 1) / mVar;
    out[i] = rf + beta * (marketReturn - rf);
  }
  return out;
}
