// The holdings view's reads: lots of a household (or one account) — from the book's lot packs (holdings-packs.ts:
// one IndexedDB record per account, checked against RxDB's change feed) or by indexed RxDB query — then ONE batched lookup of the
// latest prices (securities and FX) and security master rows for all their symbols — never one query per holding.
// Rows are the documents' own data (`toJSON(true)`: read-only, RxDB meta fields included), not `toJSON()` copies:
// those clone and `delete` the meta fields (slow dictionary-mode objects), which was most of a view's read time and
// garbage. Callers must not mutate the rows. The security and latest-price rows are kept in memory per book
// (holdings-cache.ts, emptied by any change of those collections), so opening account after account reads only
// its lots (and the rows of symbols not seen yet). Misses are read, on Dexie storage (the app), straight from
// IndexedDB in one batched transaction (holdings-idb.ts: the RxDB `$or` price query below cannot use an index and
// scans every stored price); on other storages by the RxDB queries below. `warmHoldingsReads`, called once at
// start-up in the background, fills that cache for the whole book (all security rows, the latest close of each,
// all account rows: the accounts then follow RxDB's change events) and opens the lot packs, so an open reads only
// its lots.
import type { Account, DailyPrice, Security, TaxLot } from '@aw/domain';
import type { RxCollection } from 'rxdb';
import type { BookDatabase } from './book-db.ts';
import { cachedAccounts, cachedLatestPrices, cachedSecurities, preloadAccounts, preloadLatestPrices, preloadSecurities } from './holdings-cache.ts';
import { readLatestPricesIdb, readSecuritiesIdb } from './holdings-idb.ts';
import { lotPacksOpened, readLotsPacked } from './holdings-packs.ts';
import { readAllLive } from '../workers/rebalance-idb.ts';

export type HoldingsScope = { householdId: string } | { accountId: string };

export interface HoldingsData {
  lots: TaxLot[];
  accounts: Account[];
  securities: Security[];
  priceRows: DailyPrice[];
}

/** Latest close per symbol for `symbols`, plus every FX pair (few): cached rows, misses read in ONE batched lookup. */
export async function lookupLatestPrices(db: BookDatabase, symbols: readonly string[]): Promise<DailyPrice[]> {
  if (symbols.length === 0) return [];
  return cachedLatestPrices(db, symbols, async (missing) => (await readLatestPricesIdb(db.prices, missing)) ?? latestPricesQuery(db, missing));
}

/** The same lookup as one RxDB query (any storage), uncached. */
export async function lookupLatestPricesRx(db: BookDatabase, symbols: readonly string[]): Promise<DailyPrice[]> {
  return symbols.length === 0 ? [] : latestPricesQuery(db, symbols);
}

async function latestPricesQuery(db: BookDatabase, symbols: readonly string[]): Promise<DailyPrice[]> {
  const docs = await db.prices.find({ selector: { $or: [{ symbol: { $in: [...symbols] } }, { kind: 'fx' }] } }).exec();
  const latest = new Map<string, DailyPrice>();
  for (const d of docs) {
    const p = d.toJSON(true) as DailyPrice;
    const prev = latest.get(p.symbol);
    if (!prev || p.date > prev.date) latest.set(p.symbol, p);
  }
  return [...latest.values()];
}

/** Per-step times of one `loadHoldingsData` (ms, benches): lotsMs, accountsMs, refsMs, and the pack read's steps. */
export type HoldingsSteps = Record<string, number>;

export async function loadHoldingsData(db: BookDatabase, scope: HoldingsScope, steps?: HoldingsSteps): Promise<HoldingsData> {
  const { lots, accounts } = await lotsAndAccounts(db, scope, steps);
  const t0 = steps ? performance.now() : 0;
  const symbols = [...new Set(lots.map((l) => l.symbol))];
  // The security master rows and the one batched price lookup, side by side, both from the cache when warm.
  const [securities, priceRows] = await Promise.all([
    cachedSecurities(db, symbols, (missing) => readSecurities(db, missing)),
    lookupLatestPrices(db, symbols),
  ]);
  if (steps) steps.refsMs = performance.now() - t0;
  // Where the app did not warm the reads at start-up, the first open does, in the background after its own reads.
  if (!warming.has(db)) void warmHoldingsReads(db);
  return { lots, accounts, securities, priceRows };
}

const warming = new WeakMap<BookDatabase, Promise<void>>();

async function readSecurities(db: BookDatabase, symbols: string[]): Promise<Security[]> {
  return (await readSecuritiesIdb(db.securities, symbols))
    ?? [...(await db.securities.findByIds(symbols).exec()).values()].map((d) => d.toJSON(true) as Security);
}

/**
 * Start-up work for the holdings view, meant to run in the background once the book is open: opens the lot
 * packs (and catches up with the lot changes since their pass) and fills the reference cache with every security
 * row and the latest close of each security (plus FX), and every account row, so a holdings open reads only its
 * lots. Once per book (later calls share the first one's promise); the first `loadHoldingsData` starts it if nobody did. Never
 * starts a pack build. Changes made meanwhile or later are seen as usual (holdings-cache.ts: change events).
 */
export function warmHoldingsReads(db: BookDatabase): Promise<void> {
  let w = warming.get(db);
  if (!w) warming.set(db, w = warm(db));
  return w;
}

async function warm(db: BookDatabase): Promise<void> {
  await Promise.all([
    lotPacksOpened(db),
    preloadAccounts(db, () => allRows(db.accounts)),
    (async () => {
      let securities: Security[] = [];
      await preloadSecurities(db, async () => (securities = await allRows(db.securities)));
      await preloadLatestPrices(db, securities.map((s) => s.symbol),
        async (symbols) => (await readLatestPricesIdb(db.prices, symbols)) ?? latestPricesQuery(db, symbols));
    })(),
  ]).catch(() => undefined); // a book closed meanwhile: nothing to warm (reads fall back as before)
}

/** Every live row of a collection: one IndexedDB read on Dexie storage, else an RxDB query. */
async function allRows<T>(collection: RxCollection<T>): Promise<T[]> {
  return (await readAllLive<T>(collection.internalStorageInstance)) ?? (await collection.find().exec()).map((d) => d.toJSON(true) as T);
}

/** The same reads as RxDB queries only, uncached (the reference the fast path is tested against). */
export async function loadHoldingsDataRx(db: BookDatabase, scope: HoldingsScope): Promise<HoldingsData> {
  const [lots, accounts] = await Promise.all([lotsQuery(db, scope), accountsQuery(db, scope)]);
  const symbols = [...new Set(lots.map((l) => l.symbol))];
  const [securityDocs, priceRows] = await Promise.all([db.securities.findByIds(symbols).exec(), lookupLatestPricesRx(db, symbols)]);
  const securities = [...securityDocs.values()].map((d) => d.toJSON(true) as Security);
  return { lots, accounts, securities, priceRows };
}

/**
 * The scope's lots and accounts. The lots come from the book's lot packs when they can answer (holdings-packs.ts:
 * one IndexedDB record per account plus the lot changes since the packs were built, on Dexie storage), else from
 * the indexed RxDB query (sorted by symbol; re-opening a view gets the unchanged result from RxDB's query cache).
 * A read the packs cannot answer (first read of a book, stale packs) starts building them in the background.
 */
async function lotsAndAccounts(db: BookDatabase, scope: HoldingsScope, steps?: HoldingsSteps): Promise<{ lots: TaxLot[]; accounts: Account[] }> {
  const t0 = steps ? performance.now() : 0;
  const [lots, accounts] = await Promise.all([
    readLotsPacked(db, scope, steps).then((packed) => packed ?? lotsQuery(db, scope)).finally(() => { if (steps) steps.lotsMs = performance.now() - t0; }),
    scopeAccounts(db, scope).finally(() => { if (steps) steps.accountsMs = performance.now() - t0; }),
  ]);
  return { lots, accounts };
}

/** The scope's accounts: the kept rows once preloaded (warmHoldingsReads), else by RxDB query. */
async function scopeAccounts(db: BookDatabase, scope: HoldingsScope): Promise<Account[]> {
  return cachedAccounts(db, scope) ?? accountsQuery(db, scope);
}

async function accountsQuery(db: BookDatabase, scope: HoldingsScope): Promise<Account[]> {
  const docs = 'accountId' in scope
    ? [...(await db.accounts.findByIds([scope.accountId]).exec()).values()]
    : await db.accounts.find({ selector: { householdId: scope.householdId } }).exec();
  return docs.map((d) => d.toJSON(true) as Account);
}

/** The scope's lots by indexed RxDB query (the reference the packs are tested against). */
async function lotsQuery(db: BookDatabase, scope: HoldingsScope): Promise<TaxLot[]> {
  const docs = 'accountId' in scope
    ? await db.lots.find({ selector: { accountId: scope.accountId }, sort: [{ accountId: 'asc' }, { symbol: 'asc' }] }).exec()
    : await db.lots.find({ selector: { householdId: scope.householdId }, sort: [{ householdId: 'asc' }, { symbol: 'asc' }] }).exec();
  return docs.map((d) => d.toJSON(true) as TaxLot);
}
