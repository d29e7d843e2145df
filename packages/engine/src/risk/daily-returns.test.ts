import { describe, expect, it } from 'vitest';
import { dailyReturns } from './daily-returns.ts';
import { EstimatorError } from './errors.ts';

const N = NaN;
const matrix = (rows: number[][]) => ({
  dates: rows.map((_, i) => `2024-01-0${i + 1}`),
  symbols: ['A', 'B'],
  closes: Float64Array.from(rows.flat()),
});

describe('dailyReturns', () => {
  it('computes simple returns asset-major and drops all-missing rows (pandas pct_change(fill_method=None).dropna(how="all"))', () => {
    // B lists on day 3; A misses day 4 (gap).
    const r = dailyReturns(matrix([[100, N], [110, N], [121, 50], [N, 55], [133.1, 44]]));
    expect(r.periods).toBe(4); // first row dropped
    expect(r.dates).toEqual(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);
    const a = Array.from(r.values.slice(0, 4));
    const b = Array.from(r.values.slice(4, 8));
    expect(a[0]).toBeCloseTo(0.1, 15);
    expect(a[1]).toBeCloseTo(0.1, 15);
    expect(a[2]).toBeNaN(); // A missing on day 4
    expect(a[3]).toBeNaN(); // and no return across the gap without forward fill
    expect(b[0]).toBeNaN();
    expect(b[1]).toBeNaN(); // listing day has no return
    expect(b[2]).toBeCloseTo(0.1, 15);
    expect(b[3]).toBeCloseTo(-0.2, 15);
    expect(Array.from(r.count)).toEqual([2, 2]);
    expect(Array.from(r.first)).toEqual([0, 2]);
    expect(r.hasGaps).toBe(false); // A's returns are contiguous (days 2–3); the gap is at its end
  });

  it('drops a row where nobody has a return and flags interior gaps', () => {
    const r = dailyReturns(matrix([[100, 10], [N, N], [100, 10], [110, 11], [N, 12], [121, 13.2], [133.1, 14.52]]));
    // Row 2 (all NaN) and row 3 (returns vs NaN) are dropped.
    expect(r.dates).toEqual(['2024-01-04', '2024-01-05', '2024-01-06', '2024-01-07']);
    expect(r.hasGaps).toBe(true); // A: 0.1, NaN, NaN, 0.1
    expect(Array.from(r.count)).toEqual([2, 4]);
  });

  it("with fill: 'pad' forward-fills closes like pandas' old pct_change() default", () => {
    const r = dailyReturns(matrix([[100, N], [N, 10], [121, 11]]), 'pad');
    const a = Array.from(r.values.slice(0, r.periods));
    expect(a[0]).toBe(0); // padded close → 0 return
    expect(a[1]).toBeCloseTo(0.21, 15); // the whole move on the day prices resume
    expect(Number.isNaN(r.values[r.periods])).toBe(true); // B's first close has no return
  });

  it('rejects non-positive prices with the symbol and date', () => {
    expect(() => dailyReturns(matrix([[100, 10], [0, 11]]))).toThrow(EstimatorError);
    expect(() => dailyReturns(matrix([[100, 10], [0, 11]]))).toThrow(/A on 2024-01-02/);
  });
});
