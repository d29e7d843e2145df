import { describe, expect, it } from 'vitest';
import { generateMarket, latestCloses, tradingDates } from './index.ts';

/** Pearson correlation of daily log returns of columns a and b over dates where both are priced. */
function correlation(closes: Float64Array, S: number, D: number, a: number, b: number): number {
  let n = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (let d = 1; d < D; d++) {
    const a0 = closes[(d - 1) * S + a]!, a1 = closes[d * S + a]!, b0 = closes[(d - 1) * S + b]!, b1 = closes[d * S + b]!;
    if (Number.isNaN(a0) || Number.isNaN(b0)) continue;
    const x = Math.log(a1 / a0), y = Math.log(b1 / b0);
    n++; sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y;
  }
  const cov = sab / n - (sa / n) * (sb / n);
  return cov / Math.sqrt((saa / n - (sa / n) ** 2) * (sbb / n - (sb / n) ** 2));
}

describe('generateMarket', () => {
  const m = generateMarket({ seed: 11 });
  const S = m.prices.symbols.length, D = m.prices.dates.length;

  it('correlates securities within an asset class more than across classes', () => {
    const byClass = new Map<string, number[]>();
    m.securities.forEach((s, i) => {
      const list = byClass.get(s.assetClass) ?? [];
      if (list.length < 8 && s.currency === 'USD' && s.assetClass !== 'Cash Equivalents') list.push(i);
      byClass.set(s.assetClass, list);
    });
    const classes = [...byClass.values()].filter((l) => l.length >= 2);
    let within = 0, nWithin = 0, across = 0, nAcross = 0;
    for (let c = 0; c < classes.length; c++) {
      for (let d = c; d < classes.length; d++) {
        for (const a of classes[c]!) for (const b of classes[d]!) {
          if (a >= b) continue;
          const r = correlation(m.prices.closes, S, D, a, b);
          if (c === d) { within += r; nWithin++; } else { across += r; nAcross++; }
        }
      }
    }
    expect(within / nWithin).toBeGreaterThan(across / nAcross + 0.2);
  });

  it('makes members of a TLH group track each other closely', () => {
    const group = m.securities.filter((s) => s.tlhGroup === m.securities[0]!.tlhGroup).map((s) => m.prices.symbols.indexOf(s.symbol));
    expect(group.length).toBeGreaterThanOrEqual(2);
    expect(correlation(m.prices.closes, S, D, group[0]!, group[1]!)).toBeGreaterThan(0.9);
  });

  it('has equity volatility in a realistic range', () => {
    const i = m.securities.findIndex((s) => s.assetClass === 'US Large Cap');
    const rets: number[] = [];
    for (let d = 1; d < D; d++) rets.push(Math.log(m.prices.closes[d * S + i]! / m.prices.closes[(d - 1) * S + i]!));
    const mean = rets.reduce((a, b) => a + b, 0) / rets.length;
    const vol = Math.sqrt(rets.reduce((a, b) => a + (b - mean) ** 2, 0) / (rets.length - 1) * 252);
    expect(vol).toBeGreaterThan(0.08);
    expect(vol).toBeLessThan(0.4);
  });

  it('reports the last close of every symbol', () => {
    const last = latestCloses(m.prices);
    expect(last.size).toBe(S);
    expect(last.get(m.prices.symbols[0]!)).toBe(m.prices.closes[(D - 1) * S]);
  });

  it('rejects impossible options', () => {
    expect(() => generateMarket({ seed: 1, securities: 5 })).toThrow(RangeError);
    expect(() => tradingDates('2026-02-30', 1)).toThrow(RangeError);
  });

  it('trades on weekdays only, ending at the end date', () => {
    const d = tradingDates('2026-11-22', 1); // a Sunday
    expect(d.at(-1)).toBe('2026-11-20');
    for (const x of d) expect([0, 6]).not.toContain(new Date(`${x}T00:00:00Z`).getUTCDay());
  });
});
