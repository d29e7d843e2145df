import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { riskModel } from '../risk/index.ts';
import { InfeasibleError, OptimizeInputError } from './errors.ts';
import { expectedReturns } from './expected-returns.ts';
import { portfolioVariance } from './performance.ts';
import { optimize, type OptimizeOptions } from './portfolio.ts';
import { closeTo, stockPrices } from './test-fixtures.ts';

// PyPortfolioOpt's setup_efficient_frontier(): mean_historical_return + sample_cov on its stock_prices.csv.
const prices = stockPrices();
const mu = expectedReturns(prices);
const cov = riskModel(prices).cov;
const inputs = { symbols: prices.symbols, mu, cov };
const n = prices.symbols.length;
const SHORTS = { minWeight: -Infinity, maxWeight: Infinity };

/** Published (expectedReturn, volatility, sharpe) from PyPortfolioOpt's tests/test_efficient_frontier.py. */
const published: [string, OptimizeOptions, [number, number, number], number][] = [
  ['test_min_volatility', { objective: 'min-volatility' }, [0.15056821399482578, 0.15915084514118694, 0.8204054077060996], 1e-6],
  ['test_min_volatility_short', { objective: 'min-volatility', ...SHORTS }, [0.1516319319875544, 0.1555915367269669, 0.8460095886741129], 1e-6],
  ['test_min_volatility_L2_reg', { objective: 'min-volatility', gamma: 1 }, [0.17356099329164965, 0.1955254118258614, 0.785376140408869], 1e-6],
  ['test_max_sharpe_long_only', { objective: 'max-sharpe' }, [0.3047768672819914, 0.22165566922402932, 1.2847714127003216], 1e-6],
  ['test_max_sharpe_short', { objective: 'max-sharpe', ...SHORTS }, [0.4937195216716211, 0.29516576454651955, 1.6049270564945908], 1e-6],
  ['test_max_sharpe_L2_reg', { objective: 'max-sharpe', gamma: 5 }, [0.2516854357026833, 0.22043282695478603, 1.051047790401043], 1e-6],
  ['test_max_sharpe_L2_reg_with_shorts', { objective: 'max-sharpe', gamma: 1, ...SHORTS }, [0.2995338981166366, 0.2234696161770517, 1.2508810052063901], 1e-6],
  ['test_max_quadratic_utility', { objective: 'max-quadratic-utility', riskAversion: 2 }, [0.3677732711751504, 0.2921342197778279, 1.1904571516463793], 1e-6],
  ['test_max_quadratic_utility_with_shorts', { objective: 'max-quadratic-utility', minWeight: -1, maxWeight: 1 }, [1.4170505733098597, 1.0438577623242156, 1.3383533884915872], 1e-6],
  ['test_max_quadratic_utility_L2_reg', { objective: 'max-quadratic-utility', gamma: 5 }, [0.19774277217586125, 0.2104822672707046, 0.8444548535162986], 1e-6],
  ['test_efficient_risk', { objective: 'efficient-risk', targetVolatility: 0.19 }, [0.2552422849133517, 0.19, 1.2381172871434818], 1e-6],
  ['test_efficient_risk_short', { objective: 'efficient-risk', targetVolatility: 0.19, minWeight: -1, maxWeight: 1 }, [0.30035471606347336, 0.19, 1.4755511348079207], 1e-6],
  // PyPortfolioOpt itself only asserts this one to rtol 1e-4 (cvxpy's accuracy with the L2 term).
  ['test_efficient_risk_L2_reg', { objective: 'efficient-risk', targetVolatility: 0.19, gamma: 5 }, [0.1931352562313653, 0.18999999989010993, 0.9112381912184281], 1e-4],
  ['test_efficient_return', { objective: 'efficient-return', targetReturn: 0.25 }, [0.25, 0.18723269942026335, 1.2284179030274036], 1e-6],
  ['test_efficient_return_L2_reg', { objective: 'efficient-return', targetReturn: 0.25, gamma: 1 }, [0.25, 0.20961660883459776, 1.0972412981906703], 1e-6],
];

describe('optimize: PyPortfolioOpt reference results on its own test data', () => {
  for (const [name, opts, [ret, vol, sharpe], rel] of published) {
    it(`${name} → (${ret.toFixed(4)}, ${vol.toFixed(4)}, ${sharpe.toFixed(4)}) to ${rel} relative`, () => {
      const r = optimize(inputs, { riskFreeRate: 0.02, ...opts });
      expect(closeTo(r.expectedReturn, ret, rel)).toBe(true);
      expect(closeTo(r.volatility, vol, rel)).toBe(true);
      expect(closeTo(r.sharpe, sharpe, rel)).toBe(true);
      let sum = 0;
      for (const w of r.rawWeights) sum += w;
      expect(sum).toBeCloseTo(1, 12);
    });
  }

  it('min-volatility with shorts equals the closed form Σ⁻¹1 / 1ᵀΣ⁻¹1', () => {
    const r = optimize(inputs, { objective: 'min-volatility', ...SHORTS });
    // Solve Σ·x = 1 by Gaussian elimination, w = x / Σx.
    const a = Array.from({ length: n }, (_, i) => [...Array.from(cov.slice(i * n, (i + 1) * n)), 1]);
    for (let c = 0; c < n; c++) {
      for (let r2 = c + 1; r2 < n; r2++) {
        const f = a[r2][c] / a[c][c];
        for (let k = c; k <= n; k++) a[r2][k] -= f * a[c][k];
      }
    }
    const x = new Array<number>(n).fill(0);
    for (let i = n - 1; i >= 0; i--) {
      let s = a[i][n];
      for (let k = i + 1; k < n; k++) s -= a[i][k] * x[k];
      x[i] = s / a[i][i];
    }
    const total = x.reduce((s, v) => s + v, 0);
    x.forEach((v, i) => expect(Math.abs(r.rawWeights[i] - v / total)).toBeLessThan(1e-10));
  });

  it('efficient-return with shorts equals the Lagrangian closed form (PyPortfolioOpt simple_ef_weights)', () => {
    const r = optimize(inputs, { objective: 'efficient-return', targetReturn: 0.25, ...SHORTS });
    // [Σ μ 1; μᵀ 0 0; 1ᵀ 0 0]·[w; λ] = [0; 0.25; 1]
    const m = n + 2;
    const a = Array.from({ length: m }, () => new Array<number>(m + 1).fill(0));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) a[i][j] = cov[i * n + j];
      a[i][n] = mu[i]; a[n][i] = mu[i];
      a[i][n + 1] = 1; a[n + 1][i] = 1;
    }
    a[n][m] = 0.25; a[n + 1][m] = 1;
    for (let c = 0; c < m; c++) {
      let piv = c;
      for (let r2 = c + 1; r2 < m; r2++) if (Math.abs(a[r2][c]) > Math.abs(a[piv][c])) piv = r2;
      [a[c], a[piv]] = [a[piv], a[c]];
      for (let r2 = c + 1; r2 < m; r2++) {
        const f = a[r2][c] / a[c][c];
        for (let k = c; k <= m; k++) a[r2][k] -= f * a[c][k];
      }
    }
    const x = new Array<number>(m).fill(0);
    for (let i = m - 1; i >= 0; i--) {
      let s = a[i][m];
      for (let k = i + 1; k < m; k++) s -= a[i][k] * x[k];
      x[i] = s / a[i][i];
    }
    for (let i = 0; i < n; i++) expect(Math.abs(r.rawWeights[i] - x[i])).toBeLessThan(1e-9);
  });

  it('respects sector caps and floors (PyPortfolioOpt test_max_sharpe_sector_constraints)', () => {
    const sectors: Record<string, string> = {
      GOOG: 'tech', AAPL: 'tech', FB: 'tech', AMZN: 'tech', BABA: 'tech', GE: 'utility', AMD: 'tech', WMT: 'retail',
      BAC: 'fig', GM: 'auto', T: 'auto', UAA: 'airline', SHLD: 'retail', XOM: 'energy', RRC: 'energy', BBY: 'retail',
      MA: 'fig', PFE: 'pharma', JPM: 'fig', SBUX: 'retail',
    };
    const upper: Record<string, number> = { tech: 0.2, utility: 0.1, retail: 0.2, fig: 0.4, airline: 0.05, energy: 0.2 };
    const lower: Record<string, number> = { utility: 0.01, fig: 0.02, airline: 0.01 };
    const groups = [...new Set(Object.values(sectors))].map((name) => ({
      name, symbols: Object.keys(sectors).filter((s) => sectors[s] === name), min: lower[name], max: upper[name],
    }));
    for (const objective of ['max-sharpe', 'min-volatility', 'efficient-risk'] as const) {
      const r = optimize(inputs, { objective, groups, targetVolatility: 0.19 });
      for (const g of groups) {
        const total = g.symbols.reduce((s, sym) => s + r.rawWeights[prices.symbols.indexOf(sym)], 0);
        expect(total).toBeLessThanOrEqual((g.max ?? 1) + 1e-9);
        expect(total).toBeGreaterThanOrEqual((g.min ?? 0) - 1e-9);
      }
      // A cap that binds costs something: tech would hold more than 20% in the unconstrained max-Sharpe.
    }
    const free = optimize(inputs, { objective: 'max-sharpe' });
    const capped = optimize(inputs, { objective: 'max-sharpe', groups });
    expect(capped.sharpe).toBeLessThan(free.sharpe);
  });

  it('max-quadratic-utility approaches min-volatility as risk aversion grows', () => {
    const a = optimize(inputs, { objective: 'max-quadratic-utility', riskAversion: 1e10 });
    const b = optimize(inputs, { objective: 'min-volatility' });
    for (let i = 0; i < n; i++) expect(Math.abs(a.rawWeights[i] - b.rawWeights[i])).toBeLessThan(1e-6);
  });

  it('cleans weights like clean_weights: |w| < 1e-4 → 0, rounded to 5 decimals', () => {
    const r = optimize(inputs, { objective: 'max-sharpe' });
    for (const [sym, w] of Object.entries(r.weights)) {
      const raw = r.rawWeights[prices.symbols.indexOf(sym)];
      expect(w).toBe(Math.abs(raw) < 1e-4 ? 0 : Math.round(raw * 1e5) / 1e5);
    }
  });

  it('infeasible targets and constraints throw InfeasibleError with the limit in the message', () => {
    const maxMu = Math.max(...mu);
    expect(() => optimize(inputs, { objective: 'efficient-return', targetReturn: maxMu + 0.01 })).toThrow(InfeasibleError);
    expect(() => optimize(inputs, { objective: 'efficient-return', targetReturn: maxMu + 0.01 })).toThrow(/maximum achievable return 0\.38866/);
    const minVol = optimize(inputs, { objective: 'min-volatility' }).volatility;
    expect(() => optimize(inputs, { objective: 'efficient-risk', targetVolatility: minVol - 0.01 })).toThrow(/below the minimum volatility 0\.15915/);
    expect(() => optimize(inputs, { objective: 'min-volatility', maxWeight: 0.04 })).toThrow(InfeasibleError); // 20 × 4% < 100%
    expect(() => optimize(inputs, { objective: 'max-sharpe', riskFreeRate: 0.5 })).toThrow(InfeasibleError);
    expect(() => optimize(inputs, { objective: 'min-volatility', groups: [{ name: 'x', symbols: ['NOPE'], max: 0.1 }] })).toThrow(OptimizeInputError);
    // Target volatility just above the minimum is reachable (PyPortfolioOpt test_efficient_risk_error).
    expect(optimize(inputs, { objective: 'efficient-risk', targetVolatility: minVol + 0.01 }).volatility).toBeCloseTo(minVol + 0.01, 10);
  });
});

describe('optimize: properties on random covariance matrices', () => {
  const arbProblem = fc.integer({ min: 2, max: 12 }).chain((k) => fc.record({
    k: fc.constant(k),
    factors: fc.array(fc.double({ min: -0.4, max: 0.4, noNaN: true }), { minLength: 3 * k, maxLength: 3 * k }),
    idio: fc.array(fc.double({ min: 0.01, max: 0.3, noNaN: true }), { minLength: k, maxLength: k }),
    mu: fc.array(fc.double({ min: -0.05, max: 0.3, noNaN: true }), { minLength: k, maxLength: k }),
    maxW: fc.double({ min: 0.2, max: 1, noNaN: true }),
    objective: fc.constantFrom('min-volatility', 'max-sharpe', 'max-quadratic-utility', 'efficient-return', 'efficient-risk'),
    frac: fc.double({ min: 0, max: 1, noNaN: true }),
  }));
  const build = (p: { k: number; factors: number[]; idio: number[]; mu: number[] }) => {
    const c = new Float64Array(p.k * p.k);
    for (let i = 0; i < p.k; i++) for (let j = 0; j < p.k; j++) {
      let s = i === j ? p.idio[i] ** 2 : 0;
      for (let f = 0; f < 3; f++) s += p.factors[i * 3 + f] * p.factors[j * 3 + f];
      c[i * p.k + j] = s;
    }
    return { symbols: Array.from({ length: p.k }, (_, i) => `S${i}`), mu: Float64Array.from(p.mu.map((m, i) => m + i * 1e-3)), cov: c };
  };

  it('weights sum to 1 and respect per-asset bounds; min-volatility ≤ the volatility of any feasible result', () => {
    fc.assert(fc.property(arbProblem, (p) => {
      const inp = build(p);
      const maxW = Math.max(p.maxW, 1 / p.k + 1e-6);
      const minVol = optimize(inp, { objective: 'min-volatility', maxWeight: maxW, riskFreeRate: -1 }).volatility;
      const lo = optimize(inp, { objective: 'min-volatility', maxWeight: maxW }).expectedReturn;
      const hi = Math.max(...Array.from(inp.mu)); // may be above the capped maximum → infeasible is fine
      let r;
      try {
        r = optimize(inp, {
          objective: p.objective as OptimizeOptions['objective'], maxWeight: maxW, riskFreeRate: -1,
          targetReturn: lo + p.frac * (hi - lo), targetVolatility: minVol * (1 + p.frac),
        });
      } catch (e) {
        return e instanceof InfeasibleError;
      }
      const sum = r.rawWeights.reduce((s, w) => s + w, 0);
      if (Math.abs(sum - 1) > 1e-9) return false;
      if (r.rawWeights.some((w) => w < -1e-12 || w > maxW + 1e-12)) return false;
      return r.volatility >= minVol * (1 - 1e-9) && Math.abs(Math.sqrt(portfolioVariance(r.rawWeights, inp.cov, p.k)) - r.volatility) < 1e-12;
    }), { numRuns: 200 });
  });
});
