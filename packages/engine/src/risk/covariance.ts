// Covariance estimators of periodic returns, annualized.
// Units: input returns are fractions per period; output covariances are per year (× `frequency` periods a year,
// 252 for daily data), so the diagonal is the annual variance.
// - sampleCovariance: pandas `DataFrame.cov()` semantics (ddof = 1, pairwise complete observations): each pair
//   uses exactly the periods where both securities have a return, with means over those periods.
// - ledoitWolf: scikit-learn's `ledoit_wolf` (constant-variance target μ·I, shrinkage from the Ledoit–Wolf 2004
//   formula, maximum-likelihood covariance with ddof = 0) as used by PyPortfolioOpt's
//   `CovarianceShrinkage.ledoit_wolf()`. It needs complete rows; like PyPortfolioOpt we replace a missing return by
//   0 (`np.nan_to_num`), so a later listing contributes zero returns before its first price.
import type { DailyReturns } from './daily-returns.ts';
import { EstimatorError } from './errors.ts';
import { crossProduct, gram, gramOfRows } from './linalg.ts';

/** Asset-major returns minus each asset's own mean, with missing values replaced by 0. */
function centeredByOwnMean(r: DailyReturns): Float64Array {
  const n = r.symbols.length;
  const T = r.periods;
  const a = new Float64Array(n * T);
  for (let i = 0; i < n; i++) {
    const o = i * T;
    let sum = 0;
    let cnt = 0;
    for (let t = 0; t < T; t++) {
      const v = r.values[o + t];
      if (v === v) { sum += v; cnt++; }
    }
    const mean = cnt > 0 ? sum / cnt : 0;
    for (let t = 0; t < T; t++) {
      const v = r.values[o + t];
      a[o + t] = v === v ? v - mean : 0;
    }
  }
  return a;
}

/** Sample covariance (ddof 1) over pairwise-complete periods, times `frequency`. Not repaired (see psd.ts). */
export function sampleCovariance(r: DailyReturns, frequency: number): Float64Array {
  const n = r.symbols.length;
  const T = r.periods;
  const cov = new Float64Array(n * n);
  const tooFew = (i: number, j: number, k: number): never => {
    throw new EstimatorError(
      'insufficient_data',
      i === j
        ? `${r.symbols[i]} has ${k} return${k === 1 ? '' : 's'}; a variance needs at least 2`
        : `${r.symbols[i]} and ${r.symbols[j]} have ${k} overlapping return${k === 1 ? '' : 's'}; a covariance needs at least 2`,
    );
  };
  if (!r.hasGaps) {
    // Each security's returns are one contiguous run [first, last] (later listings start late, delistings end
    // early); a pair overlaps on the intersection [max first, min last]. With x̃ = x − (own mean), the pairwise
    // co-moment over a window W of k periods is Σ_W x̃ỹ − (Σ_W x̃)(Σ_W ỹ)/k: the first term is the Gram matrix of
    // the centred data (zeros outside each run), the sums come from each security's running sum at the few
    // distinct window ends, recorded while its row is written (one pass, no per-pair loop over periods).
    for (let i = 0; i < n; i++) if (r.first[i] < 0) tooFew(i, i, 0);
    const ends = [...new Set([...r.first, ...Array.from(r.last, (l) => l + 1)])].sort((x, y) => x - y);
    const B = ends.length;
    const endIndex = new Int32Array(T + 1);
    ends.forEach((t, b) => { endIndex[t] = b; });
    const running = new Float64Array(n * B); // running[i * B + b] = Σ x̃_i over periods < ends[b]
    const values = r.values;
    const g = gramOfRows(n, T, (row, i) => {
      const o = i * T, f = r.first[i], l = r.last[i];
      let sum = 0;
      for (let t = f; t <= l; t++) sum += values[o + t];
      const mean = sum / (l - f + 1);
      row.fill(0, 0, f);
      let acc = 0, t = f;
      for (let b = 0; b < B; b++) {
        const stop = Math.min(ends[b], l + 1);
        for (; t < stop; t++) {
          const x = values[o + t] - mean;
          row[t] = x;
          acc += x;
        }
        running[i * B + b] = acc;
      }
      row.fill(0, l + 1);
    });
    for (let i = 0; i < n; i++) {
      const ri = i * B;
      for (let j = 0; j <= i; j++) {
        const s = Math.max(r.first[i], r.first[j]);
        const e = Math.min(r.last[i], r.last[j]) + 1;
        const k = Math.max(0, e - s);
        if (k < 2) tooFew(i, j, k);
        const bs = endIndex[s], be = endIndex[e], rj = j * B;
        const si = running[ri + be] - running[ri + bs];
        const sj = running[rj + be] - running[rj + bs];
        const c = ((g[i * n + j] - (si * sj) / k) / (k - 1)) * frequency;
        cov[i * n + j] = c;
        cov[j * n + i] = c;
      }
    }
    return cov;
  }
  const a = centeredByOwnMean(r);
  const g = gram(a, n, T);
  // General missing pattern: overlap counts and per-pair sums via products with the presence mask.
  const mask = new Float64Array(n * T);
  for (let k = 0; k < n * T; k++) mask[k] = r.values[k] === r.values[k] ? 1 : 0;
  const counts = gram(mask, n, T);
  const sums = crossProduct(a, mask, n, T); // sums[i][j] = Σ a_i over periods where j (and i) are present
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const k = Math.round(counts[i * n + j]);
      if (k < 2) tooFew(i, j, k);
      const c = ((g[i * n + j] - (sums[i * n + j] * sums[j * n + i]) / k) / (k - 1)) * frequency;
      cov[i * n + j] = c;
      cov[j * n + i] = c;
    }
  }
  return cov;
}

export interface ShrunkCovariance {
  cov: Float64Array;
  /** Shrinkage intensity δ ∈ [0, 1]: cov = (1 − δ)·S + δ·μ·I (before annualizing). */
  shrinkage: number;
}

/** Ledoit–Wolf shrinkage towards μ·I (scikit-learn `ledoit_wolf`), times `frequency`. Not repaired (see psd.ts). */
export function ledoitWolf(r: DailyReturns, frequency: number): ShrunkCovariance {
  const n = r.symbols.length;
  const T = r.periods;
  if (T < 1) throw new EstimatorError('insufficient_data', 'no returns to estimate a covariance from');
  // nan_to_num, then centre every column over all T rows (zeros included), as sklearn does.
  const x = new Float64Array(n * T);
  for (let i = 0; i < n; i++) {
    const o = i * T;
    let sum = 0;
    for (let t = 0; t < T; t++) {
      const v = r.values[o + t];
      const z = v === v ? v : 0;
      x[o + t] = z;
      sum += z;
    }
    const mean = sum / T;
    for (let t = 0; t < T; t++) x[o + t] -= mean;
  }
  const g = gram(x, n, T);
  const emp = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) emp[k] = g[k] / T;
  if (n === 1) return { cov: Float64Array.of(emp[0] * frequency), shrinkage: 0 };
  let traceSum = 0;
  for (let i = 0; i < n; i++) traceSum += emp[i * n + i];
  const mu = traceSum / n;
  // beta_ = Σ_ij Σ_t x_ti² x_tj² = Σ_t (Σ_i x_ti²)²; delta_ = ‖XᵀX‖²_F / T².
  let beta_ = 0;
  const rowSq = new Float64Array(T);
  for (let i = 0; i < n; i++) {
    const o = i * T;
    for (let t = 0; t < T; t++) rowSq[t] += x[o + t] * x[o + t];
  }
  for (let t = 0; t < T; t++) beta_ += rowSq[t] * rowSq[t];
  let delta_ = 0;
  for (let k = 0; k < n * n; k++) delta_ += g[k] * g[k];
  delta_ /= T * T;
  let beta = (1 / (n * T)) * (beta_ / T - delta_);
  const delta = (delta_ - 2 * mu * traceSum + n * mu * mu) / n;
  beta = Math.min(beta, delta);
  const shrinkage = beta === 0 ? 0 : beta / delta;
  const cov = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) cov[k] = (1 - shrinkage) * emp[k] * frequency;
  for (let i = 0; i < n; i++) cov[i * n + i] += shrinkage * mu * frequency;
  return { cov, shrinkage };
}
