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
  /** Asset-major: values[i * periods + t]; NaN = missing. */
  values: Float64Array;
  /** Per asset: count of present returns, first and last present row (−1 when none). */
  count: Int32Array;
  first: Int32Array;
  last: Int32Array;
  /** True when some asset has a missing return between its first and last present one. */
  hasGaps: boolean;
}

export function dailyReturns(prices: PriceMatrix, fill: MissingPriceFill = 'none'): DailyReturns {
  const n = prices.symbols.length;
  const D = prices.dates.length;
  const closes = prices.closes;
  if (closes.length !== n * D) {
    throw new EstimatorError('bad_prices', `price matrix has ${closes.length} values, expected ${D} dates × ${n} symbols`);
  }
  for (let k = 0; k < closes.length; k++) {
    const p = closes[k];
    if (p === p && !(p > 0 && p < Infinity)) {
      const s = k % n;
      const d = (k - s) / n;
      throw new EstimatorError('bad_prices', `price of ${prices.symbols[s]} on ${prices.dates[d]} is ${p}; prices must be positive`);
    }
  }
  const pad = fill === 'pad';
  // Which return rows survive dropna(how="all"): some security has a return that day.
  const keep: number[] = [];
  {
    const last = new Float64Array(n).fill(NaN); // previous close (forward-filled when padding)
    for (let s = 0; s < n; s++) last[s] = closes[s];
    for (let d = 1; d < D; d++) {
      const o = d * n;
      let any = false;
      for (let s = 0; s < n; s++) {
        const p = closes[o + s];
        const q = pad ? last[s] : closes[o - n + s];
        if (p === p && q === q) any = true;
        else if (pad && p !== p && q === q) any = true; // padded: a missing close repeats the last one (return 0)
        if (pad && p === p) last[s] = p;
        if (any && !pad) break;
      }
      if (any) keep.push(d);
    }
  }
  const T = keep.length;
  const values = new Float64Array(n * T);
  const count = new Int32Array(n);
  const first = new Int32Array(n).fill(-1);
  const last = new Int32Array(n).fill(-1);
  // Asset-major output in blocks of 16 securities: reads stay within a cache line per date, writes are
  // 16 sequential streams (a plain transpose would miss the cache on every write).
  const B = 16;
  const prev = new Float64Array(B);
  for (let s0 = 0; s0 < n; s0 += B) {
    const s1 = Math.min(n, s0 + B);
    for (let s = s0; s < s1; s++) prev[s - s0] = closes[s];
    let t = 0;
    for (let d = 1; d < D && t < T; d++) {
      const o = d * n;
      if (pad) {
        const kept = keep[t] === d;
        for (let s = s0; s < s1; s++) {
          let p = closes[o + s];
          const q = prev[s - s0];
          if (p === p) prev[s - s0] = p;
          else p = q;
          if (kept) values[s * T + t] = p / q - 1;
        }
        if (kept) t++;
      } else if (keep[t] === d) {
        for (let s = s0; s < s1; s++) values[s * T + t] = closes[o + s] / closes[o - n + s] - 1; // NaN if either is missing
        t++;
      }
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
  let hasGaps = false;
  for (let s = 0; s < n && !hasGaps; s++) if (count[s] > 0 && count[s] !== last[s] - first[s] + 1) hasGaps = true;
  return { symbols: prices.symbols.slice(), dates: keep.map((d) => prices.dates[d]), periods: T, values, count, first, last, hasGaps };
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
