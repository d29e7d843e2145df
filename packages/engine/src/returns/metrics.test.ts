import { describe, expect, it } from 'vitest';
import { annualizedVolatility, beta, downsideDeviation, maxDrawdown, sharpeRatio, sortinoRatio, trackingError } from './metrics.ts';

describe('risk statistics (hand-checked)', () => {
  const r = [0.01, -0.01, 0.02, 0.0];
  // mean 0.005; deviations ±0.005, ±0.015 → Σ² = 5e-4; sample variance 5e-4/3; sd = 0.0129099
  it('volatility is the sample sd × √252', () => {
    expect(annualizedVolatility(r)).toBeCloseTo(0.0129099445 * Math.sqrt(252), 9);
  });
  it('Sharpe = mean/sd × √252 with rf 0 → 6.14817', () => {
    expect(sharpeRatio(r, 0)).toBeCloseTo(6.148170, 5);
  });
  it('Sharpe subtracts the per-day risk-free rate', () => {
    const rf = Math.pow(1.02, 1 / 252) - 1;
    const ex = r.map((x) => x - rf);
    const m = ex.reduce((a, b) => a + b) / 4;
    const sd = Math.sqrt(ex.reduce((a, b) => a + (b - m) ** 2, 0) / 3);
    expect(sharpeRatio(r, 0.02)).toBeCloseTo((m / sd) * Math.sqrt(252), 10);
  });
  it('Sortino divides the annual mean by the downside deviation over all periods → √252 here', () => {
    // downside: only −0.01 → √(1e-4 / 4) = 0.005 per day
    expect(downsideDeviation(r, 0)).toBeCloseTo(0.005 * Math.sqrt(252), 12);
    expect(sortinoRatio(r, 0)).toBeCloseTo(Math.sqrt(252), 9);
    expect(sortinoRatio([0.01, 0.02], 0)).toBeNaN(); // no downside: undefined
  });
  it('max drawdown picks the deepest fall from a running peak', () => {
    const dd = maxDrawdown([1, 1.2, 0.9, 1.0, 1.3, 1.04]);
    expect(dd.maxDrawdown).toBeCloseTo(-0.25, 12);
    expect(dd.peakIndex).toBe(1);
    expect(dd.troughIndex).toBe(2);
    expect(maxDrawdown([1, 1.1, 1.2]).maxDrawdown).toBe(0);
  });
  it('beta and tracking error against a benchmark', () => {
    const b = [0.01, -0.005, 0.015];
    const p = b.map((x) => 2 * x);
    expect(beta(p, b)).toBeCloseTo(2, 12);
    // r − b = b: sd(b) = 0.0104083 → × √252
    expect(trackingError(p, b)).toBeCloseTo(Math.sqrt(2.1666666667e-4 / 2) * Math.sqrt(252), 8); // 0.165227
    expect(trackingError(b, b)).toBe(0);
    expect(() => beta([0.1], [0.1, 0.2])).toThrow(RangeError);
  });
});
