import { describe, expect, it } from 'vitest';
import { createFxRates, FxRateUnavailableError } from './fx-rates.ts';
import type { Tick } from './types.ts';

describe('FX rates', () => {
  const rates: Record<string, number> = { EURUSD: 1.1, USDJPY: 150, GBPUSD: 1.25 };
  const setup = () => {
    let now = 0;
    let calls = 0;
    let failing = false;
    const fx = createFxRates({
      clock: { now: () => now },
      source: async (pairs) => {
        calls++;
        if (failing) throw new Error('provider down');
        return new Map(pairs.filter((p) => p in rates).map((p): [string, Tick] => [p, { s: p, p: rates[p], t: now }]));
      },
    });
    return { fx, advance: (ms: number) => (now += ms), calls: () => calls, fail: (f: boolean) => (failing = f) };
  };

  it('converts direct, inverse and through USD', async () => {
    const { fx } = setup();
    expect(await fx.convert(100, 'EUR', 'USD')).toBeCloseTo(110, 10);
    expect(await fx.convert(150, 'JPY', 'USD')).toBeCloseTo(1, 10);
    expect(await fx.convert(100, 'EUR', 'JPY')).toBeCloseTo(16_500, 6);
    expect(await fx.convert(100, 'EUR', 'GBP')).toBeCloseTo(88, 10);
    expect(await fx.convert(7, 'USD', 'USD')).toBe(7);
    await expect(fx.convert(1, 'XYZ', 'USD')).rejects.toBeInstanceOf(FxRateUnavailableError);
  });

  it('caches for 5 minutes and serves the last good rate when a refresh fails', async () => {
    const t = setup();
    await t.fx.fxRate('EURUSD');
    await t.fx.fxRate('EURUSD');
    expect(t.calls()).toBe(1);
    t.advance(299_000);
    await t.fx.fxRate('EURUSD');
    expect(t.calls()).toBe(1);
    t.advance(2_000);
    rates.EURUSD = 1.2;
    expect(await t.fx.fxRate('EURUSD')).toBe(1.2);
    expect(t.calls()).toBe(2);
    t.advance(400_000);
    t.fail(true);
    expect(await t.fx.fxRate('EURUSD')).toBe(1.2);
    rates.EURUSD = 1.1;
  });

  it('warms the top pairs in one call', async () => {
    const t = setup();
    expect(await t.fx.warm(['EURUSD', 'GBPUSD', 'USDJPY'])).toBe(3);
    expect(t.calls()).toBe(1);
    await t.fx.convert(1, 'GBP', 'USD');
    expect(t.calls()).toBe(1);
  });
});
