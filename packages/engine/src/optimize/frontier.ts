// The efficient frontier: N portfolios with returns evenly spaced from the minimum-volatility portfolio's return
// to the maximum achievable return, each the efficient-return portfolio (min wᵀΣw + γ‖w‖² s.t. wᵀμ ≥ target).
// Units: annual returns and volatilities (fractions), weights summing to 1, Sharpe with the annual risk-free rate.
// Speed: every QP is warm-started from a feasible point next to its optimum — the convex combination of the
// previous frontier portfolio and the max-return portfolio that just reaches the new target — so each point
// costs a few active-set iterations on the (small) set of assets held, not a solve from scratch.
import { OptimizeInputError } from './errors.ts';
import { cleanWeights, portfolioPerformance, type CleanOptions } from './performance.ts';
import {
  efficientReturnWeights, maxReturnPortfolio, minVolatilityWeights, preparePortfolio,
  type ConstraintOptions, type PortfolioInputs,
} from './portfolio.ts';

export interface FrontierOptions extends ConstraintOptions, CleanOptions {
  /** Number of portfolios; default 50 (at least 2). */
  points?: number;
  /** Annual risk-free rate for the Sharpe ratios; default 0.02. */
  riskFreeRate?: number;
}

export interface FrontierPoint {
  expectedReturn: number;
  volatility: number;
  sharpe: number;
  /** Cleaned weights by symbol. */
  weights: Record<string, number>;
  /** Solver weights in symbol order. */
  rawWeights: Float64Array;
}

export interface Frontier {
  symbols: string[];
  points: FrontierPoint[];
}

export function efficientFrontier(inputs: PortfolioInputs, opts: FrontierOptions = {}): Frontier {
  const count = opts.points ?? 50;
  if (!Number.isInteger(count) || count < 2) throw new OptimizeInputError(`a frontier needs at least 2 points, got ${count}`);
  const rf = opts.riskFreeRate ?? 0.02;
  const p = preparePortfolio(inputs, opts);
  const top = maxReturnPortfolio(p); // throws UnboundedError with unlimited shorts
  const minVol = minVolatilityWeights(p, top.w);
  const point = (w: Float64Array): FrontierPoint => ({
    ...portfolioPerformance(w, p.mu, p.cov, rf),
    weights: cleanWeights(w, p.symbols, opts),
    rawWeights: w,
  });
  const first = point(minVol);
  const r0 = first.expectedReturn;
  const r1 = top.ret;
  const points: FrontierPoint[] = [first];
  let prev = minVol;
  let prevRet = r0;
  for (let k = 1; k < count; k++) {
    const target = k === count - 1 ? r1 : r0 + ((r1 - r0) * k) / (count - 1);
    // Feasible warm start: (1 − s)·prev + s·top has return ≥ target.
    const s = r1 - prevRet > 0 ? Math.min(1, Math.max(0, (target - prevRet) / (r1 - prevRet))) : 1;
    const start = new Float64Array(p.n);
    for (let i = 0; i < p.n; i++) start[i] = (1 - s) * prev[i] + s * top.w[i];
    const w = target <= prevRet ? prev : efficientReturnWeights(p, target, start);
    const pt = point(w);
    points.push(pt);
    prev = w;
    prevRet = pt.expectedReturn;
  }
  return { symbols: p.symbols, points };
}
