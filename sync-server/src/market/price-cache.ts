// In-memory latest-price cache (seed 5): an LRU of at most `capacity` symbols (default 10,000) filled write-through
// by the ingest pipeline and by batched store reads. Market-hours-aware staleness: an entry older than the TTL for
// the current market state (1 s while the US market is open, 1 h while it is closed) is stale; a stale or missing
// entry is re-read from the store in one batched query, but the last good price is always served with its age.
// A provider disconnect marks its symbols stale. Times are epoch milliseconds.
import { isMarketOpen } from './market-hours.ts';
import type { Clock, Quote, Tick } from './types.ts';

export interface CacheEntry {
  /** Position in the recency order when last moved there (see touch). */
  seq: number;
  price: number;
  /** Provider tick time. */
  t: number;
  /** When the entry was last written (by a tick or a store read). */
  loadedAt: number;
  /** Set by a provider disconnect; cleared by the next tick for the symbol. */
  invalidated: boolean;
}

export interface PriceCacheOptions {
  capacity?: number;
  openTtlMs?: number;
  closedTtlMs?: number;
  clock: Clock;
  /** Market state at a time; defaults to the NYSE regular session. */
  marketOpen?: (ms: number) => boolean;
}

export interface PriceCache {
  readonly capacity: number;
  size(): number;
  /** Write-through from the ingest pipeline (newest tick wins). */
  put(tick: Tick): void;
  /** Store read result (does not overwrite a newer tick). */
  load(symbol: string, price: number, t: number): void;
  /** The entry without touching recency, or undefined. */
  peek(symbol: string): CacheEntry | undefined;
  /** Current TTL for the market state at `now`. */
  ttlMs(now?: number): number;
  /** Entry needs a store re-read: missing, or not written within the TTL. */
  needsRefresh(symbol: string, now?: number): boolean;
  /** Quote for a cached symbol (marks it recently used). */
  quote(symbol: string, now?: number): Quote | undefined;
  /** Marks the given symbols (all when omitted) stale. */
  invalidate(symbols?: Iterable<string>): number;
}

export function createPriceCache(opts: PriceCacheOptions): PriceCache {
  const capacity = opts.capacity ?? 10_000;
  const openTtlMs = opts.openTtlMs ?? 1_000;
  const closedTtlMs = opts.closedTtlMs ?? 3_600_000;
  const clock = opts.clock;
  const marketOpen = opts.marketOpen ?? isMarketOpen;
  // Map iteration order is insertion order: re-inserting on use keeps the least recently used first.
  // Approximate LRU to spare the tick path a delete + insert per tick (hash-table churn at 100k+ ticks/s): an entry
  // moved to the back within the last capacity/2 moves stays where it is. So a used entry is never evicted before
  // at least capacity/2 other symbols were inserted after it; with a universe below the capacity nothing is evicted.
  const map = new Map<string, CacheEntry>();
  let seq = 0;
  let ttlMemo = { at: -Infinity, ttl: openTtlMs };

  const ttlMs = (now = clock.now()): number => {
    if (Math.abs(now - ttlMemo.at) > 1_000) ttlMemo = { at: now, ttl: marketOpen(now) ? openTtlMs : closedTtlMs };
    return ttlMemo.ttl;
  };

  const touch = (symbol: string, e: CacheEntry): void => {
    if (seq - e.seq < capacity / 2 && map.get(symbol) === e) return;
    e.seq = ++seq;
    map.delete(symbol);
    map.set(symbol, e);
    if (map.size > capacity) map.delete(map.keys().next().value as string);
  };

  return {
    capacity,
    size: () => map.size,
    put(tick) {
      const e = map.get(tick.s);
      const now = clock.now();
      if (e) {
        if (tick.t < e.t) return;
        e.price = tick.p;
        e.t = tick.t;
        e.loadedAt = now;
        e.invalidated = false;
        touch(tick.s, e);
      } else touch(tick.s, { seq: -Infinity, price: tick.p, t: tick.t, loadedAt: now, invalidated: false });
    },
    load(symbol, price, t) {
      const e = map.get(symbol);
      const now = clock.now();
      if (e && e.t > t) {
        e.loadedAt = now;
        return;
      }
      touch(symbol, { seq: -Infinity, price, t, loadedAt: now, invalidated: e ? e.invalidated && e.t === t : false });
    },
    peek: (symbol) => map.get(symbol),
    ttlMs,
    needsRefresh(symbol, now = clock.now()) {
      const e = map.get(symbol);
      return !e || now - e.loadedAt > ttlMs(now);
    },
    quote(symbol, now = clock.now()) {
      const e = map.get(symbol);
      if (!e) return undefined;
      touch(symbol, e);
      const ageMs = Math.max(0, now - e.t);
      return { symbol, price: e.price, t: e.t, ageMs, stale: e.invalidated || ageMs > ttlMs(now) };
    },
    invalidate(symbols) {
      let n = 0;
      for (const s of symbols ?? map.keys()) {
        const e = map.get(s);
        if (e && !e.invalidated) {
          e.invalidated = true;
          n++;
        }
      }
      return n;
    },
  };
}
