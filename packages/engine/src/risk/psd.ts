// Positive-semidefiniteness check and repair of covariance matrices (PyPortfolioOpt `fix_nonpositive_semidefinite`,
// method 'spectral'). Units: whatever the matrix carries (annualized covariances here).
import { cholesky, clipNegativeEigenvalues } from './linalg.ts';

/** PyPortfolioOpt's test: a Cholesky factorization of `m + 1e-16·I` exists. */
export function isPositiveSemidefinite(m: Float64Array, n: number): boolean {
  return cholesky(m, n, 1e-16) !== null;
}

export interface RepairedCovariance {
  cov: Float64Array;
  /** True when the input was not PSD and negative eigenvalues were clipped to 0. */
  repaired: boolean;
  /** Smallest eigenvalue before the repair (only computed when a repair was needed). */
  minEigenvalue?: number;
}

/**
 * Returns the matrix unchanged when PSD; otherwise V·max(Λ, 0)·Vᵀ (negative eigenvalues clipped to 0), computed
 * by subtracting only the negative eigen-components (see clipNegativeEigenvalues).
 */
export function fixNonPositiveSemidefinite(m: Float64Array, n: number): RepairedCovariance {
  if (isPositiveSemidefinite(m, n)) return { cov: m, repaired: false };
  const { matrix, clipped } = clipNegativeEigenvalues(m, n);
  // Exact symmetry (rounding in the rank-one updates is not symmetric).
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (matrix[i * n + j] + matrix[j * n + i]);
      matrix[i * n + j] = v;
      matrix[j * n + i] = v;
    }
  }
  return { cov: matrix, repaired: true, minEigenvalue: clipped.length ? clipped[0] : 0 };
}
