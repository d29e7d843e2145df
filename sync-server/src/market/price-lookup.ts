// Batched latest-price lookup (seed 2): one call for many symbols, answered from the in-memory cache, with every
// missing or expired entry re-read from SQLite in ONE query. Never waits for a provider: the last good price is
// served with its age (and `stale` when the provider disconnected or the price is older than the market TTL).
// Used by the prices endpoint, valuation, rebalancing and execution. Prices decimal, times epoch milliseconds.
import type { PriceCache } from './price-cache.ts';
import type { PriceStore } from './price-store.ts';
import type { Clock, Quote } from './types.ts';

export interface PriceLookup {
  /** Quotes for the symbols that have a price; symbols without any price are absent from the map. */
  getPrices(symbols: Iterable<string>): Promise<Map<string, Quote>>;
  /** Loads the given symbols into the cache (start-up warming of held symbols). */
  warm(symbols: Iterable<string>): Promise<number>;
}

export function createCachedPriceLookup(cache: PriceCache, store: PriceStore, clock: Clock): PriceLookup {
  async function refresh(symbols: string[]): Promise<void> {
    // Chunks keep the JSON parameter bounded; each chunk is one query however many symbols it holds.
    for (let i = 0; i < symbols.length; i += 5_000) {
      const rows = await store.latestMany(symbols.slice(i, i + 5_000));
      for (const [s, r] of rows) cache.load(s, r.p, r.t);
    }
  }
  return {
    async getPrices(symbols) {
      const wanted = [...new Set(symbols)];
      const now = clock.now();
      const misses = wanted.filter((s) => cache.needsRefresh(s, now));
      if (misses.length) {
        try {
          await refresh(misses);
        } catch {
          // The store failing must not fail the lookup: cached prices are served with their age.
        }
      }
      const out = new Map<string, Quote>();
      const at = clock.now();
      for (const s of wanted) {
        const q = cache.quote(s, at);
        if (q) out.set(s, q);
      }
      return out;
    },
    async warm(symbols) {
      const list = [...new Set(symbols)];
      await refresh(list);
      return list.filter((s) => cache.peek(s)).length;
    },
  };
}
