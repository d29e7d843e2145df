// Portfolio optimization, PyPortfolioOpt's pipeline as the layout:
//   expected returns → risk model → optimizer → clean weights → discrete allocation.
// Units: annual returns and volatilities as fractions, annualized covariances, weights summing to 1, cash in
// integer cents. Everything is pure (no I/O): callers read files (CLI) or pass matrices (workers).
//
//   const mu = expectedReturns(prices, { method: 'mean' });          // Float64Array, prices.symbols order
//   const { cov } = riskModel(prices, { method: 'sample' });         // n×n, PSD-repaired
//   const r = optimize({ symbols: prices.symbols, mu, cov }, { objective: 'max-sharpe', riskFreeRate: 0.02 });
//   const f = efficientFrontier({ symbols, mu, cov }, { points: 50 });
//   const a = discreteAllocation({ weights: r.weights, prices: latest, totalCents: 1_000_000 });
export { expectedReturns, ewmMeanLast, type ExpectedReturnsOptions, type ReturnsMethod, type BenchmarkPrices } from './expected-returns.ts';
export { riskModel, dailyReturns, type RiskModel, type RiskModelOptions, type RiskMethod, type DailyReturns } from '../risk/index.ts';
export {
  optimize, preparePortfolio, maxReturnPortfolio, feasiblePortfolio, minVolatilityWeights, maxSharpeWeights,
  maxQuadraticUtilityWeights, efficientReturnWeights, efficientRiskWeights, OBJECTIVES,
  type PortfolioInputs, type GroupLimit, type WeightBound, type ConstraintOptions, type Objective,
  type OptimizeOptions, type PortfolioResult, type PreparedPortfolio,
} from './portfolio.ts';
export { efficientFrontier, type Frontier, type FrontierPoint, type FrontierOptions } from './frontier.ts';
export { discreteAllocation, type DiscreteAllocation, type DiscreteAllocationInput } from './discrete-allocation.ts';
export { portfolioPerformance, portfolioVariance, cleanWeights, type Performance, type CleanOptions } from './performance.ts';
export { solveQp, type QpProblem, type QpSolution, type QpOptions } from './qp.ts';
export { solveLp, type LpProblem, type LpSolution } from './lp.ts';
export { OptimizeError, InfeasibleError, OptimizeInputError, UnboundedError, SolverError } from './errors.ts';
export { EstimatorError } from '../risk/errors.ts';
