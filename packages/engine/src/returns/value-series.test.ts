import { describe, expect, it } from 'vitest';
import type { PriceMatrix } from '@aw/domain';
import type { LedgerTransaction } from './ledger.ts';
import { twr } from './twr.ts';
import { buildValueSeries } from './value-series.ts';

export function matrix(dates: string[], columns: Record<string, number[]>): PriceMatrix {
  const symbols = Object.keys(columns);
  const closes = new Float64Array(dates.length * symbols.length);
  dates.forEach((_, d) => symbols.forEach((s, j) => { closes[d * symbols.length + j] = columns[s]![d]!; }));
  return { dates, symbols, closes };
}
const tx = (date: string, type: LedgerTransaction['type'], symbol: string, quantity: number, price: number, feesCents = 0): LedgerTransaction =>
  ({ date, accountId: 'A1', type, symbol, quantity, price, feesCents });

describe('daily value series from transactions and closes', () => {
  const prices = matrix(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'], { AAA: [10, 11, 12, 10], BBB: [NaN, NaN, 20, 21] });

  it('values holdings at the close, cash exactly, and takes flows out of the value (worked by hand)', () => {
    const s = buildValueSeries([
      tx('2024-01-02', 'deposit', '', 1, 1000),
      tx('2024-01-02', 'buy', 'AAA', 50, 10),
      tx('2024-01-04', 'dividend', 'AAA', 1, 5),
      tx('2024-01-05', 'withdrawal', '', 1, 100),
    ], prices);
    expect(s).toEqual([
      { date: '2024-01-02', value: 0, flow: 1000 }, // 500 cash + 50 × 10, minus the day's deposit
      { date: '2024-01-03', value: 1050, flow: 0 }, // 500 + 50 × 11
      { date: '2024-01-04', value: 1105, flow: 0 }, // 505 + 50 × 12
      { date: '2024-01-05', value: 1005, flow: -100 }, // 405 + 50 × 10, plus the 100 withdrawn at the end of the day
    ]);
    expect(twr(s)).toBeCloseTo(0.005, 12); // 1050/1000 × 1105/1050 × 1005/1105
  });

  it('charges fees, applies splits, and falls back to the trade price before the first close', () => {
    const p2 = matrix(['2024-01-02', '2024-01-03', '2024-01-04'], { AAA: [10, 10, 5], BBB: [NaN, 20, 21] });
    const s = buildValueSeries([
      tx('2024-01-02', 'deposit', '', 1, 1000),
      tx('2024-01-02', 'buy', 'AAA', 50, 10, 100), // $1 commission
      tx('2024-01-02', 'buy', 'BBB', 10, 19), // no close yet: valued at 19
      tx('2024-01-03', 'fee', '', 1, 9),
      tx('2024-01-04', 'split', 'AAA', 2, 0), // 2-for-1: 100 shares at 5
    ], p2);
    expect(s.map((p) => Math.round((p.value + p.flow) * 100) / 100)).toEqual([
      309 + 500 + 190, // cash 1000 − 501 − 190
      300 + 500 + 200,
      300 + 500 + 210,
    ]);
  });

  it('adds transaction dates that have no price (a weekend deposit)', () => {
    const s = buildValueSeries([tx('2024-01-06', 'deposit', '', 1, 100)], matrix(['2024-01-05', '2024-01-08'], { AAA: [1, 1] }));
    expect(s.map((p) => p.date)).toEqual(['2024-01-06', '2024-01-08']);
    expect(s[1]).toEqual({ date: '2024-01-08', value: 100, flow: 0 });
  });

  it('starts mid-way from given holdings exactly as a full replay does', () => {
    const txs = [tx('2024-01-02', 'deposit', '', 1, 1000), tx('2024-01-02', 'buy', 'AAA', 50, 10), tx('2024-01-04', 'buy', 'BBB', 10, 20)];
    const full = buildValueSeries(txs, prices);
    expect(buildValueSeries(txs, prices, { from: '2024-01-04' })).toEqual(full.slice(2));
  });
});
