import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closeTo, referenceValues, stockPrices } from '../optimize/test-fixtures.ts';
import { ledoitWolf, sampleCovariance } from './covariance.ts';
import { dailyReturns, type DailyReturns } from './daily-returns.ts';
import { EstimatorError } from './errors.ts';
import { riskModel } from './index.ts';
import { isPositiveSemidefinite } from './psd.ts';
import { crossProduct, gram, scalarCrossProduct, scalarGram } from './linalg.ts';
import { simdAvailable, withoutSimd } from './simd-product.ts';

/** Straightforward pandas-style pairwise covariance (ddof 1) for cross-checking. */
function naivePairwise(cols: number[][]): number[][] {
  return cols.map((x) => cols.map((y) => {
    const idx = x.map((_, t) => t).filter((t) => !Number.isNaN(x[t]) && !Number.isNaN(y[t]));
    const mx = idx.reduce((s, t) => s + x[t], 0) / idx.length;
    const my = idx.reduce((s, t) => s + y[t], 0) / idx.length;
    return idx.reduce((s, t) => s + (x[t] - mx) * (y[t] - my), 0) / (idx.length - 1);
  }));
}

describe('sampleCovariance', () => {
  it("matches PyPortfolioOpt's test_sample_cov_dummy", () => {
    const prices = {
      dates: ['1', '2', '3', '4', '5'],
      symbols: ['a', 'b', 'c'],
      closes: Float64Array.from([4.0, 2.0, 0.6, 4.2, 2.1, 0.59, 3.9, 2.0, 0.58, 4.3, 2.1, 0.62, 4.1, 2.2, 0.63]),
    };
    const expected = [
      [0.006661687937656102, 0.00264970955585574, 0.0020849735375206195],
      [0.00264970955585574, 0.0023450491307634215, 0.00096770864287974],
      [0.0020849735375206195, 0.00096770864287974, 0.0016396416271856837],
    ];
    const cov = sampleCovariance(dailyReturns(prices), 1);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(closeTo(cov[i * 3 + j], expected[i][j], 1e-12)).toBe(true);
  });

  it('uses pairwise-complete observations like pandas DataFrame.cov (later listings and gaps)', () => {
    fc.assert(fc.property(
      fc.array(fc.array(fc.option(fc.double({ min: 1, max: 2, noNaN: true }), { freq: 5 }), { minLength: 3, maxLength: 3 }), { minLength: 12, maxLength: 30 }),
      (rows) => {
        // Make sure every pair overlaps on at least 3 returns: the last 4 rows are complete.
        const full = [...rows.map((r) => r.map((v) => (v === null ? NaN : v))), [1.1, 1.2, 1.3], [1.2, 1.1, 1.4], [1.15, 1.25, 1.35], [1.3, 1.2, 1.1]];
        const prices = { dates: full.map((_, i) => String(i)), symbols: ['a', 'b', 'c'], closes: Float64Array.from(full.flat()) };
        const r = dailyReturns(prices);
        const cols = [0, 1, 2].map((i) => Array.from(r.values.slice(i * r.periods, (i + 1) * r.periods)));
        const want = naivePairwise(cols);
        const got = sampleCovariance(r, 252);
        for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
          if (!closeTo(got[i * 3 + j], want[i][j] * 252, 1e-9, 1e-12)) return false;
        }
        return true;
      },
    ), { numRuns: 200 });
  });

  it('agrees with an independent numpy computation on the 20-stock file (1e-10 relative)', () => {
    const r = dailyReturns(stockPrices());
    const cov = sampleCovariance(r, 252);
    const ref = referenceValues.sampleCov;
    let worst = 0;
    for (let i = 0; i < 20; i++) for (let j = 0; j < 20; j++) worst = Math.max(worst, Math.abs(cov[i * 20 + j] - ref[i][j]) / Math.abs(ref[i][j]));
    expect(worst).toBeLessThan(1e-10);
    expect(isPositiveSemidefinite(cov, 20)).toBe(true);
  });

  it('names the pair when two securities never overlap', () => {
    const N = NaN;
    const prices = { dates: ['1', '2', '3', '4', '5', '6'], symbols: ['OLD', 'NEW'], closes: Float64Array.from([1, N, 1.1, N, 1.2, N, N, 5, N, 5.5, N, 6]) };
    expect(() => riskModel(prices)).toThrow(EstimatorError);
  });
});

/** DailyReturns straight from asset-major columns (NaN = missing), with the bookkeeping dailyReturns derives. */
function returnsOf(cols: number[][]): DailyReturns {
  const n = cols.length, T = cols[0].length;
  const count = new Int32Array(n), first = new Int32Array(n).fill(-1), last = new Int32Array(n).fill(-1);
  cols.forEach((c, i) => c.forEach((v, t) => {
    if (Number.isNaN(v)) return;
    count[i]++;
    if (first[i] < 0) first[i] = t;
    last[i] = t;
  }));
  const hasGaps = cols.some((_, i) => count[i] > 0 && count[i] !== last[i] - first[i] + 1);
  return {
    symbols: cols.map((_, i) => `S${i}`), dates: cols[0].map((_, t) => String(t)), periods: T,
    values: Float64Array.from(cols.flat()), count, first, last, hasGaps,
  };
}

describe('sampleCovariance against the pairwise definition', () => {
  // Random return matrices: each security has its own level and scale, a random listing start (later listings),
  // sometimes an early end (delisting) and, in half the cases, random interior gaps (the general path).
  const matrix = fc.record({
    n: fc.integer({ min: 1, max: 11 }),
    T: fc.integer({ min: 4, max: 70 }),
    gaps: fc.boolean(),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  }).map(({ n, T, gaps, seed }) => {
    let x = seed;
    const rnd = (): number => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x / 2 ** 32; };
    return Array.from({ length: n }, () => {
      const start = rnd() < 0.5 ? 0 : Math.floor(rnd() * (T - 2));
      const end = rnd() < 0.8 ? T - 1 : start + 1 + Math.floor(rnd() * (T - start - 1));
      const level = (rnd() - 0.5) * 0.02, scale = 0.001 + rnd() * 0.05;
      return Array.from({ length: T }, (_, t) =>
        t < start || t > end || (gaps && t > start && t < end && rnd() < 0.2) ? NaN : level + scale * (rnd() - 0.5));
    });
  });

  it('equals the straightforward pairwise covariance to 1e-10 (later listings, delistings, interior gaps)', () => {
    fc.assert(fc.property(matrix, (cols) => {
      const r = returnsOf(cols);
      const n = cols.length;
      const want = naivePairwise(cols);
      const overlaps = cols.map((x) => cols.map((y) => x.filter((v, t) => !Number.isNaN(v) && !Number.isNaN(y[t])).length));
      if (overlaps.some((row) => row.some((k) => k < 2))) {
        expect(() => sampleCovariance(r, 252)).toThrow(EstimatorError);
        return;
      }
      const got = sampleCovariance(r, 252);
      const scalar = withoutSimd(() => sampleCovariance(r, 252)); // the fallback without WebAssembly
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          // Relative to the pair's scale √(σᵢ²σⱼ²) (a covariance near 0 has no relative precision of its own).
          const scale = Math.sqrt(want[i][i] * want[j][j]) * 252;
          expect(Math.abs(got[i * n + j] - want[i][j] * 252)).toBeLessThanOrEqual(1e-10 * scale);
          expect(got[i * n + j]).toBe(got[j * n + i]);
          expect(Math.abs(scalar[i * n + j] - want[i][j] * 252)).toBeLessThanOrEqual(1e-10 * scale);
        }
      }
    }), { numRuns: 300 });
  });

  it('the SIMD and scalar products agree (the scalar loop is the fallback without WebAssembly)', () => {
    expect(simdAvailable()).toBe(true); // Node has WebAssembly SIMD: the fast path is the one under test above
    fc.assert(fc.property(fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 41 }), fc.integer(), (n, T, seed) => {
      let x = seed >>> 0;
      const rnd = (): number => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x / 2 ** 32 - 0.5; };
      const a = Float64Array.from({ length: n * T }, rnd), b = Float64Array.from({ length: n * T }, rnd);
      const pairs: [Float64Array, Float64Array][] = [[gram(a, n, T), scalarGram(a, n, T)], [crossProduct(a, b, n, T), scalarCrossProduct(a, b, n, T)]];
      for (const [fast, slow] of pairs) for (let k = 0; k < n * n; k++) expect(Math.abs(fast[k] - slow[k])).toBeLessThanOrEqual(1e-13 * T);
    }), { numRuns: 100 });
  });
});

describe('ledoitWolf', () => {
  it("matches scikit-learn's ledoit_wolf (numpy re-implementation) on the 20-stock file", () => {
    const lw = ledoitWolf(dailyReturns(stockPrices()), 252);
    expect(closeTo(lw.shrinkage, referenceValues.ledoitWolfShrinkage, 1e-10)).toBe(true);
    const ref = referenceValues.ledoitWolfCov;
    for (let i = 0; i < 20; i++) for (let j = 0; j < 20; j++) expect(closeTo(lw.cov[i * 20 + j], ref[i][j], 1e-10)).toBe(true);
  });

  it('shrinks towards the average variance: δ ∈ [0, 1], trace preserved, off-diagonals scaled by 1 − δ', () => {
    const r = dailyReturns(stockPrices());
    const lw = ledoitWolf(r, 252);
    expect(lw.shrinkage).toBeGreaterThan(0);
    expect(lw.shrinkage).toBeLessThan(1);
    const model = riskModel(r, { method: 'ledoit-wolf' });
    expect(model.shrinkage).toBe(lw.shrinkage);
    expect(model.repaired).toBe(false);
  });
});
