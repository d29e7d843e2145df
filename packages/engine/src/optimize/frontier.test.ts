import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { riskModel } from '../risk/index.ts';
import { InfeasibleError, UnboundedError } from './errors.ts';
import { expectedReturns } from './expected-returns.ts';
import { efficientFrontier } from './frontier.ts';
import { optimize } from './portfolio.ts';
import { stockPrices } from './test-fixtures.ts';

const prices = stockPrices();
const mu = expectedReturns(prices);
const cov = riskModel(prices).cov;
const inputs = { symbols: prices.symbols, mu, cov };

/** k assets: 3 factor loadings each (vals[3i..3i+2]) plus an idiosyncratic variance, returns from 0.02 to 0.22. */
function factorProblem(k: number, vals: readonly number[]) {
  const cov = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    let s = i === j ? 0.01 + Math.abs(vals[i]) * 0.1 : 0;
    for (let q = 0; q < 3; q++) s += vals[i * 3 + q] * vals[j * 3 + q];
    cov[i * k + j] = s;
  }
  const symbols = Array.from({ length: k }, (_, i) => `S${i}`);
  const mu = Float64Array.from({ length: k }, (_, i) => 0.02 + 0.2 * Math.abs(Math.sin(vals[i] * 10 + i)));
  return { symbols, mu, cov };
}
const capsAndGroup = (symbols: string[], maxWeight: number) => ({ maxWeight, groups: [{ name: 'g', symbols: symbols.slice(0, 2), max: 0.6 }] });

describe('efficientFrontier', () => {
  it('runs from the min-volatility portfolio to the max return, evenly spaced, volatility non-decreasing', () => {
    const f = efficientFrontier(inputs, { points: 30 });
    expect(f.points).toHaveLength(30);
    const minVol = optimize(inputs, { objective: 'min-volatility' });
    expect(f.points[0].volatility).toBeCloseTo(minVol.volatility, 12);
    expect(f.points[29].expectedReturn).toBeCloseTo(Math.max(...mu), 12); // long-only: all in the best asset
    const step = (f.points[29].expectedReturn - f.points[0].expectedReturn) / 29;
    for (let k = 1; k < 30; k++) {
      expect(f.points[k].expectedReturn - f.points[k - 1].expectedReturn).toBeCloseTo(step, 10);
      expect(f.points[k].volatility).toBeGreaterThanOrEqual(f.points[k - 1].volatility - 1e-12);
    }
  });

  it('each point is the efficient-return portfolio for its return (same as solving it alone)', () => {
    const f = efficientFrontier(inputs, { points: 7 });
    for (const pt of f.points.slice(1, -1)) {
      const alone = optimize(inputs, { objective: 'efficient-return', targetReturn: pt.expectedReturn });
      expect(pt.volatility).toBeCloseTo(alone.volatility, 10);
    }
  });

  it('the max-Sharpe portfolio lies on or below the frontier and no frontier point beats its Sharpe ratio', () => {
    const f = efficientFrontier(inputs, { points: 60 });
    const ms = optimize(inputs, { objective: 'max-sharpe' });
    for (const pt of f.points) expect(pt.sharpe).toBeLessThanOrEqual(ms.sharpe + 1e-9);
  });

  it('volatility is non-decreasing in return on random problems with caps and groups (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 3, max: 15 }),
      fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: 45, maxLength: 45 }),
      fc.double({ min: 0.25, max: 1, noNaN: true }),
      (k, vals, cap) => {
        const inputs = factorProblem(k, vals);
        let f;
        try {
          f = efficientFrontier(inputs, { points: 12, ...capsAndGroup(inputs.symbols, Math.max(cap, 1 / k + 1e-6)) });
        } catch (e) {
          return e instanceof InfeasibleError; // the caps can leave no portfolio
        }
        for (let q = 1; q < f.points.length; q++) {
          if (f.points[q].volatility < f.points[q - 1].volatility - 1e-12) return false;
          if (f.points[q].expectedReturn < f.points[q - 1].expectedReturn - 1e-12) return false;
        }
        return true;
      },
    ), { numRuns: 100 });
  });

  // Found by the property above (2026-11-26): three free assets whose returns differ by < 1% against the budget and
  // return rows, one 2e-9 below its cap. The active-set QP alternated between a gradient step onto a bound and
  // releasing that bound again until it gave up; qp.ts now stops taking gradient steps once a variable keeps being
  // released.
  it('converges on a nearly degenerate problem (a cycling case the property found)', () => {
    const vals = Array.from({ length: 45 }, (_, i) => (i === 5 ? 0.29999999998545845 : i === 11 ? 0.2991307485671874 : 0));
    const inputs = factorProblem(12, vals);
    const limits = capsAndGroup(inputs.symbols, 0.4444444444426492);
    const f = efficientFrontier(inputs, { points: 12, ...limits });
    expect(f.points).toHaveLength(12);
    for (let q = 1; q < f.points.length; q++) expect(f.points[q].volatility).toBeGreaterThanOrEqual(f.points[q - 1].volatility - 1e-12);
    // Each point is the efficient-return portfolio for its return, as when solved alone.
    for (const pt of f.points.slice(1, -1)) {
      const alone = optimize(inputs, { objective: 'efficient-return', targetReturn: pt.expectedReturn, ...limits });
      expect(pt.volatility).toBeCloseTo(alone.volatility, 9);
    }
  });

  it('refuses an unbounded frontier (unlimited shorts) and fewer than 2 points', () => {
    expect(() => efficientFrontier(inputs, { minWeight: -Infinity, maxWeight: Infinity })).toThrow(UnboundedError);
    expect(() => efficientFrontier(inputs, { points: 1 })).toThrow(/at least 2 points/);
  });
});
