import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IrrInputError, IrrNoRootError, xirr, xirrAll, xnpv } from './xirr.ts';

describe('xirr', () => {
  it('matches the spreadsheet XIRR example (Excel docs: 37.34 %)', () => {
    const flows = [
      { date: '2008-01-01', amount: -10000 },
      { date: '2008-03-01', amount: 2750 },
      { date: '2008-10-30', amount: 4250 },
      { date: '2009-02-15', amount: 3250 },
      { date: '2009-04-01', amount: 2750 },
    ];
    // Excel, LibreOffice and Google Sheets all give 0.373362535.
    expect(xirr(flows)).toBeCloseTo(0.373362535, 8);
    expect(Math.abs(xnpv(xirr(flows), flows))).toBeLessThan(1e-6);
  });

  it('is exactly 10 % for 1000 → 1100 over 365 days, and uses ACT/365 over a leap year', () => {
    expect(xirr([{ date: '2021-01-01', amount: -1000 }, { date: '2022-01-01', amount: 1100 }])).toBeCloseTo(0.1, 12);
    // 2020 has 366 days: 1.1^(365/366) − 1 = 0.0997138...
    expect(xirr([{ date: '2020-01-01', amount: -1000 }, { date: '2021-01-01', amount: 1100 }])).toBeCloseTo(0.0997138, 6);
  });

  it('handles total losses and extreme gains', () => {
    expect(xirr([{ date: '2021-01-01', amount: -1000 }, { date: '2022-01-01', amount: 1 }])).toBeCloseTo(-0.999, 9);
    expect(xirr([{ date: '2021-01-01', amount: -1 }, { date: '2022-01-01', amount: 50 }])).toBeCloseTo(49, 8);
  });

  it('finds both roots of -100, +230, -132 and returns the one nearest the 10 % guess', () => {
    const flows = [
      { date: '2021-01-01', amount: -100 },
      { date: '2022-01-01', amount: 230 },
      { date: '2023-01-01', amount: -132 },
    ];
    // (1+r)² · (−100) + 230 (1+r) − 132 = 0 → 1 + r ∈ {1.1, 1.2}
    const all = xirrAll(flows);
    expect(all).toHaveLength(2);
    expect(all[0]).toBeCloseTo(0.1, 10);
    expect(all[1]).toBeCloseTo(0.2, 10);
    expect(xirr(flows)).toBeCloseTo(0.1, 10);
  });

  it('names the problem when no rate exists', () => {
    expect(() => xirr([{ date: '2021-01-01', amount: 100 }, { date: '2022-01-01', amount: 50 }])).toThrow(IrrNoRootError);
    expect(() => xirr([{ date: '2021-01-01', amount: -100 }])).toThrow(IrrInputError);
    // NPV = −100 + 10/(1+r) − 100/(1+r)² < 0 for every r > −1 (the quadratic has no real root).
    expect(() => xirr([
      { date: '2021-01-01', amount: -100 }, { date: '2022-01-01', amount: 10 }, { date: '2023-01-01', amount: -100 },
    ])).toThrow(/never reaches zero/);
  });

  it('property: the NPV at the returned rate is zero for an investment followed by proceeds', () => {
    fc.assert(fc.property(
      fc.double({ min: 0.2, max: 5, noNaN: true }),
      fc.array(fc.record({ day: fc.integer({ min: 30, max: 3650 }), amount: fc.double({ min: 0.01, max: 1e5, noNaN: true }) }), { minLength: 1, maxLength: 20 }),
      (factor, later) => {
        const invest = factor * later.reduce((s, f) => s + f.amount, 0);
        const base = Date.UTC(2015, 0, 1);
        const flows = [{ date: '2015-01-01', amount: -invest },
          ...later.map((f) => ({ date: new Date(base + f.day * 86400000).toISOString().slice(0, 10), amount: f.amount }))];
        const r = xirr(flows);
        const scale = invest + later.reduce((s, f) => s + f.amount, 0);
        expect(Math.abs(xnpv(r, flows)) / scale).toBeLessThan(1e-9);
      },
    ), { numRuns: 200 });
  });
});
