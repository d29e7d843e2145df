import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectedReturns } from '../optimize/expected-returns.ts';
import { sampleCovariance } from './covariance.ts';
import { dailyReturns, lazyReturnsSource, returnsBlock, returnTotals } from './daily-returns.ts';
import { EstimatorError } from './errors.ts';

const N = NaN;
const matrix = (rows: number[][]) => ({
  dates: rows.map((_, i) => `2024-01-0${i + 1}`),
  symbols: ['A', 'B'],
  closes: Float64Array.from(rows.flat()),
});

describe('dailyReturns', () => {
  it('computes simple returns asset-major and drops all-missing rows (pandas pct_change(fill_method=None).dropna(how="all"))', () => {
    // B lists on day 3; A misses day 4 (gap).
    const r = dailyReturns(matrix([[100, N], [110, N], [121, 50], [N, 55], [133.1, 44]]));
    expect(r.periods).toBe(4); // first row dropped
    expect(r.dates).toEqual(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);
    const a = Array.from(r.values.slice(0, 4));
    const b = Array.from(r.values.slice(4, 8));
    expect(a[0]).toBeCloseTo(0.1, 15);
    expect(a[1]).toBeCloseTo(0.1, 15);
    expect(a[2]).toBeNaN(); // A missing on day 4
    expect(a[3]).toBeNaN(); // and no return across the gap without forward fill
    expect(b[0]).toBeNaN();
    expect(b[1]).toBeNaN(); // listing day has no return
    expect(b[2]).toBeCloseTo(0.1, 15);
    expect(b[3]).toBeCloseTo(-0.2, 15);
    expect(Array.from(r.count)).toEqual([2, 2]);
    expect(Array.from(r.first)).toEqual([0, 2]);
    expect(r.hasGaps).toBe(false); // A's returns are contiguous (days 2–3); the gap is at its end
  });

  it('drops a row where nobody has a return and flags interior gaps', () => {
    const r = dailyReturns(matrix([[100, 10], [N, N], [100, 10], [110, 11], [N, 12], [121, 13.2], [133.1, 14.52]]));
    // Row 2 (all NaN) and row 3 (returns vs NaN) are dropped.
    expect(r.dates).toEqual(['2024-01-04', '2024-01-05', '2024-01-06', '2024-01-07']);
    expect(r.hasGaps).toBe(true); // A: 0.1, NaN, NaN, 0.1
    expect(Array.from(r.count)).toEqual([2, 4]);
  });

  it("with fill: 'pad' forward-fills closes like pandas' old pct_change() default", () => {
    const r = dailyReturns(matrix([[100, N], [N, 10], [121, 11]]), 'pad');
    const a = Array.from(r.values.slice(0, r.periods));
    expect(a[0]).toBe(0); // padded close → 0 return
    expect(a[1]).toBeCloseTo(0.21, 15); // the whole move on the day prices resume
    expect(Number.isNaN(r.values[r.periods])).toBe(true); // B's first close has no return
  });

  it('rejects non-positive prices with the symbol and date', () => {
    expect(() => dailyReturns(matrix([[100, 10], [0, 11]]))).toThrow(EstimatorError);
    expect(() => dailyReturns(matrix([[100, 10], [0, 11]]))).toThrow(/A on 2024-01-02/);
    expect(() => dailyReturns(matrix([[100, -1], [101, 11]]))).toThrow(/B on 2024-01-01 is -1/); // the first row
    expect(() => dailyReturns(matrix([[100, 10], [N, 11], [102, Infinity], [0, 12]]))).toThrow(/B on 2024-01-03 is Infinity/);
    expect(() => dailyReturns(matrix([[100, 10], [N, 11], [102, Infinity]]), 'pad')).toThrow(/B on 2024-01-03/);
  });
});

describe('dailyReturns without an n×T array (the estimators read the price matrix)', () => {
  /** Seeded prices for n securities over D days: later listings, delistings, and occasional missing closes. */
  const market = (n: number, D: number, seed: number, gaps: boolean) => {
    let x = seed >>> 0;
    const rnd = (): number => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x / 2 ** 32; };
    const closes = new Float64Array(n * D).fill(NaN);
    for (let s = 0; s < n; s++) {
      const start = rnd() < 0.6 ? 0 : Math.floor(rnd() * (D / 2));
      const end = rnd() < 0.85 ? D - 1 : Math.floor(D * 0.75) + Math.floor(rnd() * (D / 4 - 1)); // pairs overlap ≥ D/4
      let p = 10 + rnd() * 200;
      for (let d = start; d <= end; d++) {
        p *= 1 + (rnd() - 0.5) * 0.04;
        if (!(gaps && d > start && d < end && rnd() < 0.03)) closes[d * n + s] = Math.round(p * 100) / 100;
      }
    }
    return { dates: Array.from({ length: D }, (_, d) => `d${d}`), symbols: Array.from({ length: n }, (_, s) => `S${s}`), closes };
  };

  it('builds values on first read, equal to the element-wise definition (NaN where a close is missing)', () => {
    for (const gaps of [false, true]) {
      const prices = market(19, 90, 7, gaps);
      const r = dailyReturns(prices);
      expect(lazyReturnsSource(r)).not.toBeNull();
      const keptRows = r.dates.map((d) => prices.dates.indexOf(d));
      for (let s = 0; s < 19; s++) {
        for (let t = 0; t < r.periods; t++) {
          const want = prices.closes[keptRows[t] * 19 + s] / prices.closes[(keptRows[t] - 1) * 19 + s] - 1;
          expect(r.values[s * r.periods + t]).toBe(want);
        }
      }
      expect(lazyReturnsSource(r)).toBeNull(); // built once, then read from values
    }
  });

  it('returnsBlock and returnTotals give the same numbers before and after values are built', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 21 }), fc.integer({ min: 3, max: 70 }), fc.integer(), fc.boolean(), (n, D, seed, gaps) => {
      const prices = market(n, D, seed, gaps);
      const lazy = dailyReturns(prices);
      const T = lazy.periods;
      const t0 = Math.floor(T / 3), t1 = T;
      const stride = t1 - t0 + 3;
      const fromPrices = new Float64Array(n * stride).fill(7);
      returnsBlock(lazy, t0, t1, fromPrices, 0, stride);
      const totalsFromPrices = returnTotals(lazy);
      const built = dailyReturns(prices);
      void built.values; // now every reader uses values
      const fromValues = new Float64Array(n * stride).fill(7);
      returnsBlock(built, t0, t1, fromValues, 0, stride);
      expect(Array.from(fromPrices)).toEqual(Array.from(fromValues));
      const totalsFromValues = returnTotals({ ...built }); // a plain copy: no totals from the price pass
      expect(Array.from(totalsFromPrices.sum)).toEqual(Array.from(totalsFromValues.sum));
      expect(Array.from(totalsFromPrices.growth)).toEqual(Array.from(totalsFromValues.growth));
      for (let s = 0; s < n; s++) {
        let sum = 0, growth = 1;
        for (let t = 0; t < T; t++) { const v = built.values[s * T + t]; if (!Number.isNaN(v)) { sum += v; growth *= 1 + v; } }
        expect(totalsFromValues.sum[s]).toBe(sum);
        expect(totalsFromValues.growth[s]).toBe(growth);
      }
    }), { numRuns: 100 });
  });

  it('sample covariance and mean returns: the same bits from the prices as from built values, and the pairwise definition to 1e-12', () => {
    for (const gaps of [false, true]) {
      const prices = market(40, 400, 20261125, gaps);
      const lazy = dailyReturns(prices);
      const cov = sampleCovariance(lazy, 252);
      const mu = expectedReturns(lazy);
      if (gaps) expect(lazyReturnsSource(lazy)).toBeNull(); // interior gaps: the general path reads values
      else expect(lazyReturnsSource(lazy)).not.toBeNull(); // contiguous runs: no n×T array at all
      const built = dailyReturns(prices);
      void built.values;
      expect(Array.from(sampleCovariance(built, 252))).toEqual(Array.from(cov));
      expect(Array.from(expectedReturns(built))).toEqual(Array.from(mu));
      // Two-pass pairwise covariance (pandas DataFrame.cov) and the compounded mean, straight from the definition.
      const n = 40, T = built.periods, v = built.values;
      for (let i = 0; i < n; i++) {
        const present = (s: number, t: number): boolean => !Number.isNaN(v[s * T + t]);
        let g = 1, k = 0;
        for (let t = 0; t < T; t++) if (present(i, t)) { g *= 1 + v[i * T + t]; k++; }
        expect(Math.abs(mu[i] - (g ** (252 / k) - 1))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(mu[i])));
        for (let j = 0; j <= i; j++) {
          const both = Array.from({ length: T }, (_, t) => t).filter((t) => present(i, t) && present(j, t));
          const mi = both.reduce((s, t) => s + v[i * T + t], 0) / both.length;
          const mj = both.reduce((s, t) => s + v[j * T + t], 0) / both.length;
          const c = (both.reduce((s, t) => s + (v[i * T + t] - mi) * (v[j * T + t] - mj), 0) / (both.length - 1)) * 252;
          const scale = Math.sqrt(cov[i * n + i] * cov[j * n + j]);
          expect(Math.abs(cov[i * n + j] - c)).toBeLessThanOrEqual(1e-12 * scale);
          expect(cov[j * n + i]).toBe(cov[i * n + j]);
        }
      }
    }
  });
});
