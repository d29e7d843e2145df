import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InfeasibleError, UnboundedError } from './errors.ts';
import { solveLp } from './lp.ts';
import { solveQp, type QpProblem, type QpSolution } from './qp.ts';

/** Max violation of the KKT conditions (stationarity, primal/dual feasibility, complementary slackness). */
function kktResidual(p: QpProblem, s: QpSolution): number {
  const { n, H, c, lower, upper } = p;
  const A = p.A ?? new Float64Array(0), b = p.b ?? new Float64Array(0);
  const C = p.C ?? new Float64Array(0), d = p.d ?? new Float64Array(0);
  const hs = p.hessianScale ?? 1, hd = p.hessianShift ?? 0;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    let g = c[i] + hd * s.x[i];
    for (let j = 0; j < n; j++) g += hs * H[i * n + j] * s.x[j];
    for (let q = 0; q < b.length; q++) g += s.eqMultipliers[q] * A[q * n + i];
    for (let q = 0; q < d.length; q++) g += s.ineqMultipliers[q] * C[q * n + i];
    g += -s.lowerMultipliers[i] + s.upperMultipliers[i];
    worst = Math.max(worst, Math.abs(g)); // stationarity
    worst = Math.max(worst, lower[i] - s.x[i], s.x[i] - upper[i]); // primal bounds
    worst = Math.max(worst, -s.lowerMultipliers[i], -s.upperMultipliers[i]); // dual feasibility
    if (Number.isFinite(lower[i])) worst = Math.max(worst, Math.abs(s.lowerMultipliers[i] * (s.x[i] - lower[i]))); // complementarity
    if (Number.isFinite(upper[i])) worst = Math.max(worst, Math.abs(s.upperMultipliers[i] * (upper[i] - s.x[i])));
  }
  for (let q = 0; q < b.length; q++) {
    let r = -b[q];
    for (let j = 0; j < n; j++) r += A[q * n + j] * s.x[j];
    worst = Math.max(worst, Math.abs(r));
  }
  for (let q = 0; q < d.length; q++) {
    let r = -d[q];
    for (let j = 0; j < n; j++) r += C[q * n + j] * s.x[j];
    worst = Math.max(worst, r, -s.ineqMultipliers[q], Math.abs(s.ineqMultipliers[q] * r));
  }
  return worst;
}

/** Random covariance-like PSD matrix B·Bᵀ/k (+ ridge) from a seed list. */
function psd(n: number, k: number, seeds: number[], ridge: number): Float64Array {
  const B = Array.from({ length: n * k }, (_, i) => Math.sin(seeds[i % seeds.length] * (i + 1)) * 0.3);
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < k; t++) s += B[i * k + t] * B[j * k + t];
    H[i * n + j] = s / k + (i === j ? ridge : 0);
  }
  return H;
}

describe('solveQp', () => {
  it('unconstrained by bounds: the closed-form minimum-variance portfolio Σ⁻¹1 / 1ᵀΣ⁻¹1', () => {
    // 2 assets: w1 = (σ2² − σ12) / (σ1² + σ2² − 2σ12).
    const s1 = 0.04, s2 = 0.09, s12 = 0.01;
    const prob: QpProblem = {
      n: 2, H: Float64Array.from([2 * s1, 2 * s12, 2 * s12, 2 * s2]), c: new Float64Array(2),
      lower: Float64Array.of(-Infinity, -Infinity), upper: Float64Array.of(Infinity, Infinity), A: Float64Array.of(1, 1), b: Float64Array.of(1),
    };
    const sol = solveQp(prob, Float64Array.of(0.5, 0.5));
    const w1 = (s2 - s12) / (s1 + s2 - 2 * s12);
    expect(sol.x[0]).toBeCloseTo(w1, 14);
    expect(sol.x[1]).toBeCloseTo(1 - w1, 14);
    expect(kktResidual(prob, sol)).toBeLessThan(1e-12);
  });

  it('a binding bound: the 2-asset solution is clipped and the multiplier is positive', () => {
    // Unconstrained optimum would short asset 2 (w1 > 1): with w ≥ 0 the answer is (1, 0).
    const prob: QpProblem = {
      n: 2, H: Float64Array.from([2 * 0.04, 2 * 0.05, 2 * 0.05, 2 * 0.09]), c: new Float64Array(2),
      lower: Float64Array.of(0, 0), upper: Float64Array.of(1, 1), A: Float64Array.of(1, 1), b: Float64Array.of(1),
    };
    const sol = solveQp(prob, Float64Array.of(0, 1));
    expect(Array.from(sol.x)).toEqual([1, 0]);
    expect(sol.lowerMultipliers[1]).toBeGreaterThan(0);
    expect(kktResidual(prob, sol)).toBeLessThan(1e-12);
  });

  it('satisfies the KKT conditions on random portfolio QPs (bounds, a group cap; definite and singular Σ)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 2, max: 25 }),
      fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: 3, maxLength: 8 }),
      fc.double({ min: 0, max: 0.3, noNaN: true }),
      fc.double({ min: 0.05, max: 1, noNaN: true }),
      fc.boolean(),
      (n, seeds, lin, cap, singular) => {
        const H = psd(n, singular ? Math.max(1, n - 3) : n + 5, seeds, singular ? 0 : 1e-4);
        const c = Float64Array.from({ length: n }, (_, i) => -lin * Math.cos(seeds[0] * i));
        const maxW = Math.max(cap, 1 / n + 1e-3);
        const group = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
        const groupCap = 0.5;
        const prob: QpProblem = {
          n, H, c, lower: new Float64Array(n), upper: new Float64Array(n).fill(maxW),
          A: new Float64Array(n).fill(1), b: Float64Array.of(1), C: group, d: Float64Array.of(groupCap),
        };
        let start: Float64Array;
        try {
          start = solveLp({ n, lower: prob.lower, upper: prob.upper, A: prob.A, b: prob.b, C: prob.C, d: prob.d }).x;
        } catch (e) {
          return e instanceof InfeasibleError; // e.g. caps too tight for the group limit
        }
        const sol = solveQp(prob, start);
        // Positive definite: exact to rounding; rank-deficient (non-unique optimum): within 1e-8.
        return kktResidual(prob, sol) < (singular ? 1e-8 : 1e-10);
      },
    ), { numRuns: 300 });
  });

  it('converges on rank-deficient problems where the active-set iteration used to cycle (fast-check finds)', () => {
    const cases: [number, number[], number, number][] = [
      [23, [0.34733203929534956, 7.697437406745959, 0.3662815169480406], 2.7424484963927668e-17, 0.1641796373861396],
      [18, [0.9562901269410018, 3.6950427861940938, 3.7950348643491365], 4.3268747101690734e-10, 0.28151325416751777],
      [25, [0.25330321903737607, 0.48349455545251707, 7.563389239567958], 6.470328449554595e-275, 0.3755471922384014],
    ];
    for (const [n, seeds, lin, cap] of cases) {
      const H = psd(n, n - 3, seeds, 0);
      const c = Float64Array.from({ length: n }, (_, i) => -lin * Math.cos(seeds[0] * i));
      const maxW = Math.max(cap, 1 / n + 1e-3);
      const prob: QpProblem = {
        n, H, c, lower: new Float64Array(n), upper: new Float64Array(n).fill(maxW), A: new Float64Array(n).fill(1), b: Float64Array.of(1),
        C: Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0)), d: Float64Array.of(0.5),
      };
      const start = solveLp({ n, lower: prob.lower, upper: prob.upper, A: prob.A, b: prob.b, C: prob.C, d: prob.d }).x;
      expect(kktResidual(prob, solveQp(prob, start))).toBeLessThan(1e-8);
    }
  });

  it('warm start from any feasible point reaches the same optimum', () => {
    const n = 12;
    const H = psd(n, 20, [1.3, 2.7, 0.4], 1e-3);
    const c = Float64Array.from({ length: n }, (_, i) => -0.1 * Math.sin(i));
    const prob: QpProblem = { n, H, c, lower: new Float64Array(n), upper: new Float64Array(n).fill(0.3), A: new Float64Array(n).fill(1), b: Float64Array.of(1) };
    const a = solveQp(prob, new Float64Array(n).fill(1 / n));
    const b = solveQp(prob, Float64Array.from({ length: n }, (_, i) => (i < 3 ? 0.3 : i === 3 ? 0.1 : 0)));
    for (let i = 0; i < n; i++) expect(Math.abs(a.x[i] - b.x[i])).toBeLessThan(1e-10);
  });
});

describe('solveLp', () => {
  it('finds the best vertex with bounds and a group cap (hand-checked)', () => {
    // max 0.1a + 0.3b + 0.2c, a+b+c = 1, each ≤ 0.6, b + c ≤ 0.7 → b = 0.6, c = 0.1, a = 0.3.
    const lp = solveLp({
      n: 3, c: Float64Array.of(-0.1, -0.3, -0.2), lower: new Float64Array(3), upper: new Float64Array(3).fill(0.6),
      A: Float64Array.of(1, 1, 1), b: Float64Array.of(1), C: Float64Array.of(0, 1, 1), d: Float64Array.of(0.7),
    });
    expect(lp.x[0]).toBeCloseTo(0.3, 14);
    expect(lp.x[1]).toBeCloseTo(0.6, 14);
    expect(lp.x[2]).toBeCloseTo(0.1, 14);
    expect(lp.objective).toBeCloseTo(-0.23, 14);
  });

  it('reports infeasible and unbounded problems by name', () => {
    expect(() => solveLp({ n: 2, lower: new Float64Array(2), upper: new Float64Array(2).fill(0.4), A: Float64Array.of(1, 1), b: Float64Array.of(1) }))
      .toThrow(InfeasibleError);
    expect(() => solveLp({ n: 2, c: Float64Array.of(-1, 1), lower: new Float64Array(2).fill(-Infinity), upper: new Float64Array(2).fill(Infinity), A: Float64Array.of(1, 1), b: Float64Array.of(1) }))
      .toThrow(UnboundedError);
  });
});
