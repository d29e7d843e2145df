// Dense linear algebra for the risk models and the optimizer, on row-major Float64Arrays.
// Units: none (pure numerics). Matrices are n×n row-major (`m[i * n + j]`); "asset-major" data is one contiguous
// row of T observations per asset (`a[i * T + t]`), which keeps the O(n²T) Gram product cache-friendly.
import { simdKernels, simdProduct, type BlockFill, type Kernels } from './simd-product.ts';

export { mirrorLower } from './simd-product.ts';

/** Chunk fill that copies observations [t0, t1) of each asset-major row of `a`. */
const copyBlock = (a: Float64Array, n: number, T: number): BlockFill => (block, at, stride, t0, t1) => {
  for (let i = 0; i < n; i++) block.set(a.subarray(i * T + t0, i * T + t1), at + i * stride);
};

/** G = A·Aᵀ for asset-major A (n rows of length T): G[i][j] = Σ_t a[i,t]·a[j,t]. SIMD when available. */
export function gram(a: Float64Array, n: number, T: number): Float64Array {
  return simdProduct(n, T, copyBlock(a, n, T)) ?? scalarGram(a, n, T);
}

/**
 * The lower triangle (j ≤ i; the upper one is unspecified) of A·Aᵀ for rows produced chunk by chunk by `fill`
 * (written straight into the SIMD kernel's memory when available).
 */
export function lowerGramOfBlocks(n: number, T: number, fill: BlockFill): Float64Array {
  const g = simdProduct(n, T, fill, undefined, true);
  if (g) return g;
  const a = new Float64Array(n * T);
  fill(a, 0, T, 0, T);
  return scalarGram(a, n, T);
}

/** C = A·Bᵀ for asset-major A and B (both n rows of length T); not symmetric in general. SIMD when available. */
export function crossProduct(a: Float64Array, b: Float64Array, n: number, T: number): Float64Array {
  return simdProduct(n, T, copyBlock(a, n, T), copyBlock(b, n, T)) ?? scalarCrossProduct(a, b, n, T);
}

/** Scalar A·Aᵀ (the fallback without WebAssembly): symmetric, 4×4 register blocks. */
export function scalarGram(a: Float64Array, n: number, T: number): Float64Array {
  const g = new Float64Array(n * n);
  const nb = n - (n % 4);
  for (let i = 0; i < nb; i += 4) {
    const o0 = i * T, o1 = o0 + T, o2 = o1 + T, o3 = o2 + T;
    for (let j = 0; j <= i; j += 4) {
      const p0 = j * T, p1 = p0 + T, p2 = p1 + T, p3 = p2 + T;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let t = 0; t < T; t++) {
        const b0 = a[p0 + t], b1 = a[p1 + t], b2 = a[p2 + t], b3 = a[p3 + t];
        let x = a[o0 + t];
        s00 += x * b0; s01 += x * b1; s02 += x * b2; s03 += x * b3;
        x = a[o1 + t];
        s10 += x * b0; s11 += x * b1; s12 += x * b2; s13 += x * b3;
        x = a[o2 + t];
        s20 += x * b0; s21 += x * b1; s22 += x * b2; s23 += x * b3;
        x = a[o3 + t];
        s30 += x * b0; s31 += x * b1; s32 += x * b2; s33 += x * b3;
      }
      const r0 = i * n + j, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
      g[r0] = s00; g[r0 + 1] = s01; g[r0 + 2] = s02; g[r0 + 3] = s03;
      g[r1] = s10; g[r1 + 1] = s11; g[r1 + 2] = s12; g[r1 + 3] = s13;
      g[r2] = s20; g[r2 + 1] = s21; g[r2 + 2] = s22; g[r2 + 3] = s23;
      g[r3] = s30; g[r3 + 1] = s31; g[r3 + 2] = s32; g[r3 + 3] = s33;
    }
  }
  for (let i = nb; i < n; i++) {
    const oi = i * T;
    for (let j = 0; j <= i; j++) {
      const oj = j * T;
      let s = 0;
      for (let t = 0; t < T; t++) s += a[oi + t] * a[oj + t];
      g[i * n + j] = s;
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) g[i * n + j] = g[j * n + i];
  return g;
}

/** Scalar A·Bᵀ (the fallback without WebAssembly). */
export function scalarCrossProduct(a: Float64Array, b: Float64Array, n: number, T: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const oi = i * T;
    for (let j = 0; j < n; j++) {
      const oj = j * T;
      let s = 0;
      for (let t = 0; t < T; t++) s += a[oi + t] * b[oj + t];
      c[i * n + j] = s;
    }
  }
  return c;
}

/**
 * Lower Cholesky factor L (row-major, L·Lᵀ = A) of a symmetric matrix, or null when A is not positive definite
 * (a pivot ≤ 0). Row-oriented so the inner loop is a dot product of two contiguous rows.
 */
export function cholesky(a: Float64Array, n: number, diagonalShift = 0): Float64Array | null {
  const l = new Float64Array(n * n);
  return choleskyInto(a, n, diagonalShift, l) ? l : null;
}

/**
 * Whether the Cholesky factorization of A + shift·I exists (every pivot > 0): the same arithmetic as `cholesky`,
 * with the factor in the SIMD kernels' scratch memory (already mapped by the covariance product) when available.
 */
export function choleskySucceeds(a: Float64Array, n: number, diagonalShift = 0): boolean {
  const k = simdKernels(n * n * 8);
  return choleskyInto(a, n, diagonalShift, k ? k.heap.subarray(0, n * n) : new Float64Array(n * n));
}

/** Writes the lower factor into `l` (only entries it has written are read); false at the first pivot ≤ 0. */
function choleskyInto(a: Float64Array, n: number, diagonalShift: number, l: Float64Array): boolean {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j];
      if (i === j) s += diagonalShift;
      for (let k = 0; k < j; k++) s -= l[ri + k] * l[rj + k];
      if (i === j) {
        if (!(s > 0)) return false;
        l[ri + i] = Math.sqrt(s);
      } else {
        l[ri + j] = s / l[rj + j];
      }
    }
  }
  return true;
}

/** Solve L·Lᵀ·x = b in place (b becomes x) for a row-major lower factor of order n (stride `stride`). */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array, stride = n): void {
  for (let i = 0; i < n; i++) {
    const ri = i * stride;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[ri + k] * b[k];
    b[i] = s / l[ri + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * stride + i] * b[k];
    b[i] = s / l[i * stride + i];
  }
}

export interface SymmetricEigen {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Eigenvectors as rows: vectors[k * n + i] is component i of the eigenvector of values[k]. */
  vectors: Float64Array;
}

/**
 * Eigendecomposition of a symmetric matrix: Householder reduction to tridiagonal form, then the implicit QL
 * algorithm (the EISPACK tred2/tql2 pair, as in JAMA). O(n³). The PSD repair does not need all of it (see
 * clipNegativeEigenvalues); this is the reference it is tested against.
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  const v = Float64Array.from(a);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalize(v, d, e, n);
  // QL rotations touch two columns of V at a time; work on Vᵀ so those are contiguous rows.
  const vt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vt[j * n + i] = v[i * n + j];
  diagonalizeTridiagonal(vt, d, e, n);
  // Ascending eigenvalues, eigenvector rows permuted alike (as JAMA's tql2 ends).
  const order = Array.from({ length: n }, (_, k) => k).sort((x, y) => d[x] - d[y]);
  const values = Float64Array.from(order, (k) => d[k]);
  const vectors = new Float64Array(n * n);
  order.forEach((k, r) => vectors.set(vt.subarray(k * n, k * n + n), r * n));
  return { values, vectors };
}

function tridiagonalize(v: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = v[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = v[(i - 1) * n + j];
        v[i * n + j] = 0;
        v[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        v[j * n + i] = f;
        g = e[j] + v[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[k * n + j] * d[k];
          e[k] += v[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) v[k * n + j] -= f * e[k] + g * d[k];
        d[j] = v[(i - 1) * n + j];
        v[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    v[(n - 1) * n + i] = v[i * n + i];
    v[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[k * n + i + 1] * v[k * n + j];
        for (let k = 0; k <= i; k++) v[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) v[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[(n - 1) * n + j];
    v[(n - 1) * n + j] = 0;
  }
  v[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

const hypot = (a: number, b: number): number => {
  const x = Math.abs(a), y = Math.abs(b);
  if (x > y) { const r = y / x; return x * Math.sqrt(1 + r * r); }
  if (y === 0) return 0;
  const r = x / y;
  return y * Math.sqrt(1 + r * r);
};

function diagonalizeTridiagonal(vt: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 300) throw new Error('symmetric eigendecomposition did not converge');
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1, c2 = 1, c3 = 1;
        const el1 = e[l + 1];
        let s = 0, s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const ri = i * n, ri1 = ri + n;
          for (let k = 0; k < n; k++) {
            const hk = vt[ri1 + k];
            const vk = vt[ri + k];
            vt[ri1 + k] = s * vk + c * hk;
            vt[ri + k] = c * vk - s * hk;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

export interface NegativeEigenClip {
  /** A with its negative eigenvalues set to 0: A − Σ_{λ<0} λ·v·vᵀ. */
  matrix: Float64Array;
  /** The clipped eigenvalues (≤ 0), ascending. */
  clipped: Float64Array;
}

/**
 * Spectral repair of a symmetric matrix, V·max(Λ, 0)·Vᵀ, computed without the full eigendecomposition: Householder
 * tridiagonalization (≈ 2n³/3 multiply-adds, lower triangle, row-contiguous), then only the non-positive
 * eigenvalues of the tridiagonal matrix by Sturm-sequence bisection, their eigenvectors by inverse iteration
 * (re-orthogonalized), back-transformed and subtracted. Mathematically identical to clipping every eigenvalue of a
 * full decomposition; costs a fraction of it when few eigenvalues are negative (the usual case for a pairwise
 * covariance with a few later listings). With `inPlace`, A itself is overwritten with the result.
 */
export function clipNegativeEigenvalues(a: Float64Array, n: number, inPlace = false): NegativeEigenClip {
  const ws = rank2Workspace(n);
  const w = ws ? ws.w : new Float64Array(n * n); // working copy, lower triangle used
  w.set(a.subarray(0, n * n));
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(0, n - 1));
  const betas = new Float64Array(Math.max(0, n - 2));
  if (n >= 3) {
    if (ws) householderTridiagonalSimd(n, d, e, betas, ws);
    else householderTridiagonal(w, n, d, e, betas);
  }
  if (n >= 2) {
    d[n - 2] = w[(n - 2) * n + n - 2];
    e[n - 2] = w[(n - 1) * n + n - 2];
  }
  if (n >= 1) d[n - 1] = w[(n - 1) * n + n - 1];
  let tnorm = 1e-300;
  for (let i = 0; i < n; i++) tnorm = Math.max(tnorm, Math.abs(d[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0) + (i < n - 1 ? Math.abs(e[i]) : 0));
  // Split T where an off-diagonal is negligible: an unreduced block has distinct eigenvalues, so inverse
  // iteration within a block is well defined (equal eigenvalues in different blocks would not be). Negligible is
  // n·ε‖T‖, the rounding a reduction leaves: couplings of 1.5–2.6 ε‖T‖ between equal eigenvalues, kept, gave
  // inverse iteration a cluster it could not separate (dropping them moves eigenvalues by no more than that).
  const eigenvalues: number[] = [];
  const vecs: Float64Array[] = [];
  let b0 = 0;
  for (let i = 0; i < n; i++) {
    const end = i === n - 1 || Math.abs(e[i]) <= n * Number.EPSILON * tnorm;
    if (!end) continue;
    const b1 = i + 1; // block [b0, b1)
    for (const [lambda, y] of blockNegativeEigenpairs(d, e, b0, b1, tnorm)) {
      const full = new Float64Array(n);
      full.set(y, b0);
      eigenvalues.push(lambda);
      vecs.push(full);
    }
    b0 = b1;
  }
  const negCount = eigenvalues.length;
  const order = eigenvalues.map((_, i) => i).sort((x, y) => eigenvalues[x] - eigenvalues[y]);
  const clipped = Float64Array.from(order.map((i) => eigenvalues[i]));
  const out = inPlace ? a : a.slice(0, n * n);
  if (negCount === 0) return { matrix: out, clipped };
  // Back-transform the eigenvectors (z ← Q·y, the reflectors applied last to first), then subtract λ·z·zᵀ of each.
  if (ws) {
    clipInKernels(a, out, n, betas, eigenvalues, vecs);
    return { matrix: out, clipped };
  }
  for (let k = n - 3; k >= 0; k--) {
    if (betas[k] === 0) continue;
    const v = reflectorOf(w, n, k);
    for (let idx = 0; idx < negCount; idx++) applyReflector(vecs[idx], k + 1, v, betas[k]);
  }
  for (let i = 0; i < n; i++) subtractOuterRow(out, n, i, eigenvalues, vecs);
  return { matrix: out, clipped };
}

/** The Householder vector of step k, kept in row k of the upper triangle of the working matrix (n − k − 1 values). */
const reflectorOf = (w: Float64Array, n: number, k: number): Float64Array => w.subarray(k * n + k + 1, k * n + n);

/**
 * Householder reduction of the lower triangle of `w` (n ≥ 3) to tridiagonal form: d gets the diagonal, e the
 * sub-diagonal (e[n−2] is left to the caller), betas[k] the factor β of step k, whose vector goes to row k of the
 * upper triangle (unused otherwise: no n×n or per-step allocations). One pass over the trailing block per step:
 * the rank-2 update of step k is fused with the symmetric product B·v of step k+1 (whose reflector comes from the
 * updated column k+1, computed first).
 */
function householderTridiagonal(w: Float64Array, n: number, d: Float64Array, e: Float64Array, betas: Float64Array): void {
  let beta = reflector(w, n, 0, d, e, 0);
  betas[0] = beta;
  let p = new Float64Array(n - 1), pNext = new Float64Array(n - 1);
  const wk = new Float64Array(n - 1);
  if (beta !== 0) symmetricProduct(w, n, 1, reflectorOf(w, n, 0), p, beta);
  for (let k = 0; k < n - 2; k++) {
    const o = k + 1, m = n - k - 1;
    const vk = reflectorOf(w, n, k);
    if (beta !== 0) rank2Vector(p, vk, beta, m, wk);
    else wk.fill(0, 0, m);
    const hasNext = k + 1 <= n - 3;
    let betaNext = 0;
    if (hasNext) {
      // Column o of the updated block (rows o+1…), its diagonal entry, then the next reflector from it.
      d[k + 1] = w[o * n + o] - 2 * vk[0] * wk[0];
      updateColumn(w, n, o, m, vk, wk);
      betaNext = reflector(w, n, o, d, e, k + 1);
      betas[k + 1] = betaNext;
    }
    const vNext = hasNext ? reflectorOf(w, n, o) : null;
    const doProduct = hasNext && betaNext !== 0;
    pNext.fill(0, 0, m - 1);
    rank2Rows(w, n, o, m, vk, wk, beta !== 0, hasNext, doProduct ? vNext : null, pNext);
    if (doProduct) scaleVector(pNext, m - 1, betaNext);
    if (hasNext) {
      beta = betaNext;
      const t = p; p = pNext; pNext = t;
    }
  }
}

/**
 * householderTridiagonal on the WebAssembly memory of `ws` (w = ws.w), the same arithmetic: the O(m²) row loop of
 * each step and its O(m) vector steps run in the kernels, only the reflector is computed here. β·B·v stays in
 * ws.pn from one step to the next (the rank-2 vector reads it before the next product overwrites it).
 */
function householderTridiagonalSimd(n: number, d: Float64Array, e: Float64Array, betas: Float64Array, ws: Rank2Workspace): void {
  const w = ws.w, pn = ws.pn, wk = ws.wk;
  const vAt = (k: number): number => (k * n + k + 1) * 8; // byte address of reflectorOf(w, n, k)
  let beta = reflector(w, n, 0, d, e, 0);
  betas[0] = beta;
  if (beta !== 0) symmetricProduct(w, n, 1, reflectorOf(w, n, 0), pn, beta);
  for (let k = 0; k < n - 2; k++) {
    const o = k + 1, m = n - k - 1;
    if (beta !== 0) ws.rank2Vector(ws.pnAt, vAt(k), ws.wkAt, m, beta);
    else wk.fill(0, 0, m);
    const hasNext = k + 1 <= n - 3;
    let betaNext = 0;
    if (hasNext) {
      d[k + 1] = w[o * n + o] - 2 * w[k * n + k + 1] * wk[0];
      ws.updateColumn(0, n, o, m, vAt(k), ws.wkAt);
      betaNext = reflector(w, n, o, d, e, k + 1);
      betas[k + 1] = betaNext;
    }
    const doProduct = hasNext && betaNext !== 0;
    pn.fill(0, 0, m - 1);
    if (doProduct && beta !== 0) ws.step(0, n, o, m, vAt(k), ws.wkAt, vAt(o), ws.pnAt);
    else rank2Rows(w, n, o, m, reflectorOf(w, n, k), wk, beta !== 0, hasNext, doProduct ? reflectorOf(w, n, o) : null, pn);
    if (doProduct) ws.scale(ws.pnAt, m - 1, betaNext);
    if (hasNext) beta = betaNext;
  }
}

/**
 * The back-transform and the subtraction of clipNegativeEigenvalues in the kernels, the same arithmetic: the
 * eigenvectors go after the working matrix (whose upper triangle still holds the reflectors), then the matrix
 * a is copied over the working matrix (no longer needed), the λ·z·zᵀ subtracted there and the result copied to out.
 */
function clipInKernels(a: Float64Array, out: Float64Array, n: number, betas: Float64Array, lambdas: number[], vecs: Float64Array[]): void {
  const nn = n * n, count = vecs.length;
  const zsAt = nn + 2 * n, lambdasAt = zsAt + count * n; // in doubles, after the workspace of rank2Workspace
  const k = simdKernels((lambdasAt + count) * 8)!; // may grow the memory: views taken before are stale
  const heap = k.heap;
  vecs.forEach((z, idx) => heap.set(z, zsAt + idx * n));
  heap.set(lambdas, lambdasAt);
  for (let r = n - 3; r >= 0; r--) {
    if (betas[r] === 0) continue;
    const vAt = (r * n + r + 1) * 8; // reflectorOf(w, n, r)
    for (let idx = 0; idx < count; idx++) k.applyReflector((zsAt + idx * n + r + 1) * 8, vAt, n - r - 1, betas[r]);
  }
  heap.set(a.subarray(0, nn), 0);
  k.subtractOuter(0, n, lambdasAt * 8, zsAt * 8, count);
  out.set(heap.subarray(0, nn));
}

/** x[0…m) *= f. */
function scaleVector(x: Float64Array, m: number, f: number): void {
  for (let i = 0; i < m; i++) x[i] *= f;
}

/** Scalar row loop of one step (the fallback of the rank2Step kernel; see householderTridiagonal). */
function rank2Rows(
  w: Float64Array, n: number, o: number, m: number, vk: Float64Array, wk: Float64Array, update: boolean,
  hasNext: boolean, vn: Float64Array | null, pNext: Float64Array,
): void {
  for (let i = 0; i < m; i++) {
    const ri = (o + i) * n + o;
    const vi = vk[i], wi = wk[i];
    // Column 0 of the block was already updated (when there is a next step) or is not needed again.
    if (update) for (let j = hasNext ? 1 : 0; j <= i; j++) w[ri + j] -= vi * wk[j] + wi * vk[j];
    if (vn && i >= 1) {
      const vni = vn[i - 1];
      let acc = 0;
      for (let j = 1; j < i; j++) {
        const aij = w[ri + j];
        acc += aij * vn[j - 1];
        pNext[j - 1] += aij * vni;
      }
      pNext[i - 1] += acc + w[ri + i] * vni;
    }
  }
}

// The O(m) and O(n²) loops of clipNegativeEigenvalues are small functions of their own: each is optimized
// within milliseconds, while the compiler takes far longer over the whole of clipNegativeEigenvalues (a cold call
// would otherwise run them unoptimized).

/** w = p − ½β(pᵀv)·v: the rank-2 update vector of a Householder step (p = β·B·v). */
function rank2Vector(p: Float64Array, v: Float64Array, beta: number, m: number, w: Float64Array): void {
  let pv = 0;
  for (let i = 0; i < m; i++) pv += p[i] * v[i];
  const K = 0.5 * beta * pv;
  for (let i = 0; i < m; i++) w[i] = p[i] - K * v[i];
}

/** The rank-2 update of column o below the diagonal (rows o+1…o+m−1) of the row-major lower triangle. */
function updateColumn(w: Float64Array, n: number, o: number, m: number, vk: Float64Array, wk: Float64Array): void {
  const v0 = vk[0], w0 = wk[0];
  for (let j = 0; j < m - 1; j++) w[(o + 1 + j) * n + o] -= vk[1 + j] * w0 + wk[1 + j] * v0;
}

/** z[o…] ← (I − β·v·vᵀ)·z[o…]. */
function applyReflector(z: Float64Array, o: number, v: Float64Array, beta: number): void {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += v[j] * z[o + j];
  s *= beta;
  for (let j = 0; j < v.length; j++) z[o + j] -= s * v[j];
}

/** Row i of out −= Σ_k λ_k·z_k·z_kᵀ, the terms subtracted in order k = 0, 1, … (as separate rank-one updates would). */
function subtractOuterRow(out: Float64Array, n: number, i: number, lambdas: number[], zs: Float64Array[]): void {
  const ri = i * n;
  for (let k = 0; k < zs.length; k++) {
    const z = zs[k];
    const f = lambdas[k] * z[i];
    for (let j = 0; j < n; j++) out[ri + j] -= f * z[j];
  }
}

/** Non-positive eigenvalues (bisection) and unit eigenvectors (inverse iteration) of the unreduced block [b0, b1). */
function blockNegativeEigenpairs(d: Float64Array, e: Float64Array, b0: number, b1: number, tnorm: number): [number, Float64Array][] {
  const m = b1 - b0;
  const below = (x: number): number => {
    let count = 0;
    let q = d[b0] - x;
    if (q < 0) count++;
    for (let i = 1; i < m; i++) {
      if (q === 0) q = Number.EPSILON * tnorm;
      const ei = e[b0 + i - 1];
      q = d[b0 + i] - x - (ei * ei) / q;
      if (q < 0) count++;
    }
    return count;
  };
  let lo = Infinity;
  for (let i = 0; i < m; i++) {
    const r = (i > 0 ? Math.abs(e[b0 + i - 1]) : 0) + (i < m - 1 ? Math.abs(e[b0 + i]) : 0);
    lo = Math.min(lo, d[b0 + i] - r);
  }
  const count = below(0) + (below(Number.MIN_VALUE) - below(0)); // eigenvalues < 0, plus exact zeros (harmless)
  const out: [number, Float64Array][] = [];
  const dd = new Float64Array(m), dl = new Float64Array(m), du = new Float64Array(m), du2 = new Float64Array(m);
  const piv = new Uint8Array(m);
  // Equal eigenvalues of one block (a cluster the split did not separate) are shifted apart by at least this for
  // inverse iteration, as LAPACK's dstein does: solved with one shift, every vector of the cluster grows alike and
  // the Gram–Schmidt remainder is rounding noise (CI seed -966385352: five equal eigenvalues −2 left one of −1.87).
  const pertol = 10 * Number.EPSILON * tnorm;
  let shiftPrev = -Infinity;
  for (let idx = 0; idx < count; idx++) {
    let a0 = lo - Number.EPSILON * tnorm, c0 = 0;
    for (let it = 0; it < 300 && c0 - a0 > 2 * Number.EPSILON * tnorm; it++) {
      const mid = 0.5 * (a0 + c0);
      if (below(mid) > idx) c0 = mid; else a0 = mid;
    }
    const lambda = 0.5 * (a0 + c0);
    if (m === 1) { out.push([lambda, Float64Array.of(1)]); continue; }
    const shift = lambda - shiftPrev < pertol ? shiftPrev + pertol : lambda;
    shiftPrev = shift;
    // LU with partial pivoting of the tridiagonal T − shift·I (LAPACK dgttrf); zero pivots nudged to ε‖T‖.
    for (let i = 0; i < m; i++) dd[i] = d[b0 + i] - shift;
    for (let i = 0; i < m - 1; i++) { dl[i] = e[b0 + i]; du[i] = e[b0 + i]; }
    du2.fill(0);
    for (let i = 0; i < m - 1; i++) {
      if (Math.abs(dd[i]) >= Math.abs(dl[i])) {
        piv[i] = 0;
        if (dd[i] === 0) dd[i] = Number.EPSILON * tnorm;
        const f = dl[i] / dd[i];
        dl[i] = f;
        dd[i + 1] -= f * du[i];
      } else {
        piv[i] = 1;
        const f = dd[i] / dl[i];
        dd[i] = dl[i];
        dl[i] = f;
        const tmp = du[i];
        du[i] = dd[i + 1];
        dd[i + 1] = tmp - f * dd[i + 1];
        if (i < m - 2) {
          du2[i] = du[i + 1];
          du[i + 1] = -f * du[i + 1];
        }
      }
    }
    if (dd[m - 1] === 0) dd[m - 1] = Number.EPSILON * tnorm;
    const y = new Float64Array(m);
    for (let i = 0; i < m; i++) y[i] = 1 + ((i * 7919 + idx * 104729) % 97) / 97; // deterministic generic start
    for (let iter = 0; iter < 4; iter++) {
      for (let i = 0; i < m - 1; i++) {
        if (piv[i] === 0) y[i + 1] -= dl[i] * y[i];
        else { const t = y[i]; y[i] = y[i + 1]; y[i + 1] = t - dl[i] * y[i]; }
      }
      y[m - 1] /= dd[m - 1];
      y[m - 2] = (y[m - 2] - du[m - 2] * y[m - 1]) / dd[m - 2];
      for (let i = m - 3; i >= 0; i--) y[i] = (y[i] - du[i] * y[i + 1] - du2[i] * y[i + 2]) / dd[i];
      let big = 0;
      for (let i = 0; i < m; i++) big = Math.max(big, Math.abs(y[i]));
      for (let i = 0; i < m; i++) y[i] /= big; // keep the scale sane before orthogonalizing
      // Twice-is-enough Gram–Schmidt against this block's earlier vectors (close eigenvalues).
      for (let pass = 0; pass < 2; pass++) {
        for (const [, prev] of out) {
          let dot = 0;
          for (let i = 0; i < m; i++) dot += prev[i] * y[i];
          for (let i = 0; i < m; i++) y[i] -= dot * prev[i];
        }
      }
      let nrm = 0;
      for (let i = 0; i < m; i++) nrm += y[i] * y[i];
      nrm = Math.sqrt(nrm);
      for (let i = 0; i < m; i++) y[i] /= nrm;
    }
    out.push([lambda, y]);
  }
  return out;
}

interface Rank2Workspace {
  /** n×n working matrix and two length-n vectors in WebAssembly memory, with the vectors' byte addresses. */
  w: Float64Array; wk: Float64Array; pn: Float64Array;
  wkAt: number; pnAt: number;
  step: Kernels['rank2Step'];
  rank2Vector: Kernels['rank2Vector'];
  updateColumn: Kernels['updateColumn'];
  scale: Kernels['scale'];
}

/** Memory and the tridiagonalization kernels (simd-product.ts) for clipNegativeEigenvalues; null without WebAssembly. */
function rank2Workspace(n: number): Rank2Workspace | null {
  const nn = n * n;
  const k = simdKernels((nn + 2 * n) * 8);
  if (!k) return null;
  const view = (at: number, len: number): Float64Array => k.heap.subarray(at, at + len);
  return {
    w: view(0, nn), wk: view(nn, n), pn: view(nn + n, n), wkAt: nn * 8, pnAt: (nn + n) * 8,
    step: k.rank2Step, rank2Vector: k.rank2Vector, updateColumn: k.updateColumn, scale: k.scale,
  };
}

/**
 * Householder reflector for column `k` below the diagonal (rows k+1…n−1) of the row-major lower triangle `w`:
 * sets d[k] (the diagonal), e[ek] (the new sub-diagonal), writes v (scale-free) to row k of the upper triangle
 * (reflectorOf) and returns β = 2/vᵀv (0 = identity, v = 0).
 */
function reflector(w: Float64Array, n: number, k: number, d: Float64Array, e: Float64Array, ek: number): number {
  const m = n - k - 1;
  const v = reflectorOf(w, n, k);
  let scale = 0;
  for (let j = 0; j < m; j++) {
    const x = w[(k + 1 + j) * n + k];
    v[j] = x;
    scale = Math.max(scale, Math.abs(x));
  }
  if (ek === 0) d[k] = w[k * n + k];
  let sigma = 0;
  if (scale > 0) for (let j = 1; j < m; j++) sigma += (v[j] / scale) ** 2;
  const x0 = v[0];
  if (sigma === 0 || scale === 0) {
    e[ek] = x0;
    v.fill(0);
    return 0;
  }
  const norm = scale * Math.sqrt((x0 / scale) ** 2 + sigma);
  const alpha = x0 > 0 ? -norm : norm;
  v[0] = x0 - alpha;
  for (let j = 0; j < m; j++) v[j] /= scale;
  let vv = 0;
  for (let j = 0; j < m; j++) vv += v[j] * v[j];
  e[ek] = alpha;
  return 2 / vv;
}

/** p = β·B·v for the trailing block B = w[o…, o…] (lower triangle read row by row). */
function symmetricProduct(w: Float64Array, n: number, o: number, v: Float64Array, p: Float64Array, beta: number): void {
  const m = n - o;
  p.fill(0);
  for (let i = 0; i < m; i++) {
    const ri = (o + i) * n + o;
    const vi = v[i];
    let s = 0;
    for (let j = 0; j < i; j++) {
      const aij = w[ri + j];
      s += aij * v[j];
      p[j] += aij * vi;
    }
    p[i] += s + w[ri + i] * vi;
  }
  for (let i = 0; i < m; i++) p[i] *= beta;
}
