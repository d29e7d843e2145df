// Covariance estimators of periodic returns, annualized.
// Units: input returns are fractions per period; output covariances are per year (× `frequency` periods a year,
// 252 for daily data), so the diagonal is the annual variance.
// - sampleCovariance: pandas `DataFrame.cov()` semantics (ddof = 1, pairwise complete observations): each pair
//   uses exactly the periods where both securities have a return, with means over those periods.
// - ledoitWolf: scikit-learn's `ledoit_wolf` (constant-variance target μ·I, shrinkage from the Ledoit–Wolf 2004
//   formula, maximum-likelihood covariance with ddof = 0) as used by PyPortfolioOpt's
//   `CovarianceShrinkage.ledoit_wolf()`. It needs complete rows; like PyPortfolioOpt we replace a missing return by
//   0 (`np.nan_to_num`), so a later listing contributes zero returns before its first price.
import { returnsBlock, returnTotals, type DailyReturns } from './daily-returns.ts';
import { EstimatorError } from './errors.ts';
import { crossProduct, gram, lowerGramOfBlocks, mirrorLower } from './linalg.ts';

/** Asset-major returns minus each asset's own mean, with missing values replaced by 0. */
function centeredByOwnMean(r: DailyReturns): Float64Array {
  const n = r.symbols.length;
  const T = r.periods;
  const a = new Float64Array(n * T);
  const values = r.values;
  for (let i = 0; i < n; i++) {
    const o = i * T;
    let sum = 0;
    let cnt = 0;
    for (let t = 0; t < T; t++) {
      const v = values[o + t];
      if (v === v) { sum += v; cnt++; }
    }
    const mean = cnt > 0 ? sum / cnt : 0;
    for (let t = 0; t < T; t++) {
      const v = values[o + t];
      a[o + t] = v === v ? v - mean : 0;
    }
  }
  return a;
}

/**
 * Centres one security's returns in block[at + (t − t0)] for periods [t0, t1) in place (x̃ = x − mean inside its
 * run [first, last], 0 outside) and carries the running sum of x̃ over the calls, in period order: when the period
 * reaches a window end ends[b] (or the run is over), running[rAt + b] = Σ x̃ over first ≤ t < ends[b].
 * state[0] is the running sum, state[1] the next window end (the caller's per-security slots).
 */
function centreChunk(
  block: Float64Array, at: number, t0: number, t1: number, first: number, last: number, mean: number,
  ends: Int32Array, running: Float64Array, rAt: number, state: Float64Array, sAt: number,
): void {
  const lo = Math.max(t0, Math.min(first, t1)), hi = Math.max(lo, Math.min(t1, last + 1));
  const base = at - t0, B = ends.length;
  for (let t = t0; t < lo; t++) block[base + t] = 0;
  let acc = state[sAt], b = state[sAt + 1];
  let t = lo;
  while (t < hi) {
    while (b < B && ends[b] <= t) running[rAt + b++] = acc;
    const stop = b < B ? Math.min(ends[b], hi) : hi;
    for (; t < stop; t++) {
      const x = block[base + t] - mean;
      block[base + t] = x;
      acc += x;
    }
  }
  if (last < t1) while (b < B) running[rAt + b++] = acc;
  for (t = hi; t < t1; t++) block[base + t] = 0;
  state[sAt] = acc;
  state[sAt + 1] = b;
}

/**
 * Row i (j ≤ i) of the contiguous-runs covariance, in place over the Gram matrix g of the centred returns:
 * (Σ_W x̃ᵢx̃ⱼ − Σ_W x̃ᵢ·Σ_W x̃ⱼ / k) / (k − 1) · frequency over the overlap W of the two runs (k periods). Returns
 * the first j whose overlap is shorter than 2 periods (the row is then incomplete), else −1.
 */
function covarianceRow(
  g: Float64Array, n: number, i: number, first: Int32Array, last: Int32Array, endIndex: Int32Array,
  running: Float64Array, B: number, frequency: number,
): number {
  const ri = i * B, fi = first[i], li = last[i];
  for (let j = 0; j <= i; j++) {
    const s = Math.max(fi, first[j]);
    const e = Math.min(li, last[j]) + 1;
    const k = e - s;
    if (k < 2) return j;
    const bs = endIndex[s], be = endIndex[e], rj = j * B;
    const si = running[ri + be] - running[ri + bs];
    const sj = running[rj + be] - running[rj + bs];
    g[i * n + j] = ((g[i * n + j] - (si * sj) / k) / (k - 1)) * frequency;
  }
  return -1;
}

/** Sample covariance (ddof 1) over pairwise-complete periods, times `frequency`. Not repaired (see psd.ts). */
export function sampleCovariance(r: DailyReturns, frequency: number): Float64Array {
  const n = r.symbols.length;
  const T = r.periods;
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
    // distinct window ends, accumulated while its centred returns are written chunk by chunk for the product
    // (no per-pair loop over periods, and no n×T array: the returns come straight from the price matrix).
    for (let i = 0; i < n; i++) if (r.first[i] < 0) tooFew(i, i, 0);
    const ends = Int32Array.from(new Set([...r.first, ...Array.from(r.last, (l) => l + 1)])).sort();
    const B = ends.length;
    const endIndex = new Int32Array(T + 1);
    ends.forEach((t, b) => { endIndex[t] = b; });
    const running = new Float64Array(n * B); // running[i * B + b] = Σ x̃_i over periods < ends[b]
    const sums = returnTotals(r).sum;
    const means = new Float64Array(n);
    for (let i = 0; i < n; i++) means[i] = sums[i] / (r.last[i] - r.first[i] + 1);
    const state = new Float64Array(2 * n);
    const g = lowerGramOfBlocks(n, T, (block, at, stride, t0, t1) => {
      returnsBlock(r, t0, t1, block, at, stride);
      for (let i = 0; i < n; i++) {
        centreChunk(block, at + i * stride, t0, t1, r.first[i], r.last[i], means[i], ends, running, i * B, state, 2 * i);
      }
    });
    // The covariances overwrite the Gram matrix in place: the lower triangle, row by row, then mirrored.
    for (let i = 0; i < n; i++) {
      const j = covarianceRow(g, n, i, r.first, r.last, endIndex, running, B, frequency);
      if (j >= 0) {
        const k = Math.max(0, Math.min(r.last[i], r.last[j]) + 1 - Math.max(r.first[i], r.first[j]));
        tooFew(i, j, k);
      }
    }
    mirrorLower(g, n);
    return g;
  }
  const cov = new Float64Array(n * n);
  const a = centeredByOwnMean(r);
  const g = gram(a, n, T);
  // General missing pattern: overlap counts and per-pair sums via products with the presence mask.
  const mask = new Float64Array(n * T);
  const values = r.values;
  for (let k = 0; k < n * T; k++) mask[k] = values[k] === values[k] ? 1 : 0;
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
  const values = r.values;
  for (let i = 0; i < n; i++) {
    const o = i * T;
    let sum = 0;
    for (let t = 0; t < T; t++) {
      const v = values[o + t];
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
