import { describe, expect, it } from 'vitest';
import { generateBook } from '@aw/demo';
import { performanceMetrics } from '@aw/engine/returns';
import { analyticsService, fundBuys, priceMatrixFromSeries, type CloseSeries } from './analytics-service.ts';

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

  it('reports progress to the end', () => {
    const stages: number[] = [];
    analyticsService.accountPerformance({ accountId: account.id, transactions: txs, history: seriesOf(book.prices, symbols) }, (p) => stages.push(p.done));
    expect(stages.at(-1)).toBe(3);
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
