// The analytics worker's API (runs inside a Web Worker; plain data in, plain data out): an account's performance
// (value series from transactions + daily closes, TWR/IRR/risk statistics, periods, drawdown and benchmark lines
// for the charts), the tax-loss-harvesting scan of a household, and the risk questionnaire (definition, scoring,
// recommended model). The UI thread never runs these computations.
// Units: money in integer cents where it says Cents, chart values in decimal dollars, rates as fractions, ISO dates.
import type { IsoDate, Model, PriceMatrix, RiskProfile } from '@aw/domain';
import {
  amountCentsOf, benchmarkFromMatrix, buildValueSeries, seriesPerformance, sortByDate, type LedgerTransaction, type PerformanceReport,
} from '@aw/engine/returns';
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

export interface AnalyticsApi {
  accountPerformance(job: PerformanceJob, onProgress?: (p: AnalyticsProgress) => void): PerformanceView;
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
    onProgress?.({ stage: 'Done', done: 3, total: 3 });
    return {
      accountId: job.accountId, startDate: r.startDate, endDate: r.endDate,
      endValueCents: toCents(r.endValue), netFlowsCents: toCents(r.netFlows), assumedFundingCents: funded.assumedFundingCents,
      twr: r.twr, twrAnnualized: r.twrAnnualized, irr: r.irr, volatility: r.volatility,
      maxDrawdown: r.maxDrawdown, maxDrawdownPeak: r.maxDrawdownPeak, maxDrawdownTrough: r.maxDrawdownTrough,
      sharpe: r.sharpe, sortino: r.sortino, benchmarkSymbol: r.benchmarkSymbol, benchmarkReturn: r.benchmarkReturn,
      beta: r.beta, trackingError: r.trackingError, periods: r.periods,
      chart: { dates: r.dates, value, drawdown, growth, benchmarkGrowth },
      computeMs: performance.now() - t0,
    };
  },
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
