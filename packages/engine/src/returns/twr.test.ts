import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { moneyWeightedReturn, seriesCashFlows, seriesReturns, twr, ValueSeriesError, type ValuePoint } from './twr.ts';
import { xnpv } from './xirr.ts';

describe('time-weighted return', () => {
  it('chain-links sub-periods with flows at the end of their date (worked by hand)', () => {
    const s: ValuePoint[] = [
      { date: '2024-01-01', value: 100, flow: 0 },
      { date: '2024-01-02', value: 110, flow: 50 }, // +10 % on 100, then 50 added → 160 at work
      { date: '2024-01-03', value: 144, flow: 0 }, // −10 % on 160
    ];
    expect(twr(s)).toBeCloseTo(1.1 * 0.9 - 1, 12); // −1 %
    // the money-weighted return: −100 on day 0, −50 on day 1, +144 on day 2 → NPV zero at the result
    const mwr = moneyWeightedReturn(s);
    expect(seriesCashFlows(s)).toEqual([
      { date: '2024-01-01', amount: -100 }, { date: '2024-01-02', amount: -50 }, { date: '2024-01-03', amount: 144 },
    ]);
    expect(Math.abs(xnpv(mwr, seriesCashFlows(s)))).toBeLessThan(1e-9);
    expect(mwr).toBeLessThan(-0.5); // lost 6 of 150 in two days: a steep annual rate
  });

  it('annualizes on ACT/365 and agrees with the IRR when there are no flows', () => {
    const s: ValuePoint[] = [{ date: '2021-01-01', value: 1000, flow: 0 }, { date: '2023-01-01', value: 1210, flow: 0 }];
    const r = seriesReturns(s);
    expect(r.twr).toBeCloseTo(0.21, 12);
    expect(r.days).toBe(730);
    expect(r.twrAnnualized).toBeCloseTo(0.1, 12);
    expect(r.irr).toBeCloseTo(0.1, 10);
  });

  it('ignores a flow on the last date (it nets out) and starts from the first value plus its flow', () => {
    const base: ValuePoint[] = [{ date: '2022-01-01', value: 0, flow: 1000 }, { date: '2023-01-01', value: 1100, flow: 0 }];
    const withLastFlow: ValuePoint[] = [base[0]!, { date: '2023-01-01', value: 1100, flow: -1100 }];
    expect(seriesReturns(base)).toEqual(seriesReturns(withLastFlow));
    expect(seriesReturns(base).irr).toBeCloseTo(0.1, 10);
  });

  it('rejects unordered dates and value appearing from a zero balance', () => {
    expect(() => twr([{ date: '2024-01-02', value: 1, flow: 0 }, { date: '2024-01-01', value: 1, flow: 0 }])).toThrow(ValueSeriesError);
    expect(() => twr([{ date: '2024-01-01', value: 0, flow: 0 }, { date: '2024-01-02', value: 5, flow: 0 }])).toThrow(/zero balance/);
  });

  it('property: TWR does not depend on the size of the flows when the returns are the same', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ r: fc.double({ min: -0.2, max: 0.2, noNaN: true }), f: fc.double({ min: -0.5, max: 5, noNaN: true }) }), { minLength: 1, maxLength: 60 }),
      fc.double({ min: 1, max: 1e7, noNaN: true }),
      (steps, start) => {
        const s: ValuePoint[] = [{ date: '2020-01-01', value: start, flow: 0 }];
        let growth = 1;
        steps.forEach((st, i) => {
          const prev = s[s.length - 1]!;
          // a flow between −50 % of the capital and +500 %: capital stays positive
          prev.flow = (prev.value) * st.f;
          const value = (prev.value + prev.flow) * (1 + st.r);
          growth *= 1 + st.r;
          s.push({ date: new Date(Date.UTC(2020, 0, 2 + i)).toISOString().slice(0, 10), value, flow: 0 });
        });
        expect(twr(s)).toBeCloseTo(growth - 1, 9);
      },
    ), { numRuns: 300 });
  });
});
