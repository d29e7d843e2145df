import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closeTo, referenceValues } from '../optimize/test-fixtures.ts';
import { riskModel } from './index.ts';
import { clipNegativeEigenvalues, symmetricEigen } from './linalg.ts';
import { fixNonPositiveSemidefinite, isPositiveSemidefinite } from './psd.ts';
import { withoutSimd } from './simd-product.ts';

const symmetric = (n: number, values: number[]): Float64Array => {
  const a = new Float64Array(n * n);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) { a[i * n + j] = values[k]; a[j * n + i] = values[k]; k++; }
  return a;
};

describe('fixNonPositiveSemidefinite (spectral)', () => {
  it("repairs PyPortfolioOpt's non-PSD example to numpy's V·max(Λ,0)·Vᵀ", () => {
    const m = Float64Array.from(referenceValues.npd.input.flat());
    expect(isPositiveSemidefinite(m, 2)).toBe(false);
    const fixed = fixNonPositiveSemidefinite(m, 2);
    expect(fixed.repaired).toBe(true);
    expect(closeTo(fixed.minEigenvalue!, referenceValues.npd.eigenvalues[0], 1e-9)).toBe(true);
    const want = referenceValues.npd.fixed.flat();
    for (let k = 0; k < 4; k++) expect(closeTo(fixed.cov[k], want[k], 1e-12)).toBe(true);
    expect(isPositiveSemidefinite(fixed.cov, 2)).toBe(true);
  });

  it('leaves a PSD matrix untouched', () => {
    const m = Float64Array.from([2, 1, 1, 2]);
    const fixed = fixNonPositiveSemidefinite(m, 2);
    expect(fixed.repaired).toBe(false);
    expect(fixed.cov).toBe(m);
  });

  it('equals clipping every eigenvalue of a full decomposition (random symmetric matrices)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 12 }).chain((n) =>
      fc.tuple(fc.constant(n), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: (n * (n + 1)) / 2, maxLength: (n * (n + 1)) / 2 }))),
    ([n, values]) => {
      const a = symmetric(n, values);
      const full = symmetricEigen(a, n);
      const want = new Float64Array(n * n);
      for (let k = 0; k < n; k++) {
        const l = Math.max(0, full.values[k]);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) want[i * n + j] += l * full.vectors[k * n + i] * full.vectors[k * n + j];
      }
      const got = clipNegativeEigenvalues(a, n).matrix;
      for (let k = 0; k < n * n; k++) if (Math.abs(got[k] - want[k]) > 1e-10) return false;
      return true;
    }), { numRuns: 150 });
  });

  it('SIMD and scalar (no WebAssembly) repairs agree, and equal full clipping, for larger matrices', () => {
    fc.assert(fc.property(fc.integer({ min: 3, max: 41 }), fc.integer(), (n, seed) => {
      let x = seed >>> 0;
      const rnd = (): number => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x / 2 ** 32 - 0.5; };
      const a = symmetric(n, Array.from({ length: (n * (n + 1)) / 2 }, rnd));
      const fast = clipNegativeEigenvalues(a, n).matrix;
      const slow = withoutSimd(() => clipNegativeEigenvalues(a, n)).matrix;
      const full = symmetricEigen(a, n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let want = 0;
          for (let k = 0; k < n; k++) want += Math.max(0, full.values[k]) * full.vectors[k * n + i] * full.vectors[k * n + j];
          expect(Math.abs(fast[i * n + j] - slow[i * n + j])).toBeLessThan(1e-12 * n);
          expect(Math.abs(fast[i * n + j] - want)).toBeLessThan(1e-11 * n);
        }
      }
    }), { numRuns: 25 });
  });

  it('symmetricEigen returns orthonormal eigenvectors with A·v = λ·v', () => {
    const n = 30;
    const a = symmetric(n, Array.from({ length: (n * (n + 1)) / 2 }, (_, k) => Math.sin(k * 1.7)));
    const { values, vectors } = symmetricEigen(a, n);
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += a[i * n + j] * vectors[k * n + j];
        expect(Math.abs(s - values[k] * vectors[k * n + i])).toBeLessThan(1e-12);
      }
      for (let l = 0; l < n; l++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += vectors[k * n + i] * vectors[l * n + i];
        expect(Math.abs(dot - (k === l ? 1 : 0))).toBeLessThan(1e-12);
      }
    }
  });

  it('riskModel repairs a pairwise covariance made inconsistent by a later listing', () => {
    // Three securities; C lists late and its short overlap contradicts A/B's long history.
    const N = NaN;
    const rows: number[][] = [];
    let a = 100, b = 100, c = 100;
    for (let t = 0; t < 60; t++) {
      const x = Math.sin(t * 0.9) * 0.02;
      a *= 1 + x;
      b *= 1 - x; // perfectly anti-correlated with A
      if (t >= 55) c *= 1 + (t % 2 === 0 ? 0.03 : -0.03);
      rows.push([a, b, t >= 54 ? c : N]);
    }
    // Over the last few days make A and B both move with C, so corr(A,C) and corr(B,C) are both high.
    const prices = { dates: rows.map((_, i) => String(i)), symbols: ['A', 'B', 'C'], closes: Float64Array.from(rows.flat()) };
    for (let t = 55; t < 60; t++) {
      const up = t % 2 === 0 ? 1.03 : 0.97;
      prices.closes[t * 3] = prices.closes[(t - 1) * 3] * up;
      prices.closes[t * 3 + 1] = prices.closes[(t - 1) * 3 + 1] * up;
    }
    const model = riskModel(prices);
    expect(model.repaired).toBe(true);
    expect(isPositiveSemidefinite(model.cov, 3)).toBe(true);
  });
});
