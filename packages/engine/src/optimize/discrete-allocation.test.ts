import { mulToCents } from '@aw/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { riskModel } from '../risk/index.ts';
import { discreteAllocation } from './discrete-allocation.ts';
import { OptimizeInputError } from './errors.ts';
import { expectedReturns } from './expected-returns.ts';
import { optimize } from './portfolio.ts';
import { stockPrices } from './test-fixtures.ts';

describe('discreteAllocation (greedy)', () => {
  it("reproduces PyPortfolioOpt's test_greedy_portfolio_allocation (max-Sharpe weights, $10,000)", () => {
    const prices = stockPrices();
    const mu = expectedReturns(prices);
    const { cov } = riskModel(prices);
    const r = optimize({ symbols: prices.symbols, mu, cov }, { objective: 'max-sharpe', riskFreeRate: 0.02 });
    const weights = Object.fromEntries(prices.symbols.map((s, i) => [s, r.rawWeights[i]]));
    const last = prices.dates.length - 1;
    const latest = Object.fromEntries(prices.symbols.map((s, i) => [s, prices.closes[last * prices.symbols.length + i]]));
    const a = discreteAllocation({ weights, prices: latest, totalCents: 1_000_000 });
    expect(a.shares).toEqual({ MA: 20, FB: 12, PFE: 54, BABA: 4, AAPL: 4, BBY: 2, SBUX: 1, GOOG: 1 });
    const spent = Object.values(a.costCents).reduce((s, c) => s + c, 0);
    expect(spent + a.leftoverCents).toBe(1_000_000);
  });

  it('hand-checked: floors first, then tops up the most under-weight affordable asset', () => {
    // $1,000 at 50/50 in a $300 and a $70 stock: floors 1 × 300 and 7 × 70 = 790. The most under-weight asset
    // (A: 300/790 = 38% vs 50%) costs 300 > 210 left and B is already over-weight, so (like PyPortfolioOpt)
    // $210 stays in cash.
    const a = discreteAllocation({ weights: { A: 0.5, B: 0.5 }, prices: { A: 300, B: 70 }, totalCents: 100_000 });
    expect(a.shares).toEqual({ A: 1, B: 7 });
    expect(a.leftoverCents).toBe(21_000);
    // With $1,100: floors 1 × 300 + 7 × 70 = 790, then A (under-weight, 300 ≤ 310) gets a second share.
    const b = discreteAllocation({ weights: { A: 0.5, B: 0.5 }, prices: { A: 300, B: 70 }, totalCents: 110_000 });
    expect(b.shares).toEqual({ A: 2, B: 7 });
    expect(b.leftoverCents).toBe(1_000);
  });

  it('never spends more than the cash, and cost + leftover equals the cash to the cent (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.double({ min: 0.01, max: 1, noNaN: true }), fc.double({ min: 0.5, max: 900, noNaN: true })), { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 100, max: 50_000_000 }),
      (assets, totalCents) => {
        const sum = assets.reduce((s, [w]) => s + w, 0);
        const weights = Object.fromEntries(assets.map(([w], i) => [`S${i}`, w / sum]));
        const prices = Object.fromEntries(assets.map(([, p], i) => [`S${i}`, Math.round(p * 100) / 100]));
        const a = discreteAllocation({ weights, prices, totalCents });
        const spent = Object.entries(a.shares).reduce((s, [sym, q]) => s + mulToCents(q, prices[sym]), 0);
        return a.leftoverCents >= 0 && spent + a.leftoverCents === totalCents && Object.values(a.shares).every((q) => Number.isInteger(q) && q > 0);
      },
    ), { numRuns: 200 });
  });

  it('rejects negative weights, missing prices and non-integer cash', () => {
    expect(() => discreteAllocation({ weights: { A: -0.1, B: 1.1 }, prices: { A: 1, B: 1 }, totalCents: 100 })).toThrow(OptimizeInputError);
    expect(() => discreteAllocation({ weights: { A: 1 }, prices: {}, totalCents: 100 })).toThrow(/no positive price for A/);
    expect(() => discreteAllocation({ weights: { A: 1 }, prices: { A: 1 }, totalCents: 10.5 })).toThrow(OptimizeInputError);
  });
});
