import { describe, expect, it } from 'vitest';
import { addMonths } from './day-count.ts';
import { periodReturns, periodStartDate } from './periods.ts';

describe('reporting periods', () => {
  it('computes start dates with end-of-month clamping and YTD from the prior Dec 31', () => {
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(periodStartDate('YTD', '2026-11-20', '2016-01-04')).toBe('2025-12-31');
    expect(periodStartDate('3Y', '2026-11-20', '2016-01-04')).toBe('2023-11-20');
    expect(periodStartDate('inception', '2026-11-20', '2016-01-04')).toBe('2016-01-04');
  });

  it('measures each period from the last index point on or before its start', () => {
    const dates = ['2023-11-20', '2024-10-20', '2024-11-20', '2025-10-17', '2025-10-20', '2025-12-31', '2026-08-20', '2026-10-20', '2026-11-20'];
    const index = [1.0, 1.05, 1.1, 1.2, 1.25, 1.3, 1.35, 1.4, 1.54];
    const byPeriod = Object.fromEntries(periodReturns(dates, index).map((p) => [p.period, p]));
    expect(byPeriod['1M']!.return).toBeCloseTo(1.54 / 1.4 - 1, 12);
    expect(byPeriod['1M']!.annualized).toBeNull();
    expect(byPeriod['3M']!.startDate).toBe('2026-08-20');
    expect(byPeriod['YTD']!.return).toBeCloseTo(1.54 / 1.3 - 1, 12);
    // 1Y starts 2025-11-20; the last point on or before it is 2025-10-20 (396 days before the end)
    expect(byPeriod['1Y']!.startDate).toBe('2025-10-20');
    expect(byPeriod['1Y']!.return).toBeCloseTo(1.54 / 1.25 - 1, 12);
    expect(byPeriod['1Y']!.annualized).toBeCloseTo(Math.pow(1.54 / 1.25, 365 / 396) - 1, 12);
    expect(byPeriod['3Y']!.return).toBeCloseTo(0.54, 12); // 2023-11-20 is the first point
    expect(byPeriod['3Y']!.annualized).toBeCloseTo(Math.pow(1.54, 365 / 1096) - 1, 12); // 2024 is a leap year
    expect(byPeriod['5Y']!.return).toBeNull(); // not covered
    expect(byPeriod['inception']!.return).toBeCloseTo(0.54, 12);
  });

  it('stops at asOf', () => {
    const p = periodReturns(['2026-01-01', '2026-01-02', '2026-01-05'], [1, 2, 4], '2026-01-03');
    expect(p.find((x) => x.period === 'inception')!.return).toBe(1);
    expect(p[0]!.endDate).toBe('2026-01-02');
  });
});
