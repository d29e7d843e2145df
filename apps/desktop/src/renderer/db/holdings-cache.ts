// In-memory cache of the holdings view's reference rows per open book: the security master row and the latest
// close of each symbol looked up so far, and the latest rate of every FX pair. Both collections are small (one row
// per symbol for the view's purposes) and change rarely (replication of daily closes, master edits), so opening
// account after account reads only its lots from IndexedDB. Freshness: ANY change event of `securities` (resp.
// `prices`) — local write or replicated — empties that part of the cache and bumps its version; a read that was in
// flight across a change is not cached, and its caller gets all its rows read afresh. Misses are read in ONE batched lookup by the
// `read*` functions given (never one query per symbol). Rows are shared: callers must not mutate them.
// Preloading (at start-up, in the background) fills the security part with every row of the collection and marks
// it complete (until the next change event, a symbol not in it has no row), and the price part with the latest
// close of every one of those symbols plus the FX rates: a holdings open then never waits on these reads (only a
// lot whose symbol is not in the security master would still be looked up).
// Accounts: preloading also keeps every account row (a book has at most ~10,000), kept current by applying each
// account change event's document (events during the preload read are replayed on top of it, in order: each
// carries the document's whole state after its write). Until a preload has completed, scope reads return null and
// the caller queries RxDB.
import type { Account, DailyPrice, Security } from '@aw/domain';
import type { RxChangeEvent } from 'rxdb';
import type { BookDatabase } from './book-db.ts';
import { isLive, withoutMeta } from '../workers/rebalance-idb.ts';

/** `complete`: `rows` holds every row of the collection (a symbol not in it has none). */
interface Part<T> { version: number; rows: Map<string, T | null>; complete: boolean }
/** All account rows by id once preloaded (null before), with the events that arrived during the preload read. */
interface Accounts { byId: Map<string, Account> | null; pending: RxChangeEvent<Account>[] | null; loading: Promise<boolean> | null }
interface BookCache { securities: Part<Security>; prices: Part<DailyPrice>; fx: DailyPrice[] | null; accounts: Accounts }

const caches = new WeakMap<BookDatabase, BookCache>();

function cacheOf(db: BookDatabase): BookCache {
  let c = caches.get(db);
  if (!c) {
    const cache: BookCache = { securities: { version: 0, rows: new Map(), complete: false }, prices: { version: 0, rows: new Map(), complete: false }, fx: null,
      accounts: { byId: null, pending: null, loading: null } };
    const forget = (part: Part<unknown>) => { part.version++; part.rows.clear(); part.complete = false; };
    db.securities.$.subscribe(() => forget(cache.securities));
    db.prices.$.subscribe(() => { forget(cache.prices); cache.fx = null; });
    db.accounts.$.subscribe((ev) => {
      const a = cache.accounts;
      if (a.byId) applyAccountEvent(a.byId, ev);
      else a.pending?.push(ev);
    });
    caches.set(db, cache);
    c = cache;
  }
  return c;
}

/** The security rows of `symbols` (missing ones left out), misses read by `read` in one call. */
export async function cachedSecurities(db: BookDatabase, symbols: readonly string[],
  read: (missing: string[]) => Promise<Security[]>): Promise<Security[]> {
  const { securities: part } = cacheOf(db);
  const missing = part.complete ? [] : symbols.filter((s) => !part.rows.has(s));
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
  const missing = part.complete ? [] : symbols.filter((s) => !part.rows.has(s));
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

/**
 * Fills the security part with every security row (`readAll`: the whole collection) and marks it complete, unless
 * a change event arrives meanwhile (then nothing is kept: the next open reads its misses). True if kept.
 */
export async function preloadSecurities(db: BookDatabase, readAll: () => Promise<Security[]>): Promise<boolean> {
  const { securities: part } = cacheOf(db);
  const version = part.version;
  const rows = await readAll();
  if (version !== part.version) return false;
  for (const r of rows) part.rows.set(r.symbol, r);
  part.complete = true;
  return true;
}

/**
 * Fills the price part with the latest close of each of `symbols` (the book's securities; none: kept as none) plus
 * every FX pair's latest rate (`read`: one batched lookup), unless a change event of the prices arrives meanwhile.
 * True if kept.
 */
export async function preloadLatestPrices(db: BookDatabase, symbols: readonly string[],
  read: (symbols: string[]) => Promise<DailyPrice[]>): Promise<boolean> {
  const cache = cacheOf(db);
  const part = cache.prices;
  const version = part.version;
  const rows = await read([...symbols]);
  if (version !== part.version) return false;
  for (const s of symbols) part.rows.set(s, null);
  for (const r of rows) if (r.kind !== 'fx') part.rows.set(r.symbol, r);
  cache.fx = rows.filter((r) => r.kind === 'fx');
  return true;
}

function applyAccountEvent(byId: Map<string, Account>, ev: RxChangeEvent<Account>): void {
  if (ev.operation === 'DELETE' || !isLive(ev.documentData)) byId.delete(ev.documentId);
  else byId.set(ev.documentId, withoutMeta<Account>(ev.documentData));
}

/**
 * Keeps every account row (`readAll`: the whole collection, live rows), then follows the change events. Resolves
 * true once kept; a second call while one is loading shares it; once kept, does nothing.
 */
export function preloadAccounts(db: BookDatabase, readAll: () => Promise<Account[]>): Promise<boolean> {
  const a = cacheOf(db).accounts;
  if (a.byId) return Promise.resolve(true);
  if (a.loading) return a.loading;
  a.pending = [];
  a.loading = readAll().then((rows) => {
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const ev of a.pending ?? []) applyAccountEvent(byId, ev);
    a.byId = byId;
    return true;
  }, () => false).finally(() => { a.pending = null; a.loading = null; });
  return a.loading;
}

/** The kept account rows of a scope (one account, or a household's in id order); null: not preloaded. */
export function cachedAccounts(db: BookDatabase, scope: { householdId: string } | { accountId: string }): Account[] | null {
  const byId = cacheOf(db).accounts.byId;
  if (!byId) return null;
  if ('accountId' in scope) {
    const a = byId.get(scope.accountId);
    return a ? [a] : [];
  }
  const out: Account[] = [];
  for (const a of byId.values()) if (a.householdId === scope.householdId) out.push(a);
  return out.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
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
