// Positive-semidefiniteness check and repair of covariance matrices (PyPortfolioOpt `fix_nonpositive_semidefinite`,
// method 'spectral'). Units: whatever the matrix carries (annualized covariances here).
import { choleskySucceeds, clipNegativeEigenvalues, mirrorLower } from './linalg.ts';

/** m[i][j] = ½(m[i][j] + m[j][i]) for j < i (the lower triangle of row i). */
function averageWithUpper(m: Float64Array, n: number, i: number): void {
  for (let j = 0; j < i; j++) m[i * n + j] = 0.5 * (m[i * n + j] + m[j * n + i]);
}

/** PyPortfolioOpt's test: a Cholesky factorization of `m + 1e-16·I` exists. */
export function isPositiveSemidefinite(m: Float64Array, n: number): boolean {
  return choleskySucceeds(m, n, 1e-16);
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
 * by subtracting only the negative eigen-components (see clipNegativeEigenvalues). With `inPlace` the repair
 * overwrites `m` (for a caller that owns it, such as riskModel: no second n×n matrix).
 */
export function fixNonPositiveSemidefinite(m: Float64Array, n: number, inPlace = false): RepairedCovariance {
  if (isPositiveSemidefinite(m, n)) return { cov: m, repaired: false };
  const { matrix, clipped } = clipNegativeEigenvalues(m, n, inPlace);
  // Exact symmetry (rounding in the rank-one updates is not symmetric): the mean of each pair, then mirrored.
  for (let i = 0; i < n; i++) averageWithUpper(matrix, n, i);
  mirrorLower(matrix, n);
  return { cov: matrix, repaired: true, minEigenvalue: clipped.length ? clipped[0] : 0 };
}
