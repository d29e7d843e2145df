import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PriceMatrix } from '@aw/domain';
import { addDays } from './day-count.ts';
import type { LedgerTransaction } from './ledger.ts';
import { twr } from './twr.ts';
import { earliestPriceChange, earliestTransactionChange, snapshotsStale, updateSnapshots } from './snapshots.ts';
import { buildValueSeries } from './value-series.ts';

function market(days: number): PriceMatrix {
  const dates: string[] = [], closes: number[] = [];
  for (let i = 0; i < days; i++) {
    dates.push(addDays('2024-01-01', i));
    closes.push(100 * (1 + 0.1 * Math.sin(i / 7)), 50 + i * 0.1);
  }
  return { dates, symbols: ['AAA', 'BBB'], closes: Float64Array.from(closes) };
}
const prices = market(120);
const txs: LedgerTransaction[] = [
  { id: 't1', date: '2024-01-01', accountId: 'A', type: 'deposit', symbol: '', quantity: 1, price: 10000 },
  { id: 't2', date: '2024-01-01', accountId: 'A', type: 'buy', symbol: 'AAA', quantity: 50, price: 100 },
  { id: 't3', date: '2024-02-10', accountId: 'A', type: 'buy', symbol: 'BBB', quantity: 40, price: 54 },
  { id: 't4', date: '2024-03-01', accountId: 'A', type: 'deposit', symbol: '', quantity: 1, price: 2500 },
  { id: 't5', date: '2024-03-20', accountId: 'A', type: 'sell', symbol: 'AAA', quantity: 10, price: 101 },
];
const sliceFrom = (m: PriceMatrix, from: string): PriceMatrix => {
  const i = m.dates.findIndex((d) => d >= from);
  return { dates: m.dates.slice(i), symbols: m.symbols, closes: m.closes.slice(i * m.symbols.length) };
};

describe('incremental daily snapshots', () => {
  const full = updateSnapshots({}, [{ accountId: 'A', transactions: txs, prices, asOf: '2024-04-29' }]).A!;

  it('stores the value series and the TWR growth index', () => {
    const series = buildValueSeries(txs, prices, { to: '2024-04-29' });
    expect(full.dates).toEqual(series.map((p) => p.date));
    expect(full.index[full.index.length - 1]! - 1).toBeCloseTo(twr(series), 12);
  });

  it('extends to new days without touching stored ones (prices before the new days are not even needed)', () => {
    const part = updateSnapshots({}, [{ accountId: 'A', transactions: txs, prices, asOf: '2024-03-31' }]);
    // only closes from a week before the new days are passed: a full recompute would be wrong
    const next = updateSnapshots(part, [{ accountId: 'A', transactions: txs, prices: sliceFrom(prices, '2024-03-25'), asOf: '2024-04-29' }]).A!;
    expect(next.recomputedFrom).toBe('2024-04-01');
    expect(next.values).toEqual(full.values);
    for (let i = 0; i < full.index.length; i++) expect(next.index[i]).toBeCloseTo(full.index[i]!, 12);
    expect(part.A!.dates.length).toBe(91); // the previous object is not modified
  });

  it('recomputes from the earliest changed transaction only', () => {
    const edited = txs.map((t) => (t.id === 't4' ? { ...t, price: 3000 } : t));
    const from = earliestTransactionChange(txs, edited);
    expect(from).toBe('2024-03-01');
    const inc = updateSnapshots({ A: full }, [{ accountId: 'A', transactions: edited, prices: sliceFrom(prices, '2024-02-20'), changedFrom: from!, asOf: '2024-04-29' }]).A!;
    const fresh = updateSnapshots({}, [{ accountId: 'A', transactions: edited, prices, asOf: '2024-04-29' }]).A!;
    expect(inc.recomputedFrom).toBe('2024-03-01');
    expect(inc.values).toEqual(fresh.values);
    expect(inc.values.slice(0, 60)).toEqual(full.values.slice(0, 60));
    expect(inc.values[61]).not.toEqual(full.values[61]);
  });

  it('a change dated before the first transaction recomputes from the first transaction', () => {
    const again = updateSnapshots({ A: full }, [{ accountId: 'A', transactions: txs, prices, changedFrom: '2023-06-01', asOf: '2024-04-29' }]).A!;
    expect(again.recomputedFrom).toBe('2024-01-01');
    expect(again.dates).toEqual(full.dates);
    expect(again.values).toEqual(full.values);
  });

  it('detects removed, reordered and added transactions', () => {
    expect(earliestTransactionChange(txs, txs)).toBeNull();
    expect(earliestTransactionChange(txs, txs.filter((t) => t.id !== 't5'))).toBe('2024-03-20');
    expect(earliestTransactionChange(txs, [txs[1]!, txs[0]!, ...txs.slice(2)])).toBe('2024-01-01');
  });

  it('finds the earliest changed close of the account\'s symbols', () => {
    const changed = { ...prices, closes: Float64Array.from(prices.closes) };
    changed.closes[70 * 2 + 1] = 1; // BBB on day 70
    changed.closes[90 * 2 + 0] = 1; // AAA on day 90
    expect(earliestPriceChange(prices, changed, ['AAA', 'BBB'])).toBe(prices.dates[70]);
    expect(earliestPriceChange(prices, changed, ['AAA'])).toBe(prices.dates[90]);
    expect(earliestPriceChange(prices, prices, ['AAA'])).toBeNull();
    const longer = { dates: [...prices.dates, '2024-05-01'], symbols: prices.symbols, closes: Float64Array.from([...prices.closes, 1, 2]) };
    expect(earliestPriceChange(prices, longer, ['AAA'])).toBe('2024-05-01');
  });

  it('is stale when more than one day behind', () => {
    expect(snapshotsStale(full, '2024-04-30')).toBe(false);
    expect(snapshotsStale(full, '2024-05-01')).toBe(true);
    expect(snapshotsStale(undefined, '2024-05-01')).toBe(true);
  });

  it('property: any split into an initial build plus an update equals one full build', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 118 }), fc.integer({ min: 0, max: 118 }), (cut, change) => {
      const asOf1 = prices.dates[cut]!;
      const changedFrom = prices.dates[Math.min(change, cut)]!;
      const first = updateSnapshots({}, [{ accountId: 'A', transactions: txs, prices, asOf: asOf1 }]);
      const second = updateSnapshots(first, [{ accountId: 'A', transactions: txs, prices, changedFrom, asOf: '2024-04-29' }]).A!;
      expect(second.values).toEqual(full.values);
      expect(second.flows).toEqual(full.flows);
      second.index.forEach((x, i) => expect(x).toBeCloseTo(full.index[i]!, 10));
    }), { numRuns: 40 });
  });
});
