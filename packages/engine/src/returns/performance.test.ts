import { describe, expect, it } from 'vitest';
import type { PriceMatrix } from '@aw/domain';
import { addDays } from './day-count.ts';
import type { LedgerTransaction } from './ledger.ts';
import { alignBenchmark, performanceMetrics, seriesPerformance, snapshotPerformance } from './performance.ts';
import { updateSnapshots } from './snapshots.ts';
import type { ValuePoint } from './twr.ts';

describe('performance report', () => {
  // Benchmark moves +1 %, −2 %, +3 %, −1 %; the account moves exactly twice as much, with a mid-way deposit.
  const dates = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'];
  const benchCloses = [100, 101, 98.98, 101.9494, 100.929906];
  const rets = [0.02, -0.04, 0.06, -0.02];
  const series: ValuePoint[] = [{ date: dates[0]!, value: 1000, flow: 0 }];
  rets.forEach((r, i) => {
    const prev = series[i]!;
    if (i === 1) prev.flow = 500;
    series.push({ date: dates[i + 1]!, value: (prev.value + prev.flow) * (1 + r), flow: 0 });
  });
  const report = seriesPerformance(series, { benchmark: { symbol: 'IDX', dates, closes: benchCloses }, riskFreeRate: 0 });

  it('chain-links the TWR and measures beta and tracking error against the benchmark', () => {
    expect(report.twr).toBeCloseTo(1.02 * 0.96 * 1.06 * 0.98 - 1, 12);
    expect(report.benchmarkReturn).toBeCloseTo(1.01 * 0.98 * 1.03 * 0.99 - 1, 9);
    expect(report.beta).toBeCloseTo(2, 9);
    // r − b = b: sd(0.01, −0.02, 0.03, −0.01) = 0.0221736 → × √252
    expect(report.trackingError).toBeCloseTo(0.02217356 * Math.sqrt(252), 6);
    expect(report.maxDrawdown).toBeCloseTo(0.96 - 1, 12); // peak after day 1, trough day 2
    expect(report.maxDrawdownPeak).toBe('2024-01-02');
    expect(report.netFlows).toBe(500);
    expect(report.endValue).toBeCloseTo(series[4]!.value, 9);
    expect(report.periods.find((p) => p.period === 'inception')!.return).toBeCloseTo(report.twr, 12);
    expect(report.irr).not.toBeNull();
  });

  it('aligns a benchmark by the last close on or before each date', () => {
    expect(Array.from(alignBenchmark({ symbol: 'X', dates: ['2024-01-01', '2024-01-03'], closes: [10, 11] }, ['2024-01-01', '2024-01-02', '2024-01-03'])))
      .toEqual([0, 0.10000000000000009]);
  });

  it('gives the same numbers from stored snapshots as from a full computation', () => {
    const days = 300;
    const pd: string[] = [], closes: number[] = [];
    for (let i = 0; i < days; i++) { pd.push(addDays('2023-01-02', i)); closes.push(50 + 10 * Math.sin(i / 20) + i * 0.02, 100 + i * 0.05); }
    const prices: PriceMatrix = { dates: pd, symbols: ['AAA', 'IDX'], closes: Float64Array.from(closes) };
    const txs: LedgerTransaction[] = [
      { date: '2023-01-02', accountId: 'A', type: 'deposit', symbol: '', quantity: 1, price: 10000 },
      { date: '2023-01-02', accountId: 'A', type: 'buy', symbol: 'AAA', quantity: 150, price: 50 },
      { date: '2023-05-01', accountId: 'A', type: 'deposit', symbol: '', quantity: 1, price: 3000 },
      { date: '2023-05-01', accountId: 'A', type: 'buy', symbol: 'AAA', quantity: 40, price: 55 },
    ];
    const asOf = pd[days - 1]!;
    const full = performanceMetrics({ transactions: txs, prices, benchmarkSymbol: 'IDX', asOf });
    const snaps = updateSnapshots({}, [{ accountId: 'A', transactions: txs, prices, asOf }]).A!;
    const fromSnaps = snapshotPerformance(snaps, { benchmark: { symbol: 'IDX', dates: pd, closes: closes.filter((_, i) => i % 2 === 1) }, asOf });
    for (const k of ['twr', 'twrAnnualized', 'irr', 'volatility', 'maxDrawdown', 'sharpe', 'sortino', 'beta', 'trackingError'] as const) {
      expect(fromSnaps[k]).toBeCloseTo(full[k] as number, 9);
    }
    expect(fromSnaps.periods.map((p) => p.return)).toEqual(full.periods.map((p) => (p.return === null ? null : expect.closeTo(p.return, 9))));
    expect(full.periods.find((p) => p.period === '3M')!.return).not.toBeNull();
    expect(full.periods.find((p) => p.period === '1Y')!.return).toBeNull(); // 300 days of history
  });
});
