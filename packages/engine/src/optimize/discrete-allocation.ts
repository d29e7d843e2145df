// Discrete allocation: whole shares for a cash amount that track target weights (PyPortfolioOpt
// `DiscreteAllocation.greedy_portfolio`, long-only part): first buy ⌊w·V/price⌋ shares of each asset in order of
// descending weight, then repeatedly buy one share of the affordable asset whose current weight falls furthest
// below its target, until no such asset is affordable.
// Units: weights are fractions; prices are per share in the portfolio currency; cash is integer cents
// (`totalCents`, `leftoverCents`). The cost of each position is quantity × price rounded once to the cent, so the
// allocation plus the leftover equals the cash exactly.
import { mulToCents } from '@aw/domain';
import { OptimizeInputError } from './errors.ts';

export interface DiscreteAllocationInput {
  /** Target weights by symbol (negative weights are rejected; zero weights are ignored). */
  weights: Record<string, number>;
  /** Latest price per share by symbol. */
  prices: Record<string, number> | Map<string, number>;
  /** Cash to invest, integer cents. */
  totalCents: number;
}

export interface DiscreteAllocation {
  /** Whole shares by symbol (only symbols with at least one share). */
  shares: Record<string, number>;
  /** Cents not invested. */
  leftoverCents: number;
  /** Cost of each position in cents. */
  costCents: Record<string, number>;
}

export function discreteAllocation(input: DiscreteAllocationInput): DiscreteAllocation {
  const { totalCents } = input;
  if (!Number.isInteger(totalCents) || totalCents <= 0) throw new OptimizeInputError(`cash must be a positive whole number of cents, got ${totalCents}`);
  const priceOf = (s: string): number | undefined =>
    input.prices instanceof Map ? input.prices.get(s) : (input.prices as Record<string, number>)[s];
  const entries = Object.entries(input.weights).filter(([, w]) => w !== 0);
  for (const [s, w] of entries) {
    if (!Number.isFinite(w) || w < 0) throw new OptimizeInputError(`weight of ${s} must be a non-negative number, got ${w}`);
    const p = priceOf(s);
    if (p === undefined || !(p > 0) || !Number.isFinite(p)) throw new OptimizeInputError(`no positive price for ${s}`);
  }
  if (entries.length === 0) throw new OptimizeInputError('no positive weights to allocate');
  // Descending weight; stable for equal weights.
  entries.sort((a, b) => b[1] - a[1]);
  const symbols = entries.map(([s]) => s);
  const weights = entries.map(([, w]) => w);
  const prices = symbols.map((s) => priceOf(s)!);
  const total = totalCents / 100;
  const shares = new Array<number>(symbols.length).fill(0);
  const cost = new Array<number>(symbols.length).fill(0);
  let available = totalCents;
  for (let i = 0; i < symbols.length; i++) {
    const n = Math.floor((weights[i] * total) / prices[i]);
    const c = n > 0 ? mulToCents(n, prices[i]) : 0;
    if (c > available) continue; // only possible through cent rounding at the margin
    shares[i] = n;
    cost[i] = c;
    available -= c;
  }
  const ideal = weights;
  for (;;) {
    const invested = shares.reduce((acc, n, i) => acc + n * prices[i], 0);
    const deficit = ideal.map((w, i) => w - (invested > 0 ? (shares[i] * prices[i]) / invested : 0));
    // Most under-weight asset whose next share is affordable (PyPortfolioOpt gives up after 10 skips).
    let pick = -1;
    for (let tries = 0; tries < 10; tries++) {
      let idx = -1;
      for (let i = 0; i < deficit.length; i++) if (idx < 0 || deficit[i] > deficit[idx]) idx = i;
      if (idx < 0 || deficit[idx] <= 0) break;
      const next = mulToCents(shares[idx] + 1, prices[idx]) - cost[idx];
      if (next <= available) { pick = idx; break; }
      deficit[idx] = 0;
    }
    if (pick < 0) break;
    const newCost = mulToCents(shares[pick] + 1, prices[pick]);
    available -= newCost - cost[pick];
    cost[pick] = newCost;
    shares[pick] += 1;
  }
  const out: Record<string, number> = {};
  const costCents: Record<string, number> = {};
  symbols.forEach((s, i) => {
    if (shares[i] > 0) { out[s] = shares[i]; costCents[s] = cost[i]; }
  });
  return { shares: out, leftoverCents: available, costCents };
}
