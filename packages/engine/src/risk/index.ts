// Risk models: annualized covariance matrices of security returns, repaired to be positive semidefinite.
// Units: covariances per year (variance of annual returns as fractions²), `frequency` periods a year (252).
import type { PriceMatrix } from '@aw/domain';
import { ledoitWolf, sampleCovariance } from './covariance.ts';
import { dailyReturns, requireReturns, type DailyReturns, type MissingPriceFill } from './daily-returns.ts';
import { EstimatorError } from './errors.ts';
import { fixNonPositiveSemidefinite } from './psd.ts';

export { dailyReturns, requireReturns, type DailyReturns, type MissingPriceFill } from './daily-returns.ts';
export { sampleCovariance, ledoitWolf, type ShrunkCovariance } from './covariance.ts';
export { isPositiveSemidefinite, fixNonPositiveSemidefinite, type RepairedCovariance } from './psd.ts';
export { cholesky, choleskySolveInPlace, symmetricEigen, gram } from './linalg.ts';
export { EstimatorError } from './errors.ts';

export type RiskMethod = 'sample' | 'ledoit-wolf';

export interface RiskModelOptions {
  method?: RiskMethod;
  /** Periods per year; default 252. */
  frequency?: number;
  fill?: MissingPriceFill;
}

export interface RiskModel {
  symbols: string[];
  /** n×n row-major annualized covariance, positive semidefinite. */
  cov: Float64Array;
  /** True when eigenvalue clipping repaired a non-PSD estimate. */
  repaired: boolean;
  /** Ledoit–Wolf shrinkage intensity (ledoit-wolf only). */
  shrinkage?: number;
}

const isReturns = (x: PriceMatrix | DailyReturns): x is DailyReturns => (x as DailyReturns).periods !== undefined;

export function riskModel(prices: PriceMatrix | DailyReturns, opts: RiskModelOptions = {}): RiskModel {
  const method = opts.method ?? 'sample';
  const frequency = opts.frequency ?? 252;
  if (!(frequency > 0)) throw new EstimatorError('bad_option', `frequency must be positive, got ${frequency}`);
  const r = isReturns(prices) ? prices : dailyReturns(prices, opts.fill ?? 'none');
  const n = r.symbols.length;
  if (n === 0) throw new EstimatorError('insufficient_data', 'no securities in the price data');
  requireReturns(r, 2);
  if (method === 'sample') {
    const fixed = fixNonPositiveSemidefinite(sampleCovariance(r, frequency), n, true);
    return { symbols: r.symbols, cov: fixed.cov, repaired: fixed.repaired };
  }
  if (method === 'ledoit-wolf') {
    const lw = ledoitWolf(r, frequency);
    const fixed = fixNonPositiveSemidefinite(lw.cov, n, true);
    return { symbols: r.symbols, cov: fixed.cov, repaired: fixed.repaired, shrinkage: lw.shrinkage };
  }
  throw new EstimatorError('bad_option', `unknown risk model "${String(method)}" (sample or ledoit-wolf)`);
}
