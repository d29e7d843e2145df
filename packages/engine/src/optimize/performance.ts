// Portfolio performance and weight cleaning (PyPortfolioOpt `portfolio_performance`, `clean_weights`).
// Units: weights are fractions of the portfolio (sum 1); returns and volatility are annual fractions; the Sharpe
// ratio is (expectedReturn − riskFreeRate) / volatility with the annual risk-free rate.

export interface Performance {
  expectedReturn: number;
  volatility: number;
  sharpe: number;
}

export function portfolioVariance(w: ArrayLike<number>, cov: ArrayLike<number>, n: number): number {
  const nz: number[] = [];
  for (let i = 0; i < n; i++) if (w[i] !== 0) nz.push(i);
  let v = 0;
  for (const i of nz) {
    let s = 0;
    const o = i * n;
    for (const j of nz) s += cov[o + j] * w[j];
    v += w[i] * s;
  }
  return v;
}

export function portfolioPerformance(
  w: ArrayLike<number>, mu: ArrayLike<number>, cov: ArrayLike<number>, riskFreeRate = 0.02,
): Performance {
  const n = mu.length;
  let ret = 0;
  for (let i = 0; i < n; i++) ret += w[i] * mu[i];
  const volatility = Math.sqrt(Math.max(0, portfolioVariance(w, cov, n)));
  return { expectedReturn: ret, volatility, sharpe: (ret - riskFreeRate) / volatility };
}

export interface CleanOptions {
  /** Weights with |w| below this become 0; default 1e-4. */
  cutoff?: number;
  /** Decimal places kept; default 5. */
  rounding?: number;
}

/** Symbol → weight with tiny weights zeroed and the rest rounded (like clean_weights). */
export function cleanWeights(w: ArrayLike<number>, symbols: string[], opts: CleanOptions = {}): Record<string, number> {
  const cutoff = opts.cutoff ?? 1e-4;
  const scale = 10 ** (opts.rounding ?? 5);
  const out: Record<string, number> = {};
  for (let i = 0; i < symbols.length; i++) {
    const v = w[i];
    const r = Math.abs(v) < cutoff ? 0 : Math.sign(v) * (Math.round(Math.abs(v) * scale) / scale);
    out[symbols[i]] = r === 0 ? 0 : r;
  }
  return out;
}
