// Mean-variance portfolio optimization (PyPortfolioOpt `EfficientFrontier` objectives) on our QP/LP solvers.
// Units: weights are fractions of the portfolio summing to 1; mu is annual expected return per asset (fraction);
// cov is the annualized covariance (n×n row-major); volatility is annual standard deviation; rates are annual.
// Objectives use PyPortfolioOpt's exact formulations so results agree with it:
//   min-volatility          min wᵀΣw + γ‖w‖²
//   max-quadratic-utility   max wᵀμ − (δ/2)·wᵀΣw − γ‖w‖²
//   efficient-return        min wᵀΣw + γ‖w‖²  s.t. wᵀμ ≥ target        (target above the maximum → InfeasibleError)
//   efficient-risk          max wᵀμ − γ‖w‖²   s.t. wᵀΣw ≤ target²      (target below the minimum → InfeasibleError)
//   max-sharpe              min yᵀΣy + γ‖y‖²  s.t. (μ − rf)ᵀy = 1, constraints scaled by k = 1ᵀy;  w = y / k
// always with Σw = 1, per-asset bounds and group (asset-class/sector) limits.
import { InfeasibleError, OptimizeInputError, UnboundedError } from './errors.ts';
import { solveLp } from './lp.ts';
import { cleanWeights, portfolioPerformance, portfolioVariance, type CleanOptions } from './performance.ts';
import { solveQp, type QpProblem } from './qp.ts';

export interface PortfolioInputs {
  symbols: string[];
  /** Annual expected returns, in the order of `symbols`. */
  mu: ArrayLike<number>;
  /** Annualized covariance, n×n row-major (or rows). */
  cov: ArrayLike<number> | number[][];
}

export interface GroupLimit {
  /** E.g. an asset class or sector name (for messages). */
  name: string;
  symbols: string[];
  min?: number;
  max?: number;
}

export type WeightBound = number | ArrayLike<number> | Record<string, number>;

export interface ConstraintOptions {
  /** Per-asset minimum weight (one number, one per asset, or by symbol; default 0, −Infinity allows any short). */
  minWeight?: WeightBound;
  /** Per-asset maximum weight (default 1). */
  maxWeight?: WeightBound;
  /** Linear caps on groups of assets, e.g. { name: 'tech', symbols: [...], max: 0.2 }. */
  groups?: GroupLimit[];
  /** L2 regularization γ (pulls weights towards equal); default 0. */
  gamma?: number;
}

export type Objective = 'min-volatility' | 'max-sharpe' | 'efficient-return' | 'efficient-risk' | 'max-quadratic-utility';
export const OBJECTIVES: readonly Objective[] = ['min-volatility', 'max-sharpe', 'efficient-return', 'efficient-risk', 'max-quadratic-utility'];

export interface OptimizeOptions extends ConstraintOptions, CleanOptions {
  objective: Objective;
  /** Annual return for efficient-return. */
  targetReturn?: number;
  /** Annual volatility for efficient-risk. */
  targetVolatility?: number;
  /** δ for max-quadratic-utility; default 1. */
  riskAversion?: number;
  /** Annual risk-free rate for max-sharpe and the reported Sharpe ratio; default 0.02. */
  riskFreeRate?: number;
}

export interface PortfolioResult {
  /** Cleaned weights by symbol (|w| < cutoff → 0, rounded). */
  weights: Record<string, number>;
  /** Solver weights, in the order of `symbols` (performance figures are computed from these). */
  rawWeights: Float64Array;
  expectedReturn: number;
  volatility: number;
  sharpe: number;
}

/** A validated problem: flat arrays, bounds and group rows in weight space. */
export interface PreparedPortfolio {
  n: number;
  symbols: string[];
  mu: Float64Array;
  cov: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  /** Group rows as C·w ≤ d. */
  C: Float64Array;
  d: Float64Array;
  gamma: number;
  /** Max-return portfolio (an LP vertex), computed on demand. */
  maxReturn?: { w: Float64Array; ret: number };
  /** Some feasible portfolio (LP phase 1), computed on demand. */
  feasible?: Float64Array;
}

function boundArray(b: WeightBound | undefined, fallback: number, symbols: string[], what: string): Float64Array {
  const n = symbols.length;
  const out = new Float64Array(n).fill(fallback);
  if (b === undefined) return out;
  if (typeof b === 'number') return out.fill(b);
  if (typeof (b as ArrayLike<number>).length === 'number') {
    const a = b as ArrayLike<number>;
    if (a.length !== n) throw new OptimizeInputError(`${what} has ${a.length} entries for ${n} assets`);
    for (let i = 0; i < n; i++) out[i] = a[i];
    return out;
  }
  const rec = b as Record<string, number>;
  const index = new Map(symbols.map((s, i) => [s, i]));
  for (const [s, v] of Object.entries(rec)) {
    const i = index.get(s);
    if (i === undefined) throw new OptimizeInputError(`${what}: unknown symbol ${s}`);
    out[i] = v;
  }
  return out;
}

export function preparePortfolio(inputs: PortfolioInputs, opts: ConstraintOptions = {}): PreparedPortfolio {
  const symbols = inputs.symbols;
  const n = symbols.length;
  if (n === 0) throw new OptimizeInputError('no assets to optimize');
  if (new Set(symbols).size !== n) throw new OptimizeInputError('duplicate symbols');
  if (inputs.mu.length !== n) throw new OptimizeInputError(`expected returns have ${inputs.mu.length} entries for ${n} assets`);
  const mu = Float64Array.from(inputs.mu as ArrayLike<number>);
  let cov: Float64Array;
  if (Array.isArray(inputs.cov) && Array.isArray(inputs.cov[0])) {
    const rows = inputs.cov as number[][];
    if (rows.length !== n || rows.some((r) => r.length !== n)) throw new OptimizeInputError(`covariance must be ${n}×${n}`);
    cov = Float64Array.from(rows.flat());
  } else {
    cov = inputs.cov instanceof Float64Array ? inputs.cov.slice() : Float64Array.from(inputs.cov as ArrayLike<number>);
    if (cov.length !== n * n) throw new OptimizeInputError(`covariance has ${cov.length} entries, expected ${n}×${n}`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(mu[i])) throw new OptimizeInputError(`expected return of ${symbols[i]} is not a number`);
    for (let j = 0; j < n; j++) {
      const v = cov[i * n + j];
      if (!Number.isFinite(v)) throw new OptimizeInputError(`covariance of ${symbols[i]} and ${symbols[j]} is not a number`);
      if (Math.abs(v - cov[j * n + i]) > 1e-12 * (Math.abs(v) + 1e-300) + 1e-18) {
        throw new OptimizeInputError(`covariance is not symmetric at ${symbols[i]}/${symbols[j]}`);
      }
    }
  }
  const lower = boundArray(opts.minWeight, 0, symbols, 'minimum weight');
  const upper = boundArray(opts.maxWeight, 1, symbols, 'maximum weight');
  let sumLo = 0, sumHi = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(lower[i]) || Number.isNaN(upper[i])) throw new OptimizeInputError(`weight bounds of ${symbols[i]} are not numbers`);
    if (lower[i] > upper[i]) throw new InfeasibleError(`minimum weight ${lower[i]} of ${symbols[i]} is above its maximum ${upper[i]}`);
    sumLo += lower[i];
    sumHi += upper[i];
  }
  if (sumLo > 1 + 1e-12) throw new InfeasibleError(`minimum weights sum to ${round6(sumLo)}, more than 100%`);
  if (sumHi < 1 - 1e-12) throw new InfeasibleError(`maximum weights sum to ${round6(sumHi)}, less than 100%`);
  const index = new Map(symbols.map((s, i) => [s, i]));
  const rows: number[][] = [];
  const rhs: number[] = [];
  for (const g of opts.groups ?? []) {
    const row = new Array<number>(n).fill(0);
    for (const s of g.symbols) {
      const i = index.get(s);
      if (i === undefined) throw new OptimizeInputError(`group ${g.name}: unknown symbol ${s}`);
      row[i] = 1;
    }
    if (g.max !== undefined && g.min !== undefined && g.min > g.max) {
      throw new InfeasibleError(`group ${g.name}: minimum ${g.min} is above its maximum ${g.max}`);
    }
    if (g.max !== undefined && Number.isFinite(g.max)) { rows.push(row); rhs.push(g.max); }
    if (g.min !== undefined && Number.isFinite(g.min)) { rows.push(row.map((v) => -v)); rhs.push(-g.min); }
  }
  const gamma = opts.gamma ?? 0;
  if (!(gamma >= 0)) throw new OptimizeInputError(`L2 regularization gamma must be ≥ 0, got ${gamma}`);
  return { n, symbols, mu, cov, lower, upper, C: Float64Array.from(rows.flat()), d: Float64Array.from(rhs), gamma };
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

const ONE = (n: number): Float64Array => new Float64Array(n).fill(1);

/** The Hessian a·Σ + b·I, passed to the QP as a scaled view of Σ (no n×n copy per solve). */
const hessian = (p: PreparedPortfolio, a: number, b: number): Pick<QpProblem, 'H' | 'hessianScale' | 'hessianShift'> =>
  ({ H: p.cov, hessianScale: a, hessianShift: b });

function weightProblem(
  p: PreparedPortfolio, H: Pick<QpProblem, 'H' | 'hessianScale' | 'hessianShift'>, c: Float64Array,
  extraRow?: { row: Float64Array; rhs: number },
): QpProblem {
  const { n } = p;
  let C = p.C, d = p.d;
  if (extraRow) {
    C = new Float64Array(p.C.length + n);
    C.set(p.C);
    C.set(extraRow.row, p.C.length);
    d = Float64Array.of(...p.d, extraRow.rhs);
  }
  return { n, ...H, c, lower: p.lower, upper: p.upper, A: ONE(n), b: Float64Array.of(1), C, d };
}

/** The maximum-return portfolio (LP); cached on the prepared problem. */
export function maxReturnPortfolio(p: PreparedPortfolio): { w: Float64Array; ret: number } {
  if (p.maxReturn) return p.maxReturn;
  const c = p.mu.map((v) => -v);
  const lp = solveLp({ n: p.n, c, lower: p.lower, upper: p.upper, A: ONE(p.n), b: Float64Array.of(1), C: p.C, d: p.d });
  let ret = 0;
  for (let i = 0; i < p.n; i++) ret += lp.x[i] * p.mu[i];
  p.maxReturn = { w: lp.x, ret };
  return p.maxReturn;
}

/** A feasible portfolio (vertex from LP phase 1); cached. */
export function feasiblePortfolio(p: PreparedPortfolio): Float64Array {
  if (p.maxReturn) return p.maxReturn.w;
  p.feasible ??= solveLp({ n: p.n, lower: p.lower, upper: p.upper, A: ONE(p.n), b: Float64Array.of(1), C: p.C, d: p.d }).x;
  return p.feasible;
}

/**
 * A feasible portfolio with return ≥ `target`: the max-return vertex, or when the return is unbounded (unlimited
 * short positions) the max-return vertex with weights boxed to ±B for growing B.
 */
function highReturnPortfolio(p: PreparedPortfolio, target: number): { w: Float64Array; ret: number } {
  try {
    return maxReturnPortfolio(p);
  } catch (e) {
    if (!(e instanceof UnboundedError)) throw e;
  }
  const c = p.mu.map((v) => -v);
  for (let B = 10; B <= 1e12; B *= 10) {
    const lower = p.lower.map((l) => Math.max(l, -B));
    const upper = p.upper.map((u) => Math.min(u, B));
    const lp = solveLp({ n: p.n, c, lower, upper, A: ONE(p.n), b: Float64Array.of(1), C: p.C, d: p.d });
    let ret = 0;
    for (let i = 0; i < p.n; i++) ret += lp.x[i] * p.mu[i];
    if (ret > target) return { w: lp.x, ret };
  }
  throw new InfeasibleError(`no portfolio reaches the return ${target}`);
}

export function minVolatilityWeights(p: PreparedPortfolio, start?: Float64Array): Float64Array {
  const H = hessian(p, 2, 2 * p.gamma);
  return solveQp(weightProblem(p, H, new Float64Array(p.n)), start ?? feasiblePortfolio(p)).x;
}

export function maxQuadraticUtilityWeights(p: PreparedPortfolio, riskAversion: number): Float64Array {
  if (!(riskAversion > 0)) throw new OptimizeInputError(`risk aversion must be greater than 0, got ${riskAversion}`);
  const H = hessian(p, riskAversion, 2 * p.gamma);
  const c = p.mu.map((v) => -v);
  return solveQp(weightProblem(p, H, c), feasiblePortfolio(p)).x;
}

export function efficientReturnWeights(p: PreparedPortfolio, targetReturn: number, start?: Float64Array): Float64Array {
  if (!Number.isFinite(targetReturn)) throw new OptimizeInputError('efficient-return needs a numeric target return');
  const best = highReturnPortfolio(p, targetReturn);
  if (p.maxReturn && targetReturn > best.ret + 1e-12 * Math.max(1, Math.abs(best.ret))) {
    throw new InfeasibleError(
      `target return ${targetReturn} is above the maximum achievable return ${round6(best.ret)} under these constraints`,
    );
  }
  const H = hessian(p, 2, 2 * p.gamma);
  const row = p.mu.map((v) => -v);
  const rhs = -(p.maxReturn ? Math.min(targetReturn, best.ret) : targetReturn);
  return solveQp(weightProblem(p, H, new Float64Array(p.n), { row, rhs }), start ?? best.w).x;
}

export function efficientRiskWeights(p: PreparedPortfolio, targetVolatility: number): Float64Array {
  if (!(targetVolatility >= 0) || !Number.isFinite(targetVolatility)) {
    throw new OptimizeInputError(`target volatility must be a non-negative number, got ${targetVolatility}`);
  }
  const { n, mu, cov, gamma } = p;
  const target2 = targetVolatility * targetVolatility;
  // Lowest achievable volatility (pure variance, the L2 term does not count as risk).
  const minVar = solveQp(weightProblem(p, hessian(p, 2, 0), new Float64Array(n)), feasiblePortfolio(p)).x;
  const minVol = Math.sqrt(portfolioVariance(minVar, cov, n));
  if (targetVolatility < minVol * (1 - 1e-12)) {
    throw new InfeasibleError(`target volatility ${targetVolatility} is below the minimum volatility ${round6(minVol)} under these constraints`);
  }
  // Solutions along w(t) = argmin wᵀΣw + t·(γ‖w‖² − μᵀw) run from the minimum variance (t = 0) to the
  // unconstrained-risk optimum (t → ∞); their variance is non-decreasing in t. Find t with variance = target².
  const c0 = new Float64Array(n);
  const solveAt = (t: number, start: Float64Array): Float64Array => {
    for (let i = 0; i < n; i++) c0[i] = -t * mu[i];
    return solveQp(weightProblem(p, hessian(p, 2, 2 * t * gamma), c0), start).x;
  };
  let top: Float64Array | undefined;
  try {
    top = gamma > 0
      ? solveQp(weightProblem(p, hessian(p, 0, 2 * gamma), mu.map((v) => -v)), feasiblePortfolio(p)).x
      : efficientReturnWeights(p, maxReturnPortfolio(p).ret);
  } catch (e) {
    if (!(e instanceof UnboundedError)) throw e; // unlimited shorts: risk grows without bound along the path
  }
  if (top && portfolioVariance(top, cov, n) <= target2) return top;
  let lo = 0, wLo = minVar, fLo = portfolioVariance(minVar, cov, n) - target2;
  if (fLo >= 0) return minVar;
  let hi = 1, wHi = solveAt(hi, wLo), fHi = portfolioVariance(wHi, cov, n) - target2;
  for (let k = 0; fHi < 0; k++) {
    if (k > 200) {
      if (top) return top;
      throw new InfeasibleError(`target volatility ${targetVolatility} cannot be reached`);
    }
    lo = hi; wLo = wHi; fLo = fHi;
    hi *= 4;
    wHi = solveAt(hi, wLo);
    fHi = portfolioVariance(wHi, cov, n) - target2;
  }
  // Illinois regula falsi on f(t) = variance(t) − target², bracketed.
  let side = 0;
  let best = Math.abs(fLo) < Math.abs(fHi) ? wLo : wHi;
  for (let it = 0; it < 200; it++) {
    if (Math.min(Math.abs(fLo), Math.abs(fHi)) <= 1e-15 * target2 || hi - lo <= 1e-15 * hi) break;
    let t = (lo * fHi - hi * fLo) / (fHi - fLo);
    if (!(t > lo && t < hi)) t = 0.5 * (lo + hi);
    const w = solveAt(t, Math.abs(fLo) < Math.abs(fHi) ? wLo : wHi);
    const f = portfolioVariance(w, cov, n) - target2;
    if (f < 0) {
      lo = t; wLo = w; fLo = f;
      if (side === -1) fHi /= 2;
      side = -1;
    } else {
      hi = t; wHi = w; fHi = f;
      if (side === 1) fLo /= 2;
      side = 1;
    }
    best = Math.abs(f) <= Math.min(Math.abs(fLo), Math.abs(fHi)) ? w : best;
  }
  const vLo = Math.abs(portfolioVariance(wLo, cov, n) - target2);
  const vHi = Math.abs(portfolioVariance(wHi, cov, n) - target2);
  const vBest = Math.abs(portfolioVariance(best, cov, n) - target2);
  return vBest <= Math.min(vLo, vHi) ? best : vLo <= vHi ? wLo : wHi;
}

export function maxSharpeWeights(p: PreparedPortfolio, riskFreeRate: number): Float64Array {
  const { n, mu, lower, upper } = p;
  let maxMu = -Infinity;
  for (let i = 0; i < n; i++) maxMu = Math.max(maxMu, mu[i]);
  if (maxMu <= riskFreeRate) {
    throw new InfeasibleError(`max-sharpe needs at least one asset with an expected return above the risk-free rate ${riskFreeRate}`);
  }
  const best = highReturnPortfolio(p, riskFreeRate);
  const excess = best.ret - riskFreeRate;
  if (!(excess > 0)) {
    throw new InfeasibleError(`no portfolio within the constraints returns more than the risk-free rate ${riskFreeRate}`);
  }
  // Variables y = k·w with k = 1ᵀy > 0. Bounds l·k ≤ y ≤ u·k and group limits become homogeneous rows.
  const allNonNeg = Array.from(lower).every((l) => l >= 0);
  const yLower = new Float64Array(n).fill(-Infinity);
  const yUpper = new Float64Array(n).fill(Infinity);
  const rows: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    if (lower[i] === 0) yLower[i] = 0;
    else if (lower[i] > -Infinity) {
      const r = new Float64Array(n).fill(lower[i]);
      r[i] -= 1;
      rows.push(r); // l·1ᵀy − y_i ≤ 0
    }
    if (upper[i] < Infinity && !(allNonNeg && upper[i] >= 1)) {
      const r = new Float64Array(n).fill(-upper[i]);
      r[i] += 1;
      rows.push(r); // y_i − u·1ᵀy ≤ 0
    }
  }
  if (!allNonNeg) rows.push(new Float64Array(n).fill(-1)); // k ≥ 0
  const groups = p.d.length;
  for (let g = 0; g < groups; g++) {
    // Group row a·w ≤ h  →  a·y − h·1ᵀy ≤ 0.
    const r = new Float64Array(n);
    for (let j = 0; j < n; j++) r[j] = p.C[g * n + j] - p.d[g];
    rows.push(r);
  }
  const C = new Float64Array(rows.length * n);
  rows.forEach((r, i) => C.set(r, i * n));
  const prob: QpProblem = {
    n,
    ...hessian(p, 2, 2 * p.gamma),
    c: new Float64Array(n),
    lower: yLower,
    upper: yUpper,
    A: mu.map((v) => v - riskFreeRate),
    b: Float64Array.of(1),
    C,
    d: new Float64Array(rows.length),
  };
  const y0 = best.w.map((v) => v / excess);
  const y = solveQp(prob, y0).x;
  let k = 0;
  for (let i = 0; i < n; i++) k += y[i];
  return y.map((v) => v / k);
}

/** Solve one objective and report cleaned weights and performance (computed from the raw solver weights). */
export function optimize(inputs: PortfolioInputs, opts: OptimizeOptions): PortfolioResult {
  const p = preparePortfolio(inputs, opts);
  const rf = opts.riskFreeRate ?? 0.02;
  let w: Float64Array;
  switch (opts.objective) {
    case 'min-volatility':
      w = minVolatilityWeights(p);
      break;
    case 'max-sharpe':
      w = maxSharpeWeights(p, rf);
      break;
    case 'max-quadratic-utility':
      w = maxQuadraticUtilityWeights(p, opts.riskAversion ?? 1);
      break;
    case 'efficient-return':
      if (opts.targetReturn === undefined) throw new OptimizeInputError('efficient-return needs a target return');
      w = efficientReturnWeights(p, opts.targetReturn);
      break;
    case 'efficient-risk':
      if (opts.targetVolatility === undefined) throw new OptimizeInputError('efficient-risk needs a target volatility');
      w = efficientRiskWeights(p, opts.targetVolatility);
      break;
    default:
      throw new OptimizeInputError(`unknown objective "${String(opts.objective)}" (${OBJECTIVES.join(', ')})`);
  }
  const perf = portfolioPerformance(w, p.mu, p.cov, rf);
  return { weights: cleanWeights(w, p.symbols, opts), rawWeights: w, ...perf };
}
