// The analytics worker's API (runs inside a Web Worker; plain data in, plain data out): an account's performance
// (value series from transactions + daily closes, TWR/IRR/risk statistics, periods, drawdown and benchmark lines
// for the charts), the efficient frontier of an account's securities with its current and model portfolios placed
// on it, the tax-loss-harvesting scan of a household, and the risk questionnaire (definition, scoring,
// recommended model). The UI thread never runs these computations.
// Units: money in integer cents where it says Cents, chart values in decimal dollars, rates as fractions, ISO dates.
import type { IsoDate, Model, ModelTarget, PriceMatrix, RiskProfile } from '@aw/domain';
import {
  amountCentsOf, benchmarkFromMatrix, buildValueSeries, periodReturns, seriesPerformance, sortByDate, type LedgerTransaction, type PerformanceReport,
  type PeriodReturn,
} from '@aw/engine/returns';
import {
  EstimatorError, OptimizeError, efficientFrontier, expectedReturns, optimize, portfolioPerformance, riskModel,
} from '@aw/engine/optimize';
import { harvestScan, type HarvestAccount, type HarvestHousehold, type HarvestLot, type HarvestResult } from '@aw/engine/tax';
import { PROFILE_WEIGHTS_V1, recommendModel, scoreRiskProfile, type ProfileItem, type QuestionnaireAnswers, type RiskProfileResult } from '@aw/engine/profile';

export type { HarvestCandidate, HarvestResult } from '@aw/engine/tax';
export type { PeriodReturn } from '@aw/engine/returns';
export type { ProfileItem, QuestionnaireAnswers, RiskProfileResult } from '@aw/engine/profile';

/** Daily closes of one symbol (ascending dates). */
export interface CloseSeries { symbol: string; dates: IsoDate[]; closes: number[] }

export interface AnalyticsProgress { stage: string; done: number; total: number }

export interface PerformanceJob {
  accountId: string;
  transactions: LedgerTransaction[];
  history: CloseSeries[];
  benchmarkSymbol?: string;
  riskFreeRate?: number;
}

/** The engine's report without its raw series, plus what the view needs (cents, chart arrays, funding). */
export interface PerformanceView extends Omit<PerformanceReport, 'days' | 'endValue' | 'netFlows' | 'dates' | 'index'> {
  accountId: string;
  startDate: IsoDate;
  endDate: IsoDate;
  endValueCents: number;
  netFlowsCents: number;
  /** Contributions assumed for buys the account's cash did not cover (see fundBuys). */
  assumedFundingCents: number;
  chart: { dates: IsoDate[]; value: number[]; drawdown: number[]; growth: number[]; benchmarkGrowth: number[] | null };
  /** The benchmark's returns over the same periods (null without a benchmark; a period it does not cover is null). */
  benchmarkPeriods: PeriodReturn[] | null;
  computeMs: number;
}

export interface HarvestJob {
  asOf: IsoDate;
  households: HarvestHousehold[];
  accounts: HarvestAccount[];
  lots: HarvestLot[];
  prices: [string, number][];
  tlhGroups: [string, string][];
  recentLossSales?: { householdId: string; symbol: string; date: IsoDate }[];
}

export interface ProfileJob {
  answers: QuestionnaireAnswers;
  models: Pick<Model, 'id' | 'teamId' | 'name' | 'riskProfile'>[];
  teamId: string;
}

export interface ProfileView {
  result: RiskProfileResult;
  model: { id: string; name: string; riskProfile: RiskProfile } | null;
}

/** Dense price matrix (union of dates, NaN where a symbol has no close) from per-symbol series. */
export function priceMatrixFromSeries(series: readonly CloseSeries[]): PriceMatrix {
  const dates = [...new Set(series.flatMap((s) => s.dates))].sort();
  const row = new Map(dates.map((d, i) => [d, i]));
  const n = series.length;
  const closes = new Float64Array(dates.length * n).fill(NaN);
  series.forEach((s, c) => s.dates.forEach((d, i) => { closes[row.get(d)! * n + c] = s.closes[i]!; }));
  return { dates, symbols: series.map((s) => s.symbol), closes };
}

/**
 * Accounts funded by transfers in (buys without deposits, as in the demo book) would run negative cash, which
 * makes a time-weighted return undefined. Convention: any part of a buy (or fee) that the account's cash does
 * not cover is an external contribution on that date, added as a deposit just before it.
 */
export function fundBuys(txs: readonly LedgerTransaction[]): { transactions: LedgerTransaction[]; assumedFundingCents: number } {
  let cash = 0, assumed = 0;
  const out: LedgerTransaction[] = [];
  for (const t of sortByDate(txs)) {
    const amount = amountCentsOf(t), fees = t.feesCents ?? 0;
    const delta = t.type === 'buy' || t.type === 'withdrawal' || t.type === 'fee' ? -(amount + fees)
      : t.type === 'sell' || t.type === 'dividend' || t.type === 'deposit' ? amount - fees : -fees;
    if ((t.type === 'buy' || t.type === 'fee') && cash + delta < 0) {
      const need = -(cash + delta);
      out.push({ id: `${t.id ?? t.date}-funding`, date: t.date, accountId: t.accountId, type: 'deposit', symbol: '', quantity: 1, price: need / 100, amountCents: need });
      cash += need; assumed += need;
    }
    cash += delta;
    out.push(t);
  }
  return { transactions: out, assumedFundingCents: assumed };
}

export interface FrontierJob {
  accountId: string;
  history: CloseSeries[];
  /** The account's positions: market value in cents and asset class (cash is not a frontier asset). */
  positions: { symbol: string; assetClass: string; valueCents: number }[];
  /** The account's model (null when it has none). */
  model: { id: string; name: string; targets: ModelTarget[] } | null;
  /** Asset class of every security the model may map to. */
  assetClasses: [string, string][];
  points?: number;
  riskFreeRate?: number;
  /** Trading days of history used (default 756, about three years). */
  lookbackDays?: number;
  /** Fewest closes in the window a security needs to take part (default 120). */
  minCloses?: number;
}

export interface FrontierPointView {
  expectedReturn: number;
  volatility: number;
  sharpe: number;
  /** Largest weights first (at most 6), fractions. */
  top: [string, number][];
}

export interface FrontierView {
  accountId: string;
  symbols: string[];
  /** The efficient frontier, by increasing volatility (and return). */
  points: FrontierPointView[];
  minVolatility: FrontierPointView;
  maxSharpe: FrontierPointView | null;
  current: FrontierPointView | null;
  model: (FrontierPointView & { name: string; cashWeight: number }) | null;
  window: { from: IsoDate; to: IsoDate; days: number };
  riskFreeRate: number;
  /** Things the advisor should know (securities left out, model targets not mapped, no max-Sharpe portfolio). */
  notes: string[];
  computeMs: number;
}

/** An expected failure, told to the advisor: too little history, or an optimization with no solution. */
export interface FrontierProblem { code: 'insufficient_history' | 'infeasible' | 'no_positions'; message: string }
export type FrontierOutcome = { ok: true; view: FrontierView } | { ok: false; problem: FrontierProblem };

const CASH_KEY = 'CASH';

/**
 * A model's targets as security weights, the way the rebalance engine buys them: a security target is that
 * symbol; an asset-class target goes to its first preferred symbol that has prices (here: history), else to the
 * account's largest holding of that class. Cash is left out and the rest renormalized to 1 (`cashWeight` says how
 * much was cash); targets with no security are named in `unmapped`.
 */
export function modelSecurityWeights(
  targets: readonly ModelTarget[], positions: readonly { symbol: string; assetClass: string; valueCents: number }[],
  priced: (symbol: string) => boolean,
): { weights: Map<string, number>; cashWeight: number; unmapped: string[] } {
  const weights = new Map<string, number>();
  const unmapped: string[] = [];
  let cashWeight = 0;
  for (const t of targets) {
    if (t.weight <= 0) continue;
    if (t.key === CASH_KEY) { cashWeight += t.weight; continue; }
    const held = positions.filter((p) => p.assetClass === t.key && priced(p.symbol))
      .sort((a, b) => b.valueCents - a.valueCents || (a.symbol < b.symbol ? -1 : 1)).map((p) => p.symbol);
    const symbol = t.kind === 'security' ? (priced(t.key) ? t.key : undefined) : (t.symbols.find(priced) ?? held[0]);
    if (symbol === undefined) { unmapped.push(t.key); continue; }
    weights.set(symbol, (weights.get(symbol) ?? 0) + t.weight);
  }
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  for (const [k, v] of weights) weights.set(k, v / total);
  return { weights, cashWeight, unmapped };
}

/** The last `days` dates of a price matrix (all symbols). */
function lastRows(m: PriceMatrix, days: number): PriceMatrix {
  const start = Math.max(0, m.dates.length - days);
  return { dates: m.dates.slice(start), symbols: m.symbols, closes: m.closes.slice(start * m.symbols.length) };
}

function pointView(w: ArrayLike<number>, symbols: readonly string[], mu: Float64Array, cov: Float64Array, rf: number): FrontierPointView {
  const perf = portfolioPerformance(w, mu, cov, rf);
  const top = symbols.map((s, i) => [s, w[i]!] as [string, number]).filter(([, x]) => x > 1e-4).sort((a, b) => b[1] - a[1]).slice(0, 6);
  return { ...perf, top };
}

function frontierOf(job: FrontierJob, onProgress?: (p: AnalyticsProgress) => void): FrontierOutcome {
  const t0 = performance.now();
  const total = 4;
  const rf = job.riskFreeRate ?? 0.02;
  const minCloses = job.minCloses ?? 120;
  const notes: string[] = [];
  onProgress?.({ stage: 'Building the price matrix', done: 0, total });
  const all = lastRows(priceMatrixFromSeries(job.history), job.lookbackDays ?? 756);
  const S = all.symbols.length;
  const counts = all.symbols.map((_, c) => { let k = 0; for (let d = 0; d < all.dates.length; d++) if (!Number.isNaN(all.closes[d * S + c]!)) k++; return k; });
  const usable = new Set(all.symbols.filter((_, c) => counts[c]! >= minCloses));
  const short = all.symbols.filter((s) => !usable.has(s));
  const positions = job.positions.filter((p) => p.valueCents > 0);
  if (positions.length === 0 && !job.model) return { ok: false, problem: { code: 'no_positions', message: 'This account holds no securities and has no model: there is no portfolio to place on a frontier.' } };
  const mapped = job.model ? modelSecurityWeights(job.model.targets, positions, (s) => usable.has(s)) : null;
  const universe = [...new Set([...positions.map((p) => p.symbol), ...(mapped ? mapped.weights.keys() : [])])].filter((s) => usable.has(s)).sort();
  if (universe.length < 2) {
    const lacking = [...new Set([...positions.map((p) => p.symbol), ...short])].filter((s) => !usable.has(s));
    return { ok: false, problem: { code: 'insufficient_history', message: `Not enough price history for a frontier: it needs at least two securities with ${minCloses} daily closes in the last ${job.lookbackDays ?? 756} trading days`
      + `${lacking.length ? `; too short: ${lacking.slice(0, 6).join(', ')}${lacking.length > 6 ? ', …' : ''}` : ''}.` } };
  }
  const leftOut = positions.filter((p) => !usable.has(p.symbol));
  if (leftOut.length) notes.push(`Left out for too little history (under ${minCloses} closes): ${leftOut.map((p) => p.symbol).join(', ')}.`);
  if (mapped?.unmapped.length) notes.push(`Model targets with no security to map to: ${mapped.unmapped.join(', ')}.`);
  if (mapped && mapped.cashWeight > 0) notes.push(`The model's ${(mapped.cashWeight * 100).toFixed(1)}% cash target is left out; its securities are scaled to 100%.`);
  const cols = universe.map((s) => all.symbols.indexOf(s));
  const n = universe.length;
  const closes = new Float64Array(all.dates.length * n);
  for (let d = 0; d < all.dates.length; d++) for (let j = 0; j < n; j++) closes[d * n + j] = all.closes[d * S + cols[j]!]!;
  const prices: PriceMatrix = { dates: all.dates, symbols: universe, closes };
  try {
    onProgress?.({ stage: `Estimating returns and covariance of ${n} securities`, done: 1, total });
    const mu = expectedReturns(prices, { method: 'mean' });
    const { cov } = riskModel(prices, { method: 'ledoit-wolf' });
    onProgress?.({ stage: 'Tracing the efficient frontier', done: 2, total });
    const f = efficientFrontier({ symbols: universe, mu, cov }, { points: job.points ?? 40, riskFreeRate: rf });
    const points = f.points.map((p) => pointView(p.rawWeights, universe, mu, cov, rf)).sort((a, b) => a.volatility - b.volatility || a.expectedReturn - b.expectedReturn);
    onProgress?.({ stage: 'Placing the portfolios', done: 3, total });
    let maxSharpe: FrontierPointView | null = null;
    try {
      maxSharpe = pointView(optimize({ symbols: universe, mu, cov }, { objective: 'max-sharpe', riskFreeRate: rf }).rawWeights, universe, mu, cov, rf);
    } catch (err) {
      if (!(err instanceof OptimizeError)) throw err;
      notes.push(`No maximum-Sharpe portfolio: ${err.message} (no security is expected to beat the ${(rf * 100).toFixed(1)}% risk-free rate).`);
    }
    const minVolatility = pointView(optimize({ symbols: universe, mu, cov }, { objective: 'min-volatility', riskFreeRate: rf }).rawWeights, universe, mu, cov, rf);
    const held = positions.filter((p) => usable.has(p.symbol));
    const heldTotal = held.reduce((a, p) => a + p.valueCents, 0);
    const current = heldTotal > 0 ? pointView(universe.map((s) => held.filter((p) => p.symbol === s).reduce((a, p) => a + p.valueCents, 0) / heldTotal), universe, mu, cov, rf) : null;
    const model = mapped && mapped.weights.size > 0 && job.model
      ? { ...pointView(universe.map((s) => mapped.weights.get(s) ?? 0), universe, mu, cov, rf), name: job.model.name, cashWeight: mapped.cashWeight } : null;
    onProgress?.({ stage: 'Done', done: total, total });
    return { ok: true, view: {
      accountId: job.accountId, symbols: universe, points, minVolatility, maxSharpe, current, model,
      window: { from: prices.dates[0]!, to: prices.dates.at(-1)!, days: prices.dates.length }, riskFreeRate: rf, notes,
      computeMs: performance.now() - t0,
    } };
  } catch (err) {
    if (err instanceof EstimatorError) return { ok: false, problem: { code: 'insufficient_history', message: `Not enough price history for a frontier: ${err.message}.` } };
    if (err instanceof OptimizeError) return { ok: false, problem: { code: 'infeasible', message: `The frontier has no solution for these securities: ${err.message}.` } };
    throw err;
  }
}

export interface AnalyticsApi {
  accountPerformance(job: PerformanceJob, onProgress?: (p: AnalyticsProgress) => void): PerformanceView;
  frontier(job: FrontierJob, onProgress?: (p: AnalyticsProgress) => void): FrontierOutcome;
  harvest(job: HarvestJob, onProgress?: (p: AnalyticsProgress) => void): HarvestResult & { computeMs: number };
  questionnaire(): { version: string; items: ProfileItem[] };
  scoreProfile(job: ProfileJob): ProfileView;
}

const toCents = (x: number): number => Math.round(x * 100);

export const analyticsService: AnalyticsApi = {
  accountPerformance(job, onProgress) {
    const t0 = performance.now();
    onProgress?.({ stage: 'Building the price matrix', done: 0, total: 3 });
    const prices = priceMatrixFromSeries(job.history);
    if (job.transactions.length === 0) throw new RangeError(`account ${job.accountId} has no transactions to measure`);
    const funded = fundBuys(job.transactions);
    onProgress?.({ stage: 'Valuing every day', done: 1, total: 3 });
    const bench = job.benchmarkSymbol && prices.symbols.includes(job.benchmarkSymbol) ? job.benchmarkSymbol : undefined;
    const series = buildValueSeries(funded.transactions, prices);
    const benchmark = bench ? benchmarkFromMatrix(prices, bench) : undefined;
    const r = seriesPerformance(series, { benchmark, riskFreeRate: job.riskFreeRate });
    onProgress?.({ stage: 'Preparing the charts', done: 2, total: 3 });
    const n = r.dates.length;
    const value: number[] = new Array(n), drawdown: number[] = new Array(n), growth: number[] = new Array(n);
    let peak = -Infinity;
    for (let i = 0; i < n; i++) {
      const g = r.index[i]! / r.index[0]!;
      growth[i] = g;
      peak = Math.max(peak, g);
      drawdown[i] = g / peak - 1;
    }
    for (let i = 0; i < n; i++) value[i] = series[i]!.value + series[i]!.flow; // after the day's flow
    let benchmarkGrowth: number[] | null = null;
    if (bench) {
      const c = prices.symbols.indexOf(bench), S = prices.symbols.length;
      const at = new Map(prices.dates.map((d, i) => [d, prices.closes[i * S + c]!]));
      let last = NaN, base = NaN;
      benchmarkGrowth = r.dates.map((d) => {
        const v = at.get(d);
        if (v !== undefined && !Number.isNaN(v)) last = v;
        if (Number.isNaN(base) && !Number.isNaN(last)) base = last;
        return last / base;
      });
    }
    let benchmarkPeriods: PeriodReturn[] | null = null;
    if (benchmarkGrowth) {
      const first = benchmarkGrowth.findIndex((g) => Number.isFinite(g));
      benchmarkPeriods = first < 0 ? null : periodReturns(r.dates.slice(first), benchmarkGrowth.slice(first), r.endDate)
        .map((p) => (first > 0 && p.period === 'inception' ? { ...p, return: null, annualized: null } : p));
    }
    onProgress?.({ stage: 'Done', done: 3, total: 3 });
    return {
      accountId: job.accountId, startDate: r.startDate, endDate: r.endDate,
      endValueCents: toCents(r.endValue), netFlowsCents: toCents(r.netFlows), assumedFundingCents: funded.assumedFundingCents,
      twr: r.twr, twrAnnualized: r.twrAnnualized, irr: r.irr, volatility: r.volatility,
      maxDrawdown: r.maxDrawdown, maxDrawdownPeak: r.maxDrawdownPeak, maxDrawdownTrough: r.maxDrawdownTrough,
      sharpe: r.sharpe, sortino: r.sortino, benchmarkSymbol: r.benchmarkSymbol, benchmarkReturn: r.benchmarkReturn,
      beta: r.beta, trackingError: r.trackingError, periods: r.periods,
      chart: { dates: r.dates, value, drawdown, growth, benchmarkGrowth }, benchmarkPeriods,
      computeMs: performance.now() - t0,
    };
  },
  frontier: frontierOf,
  harvest(job, onProgress) {
    const t0 = performance.now();
    onProgress?.({ stage: `Scanning ${job.lots.length} lots`, done: 0, total: 1 });
    const r = harvestScan({
      asOf: job.asOf, households: job.households, accounts: job.accounts, lots: job.lots,
      prices: new Map(job.prices), tlhGroups: new Map(job.tlhGroups), recentLossSales: job.recentLossSales,
    });
    onProgress?.({ stage: 'Done', done: 1, total: 1 });
    return { ...r, computeMs: performance.now() - t0 };
  },
  questionnaire: () => ({ version: PROFILE_WEIGHTS_V1.version, items: PROFILE_WEIGHTS_V1.items }),
  scoreProfile(job) {
    const result = scoreRiskProfile(job.answers);
    const m = recommendModel(result.band, job.models, job.teamId);
    return { result, model: m ? { id: m.id, name: m.name, riskProfile: m.riskProfile } : null };
  },
};
