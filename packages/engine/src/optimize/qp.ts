// Convex quadratic programming by a primal active-set method (Nocedal & Wright, ch. 16.5), warm-startable.
//
//   minimize ½·xᵀHx + cᵀx   subject to   A·x = b,   C·x ≤ d,   lower ≤ x ≤ upper      (H symmetric PSD)
//
// Bounds are handled by fixing variables (the "free set" F); equalities and active general inequalities form the
// working rows W. Each iteration solves the equality-constrained subproblem on F by the range-space method: a
// Cholesky factor of H_FF, updated (not recomputed) when a variable is freed or fixed, plus the small Schur
// complement W·H_FF⁻¹·Wᵀ. Cost per iteration O(|F|²·(|W| + 1) + n·|F|), so a start close to the optimum (the
// previous point of an efficient frontier) converges in a few iterations. A singular H_FF (zero-variance or
// duplicate assets) is regularized at the tiny pivot only (1e-11 relative), which turns a zero-curvature direction
// into a long step to the nearest bound, as the textbook method prescribes.
//
// Multipliers follow  H·x + c + Aᵀλ + Cᵀμ − zL + zU = 0  with μ, zL, zU ≥ 0 (returned for KKT checks).
// Units: whatever the caller's problem uses (weights and annualized covariances here).
import { SolverError } from './errors.ts';
import type { LinearConstraints } from './lp.ts';

export interface QpProblem extends LinearConstraints {
  /** n×n row-major, symmetric positive semidefinite; the Hessian used is hessianScale·H + hessianShift·I. */
  H: Float64Array;
  /** Default 1. */
  hessianScale?: number;
  /** Default 0 (e.g. 2γ for L2 regularization). */
  hessianShift?: number;
  c: Float64Array;
}

export interface QpSolution {
  x: Float64Array;
  objective: number;
  eqMultipliers: Float64Array;
  ineqMultipliers: Float64Array;
  lowerMultipliers: Float64Array;
  upperMultipliers: Float64Array;
  iterations: number;
}

export interface QpOptions {
  maxIterations?: number;
}

const FREE = 0, AT_LOWER = -1, AT_UPPER = 1;

class SingularHessian extends Error {}
/** The active-set iteration cycled (seen on rank-deficient H whose singularity the pivot regularization hid). */
class NotConverged extends SolverError {}

/**
 * Solve from a feasible start point (e.g. a vertex from the LP phase, or a previous solution). A positive definite
 * problem is solved exactly. If the Hessian turns out singular on the free set (a rank-deficient covariance, e.g.
 * after eigenvalue clipping), the optimum is not unique: the solve restarts with a ridge of 1e-10 × the average
 * diagonal, which selects one optimum and changes the objective by less than 1e-10 relative. The same restart
 * follows an iteration that cycles without converging (degenerate, rank-deficient problems); if the ridged
 * iteration cycles too, the ridge grows to 1e-8 (objective change < 1e-8 relative).
 */
export function solveQp(prob: QpProblem, start: Float64Array, opts: QpOptions = {}): QpSolution {
  try {
    return solveQpOnce(prob, start, opts, false);
  } catch (e) {
    if (!(e instanceof SingularHessian) && !(e instanceof NotConverged)) throw e;
  }
  const n = prob.n;
  const hs = prob.hessianScale ?? 1;
  let trace = 0;
  for (let i = 0; i < n; i++) trace += Math.abs(hs * prob.H[i * n + i] + (prob.hessianShift ?? 0));
  // Escalate when the ridged iteration still cycles: 1e-10, then 1e-8 × the average diagonal.
  for (const rel of [1e-10, 1e-8]) {
    const ridge = rel * (trace / n || 1);
    let sol: QpSolution;
    try {
      sol = solveQpOnce({ ...prob, hessianShift: (prob.hessianShift ?? 0) + ridge }, start, opts, true);
    } catch (e) {
      if (e instanceof NotConverged && rel < 1e-8) continue;
      throw e;
    }
    // Report the objective of the problem as given.
    let reg = 0;
    for (let i = 0; i < n; i++) reg += sol.x[i] * sol.x[i];
    return { ...sol, objective: sol.objective - 0.5 * ridge * reg };
  }
  throw new SolverError('quadratic program did not converge');
}

function solveQpOnce(prob: QpProblem, start: Float64Array, opts: QpOptions, ridged: boolean): QpSolution {
  const { n, H, c, lower, upper } = prob;
  const hs = prob.hessianScale ?? 1;
  const hd = prob.hessianShift ?? 0;
  const A = prob.A ?? new Float64Array(0);
  const b = prob.b ?? new Float64Array(0);
  const C = prob.C ?? new Float64Array(0);
  const d = prob.d ?? new Float64Array(0);
  const me = b.length;
  const mi = d.length;
  const maxIter = opts.maxIterations ?? 50 * (n + me + mi) + 1000;

  const x = Float64Array.from(start);
  const state = new Int8Array(n);
  // Scale for tolerances and the pivot regularization.
  let hScale = 0;
  for (let i = 0; i < n; i++) hScale = Math.max(hScale, Math.abs(hs * H[i * n + i] + hd));
  if (hScale === 0) hScale = 1;
  const regPivot = 1e-11 * hScale;

  // --- initial working set from the start point -------------------------------------------------------------
  for (let j = 0; j < n; j++) {
    const tl = 1e-12 * (1 + Math.abs(lower[j]));
    const tu = 1e-12 * (1 + Math.abs(upper[j]));
    if (x[j] < lower[j] - 1e-9 * (1 + Math.abs(lower[j])) || x[j] > upper[j] + 1e-9 * (1 + Math.abs(upper[j]))) {
      throw new SolverError(`start point violates the bounds of variable ${j}`);
    }
    if (x[j] <= lower[j] + tl) { x[j] = lower[j]; state[j] = AT_LOWER; }
    else if (x[j] >= upper[j] - tu) { x[j] = upper[j]; state[j] = AT_UPPER; }
  }
  const slack = new Float64Array(mi);
  const active = new Uint8Array(mi);
  for (let i = 0; i < mi; i++) {
    let s = d[i];
    for (let j = 0; j < n; j++) s -= C[i * n + j] * x[j];
    const tol = 1e-12 * (1 + Math.abs(d[i]));
    if (s < -1e-9 * (1 + Math.abs(d[i]))) throw new SolverError(`start point violates inequality ${i}`);
    if (s <= tol) { s = 0; active[i] = 1; }
    slack[i] = s;
  }
  const rowNorm = new Float64Array(me + mi);
  for (let q = 0; q < me + mi; q++) {
    const [M, o] = q < me ? [A, q * n] : [C, (q - me) * n];
    let s = 0;
    for (let j = 0; j < n; j++) s += M[o + j] * M[o + j];
    rowNorm[q] = Math.sqrt(s) || 1;
  }

  // Gradient g = H·x + c.
  const g = new Float64Array(n);
  hessianTimes(H, n, x, g);
  for (let i = 0; i < n; i++) g[i] = c[i] + hs * g[i] + hd * x[i];

  // --- free set with its Cholesky factor (row-major, stride n) ----------------------------------------------
  const free = new Int32Array(n);
  let k = 0;
  // L is k×k lower triangular with row stride ls, grown on demand (a full n×n buffer per solve would cost more
  // than the solve when warm-started).
  let ls = 0;
  for (let j = 0; j < n; j++) if (state[j] === FREE) ls++;
  ls = Math.min(n, Math.max(32, 2 * ls));
  let L = new Float64Array(ls * ls);
  const grow = (): void => {
    const nls = Math.min(n, 2 * ls);
    const nl = new Float64Array(nls * nls);
    for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) nl[i * nls + j] = L[i * ls + j];
    L = nl;
    ls = nls;
  };
  const work = new Float64Array(n);
  // Set once a singular direction was regularized: then a step whose predicted decrease is negligible is
  // rounding noise amplified along that direction, and counts as stationary.
  let regularized = ridged;
  const addFree = (j: number): void => {
    // Solve L·l = H[F, j], append row [l, √(h_jj − ‖l‖²)].
    if (k + 1 > ls) grow();
    const rk = k * ls;
    let ss = 0;
    for (let a = 0; a < k; a++) {
      let s = hs * H[free[a] * n + j];
      const ra = a * ls;
      for (let q = 0; q < a; q++) s -= L[ra + q] * L[rk + q];
      const v = s / L[ra + a];
      L[rk + a] = v;
      ss += v * v;
    }
    let piv = hs * H[j * n + j] + hd - ss;
    if (!(piv > regPivot)) {
      if (!ridged) throw new SingularHessian();
      piv = regPivot;
      regularized = true;
    }
    L[rk + k] = Math.sqrt(piv);
    free[k] = j;
    k++;
    state[j] = FREE;
  };
  const removeFree = (pos: number): void => {
    // Drop row/column `pos`: shift the trailing block up-left, then a rank-one update restores L·Lᵀ.
    const m = k - pos - 1;
    for (let a = 0; a < m; a++) work[a] = L[(pos + 1 + a) * ls + pos];
    for (let r = pos; r < k - 1; r++) {
      const dst = r * ls, src = (r + 1) * ls;
      for (let q = 0; q < pos; q++) L[dst + q] = L[src + q];
      for (let q = pos; q <= r; q++) L[dst + q] = L[src + q + 1];
    }
    for (let a = 0; a < m; a++) {
      const ra = (pos + a) * ls;
      const lkk = L[ra + pos + a];
      const r = Math.sqrt(lkk * lkk + work[a] * work[a]);
      const cs = r / lkk, sn = work[a] / lkk;
      L[ra + pos + a] = r;
      for (let i = a + 1; i < m; i++) {
        const ri = (pos + i) * ls + pos + a;
        L[ri] = (L[ri] + sn * work[i]) / cs;
        work[i] = cs * work[i] - sn * L[ri];
      }
    }
    for (let r = pos; r < k - 1; r++) free[r] = free[r + 1];
    k--;
  };
  for (let j = 0; j < n; j++) if (state[j] === FREE) addFree(j);

  const solveL = (v: Float64Array): void => {
    for (let i = 0; i < k; i++) {
      const ri = i * ls;
      let s = v[i];
      for (let q = 0; q < i; q++) s -= L[ri + q] * v[q];
      v[i] = s / L[ri + i];
    }
  };
  const solveLt = (v: Float64Array): void => {
    for (let i = k - 1; i >= 0; i--) {
      let s = v[i];
      for (let q = i + 1; q < k; q++) s -= L[q * ls + i] * v[q];
      v[i] = s / L[i * ls + i];
    }
  };

  const lambda = new Float64Array(me + mi);
  const p = new Float64Array(n); // step, full length (zero off F)
  const pF = new Float64Array(n);
  const u = new Float64Array(n);
  let iterations = 0;
  // The last iteration took a full range-space step on the same working set: in exact arithmetic the point is
  // then the working set's minimizer, so a further tiny step is rounding noise (it can repeat forever).
  let afterFullStep = false;
  // Releases per variable: a variable released again and again is a cycle between a step onto its bound and its
  // release (a nearly degenerate vertex); from then on no gradient steps (only the range-space step and exact
  // multipliers), which breaks it.
  const releases = new Uint16Array(n);
  let cycling = false;

  for (;;) {
    if (++iterations > maxIter) throw new NotConverged(`quadratic program did not converge in ${maxIter} iterations`);
    // Working rows: all equalities, active inequalities.
    const rows: number[] = [];
    for (let q = 0; q < me; q++) rows.push(q);
    for (let i = 0; i < mi; i++) if (active[i]) rows.push(me + i);
    const r = rows.length;
    // u = H_FF⁻¹ g_F ; Y_q = H_FF⁻¹ a_q,F  (via L⁻¹ only: we form S = (L⁻¹Aᵀ)ᵀ(L⁻¹Aᵀ) and keep L⁻¹ vectors)
    for (let a = 0; a < k; a++) u[a] = g[free[a]];
    solveL(u); // u ← L⁻¹ g_F
    const Z: Float64Array[] = []; // Z_q = L⁻¹ a_q,F
    const AF: Float64Array[] = []; // a_q,F
    for (let t = 0; t < r; t++) {
      const q = rows[t];
      const [M, o] = q < me ? [A, q * n] : [C, (q - me) * n];
      const z = new Float64Array(k);
      for (let a = 0; a < k; a++) z[a] = M[o + free[a]];
      AF.push(z.slice());
      solveL(z);
      Z.push(z);
    }
    // S = Zᵀ Z (r×r), rhs = −Zᵀ u ; Cholesky with dependent rows skipped.
    const S = new Float64Array(r * r);
    const rhs = new Float64Array(r);
    for (let t = 0; t < r; t++) {
      for (let v = 0; v <= t; v++) {
        let s = 0;
        const zt = Z[t], zv = Z[v];
        for (let a = 0; a < k; a++) s += zt[a] * zv[a];
        S[t * r + v] = s;
        S[v * r + t] = s;
      }
      let s = 0;
      for (let a = 0; a < k; a++) s -= Z[t][a] * u[a];
      rhs[t] = s;
    }
    // Which working rows are independent over the free set (from A_F·A_Fᵀ, not the H-weighted Schur complement,
    // which a near-singular H_FF makes look rank-deficient). Also gives least-squares multipliers.
    const indep = new Uint8Array(r);
    const Lm = rowGram(AF, k, indep);
    // Least-squares multipliers from stationarity on F, g_F + A_Fᵀλ = 0: exact at a stationary point and
    // independent of H.
    const lsLam = new Float64Array(r);
    for (let t = 0; t < r; t++) {
      let s = 0;
      for (let a = 0; a < k; a++) s -= AF[t][a] * g[free[a]];
      lsLam[t] = s;
    }
    solveRowGram(Lm, indep, lsLam);
    const Ls = new Float64Array(r * r);
    for (let t = 0; t < r; t++) {
      if (!indep[t]) continue;
      for (let v = 0; v <= t; v++) {
        if (!indep[v]) continue;
        let s = S[t * r + v];
        for (let q = 0; q < v; q++) if (indep[q]) s -= Ls[t * r + q] * Ls[v * r + q];
        if (v === t) Ls[t * r + t] = Math.sqrt(Math.max(s, 1e-300));
        else Ls[t * r + v] = s / Ls[v * r + v];
      }
    }
    // Rows dependent on the others over the free set stay in the working set with multiplier 0: the step keeps
    // them satisfied automatically, and they become independent again when more variables are freed.
    const lam = new Float64Array(r);
    for (let t = 0; t < r; t++) {
      if (!indep[t]) continue;
      let s = rhs[t];
      for (let q = 0; q < t; q++) if (indep[q]) s -= Ls[t * r + q] * lam[q];
      lam[t] = s / Ls[t * r + t];
    }
    for (let t = r - 1; t >= 0; t--) {
      if (!indep[t]) continue;
      let s = lam[t];
      for (let q = t + 1; q < r; q++) if (indep[q]) s -= Ls[q * r + t] * lam[q];
      lam[t] = s / Ls[t * r + t];
    }
    // p_F = −L⁻ᵀ (u + Σ λ_t Z_t)
    for (let a = 0; a < k; a++) {
      let s = u[a];
      for (let t = 0; t < r; t++) if (indep[t]) s += lam[t] * Z[t][a];
      pF[a] = -s;
    }
    solveLt(pF);
    // Project onto A_F·p = 0 in the well-conditioned row geometry: with a near-singular H_FF the range-space
    // step satisfies the working rows only to cond(H)·ε, which would let equalities drift.
    if (r > 0) {
      const y = new Float64Array(r);
      for (let t = 0; t < r; t++) {
        let s = 0;
        for (let a = 0; a < k; a++) s += AF[t][a] * pF[a];
        y[t] = s;
      }
      solveRowGram(Lm, indep, y);
      for (let t = 0; t < r; t++) {
        if (!indep[t] || y[t] === 0) continue;
        for (let a = 0; a < k; a++) pF[a] -= y[t] * AF[t][a];
      }
    }
    let pMax = 0, xMax = 1, gp = 0, pHp = 0;
    for (let a = 0; a < k; a++) {
      pMax = Math.max(pMax, Math.abs(pF[a]));
      xMax = Math.max(xMax, Math.abs(x[free[a]]));
      gp += g[free[a]] * pF[a];
    }
    for (let a = 0; a < k; a++) {
      const ra = free[a] * n;
      let s = 0;
      for (let q = 0; q < k; q++) s += H[ra + free[q]] * pF[q];
      pHp += pF[a] * (hs * s + hd * pF[a]);
    }
    const predictedDecrease = -(gp + 0.5 * pHp);
    const gMax = maxAbs(g, n);
    let rank = 0;
    for (let t = 0; t < r; t++) rank += indep[t];
    // With as many independent working rows as free variables the step is 0 by construction (any residual is
    // rounding noise).
    // An ill-conditioned H_FF turns rounding into steps that predict no (or a negative) decrease: stationary too.
    const stationary = rank >= k || pMax <= 1e-12 * xMax || predictedDecrease <= 1e-20 * (1 + gMax) * xMax ||
      (regularized && predictedDecrease <= 1e-18 * (1 + gMax) * xMax) || (afterFullStep && pMax <= 1e-9 * xMax);
    afterFullStep = false;


    // A step judged to be rounding noise while the free-set stationarity residual r = g_F + A_Fᵀλ is not small
    // means H_FF is too ill-conditioned for the range-space step: take an exact line-search step along −r
    // instead (r ⊥ working rows, so the step keeps them satisfied).
    let gradientStep = false;
    if (stationary && rank < k && !cycling) {
      let rMax = 0;
      for (let a = 0; a < k; a++) {
        let s = g[free[a]];
        for (let t = 0; t < r; t++) if (indep[t]) s += lsLam[t] * AF[t][a];
        pF[a] = -s;
        rMax = Math.max(rMax, Math.abs(s));
      }
      if (rMax > 1e-10 * (1 + gMax)) {
        let rr = 0, rHr = 0;
        for (let a = 0; a < k; a++) {
          rr += pF[a] * pF[a];
          const ra = free[a] * n;
          let s = 0;
          for (let q = 0; q < k; q++) s += H[ra + free[q]] * pF[q];
          rHr += pF[a] * (hs * s + hd * pF[a]);
        }
        const t = rHr > 0 ? rr / rHr : 1e6;
        for (let a = 0; a < k; a++) pF[a] *= t;
        pMax = 0;
        for (let a = 0; a < k; a++) pMax = Math.max(pMax, Math.abs(pF[a]));
        gradientStep = true;
      }
    }
    if (stationary && !gradientStep) {
      // Multipliers from stationarity on the free set, g_F + A_Fᵀλ = 0, in the least-squares sense: exact at a
      // stationary point and independent of H (whose free block may be near-singular).
      lam.set(lsLam);
      lambda.fill(0);
      for (let t = 0; t < r; t++) lambda[rows[t]] = indep[t] ? lam[t] : 0;
      // Most violated multiplier: a fixed variable whose reduced gradient points inside, or an active
      // inequality with a negative multiplier.
      const tolD = 1e-11 * (1 + gMax);
      let release = mostViolatedBound(prob, A, C, me, g, state, rows, indep, lam, tolD);
      let worst = release >= 0 ? boundViolation(prob, A, C, me, g, state, rows, indep, lam, release) : tolD;
      let releaseRow = -1;
      for (let t = 0; t < r; t++) {
        const q = rows[t];
        if (q < me || !indep[t]) continue;
        const viol = -lam[t] * rowNorm[q];
        if (viol > worst) { worst = viol; releaseRow = q - me; release = -1; }
      }
      if (release >= 0) {
        if (++releases[release] > 3) cycling = true;
        addFree(release);
        continue;
      }
      if (releaseRow >= 0) { active[releaseRow] = 0; continue; }
      return finish(prob, x, g, lambda, state, me, mi, iterations, A, C);
    }

    // Ratio test along p.
    let alpha = 1, blockVar = -1, blockRow = -1;
    const tiny = 1e-12 * pMax;
    for (let a = 0; a < k; a++) {
      const j = free[a], pj = pF[a];
      if (pj < -tiny && lower[j] > -Infinity) {
        const s = (lower[j] - x[j]) / pj;
        if (s < alpha) { alpha = s; blockVar = a; blockRow = -1; }
      } else if (pj > tiny && upper[j] < Infinity) {
        const s = (upper[j] - x[j]) / pj;
        if (s < alpha) { alpha = s; blockVar = a; blockRow = -1; }
      }
    }
    const cp = new Float64Array(mi);
    for (let i = 0; i < mi; i++) {
      const o = i * n;
      let s = 0;
      for (let a = 0; a < k; a++) s += C[o + free[a]] * pF[a];
      cp[i] = s;
      if (!active[i] && s > 1e-12 * pMax * rowNorm[me + i]) {
        const st = slack[i] / s;
        if (st < alpha) { alpha = st; blockRow = i; blockVar = -1; }
      }
    }
    if (alpha < 0) alpha = 0;
    p.fill(0);
    for (let a = 0; a < k; a++) {
      p[free[a]] = pF[a];
      x[free[a]] += alpha * pF[a];
    }
    updateGradient(H, n, free, k, pF, p, alpha, hs, hd, g);
    for (let i = 0; i < mi; i++) slack[i] = active[i] ? 0 : Math.max(0, slack[i] - alpha * cp[i]);
    afterFullStep = !gradientStep && blockVar < 0 && blockRow < 0 && alpha === 1;
    if (blockVar >= 0) {
      const j = free[blockVar];
      const toLower = pF[blockVar] < 0;
      x[j] = toLower ? lower[j] : upper[j];
      removeFree(blockVar);
      state[j] = toLower ? AT_LOWER : AT_UPPER;
    } else if (blockRow >= 0) {
      active[blockRow] = 1;
      slack[blockRow] = 0;
    }
  }
}

function finish(
  prob: QpProblem, x: Float64Array, g: Float64Array, lambda: Float64Array, state: Int8Array,
  me: number, mi: number, iterations: number, A: Float64Array, C: Float64Array,
): QpSolution {
  const { n, H, c } = prob;
  const hs = prob.hessianScale ?? 1;
  const hd = prob.hessianShift ?? 0;
  // Recompute the gradient from scratch for the reported multipliers and objective.
  let objective = 0;
  const Hx = new Float64Array(n);
  hessianTimes(H, n, x, Hx);
  for (let i = 0; i < n; i++) {
    const hx = hs * Hx[i] + hd * x[i];
    g[i] = c[i] + hx;
    objective += x[i] * (0.5 * hx + c[i]);
  }
  const eqMultipliers = lambda.slice(0, me);
  const ineqMultipliers = lambda.slice(me, me + mi).map((v) => Math.max(0, v));
  const lowerMultipliers = new Float64Array(n);
  const upperMultipliers = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    if (state[j] === FREE) continue;
    let z = g[j];
    for (let q = 0; q < me; q++) z += eqMultipliers[q] * A[q * n + j];
    for (let i = 0; i < mi; i++) z += ineqMultipliers[i] * C[i * n + j];
    if (prob.lower[j] === prob.upper[j]) {
      if (z >= 0) lowerMultipliers[j] = z; else upperMultipliers[j] = -z;
    } else if (state[j] === AT_LOWER) lowerMultipliers[j] = Math.max(0, z);
    else upperMultipliers[j] = Math.max(0, -z);
  }
  return { x, objective, eqMultipliers, ineqMultipliers, lowerMultipliers, upperMultipliers, iterations };
}

/**
 * Cholesky factor of the Gram matrix A_F·A_Fᵀ of the working rows over the free set, skipping rows that depend on
 * earlier ones (indep[t] = 0). Well conditioned whatever H is.
 */
function rowGram(AF: Float64Array[], k: number, indep: Uint8Array): Float64Array {
  const r = AF.length;
  const M = new Float64Array(r * r);
  for (let t = 0; t < r; t++) {
    const at = AF[t];
    for (let v = 0; v <= t; v++) {
      const av = AF[v];
      let s = 0;
      for (let a = 0; a < k; a++) s += at[a] * av[a];
      M[t * r + v] = s;
    }
  }
  const Lm = new Float64Array(r * r);
  for (let t = 0; t < r; t++) {
    indep[t] = 0;
    const orig = M[t * r + t];
    for (let v = 0; v <= t; v++) {
      if (v < t && !indep[v]) continue;
      let s = M[t * r + v];
      for (let q = 0; q < v; q++) if (indep[q]) s -= Lm[t * r + q] * Lm[v * r + q];
      if (v === t) {
        if (orig > 0 && s > 1e-10 * orig) { indep[t] = 1; Lm[t * r + t] = Math.sqrt(s); }
      } else {
        Lm[t * r + v] = s / Lm[v * r + v];
      }
    }
  }
  return Lm;
}

/** Solve (A_F·A_Fᵀ)·y = rhs over the independent rows (others get 0), in place. */
function solveRowGram(Lm: Float64Array, indep: Uint8Array, y: Float64Array): void {
  const r = indep.length;
  for (let t = 0; t < r; t++) {
    if (!indep[t]) { y[t] = 0; continue; }
    let s = y[t];
    for (let q = 0; q < t; q++) if (indep[q]) s -= Lm[t * r + q] * y[q];
    y[t] = s / Lm[t * r + t];
  }
  for (let t = r - 1; t >= 0; t--) {
    if (!indep[t]) continue;
    let s = y[t];
    for (let q = t + 1; q < r; q++) if (indep[q]) s -= Lm[q * r + t] * y[q];
    y[t] = s / Lm[t * r + t];
  }
}

/** out = H·x, skipping zero entries of x (portfolios hold few of many assets). */
function hessianTimes(H: Float64Array, n: number, x: Float64Array, out: Float64Array): void {
  const nz: number[] = [];
  for (let j = 0; j < n; j++) if (x[j] !== 0) nz.push(j);
  const m = nz.length;
  for (let i = 0; i < n; i++) {
    const o = i * n;
    let s = 0;
    for (let q = 0; q < m; q++) s += H[o + nz[q]] * x[nz[q]];
    out[i] = s;
  }
}

// The O(n·k) and O(n·r) loops of an iteration live in small functions of their own: the optimizing compiler
// handles them within milliseconds, whereas solveQpOnce as a whole takes it long enough that a cold solve would
// otherwise run these loops unoptimized (the first frontier in a fresh worker).

function maxAbs(v: Float64Array, n: number): number {
  let m = 0;
  for (let j = 0; j < n; j++) m = Math.max(m, Math.abs(v[j]));
  return m;
}

/** g += α·(hs·H[:, F]·p_F + hd·p), over all n rows (the gradient after a step of length α). */
function updateGradient(
  H: Float64Array, n: number, free: Int32Array, k: number, pF: Float64Array, p: Float64Array,
  alpha: number, hs: number, hd: number, g: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const o = i * n;
    let s = 0;
    for (let a = 0; a < k; a++) s += H[o + free[a]] * pF[a];
    g[i] += alpha * (hs * s + hd * p[i]);
  }
}

/** How far fixed variable j's reduced gradient g_j + Σ λ_t·a_tj points into the feasible region (> 0: release). */
function boundViolation(
  prob: QpProblem, A: Float64Array, C: Float64Array, me: number, g: Float64Array, state: Int8Array,
  rows: number[], indep: Uint8Array, lam: Float64Array, j: number,
): number {
  const n = prob.n;
  let z = g[j];
  for (let t = 0; t < rows.length; t++) {
    if (!indep[t]) continue;
    const q = rows[t];
    z += lam[t] * (q < me ? A[q * n + j] : C[(q - me) * n + j]);
  }
  return state[j] === AT_LOWER ? -z : z;
}

/** The fixed (non-equal-bound) variable with the largest violation above `tol`, or −1. */
function mostViolatedBound(
  prob: QpProblem, A: Float64Array, C: Float64Array, me: number, g: Float64Array, state: Int8Array,
  rows: number[], indep: Uint8Array, lam: Float64Array, tol: number,
): number {
  const { n, lower, upper } = prob;
  let worst = tol, release = -1;
  for (let j = 0; j < n; j++) {
    if (state[j] === FREE || lower[j] === upper[j]) continue;
    const viol = boundViolation(prob, A, C, me, g, state, rows, indep, lam, j);
    if (viol > worst) { worst = viol; release = j; }
  }
  return release;
}
