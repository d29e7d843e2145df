// FX rates for valuing non-USD holdings (seed 17): rates come from the provider (or, without one, from the latest
// ingested FX ticks), are cached for `ttlMs` (5 minutes) and the top pairs are warmed at start. A failed refresh
// keeps serving the last good rate. Pairs are 6-letter codes 'EURUSD' = USD per 1 EUR; conversions go direct,
// inverse, or through USD (EUR → JPY = EURUSD × USDJPY). Amounts are decimals in the currency's unit.
import type { Clock, Tick } from './types.ts';

export const TOP_PAIRS = ['EURUSD', 'GBPUSD', 'USDJPY', 'USDCHF', 'USDCAD', 'AUDUSD', 'NZDUSD', 'USDCNY', 'USDHKD', 'USDSGD',
  'USDSEK', 'USDNOK', 'USDDKK', 'USDMXN', 'USDINR', 'USDKRW', 'USDBRL', 'USDZAR', 'USDTRY', 'USDPLN'];

export class FxRateUnavailableError extends Error {
  constructor(readonly from: string, readonly to: string) {
    super(`no FX rate to convert ${from} to ${to}`);
    this.name = 'FxRateUnavailableError';
  }
}

export interface FxRates {
  /** USD per 1 unit of the pair's base, e.g. fxRate('EURUSD') ≈ 1.08; refreshes when older than the TTL. */
  fxRate(pair: string): Promise<number>;
  convert(amount: number, from: string, to: string): Promise<number>;
  /** The cached rate without any refresh (undefined when never loaded). */
  cached(pair: string): { rate: number; t: number; loadedAt: number } | undefined;
  warm(pairs?: string[]): Promise<number>;
}

export function createFxRates(o: { source: (pairs: string[]) => Promise<Map<string, Tick>>; clock: Clock; ttlMs?: number; knownPairs?: string[] }): FxRates {
  const ttlMs = o.ttlMs ?? 300_000;
  const cache = new Map<string, { rate: number; t: number; loadedAt: number }>();
  const inflight = new Map<string, Promise<void>>();

  async function load(pairs: string[]): Promise<void> {
    const got = await o.source(pairs);
    const now = o.clock.now();
    for (const [pair, tick] of got) if (tick.p > 0) cache.set(pair, { rate: tick.p, t: tick.t, loadedAt: now });
  }

  async function ensure(pair: string): Promise<number | undefined> {
    const c = cache.get(pair);
    if (c && o.clock.now() - c.loadedAt < ttlMs) return c.rate;
    let p = inflight.get(pair);
    if (!p) {
      p = load([pair]).catch(() => undefined).finally(() => inflight.delete(pair));
      inflight.set(pair, p);
    }
    await p;
    return cache.get(pair)?.rate;
  }

  /** USD value of 1 unit of `ccy`. */
  async function usdPer(ccy: string): Promise<number | undefined> {
    if (ccy === 'USD') return 1;
    const direct = await ensure(`${ccy}USD`);
    if (direct) return direct;
    const inverse = await ensure(`USD${ccy}`);
    return inverse ? 1 / inverse : undefined;
  }

  return {
    async fxRate(pair) {
      const p = pair.toUpperCase();
      if (!/^[A-Z]{6}$/.test(p)) throw new Error(`"${pair}" is not a currency pair like EURUSD`);
      const from = p.slice(0, 3);
      const to = p.slice(3);
      if (from === to) return 1;
      const direct = await ensure(p);
      if (direct) return direct;
      const a = await usdPer(from);
      const b = await usdPer(to);
      if (!a || !b) throw new FxRateUnavailableError(from, to);
      return a / b;
    },
    async convert(amount, from, to) {
      if (from === to) return amount;
      return amount * (await this.fxRate(`${from}${to}`));
    },
    cached: (pair) => cache.get(pair),
    async warm(pairs = TOP_PAIRS) {
      const wanted = o.knownPairs ? pairs.filter((p) => o.knownPairs!.includes(p)) : pairs;
      try {
        await load(wanted);
      } catch {
        // Start-up must not fail because the provider is down; rates load on first use.
      }
      return wanted.filter((p) => cache.has(p)).length;
    },
  };
}
