// In-memory cache of the holdings view's reference rows per open book: the security master row and the latest
// close of each symbol looked up so far, and the latest rate of every FX pair. Both collections are small (one row
// per symbol for the view's purposes) and change rarely (replication of daily closes, master edits), so opening
// account after account reads only its lots from IndexedDB. Freshness: ANY change event of `securities` (resp.
// `prices`) — local write or replicated — empties that part of the cache and bumps its version; a read that was in
// flight across a change is not cached, and its caller gets all its rows read afresh. Misses are read in ONE batched lookup by the
// `read*` functions given (never one query per symbol). Rows are shared: callers must not mutate them.
import type { DailyPrice, Security } from '@aw/domain';
import type { BookDatabase } from './book-db.ts';

interface Part<T> { version: number; rows: Map<string, T | null> }
interface BookCache { securities: Part<Security>; prices: Part<DailyPrice>; fx: DailyPrice[] | null }

const caches = new WeakMap<BookDatabase, BookCache>();

function cacheOf(db: BookDatabase): BookCache {
  let c = caches.get(db);
  if (!c) {
    const cache: BookCache = { securities: { version: 0, rows: new Map() }, prices: { version: 0, rows: new Map() }, fx: null };
    db.securities.$.subscribe(() => { cache.securities.version++; cache.securities.rows.clear(); });
    db.prices.$.subscribe(() => { cache.prices.version++; cache.prices.rows.clear(); cache.fx = null; });
    caches.set(db, cache);
    c = cache;
  }
  return c;
}

/** The security rows of `symbols` (missing ones left out), misses read by `read` in one call. */
export async function cachedSecurities(db: BookDatabase, symbols: readonly string[],
  read: (missing: string[]) => Promise<Security[]>): Promise<Security[]> {
  const { securities: part } = cacheOf(db);
  const missing = symbols.filter((s) => !part.rows.has(s));
  if (missing.length) {
    const version = part.version;
    const rows = await read(missing);
    if (version !== part.version) return read([...new Set(symbols)]); // changed meanwhile: read all afresh, uncached
    for (const s of missing) part.rows.set(s, null);
    for (const r of rows) part.rows.set(r.symbol, r);
  }
  return hits(part, symbols, new Set());
}

/** The latest close of each of `symbols` plus every FX pair's latest rate; misses (and FX) read by `read` in one call. */
export async function cachedLatestPrices(db: BookDatabase, symbols: readonly string[],
  read: (missing: string[]) => Promise<DailyPrice[]>): Promise<DailyPrice[]> {
  const cache = cacheOf(db);
  const part = cache.prices;
  const missing = symbols.filter((s) => !part.rows.has(s));
  if (missing.length || !cache.fx) {
    const version = part.version;
    const rows = await read(missing);
    const fx = rows.filter((r) => r.kind === 'fx');
    if (version !== part.version) return read([...new Set(symbols)]); // changed meanwhile: read all afresh, uncached
    for (const s of missing) part.rows.set(s, null);
    for (const r of rows) if (r.kind !== 'fx') part.rows.set(r.symbol, r);
    cache.fx = fx;
  }
  return hits(part, symbols, new Set()).concat(cache.fx ?? []);
}

/** Cached rows of `symbols` other than `skip`, each symbol once. */
function hits<T>(part: Part<T>, symbols: readonly string[], skip: ReadonlySet<string>): T[] {
  const out: T[] = [];
  const seen = new Set<string>();
  for (const s of symbols) {
    if (skip.has(s) || seen.has(s)) continue;
    seen.add(s);
    const r = part.rows.get(s);
    if (r) out.push(r);
  }
  return out;
}
