// Periodic simple returns from a price matrix, laid out asset-major for the estimators.
// Units: returns are fractions per period (0.01 = 1 %), one period per row of the price matrix (daily closes → daily
// returns). Convention (documented, matches PyPortfolioOpt 1.5's `returns_from_prices`, i.e. pandas
// `pct_change(fill_method=None).dropna(how="all")`): r[t] = p[t] / p[t-1] − 1 only when both closes are present,
// otherwise NaN (a missing close makes that day's and the next day's return missing; nothing is forward-filled);
// then rows where every security's return is missing are dropped (always the first row). With
// `fill: 'pad'` closes are forward-filled first (pandas' old `pct_change()` default): a gap then yields 0 returns
// and the whole move is booked on the day prices resume; leading NaNs (later listings) stay missing.
import type { PriceMatrix } from '@aw/domain';
import { EstimatorError } from './errors.ts';

export type MissingPriceFill = 'none' | 'pad';

export interface DailyReturns {
  symbols: string[];
  /** Dates of the kept return rows (each return is from the previous price row to this date). */
  dates: string[];
  /** Number of kept rows. */
  periods: number;
  /**
   * Asset-major: values[i * periods + t]; NaN = missing. From `dailyReturns` without padding this n×T array is
   * built on first read (the sample covariance and the mean return read the price matrix through `returnsBlock`
   * and `returnTotals` instead: fresh memory costs more than the arithmetic on it), so the price matrix must not
   * change while the returns are in use.
   */
  readonly values: Float64Array;
  /** Per asset: count of present returns, first and last present row (−1 when none). */
  count: Int32Array;
  first: Int32Array;
  last: Int32Array;
  /** True when some asset has a missing return between its first and last present one. */
  hasGaps: boolean;
}

/** The price matrix behind returns whose `values` are not built yet: return t of asset s is closes[rows[t]·n + s] / closes[(rows[t] − 1)·n + s] − 1. */
export interface ReturnsSource {
  closes: Float64Array;
  /** Securities (the price matrix's row length). */
  n: number;
  /** Price row of each kept return period. */
  rows: Int32Array;
}

/** Per security, over its present returns in period order: Σ r and Π (1 + r). */
export interface ReturnTotals {
  sum: Float64Array;
  growth: Float64Array;
}

const sources = new WeakMap<DailyReturns, ReturnsSource>();
const materialized = new WeakSet<DailyReturns>();
const totals = new WeakMap<DailyReturns, ReturnTotals>();

/**
 * Σ r and Π (1 + r) of each security's present returns, summed and multiplied in period order (so the same bits
 * as a loop over `values`); computed by `dailyReturns` in its pass over the prices, else here from `values`.
 */
export function returnTotals(r: DailyReturns): ReturnTotals {
  const known = totals.get(r);
  if (known) return known;
  const n = r.symbols.length, T = r.periods, values = r.values;
  const sum = new Float64Array(n), growth = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0, g = 1;
    for (let t = r.first[i], o = i * T; t >= 0 && t <= r.last[i]; t++) {
      const v = values[o + t];
      if (v === v) { s += v; g *= 1 + v; }
    }
    sum[i] = s;
    growth[i] = g;
  }
  return { sum, growth };
}

/** The price matrix behind `r` while its `values` have not been built (null otherwise, or for hand-made returns). */
export function lazyReturnsSource(r: DailyReturns): ReturnsSource | null {
  return materialized.has(r) ? null : sources.get(r) ?? null;
}

/**
 * Returns of every asset for periods [t0, t1) into out[at + i·stride + (t − t0)], the same numbers as `values`
 * (computed from the price matrix when `values` has not been built).
 */
export function returnsBlock(r: DailyReturns, t0: number, t1: number, out: Float64Array, at: number, stride: number): void {
  const n = r.symbols.length;
  const src = lazyReturnsSource(r);
  if (!src) {
    const T = r.periods, values = r.values;
    for (let i = 0; i < n; i++) out.set(values.subarray(i * T + t0, i * T + t1), at + i * stride);
    return;
  }
  const { closes, rows } = src;
  const base = at - t0;
  // Eight securities at a time: one cache line of each price row, eight sequential output streams.
  for (let s0 = 0; s0 < n; s0 += 8) {
    const s1 = Math.min(n, s0 + 8);
    for (let t = t0; t < t1; t++) {
      const o = rows[t] * n;
      for (let s = s0; s < s1; s++) out[base + s * stride + t] = closes[o + s] / closes[o - n + s] - 1;
    }
  }
}

export function dailyReturns(prices: PriceMatrix, fill: MissingPriceFill = 'none'): DailyReturns {
  const n = prices.symbols.length;
  const D = prices.dates.length;
  const closes = prices.closes;
  if (closes.length !== n * D) {
    throw new EstimatorError('bad_prices', `price matrix has ${closes.length} values, expected ${D} dates × ${n} symbols`);
  }
  if (fill === 'pad') {
    checkPrices(prices);
    return paddedReturns(prices);
  }
  // One pass over the price rows: which return rows survive dropna(how="all") (some security has a return that
  // day), and each security's count and first/last present return. The returns themselves are built on demand.
  const count = new Int32Array(n);
  const first = new Int32Array(n).fill(-1);
  const last = new Int32Array(n).fill(-1);
  const sum = new Float64Array(n), growth = new Float64Array(n).fill(1);
  const keep = new Int32Array(Math.max(0, D - 1));
  let T = 0;
  if (D > 0 && !validRow(closes, 0, n)) checkPrices(prices);
  for (let d = 1; d < D; d++) {
    const found = presentReturns(closes, d * n, n, T, count, first, last, sum, growth);
    if (found < 0) checkPrices(prices); // throws, naming the first bad price
    if (found > 0) keep[T++] = d;
  }
  const rows = keep.slice(0, T);
  const r = returnsObject(prices, rows, count, first, last, () => {
    materialized.add(r);
    return transposedReturns(closes, n, rows);
  });
  sources.set(r, { closes, n, rows });
  totals.set(r, { sum, growth });
  return r;
}

/** True when every close of the price row at offset o is missing (NaN) or positive and finite. */
function validRow(closes: Float64Array, o: number, n: number): boolean {
  for (let s = 0; s < n; s++) {
    const p = closes[o + s];
    if (p === p && !(p > 0 && p < Infinity)) return false;
  }
  return true;
}

/**
 * The present returns of price row d (offset o) as period t: counted (count, first, last) and added to each
 * security's totals. Returns how many there are, or −1 when a close of the row is not positive and finite (the
 * row before was checked already).
 */
function presentReturns(
  closes: Float64Array, o: number, n: number, t: number, count: Int32Array, first: Int32Array, last: Int32Array,
  sum: Float64Array, growth: Float64Array,
): number {
  let any = 0;
  for (let s = 0; s < n; s++) {
    const p = closes[o + s], q = closes[o - n + s];
    if (p === p && !(p > 0 && p < Infinity)) return -1;
    if (p === p && q === q) {
      any++;
      count[s]++;
      if (first[s] < 0) first[s] = t;
      last[s] = t;
      const v = p / q - 1;
      sum[s] += v;
      growth[s] *= 1 + v;
    }
  }
  return any;
}

function checkPrices(prices: PriceMatrix): void {
  const closes = prices.closes;
  const n = prices.symbols.length;
  for (let k = 0; k < closes.length; k++) {
    const p = closes[k];
    if (p === p && !(p > 0 && p < Infinity)) {
      const s = k % n;
      const d = (k - s) / n;
      throw new EstimatorError('bad_prices', `price of ${prices.symbols[s]} on ${prices.dates[d]} is ${p}; prices must be positive`);
    }
  }
}

/** The DailyReturns record, with `values` built by `build` on first read (then kept). */
function returnsObject(prices: PriceMatrix, rows: Int32Array, count: Int32Array, first: Int32Array, last: Int32Array, build: () => Float64Array): DailyReturns {
  const n = prices.symbols.length;
  let hasGaps = false;
  for (let s = 0; s < n && !hasGaps; s++) if (count[s] > 0 && count[s] !== last[s] - first[s] + 1) hasGaps = true;
  let values: Float64Array | null = null;
  return {
    symbols: prices.symbols.slice(),
    dates: Array.from(rows, (d) => prices.dates[d]),
    periods: rows.length,
    get values(): Float64Array {
      values ??= build();
      return values;
    },
    count, first, last, hasGaps,
  };
}

/**
 * Asset-major returns of the kept price rows, in blocks of 16 securities: reads stay within a cache line per
 * date, writes are 16 sequential streams (a plain transpose would miss the cache on every write).
 */
function transposedReturns(closes: Float64Array, n: number, rows: Int32Array): Float64Array {
  const T = rows.length;
  const values = new Float64Array(n * T);
  for (let s0 = 0; s0 < n; s0 += 16) {
    const s1 = Math.min(n, s0 + 16);
    for (let t = 0; t < T; t++) {
      const o = rows[t] * n;
      for (let s = s0; s < s1; s++) values[s * T + t] = closes[o + s] / closes[o - n + s] - 1; // NaN if either is missing
    }
  }
  return values;
}

/** fill: 'pad' — closes forward-filled first (built eagerly: a padded return depends on every earlier close). */
function paddedReturns(prices: PriceMatrix): DailyReturns {
  const n = prices.symbols.length;
  const D = prices.dates.length;
  const closes = prices.closes;
  // A row survives when some security has a close, or had one before (a padded missing close repeats it: return 0).
  const keep: number[] = [];
  {
    const last = new Float64Array(n).fill(NaN); // previous close, forward-filled
    for (let s = 0; s < n; s++) last[s] = closes[s];
    for (let d = 1; d < D; d++) {
      const o = d * n;
      let any = false;
      for (let s = 0; s < n; s++) {
        const p = closes[o + s];
        const q = last[s];
        if (q === q) any = true;
        if (p === p) last[s] = p;
      }
      if (any) keep.push(d);
    }
  }
  const T = keep.length;
  const values = new Float64Array(n * T);
  const count = new Int32Array(n);
  const first = new Int32Array(n).fill(-1);
  const last = new Int32Array(n).fill(-1);
  // Asset-major output in blocks of 16 securities (see transposedReturns).
  const B = 16;
  const prev = new Float64Array(B);
  for (let s0 = 0; s0 < n; s0 += B) {
    const s1 = Math.min(n, s0 + B);
    for (let s = s0; s < s1; s++) prev[s - s0] = closes[s];
    let t = 0;
    for (let d = 1; d < D && t < T; d++) {
      const o = d * n;
      const kept = keep[t] === d;
      for (let s = s0; s < s1; s++) {
        let p = closes[o + s];
        const q = prev[s - s0];
        if (p === p) prev[s - s0] = p;
        else p = q;
        if (kept) values[s * T + t] = p / q - 1;
      }
      if (kept) t++;
    }
  }
  // Per-asset counts and first/last present return, one sequential pass.
  for (let s = 0; s < n; s++) {
    const o = s * T;
    let c = 0, f = -1, l = -1;
    for (let t = 0; t < T; t++) {
      if (values[o + t] === values[o + t]) {
        c++;
        if (f < 0) f = t;
        l = t;
      }
    }
    count[s] = c;
    first[s] = f;
    last[s] = l;
  }
  return returnsObject(prices, Int32Array.from(keep), count, first, last, () => values);
}

/** Throws a readable error when some security has fewer than `min` returns. */
export function requireReturns(r: DailyReturns, min: number): void {
  for (let s = 0; s < r.symbols.length; s++) {
    if (r.count[s] < min) {
      throw new EstimatorError(
        'insufficient_data',
        `${r.symbols[s]} has ${r.count[s]} return${r.count[s] === 1 ? '' : 's'} (needs at least ${min}, i.e. ${min + 1} consecutive prices)`,
      );
    }
  }
}
