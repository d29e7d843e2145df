import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { choleskySucceeds, cholesky, clipNegativeEigenvalues, mirrorLower, symmetricEigen } from './linalg.ts';
import { fixNonPositiveSemidefinite } from './psd.ts';
import { withoutSimd } from './simd-product.ts';

const lowerToSymmetric = (n: number, values: readonly number[]): Float64Array => {
  const a = new Float64Array(n * n);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) { a[i * n + j] = values[k]; a[j * n + i] = values[k]; k++; }
  return a;
};

const frobenius = (a: Float64Array): number => Math.sqrt(a.reduce((s, x) => s + x * x, 0));

/**
 * Random symmetric matrices up to 24×24: dense ones from random entries in [−1000, 1000] (no subnormals), and structured ones with repeated
 * eigenvalues (Q·diag(λ)·Qᵀ with λ drawn from a few values, Q from Householder reflections) and exact zeros,
 * where eigenvectors are not unique and a careless solver loses orthogonality.
 */
const symmetricMatrix = fc.oneof(
  fc.integer({ min: 1, max: 24 }).chain((n) => fc.tuple(
    fc.constant(n),
    fc.array(fc.integer({ min: -1e6, max: 1e6 }).map((k) => k / 1e3), { minLength: (n * (n + 1)) / 2, maxLength: (n * (n + 1)) / 2 }),
  ).map(([m, v]) => ({ n: m, a: lowerToSymmetric(m, v) }))),
  fc.record({ n: fc.integer({ min: 2, max: 24 }), seed: fc.integer({ min: 1, max: 2 ** 30 }), levels: fc.integer({ min: 1, max: 3 }) }).map(({ n, seed, levels }) => {
    let x = seed;
    const rnd = (): number => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x / 2 ** 32 - 0.5; };
    const choices = Array.from({ length: levels }, () => Math.round(rnd() * 8));
    const lambda = Array.from({ length: n }, () => choices[Math.floor((rnd() + 0.5) * levels) % levels]);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) a[i * n + i] = lambda[i];
    for (let r = 0; r < 3; r++) {
      // a ← H·a·H with H = I − 2uuᵀ/uᵀu (orthogonal), keeping the eigenvalues.
      const u = Float64Array.from({ length: n }, rnd);
      const uu = u.reduce((s, v) => s + v * v, 0);
      const reflect = (m: Float64Array): Float64Array => {
        const out = new Float64Array(n * n);
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let i = 0; i < n; i++) s += u[i] * m[i * n + j];
          for (let i = 0; i < n; i++) out[i * n + j] = m[i * n + j] - (2 * u[i] * s) / uu;
        }
        return out;
      };
      const t = reflect(a); // H·a
      const ht = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) ht[i * n + j] = t[j * n + i];
      const b = reflect(ht); // H·(H·a)ᵀ = H·a·H
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) { const v = 0.5 * (b[i * n + j] + b[j * n + i]); a[i * n + j] = v; a[j * n + i] = v; }
    }
    return { n, a };
  }),
);

describe('symmetricEigen (Householder tridiagonalization + implicit QL)', () => {
  it('A·v = λ·v, orthonormal eigenvectors, ascending eigenvalues and A = V·Λ·Vᵀ (random symmetric matrices)', () => {
    fc.assert(fc.property(symmetricMatrix, ({ n, a }) => {
      const { values, vectors } = symmetricEigen(a, n);
      const tol = 1e-13 * n * Math.max(frobenius(a), 1e-300);
      for (let k = 1; k < n; k++) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]);
      for (let k = 0; k < n; k++) {
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += a[i * n + j] * vectors[k * n + j];
          expect(Math.abs(s - values[k] * vectors[k * n + i])).toBeLessThanOrEqual(tol);
        }
        for (let l = 0; l <= k; l++) {
          let dot = 0;
          for (let i = 0; i < n; i++) dot += vectors[k * n + i] * vectors[l * n + i];
          expect(Math.abs(dot - (k === l ? 1 : 0))).toBeLessThanOrEqual(1e-13 * n);
        }
      }
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += values[k] * vectors[k * n + i] * vectors[k * n + j];
          expect(Math.abs(s - a[i * n + j])).toBeLessThanOrEqual(tol);
        }
      }
    }), { numRuns: 200 });
  });

  it('finds the known spectrum of a matrix with a repeated eigenvalue', () => {
    // [[2,1,1],[1,2,1],[1,1,2]] has eigenvalues 1, 1, 4.
    const { values } = symmetricEigen(Float64Array.from([2, 1, 1, 1, 2, 1, 1, 1, 2]), 3);
    expect(Array.from(values).map((v) => Math.round(v * 1e12) / 1e12)).toEqual([1, 1, 4]);
  });
});

describe('clipNegativeEigenvalues / fixNonPositiveSemidefinite', () => {
  it('is the nearest PSD matrix in the Frobenius norm: V·max(Λ,0)·Vᵀ, at distance √Σλ₋², and PSD', () => {
    fc.assert(fc.property(symmetricMatrix, ({ n, a }) => {
      const scale = Math.max(frobenius(a), 1e-300);
      const { values } = symmetricEigen(a, n);
      const fixed = fixNonPositiveSemidefinite(a, n);
      const distance = frobenius(fixed.cov.map((x, k) => x - a[k]));
      const want = Math.sqrt(values.reduce((s, l) => s + Math.min(l, 0) ** 2, 0));
      expect(Math.abs(distance - want)).toBeLessThanOrEqual(1e-12 * n * scale);
      if (!fixed.repaired) expect(fixed.cov).toBe(a);
      // PSD: no eigenvalue below rounding, and exactly symmetric.
      const after = symmetricEigen(fixed.cov, n).values;
      expect(after[0]).toBeGreaterThanOrEqual(-1e-12 * n * scale);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(fixed.cov[i * n + j]).toBe(fixed.cov[j * n + i]);
      // Nearer than the usual alternative, shifting the whole spectrum up by |λ_min|.
      if (values[0] < 0) expect(distance).toBeLessThanOrEqual(Math.sqrt(n) * -values[0] * (1 + 1e-12) + 1e-12 * scale);
    }), { numRuns: 200 });
  });

  // The property replayed on a case CI found: five equal eigenvalues (−2) in one unsplit block of the SIMD path's
  // tridiagonal, whose inverse iteration with one shift left an eigenvalue of −1.87 in the "repaired" matrix.
  it('repairs an unsplit cluster of equal negative eigenvalues (CI seed -966385352)', () => {
    fc.assert(fc.property(symmetricMatrix, ({ n, a }) => {
      const scale = Math.max(frobenius(a), 1e-300);
      const fixed = fixNonPositiveSemidefinite(a, n);
      expect(symmetricEigen(fixed.cov, n).values[0]).toBeGreaterThanOrEqual(-1e-12 * n * scale);
      inPlaceAgreesWithCopy({ n, a });
    }), { seed: -966385352, path: '121:37', endOnFailure: true });
  });

  it('in place (for riskModel) gives the same matrix as a copy, and leaves a copy untouched', () => {
    fc.assert(fc.property(symmetricMatrix, inPlaceAgreesWithCopy), { numRuns: 100 });
  });

  // The same property replayed on the case CI found (its seed and path).
  it('agrees without SIMD on eigenvalue clusters whose tridiagonal couplings are a few ulps (CI seed 903562700)', () => {
    // An 11×11 matrix with eigenvalues −3 (×6) and 4 (×5): the scalar path's tridiagonal kept couplings of 1.5–2.6 ε‖T‖
    // between equal eigenvalues, did not split there, and its inverse iteration returned a wrong clip (off by 2.2).
    fc.assert(fc.property(symmetricMatrix, inPlaceAgreesWithCopy), { seed: 903562700, path: '96', endOnFailure: true });
  });
});

function inPlaceAgreesWithCopy({ n, a }: { n: number; a: Float64Array }): void {
  const copy = clipNegativeEigenvalues(a, n).matrix;
  const original = a.slice();
  const scratch = a.slice();
  const inPlace = clipNegativeEigenvalues(scratch, n, true).matrix;
  expect(inPlace).toBe(scratch);
  expect(Array.from(inPlace)).toEqual(Array.from(copy));
  expect(Array.from(a)).toEqual(Array.from(original));
  const scalar = withoutSimd(() => clipNegativeEigenvalues(a, n).matrix);
  for (let k = 0; k < n * n; k++) expect(Math.abs(scalar[k] - copy[k])).toBeLessThanOrEqual(1e-12 * n * Math.max(frobenius(a), 1e-300));
}

describe('cholesky', () => {
  it('choleskySucceeds (scratch memory) agrees with cholesky, whose factor reproduces A', () => {
    fc.assert(fc.property(symmetricMatrix, fc.double({ min: -2, max: 2, noNaN: true }), ({ n, a }, shift) => {
      const shifted = a.map((x, k) => (k % (n + 1) === 0 ? x + shift * frobenius(a) : x));
      const l = cholesky(shifted, n);
      expect(choleskySucceeds(shifted, n)).toBe(l !== null);
      if (!l) return;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let k = 0; k <= j; k++) s += l[i * n + k] * l[j * n + k];
          expect(Math.abs(s - shifted[i * n + j])).toBeLessThanOrEqual(1e-12 * n * frobenius(shifted));
        }
      }
    }), { numRuns: 150 });
  });
});

describe('mirrorLower', () => {
  it('copies the lower triangle onto the upper one for any size (tiles of 32 and their edges)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 80 }), (n) => {
      const m = Float64Array.from({ length: n * n }, (_, k) => k);
      mirrorLower(m, n);
      const want = Array.from({ length: n * n }, (_, k) => { const i = Math.floor(k / n), j = k % n; return i >= j ? k : j * n + i; });
      expect(Array.from(m)).toEqual(want);
    }), { numRuns: 40 });
  });
});
