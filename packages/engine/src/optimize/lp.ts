// Linear programming by the bounded-variable primal simplex method (revised form, dense basis inverse).
//
//   minimize cᵀx   subject to   A·x = b,   C·x ≤ d,   lower ≤ x ≤ upper   (infinite bounds allowed)
//
// Phase 1 minimizes the sum of artificial variables to find a feasible vertex (the start point of the QP
// solver); phase 2 optimizes cᵀx (the maximum achievable portfolio return). Portfolio problems have few rows
// (the budget, a target, group caps), so a pivot costs O(rows·n). Dantzig pricing with a switch to Bland's rule
// after a run of degenerate pivots rules out cycling.
// Units: whatever the caller's problem uses.
import { InfeasibleError, SolverError, UnboundedError } from './errors.ts';

/** The feasible set of the LP and QP solvers: lower ≤ x ≤ upper, A·x = b (me×n row-major), C·x ≤ d (mi×n). */
export interface LinearConstraints {
  n: number;
  lower: Float64Array;
  upper: Float64Array;
  A?: Float64Array;
  b?: Float64Array;
  C?: Float64Array;
  d?: Float64Array;
}

export interface LpProblem extends LinearConstraints {
  c?: Float64Array;
}

export interface LpSolution {
  x: Float64Array;
  objective: number;
  iterations: number;
}

const AT_LOWER = 0, AT_UPPER = 1, FREE_ZERO = 2, BASIC = 3;

/** Feasible point only (phase 1) when `prob.c` is absent; otherwise an optimal vertex. */
export function solveLp(prob: LpProblem): LpSolution {
  const { n, lower, upper } = prob;
  const A = prob.A ?? new Float64Array(0);
  const b = prob.b ?? new Float64Array(0);
  const C = prob.C ?? new Float64Array(0);
  const d = prob.d ?? new Float64Array(0);
  const me = b.length, mi = d.length, m = me + mi;
  const nv = n + mi + m; // structural, slacks, artificials
  const lo = new Float64Array(nv), hi = new Float64Array(nv);
  for (let j = 0; j < n; j++) {
    if (lower[j] > upper[j]) throw new InfeasibleError(`variable ${j} has lower bound ${lower[j]} above its upper bound ${upper[j]}`);
    lo[j] = lower[j];
    hi[j] = upper[j];
  }
  for (let j = n; j < nv; j++) { lo[j] = 0; hi[j] = Infinity; }
  const artSign = new Float64Array(m);
  // Column q of variable j, row r.
  const entry = (j: number, r: number): number => {
    if (j < n) return r < me ? A[r * n + j] : C[(r - me) * n + j];
    if (j < n + mi) return r === me + (j - n) ? 1 : 0;
    return r === j - n - mi ? artSign[r] : 0;
  };
  const column = (j: number, out: Float64Array): void => {
    if (j < n) {
      for (let r = 0; r < me; r++) out[r] = A[r * n + j];
      for (let r = me; r < m; r++) out[r] = C[(r - me) * n + j];
    } else {
      out.fill(0);
      if (j < n + mi) out[me + j - n] = 1;
      else out[j - n - mi] = artSign[j - n - mi];
    }
  };

  const x = new Float64Array(nv);
  const status = new Uint8Array(nv);
  for (let j = 0; j < n; j++) {
    if (lo[j] > -Infinity) { x[j] = lo[j]; status[j] = AT_LOWER; }
    else if (hi[j] < Infinity) { x[j] = hi[j]; status[j] = AT_UPPER; }
    else { x[j] = 0; status[j] = FREE_ZERO; }
  }
  const basis = new Int32Array(m);
  const Binv = new Float64Array(m * m);
  for (let r = 0; r < m; r++) {
    const rhs = r < me ? b[r] : d[r - me];
    let resid = rhs;
    for (let j = 0; j < n; j++) if (x[j] !== 0) resid -= entry(j, r) * x[j];
    if (r >= me && resid >= 0) {
      const s = n + (r - me);
      basis[r] = s;
      x[s] = resid;
      status[s] = BASIC;
      const a = n + mi + r;
      artSign[r] = 1;
      hi[a] = 0; // unused artificial
      status[a] = AT_LOWER;
      Binv[r * m + r] = 1;
    } else {
      if (r >= me) status[n + (r - me)] = AT_LOWER;
      artSign[r] = resid >= 0 ? 1 : -1;
      const a = n + mi + r;
      basis[r] = a;
      x[a] = Math.abs(resid);
      status[a] = BASIC;
      Binv[r * m + r] = artSign[r];
    }
  }

  let scaleB = 1;
  for (let r = 0; r < me; r++) scaleB = Math.max(scaleB, Math.abs(b[r]));
  for (let r = 0; r < mi; r++) scaleB = Math.max(scaleB, Math.abs(d[r]));

  const w = new Float64Array(m);
  const col = new Float64Array(m);
  const pi = new Float64Array(m);
  let iterations = 0;
  const maxIter = 50 * (nv + m) + 1000;

  const recomputeBasics = (): void => {
    const rhs = new Float64Array(m);
    for (let r = 0; r < m; r++) rhs[r] = r < me ? b[r] : d[r - me];
    for (let j = 0; j < nv; j++) {
      if (status[j] === BASIC || x[j] === 0) continue;
      column(j, col);
      for (let r = 0; r < m; r++) rhs[r] -= col[r] * x[j];
    }
    for (let r = 0; r < m; r++) {
      let s = 0;
      for (let q = 0; q < m; q++) s += Binv[r * m + q] * rhs[q];
      x[basis[r]] = s;
    }
  };

  const run = (cost: Float64Array, phase: 1 | 2): void => {
    let cMax = 1;
    for (let j = 0; j < nv; j++) cMax = Math.max(cMax, Math.abs(cost[j]));
    const tolD = 1e-12 * cMax;
    let degenerateRun = 0;
    for (;;) {
      if (++iterations > maxIter) throw new SolverError(`simplex did not converge in ${maxIter} iterations`);
      if (iterations % 64 === 0) recomputeBasics();
      for (let q = 0; q < m; q++) {
        let s = 0;
        for (let r = 0; r < m; r++) s += cost[basis[r]] * Binv[r * m + q];
        pi[q] = s;
      }
      const bland = degenerateRun > 50;
      let enter = -1, enterDir = 0, best = 0;
      for (let j = 0; j < nv; j++) {
        const st = status[j];
        if (st === BASIC || lo[j] === hi[j]) continue;
        let dj = cost[j];
        if (j < n) {
          for (let r = 0; r < me; r++) dj -= pi[r] * A[r * n + j];
          for (let r = me; r < m; r++) dj -= pi[r] * C[(r - me) * n + j];
        } else if (j < n + mi) dj -= pi[me + j - n];
        else dj -= pi[j - n - mi] * artSign[j - n - mi];
        let dir = 0;
        if (dj < -tolD && (st === AT_LOWER || st === FREE_ZERO)) dir = 1;
        else if (dj > tolD && (st === AT_UPPER || st === FREE_ZERO)) dir = -1;
        if (dir === 0) continue;
        if (bland) { enter = j; enterDir = dir; break; }
        if (Math.abs(dj) > best) { best = Math.abs(dj); enter = j; enterDir = dir; }
      }
      if (enter < 0) return;
      column(enter, col);
      for (let r = 0; r < m; r++) {
        let s = 0;
        for (let q = 0; q < m; q++) s += Binv[r * m + q] * col[q];
        w[r] = s;
      }
      // Basic r moves at rate −dir·w_r per unit of θ.
      let theta = hi[enter] - lo[enter];
      let leave = -1;
      let bestPivot = 0;
      for (let r = 0; r < m; r++) {
        const rate = -enterDir * w[r];
        if (Math.abs(w[r]) <= 1e-11) continue;
        const bv = basis[r];
        let t: number;
        if (rate < 0) t = (x[bv] - lo[bv]) / -rate;
        else t = (hi[bv] - x[bv]) / rate;
        if (t < 0) t = 0;
        if (t < theta - 1e-15 || (t <= theta + 1e-15 && leave >= 0 && Math.abs(w[r]) > bestPivot)) {
          theta = t;
          leave = r;
          bestPivot = Math.abs(w[r]);
        }
      }
      if (theta === Infinity) {
        if (phase === 1) throw new SolverError('phase 1 of the simplex method is unbounded');
        throw new UnboundedError('the objective is unbounded over the constraints (are some weights unbounded?)');
      }
      degenerateRun = theta <= 1e-14 ? degenerateRun + 1 : 0;
      x[enter] += enterDir * theta;
      for (let r = 0; r < m; r++) x[basis[r]] -= enterDir * theta * w[r];
      if (leave < 0) {
        // Bound flip of the entering variable.
        status[enter] = enterDir > 0 ? AT_UPPER : AT_LOWER;
        x[enter] = enterDir > 0 ? hi[enter] : lo[enter];
        continue;
      }
      const out = basis[leave];
      const rate = -enterDir * w[leave];
      status[out] = rate < 0 ? AT_LOWER : AT_UPPER;
      x[out] = rate < 0 ? lo[out] : hi[out];
      if (!Number.isFinite(x[out])) { x[out] = 0; status[out] = FREE_ZERO; }
      basis[leave] = enter;
      status[enter] = BASIC;
      const piv = w[leave];
      for (let q = 0; q < m; q++) Binv[leave * m + q] /= piv;
      for (let r = 0; r < m; r++) {
        if (r === leave || w[r] === 0) continue;
        const f = w[r];
        for (let q = 0; q < m; q++) Binv[r * m + q] -= f * Binv[leave * m + q];
      }
    }
  };

  // Phase 1.
  const cost1 = new Float64Array(nv);
  let needPhase1 = false;
  for (let r = 0; r < m; r++) if (status[n + mi + r] === BASIC) { cost1[n + mi + r] = 1; needPhase1 = true; }
  if (needPhase1) {
    for (let r = 0; r < m; r++) cost1[n + mi + r] = 1;
    run(cost1, 1);
    recomputeBasics();
    let infeas = 0;
    for (let r = 0; r < m; r++) infeas += Math.abs(x[n + mi + r]);
    if (infeas > 1e-9 * scaleB) throw new InfeasibleError('no portfolio satisfies all the constraints (bounds, budget, group limits)');
  }
  for (let r = 0; r < m; r++) { hi[n + mi + r] = 0; lo[n + mi + r] = 0; }
  if (prob.c) {
    const cost2 = new Float64Array(nv);
    for (let j = 0; j < n; j++) cost2[j] = prob.c[j];
    run(cost2, 2);
    recomputeBasics();
  }
  const xs = new Float64Array(n);
  let objective = 0;
  for (let j = 0; j < n; j++) {
    xs[j] = Math.min(upper[j], Math.max(lower[j], x[j]));
    if (prob.c) objective += prob.c[j] * xs[j];
  }
  return { x: xs, objective, iterations };
}
