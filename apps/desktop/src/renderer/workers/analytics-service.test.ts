import { describe, expect, it } from 'vitest';
import { generateBook, latestCloses } from '@aw/demo';
import { performanceMetrics } from '@aw/engine/returns';
import {
  analyticsService, fundBuys, modelSecurityWeights, priceMatrixFromSeries, type CloseSeries, type FrontierJob, type FrontierPointView, type FrontierView,
} from './analytics-service.ts';

const seriesOf = (m: { dates: string[]; symbols: string[]; closes: Float64Array }, symbols: string[]): CloseSeries[] => symbols.map((s) => {
  const c = m.symbols.indexOf(s), n = m.symbols.length;
  const dates: string[] = [], closes: number[] = [];
  m.dates.forEach((d, i) => { const v = m.closes[i * n + c]!; if (!Number.isNaN(v)) { dates.push(d); closes.push(v); } });
  return { symbol: s, dates, closes };
});

describe('priceMatrixFromSeries', () => {
  it('unions dates and leaves NaN where a symbol has no close', () => {
    const m = priceMatrixFromSeries([
      { symbol: 'A', dates: ['2026-01-02', '2026-01-05'], closes: [10, 11] },
      { symbol: 'B', dates: ['2026-01-05', '2026-01-06'], closes: [20, 21] },
    ]);
    expect(m.dates).toEqual(['2026-01-02', '2026-01-05', '2026-01-06']);
    expect([...m.closes]).toEqual([10, NaN, 11, 20, NaN, 21]);
  });
});

describe('fundBuys', () => {
  it('adds the shortfall of a buy as a deposit just before it, and nothing when cash covers it', () => {
    const { transactions, assumedFundingCents } = fundBuys([
      { date: '2026-01-02', accountId: 'a', type: 'deposit', symbol: '', quantity: 1, price: 500 },
      { date: '2026-01-03', accountId: 'a', type: 'buy', symbol: 'X', quantity: 10, price: 80, feesCents: 100 },
      { date: '2026-01-04', accountId: 'a', type: 'buy', symbol: 'X', quantity: 1, price: 50 },
    ]);
    expect(assumedFundingCents).toBe(80_000 + 100 - 50_000 + 5_000);
    expect(transactions.map((t) => [t.type, t.amountCents ?? null])).toEqual([
      ['deposit', null], ['deposit', 30_100], ['buy', null], ['deposit', 5_000], ['buy', null],
    ]);
  });
});

describe('accountPerformance', () => {
  const book = generateBook({ households: 2, seed: 7 });
  const account = book.accounts[0]!;
  const txs = book.transactions.filter((t) => t.accountId === account.id);
  const symbols = [...new Set(txs.map((t) => t.symbol).filter(Boolean))];
  const bench = book.prices.symbols.find((s) => !symbols.includes(s))!;

  it('matches the engine on the funded transactions and the same closes, with charts of the same length', () => {
    const view = analyticsService.accountPerformance({ accountId: account.id, transactions: txs, history: seriesOf(book.prices, [...symbols, bench]), benchmarkSymbol: bench });
    const direct = performanceMetrics({ transactions: fundBuys(txs).transactions, prices: book.prices, benchmarkSymbol: bench });
    expect(view.twr).toBeCloseTo(direct.twr, 10);
    expect(view.maxDrawdown).toBeCloseTo(direct.maxDrawdown, 10);
    expect(view.periods.map((p) => p.return)).toEqual(direct.periods.map((p) => p.return));
    expect(view.endValueCents).toBe(Math.round(direct.endValue * 100));
    expect(view.chart.value).toHaveLength(view.chart.dates.length);
    expect(view.chart.benchmarkGrowth).toHaveLength(view.chart.dates.length);
    expect(Math.min(...view.chart.drawdown)).toBeCloseTo(view.maxDrawdown, 10);
    expect(view.assumedFundingCents).toBeGreaterThan(0);
  });

  it('gives the benchmark\'s returns over the same periods, from its own closes', () => {
    const view = analyticsService.accountPerformance({ accountId: account.id, transactions: txs, history: seriesOf(book.prices, [...symbols, bench]), benchmarkSymbol: bench });
    const c = book.prices.symbols.indexOf(bench), S = book.prices.symbols.length;
    const closeOn = (d: string) => { // last close on or before d
      let v = NaN;
      book.prices.dates.forEach((x, i) => { if (x <= d && !Number.isNaN(book.prices.closes[i * S + c]!)) v = book.prices.closes[i * S + c]!; });
      return v;
    };
    const inception = view.benchmarkPeriods!.find((p) => p.period === 'inception')!;
    expect(inception.return).toBeCloseTo(closeOn(view.endDate) / closeOn(view.startDate) - 1, 12);
    expect(inception.return).toBeCloseTo(view.benchmarkReturn!, 12);
    const oneYear = view.benchmarkPeriods!.find((p) => p.period === '1Y')!;
    expect(oneYear.return).toBeCloseTo(closeOn(view.endDate) / closeOn(oneYear.startDate!) - 1, 12);
    expect(view.benchmarkPeriods!.map((p) => p.period)).toEqual(view.periods.map((p) => p.period));
  });

  it('reports progress to the end', () => {
    const stages: number[] = [];
    analyticsService.accountPerformance({ accountId: account.id, transactions: txs, history: seriesOf(book.prices, symbols) }, (p) => stages.push(p.done));
    expect(stages.at(-1)).toBe(3);
  });
});

describe('modelSecurityWeights', () => {
  it('maps asset-class targets to their first priced preferred symbol, else the largest holding of the class, and leaves cash out', () => {
    const r = modelSecurityWeights([
      { kind: 'assetClass', key: 'US Equity', weight: 0.5, symbols: ['NOPX', 'VTI'] },
      { kind: 'assetClass', key: 'Bonds', weight: 0.3, symbols: [] },
      { kind: 'security', key: 'GLD', weight: 0.1, symbols: [] },
      { kind: 'assetClass', key: 'Crypto', weight: 0.05, symbols: [] },
      { kind: 'assetClass', key: 'CASH', weight: 0.05, symbols: [] },
    ], [
      { symbol: 'BND', assetClass: 'Bonds', valueCents: 100 }, { symbol: 'AGG', assetClass: 'Bonds', valueCents: 900 },
    ], (s) => s !== 'NOPX');
    expect([...r.weights]).toEqual([['VTI', 0.5 / 0.9], ['AGG', 0.3 / 0.9], ['GLD', 0.1 / 0.9]]);
    expect(r.cashWeight).toBe(0.05);
    expect(r.unmapped).toEqual(['Crypto']);
  });
});

describe('frontier', () => {
  const book = generateBook({ households: 2, seed: 7 });
  const latest = latestCloses(book.prices);
  const classOf = new Map(book.securities.map((s) => [s.symbol, s.assetClass]));
  const account = book.accounts.find((a) => book.lots.filter((l) => l.accountId === a.id).length >= 5)!;
  const byCents = new Map<string, number>();
  for (const l of book.lots.filter((x) => x.accountId === account.id)) byCents.set(l.symbol, (byCents.get(l.symbol) ?? 0) + Math.round(l.quantity * latest.get(l.symbol)! * 100));
  const positions = [...byCents].map(([symbol, valueCents]) => ({ symbol, assetClass: classOf.get(symbol)!, valueCents }));
  const model = book.models.find((m) => m.id === account.modelId)!;
  const modelSymbols = model.targets.flatMap((t) => (t.kind === 'security' ? [t.key] : t.symbols));
  const job: FrontierJob = {
    accountId: account.id, positions, model: { id: model.id, name: model.name, targets: model.targets },
    assetClasses: [...classOf], history: seriesOf(book.prices, [...new Set([...byCents.keys(), ...modelSymbols])]), points: 25,
  };
  const outcome = analyticsService.frontier(job);
  const view = (outcome.ok ? outcome.view : null) as FrontierView;
  /** The frontier's return at volatility `v` (linear between its points; its top return beyond the last one). */
  const frontierReturnAt = (v: number): number => {
    const ps = view.points;
    if (v >= ps.at(-1)!.volatility) return ps.at(-1)!.expectedReturn;
    const k = ps.findIndex((p) => p.volatility >= v);
    if (k <= 0) return ps[0]!.expectedReturn;
    const a = ps[k - 1]!, b = ps[k]!;
    return a.expectedReturn + ((b.expectedReturn - a.expectedReturn) * (v - a.volatility)) / (b.volatility - a.volatility);
  };
  // The chord between two frontier points lies under the (concave) frontier: under the chord = inside the frontier.
  const underFrontier = (p: FrontierPointView) => {
    expect(p.volatility).toBeGreaterThanOrEqual(view.minVolatility.volatility - 1e-9);
    expect(p.expectedReturn).toBeLessThanOrEqual(frontierReturnAt(p.volatility) + 1e-6);
  };
  // A portfolio ON the frontier: between the returns of the frontier points around its volatility.
  const onFrontier = (p: FrontierPointView) => {
    const k = view.points.findIndex((x) => x.volatility >= p.volatility - 1e-9);
    expect(k).toBeGreaterThanOrEqual(0);
    expect(p.expectedReturn).toBeLessThanOrEqual(view.points[k]!.expectedReturn + 1e-6);
    expect(p.expectedReturn).toBeGreaterThanOrEqual(frontierReturnAt(p.volatility) - 1e-6);
  };

  it('traces the asked number of points by increasing volatility and return, from the minimum-volatility portfolio', () => {
    expect(outcome.ok, outcome.ok ? '' : outcome.problem.message).toBe(true);
    expect(view.points).toHaveLength(25);
    for (let i = 1; i < view.points.length; i++) {
      expect(view.points[i]!.volatility).toBeGreaterThanOrEqual(view.points[i - 1]!.volatility - 1e-12);
      expect(view.points[i]!.expectedReturn).toBeGreaterThanOrEqual(view.points[i - 1]!.expectedReturn - 1e-9);
    }
    expect(view.points[0]!.volatility).toBeCloseTo(view.minVolatility.volatility, 6);
    for (const p of view.points) expect(p.top.reduce((a, [, w]) => a + w, 0)).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('places the current and model portfolios on or under the frontier, and max-Sharpe above every frontier point\'s Sharpe', () => {
    expect(view.current).not.toBeNull();
    expect(view.model?.name).toBe(model.name);
    underFrontier(view.current!);
    underFrontier(view.model!);
    onFrontier(view.maxSharpe!);
    onFrontier(view.minVolatility);
    for (const p of view.points) expect(view.maxSharpe!.sharpe).toBeGreaterThanOrEqual(p.sharpe - 1e-6);
    expect(view.symbols).toEqual(expect.arrayContaining([...byCents.keys()]));
  });

  it('weights the current portfolio by market value', () => {
    const biggest = [...byCents].sort((a, b) => b[1] - a[1])[0]!;
    const total = [...byCents.values()].reduce((a, b) => a + b, 0);
    expect(view.current!.top[0]![0]).toBe(biggest[0]);
    expect(view.current!.top[0]![1]).toBeCloseTo(biggest[1] / total, 12);
  });

  it('says there is not enough history instead of drawing a frontier from a few closes', () => {
    const short = analyticsService.frontier({ ...job, history: job.history.map((h) => ({ symbol: h.symbol, dates: h.dates.slice(-30), closes: h.closes.slice(-30) })) });
    expect(short.ok).toBe(false);
    if (!short.ok) {
      expect(short.problem.code).toBe('insufficient_history');
      expect(short.problem.message).toMatch(/Not enough price history/);
    }
  });

  it('reports progress to the end', () => {
    const seen: string[] = [];
    analyticsService.frontier(job, (p) => seen.push(`${p.done}/${p.total}`));
    expect(seen).toEqual(['0/4', '1/4', '2/4', '3/4', '4/4']);
  });
});

describe('scoreProfile', () => {
  it('returns the band and the firm model of that band', () => {
    const q = analyticsService.questionnaire();
    const answers = Object.fromEntries(q.items.map((it) => [it.id, it.answers ? Object.keys(it.answers).at(-1)! : it.numeric!.minValue]));
    const models = [{ id: 'm1', teamId: '', name: 'Growth', riskProfile: 'aggressive' as const }, { id: 'm2', teamId: '', name: 'Income', riskProfile: 'conservative' as const }];
    const v = analyticsService.scoreProfile({ answers, models, teamId: 'demo' });
    expect(v.result.reasons.length).toBeGreaterThan(0);
    expect(v.model?.riskProfile).toBe(v.result.band);
  });
});
