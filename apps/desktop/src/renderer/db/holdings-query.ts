// The holdings view's reads: lots of a household (or one account) — from the book's lot packs (holdings-packs.ts:
// one IndexedDB record per account, checked against RxDB's change feed) or by indexed RxDB query — then ONE batched lookup of the
// latest prices (securities and FX) and security master rows for all their symbols — never one query per holding.
// Rows are the documents' own data (`toJSON(true)`: read-only, RxDB meta fields included), not `toJSON()` copies:
// those clone and `delete` the meta fields (slow dictionary-mode objects), which was most of a view's read time and
// garbage. Callers must not mutate the rows. The security and latest-price rows are kept in memory per book
// (holdings-cache.ts, emptied by any change of those collections), so opening account after account reads only
// its lots (and the rows of symbols not seen yet). Misses are read, on Dexie storage (the app), straight from
// IndexedDB in one batched transaction (holdings-idb.ts: the RxDB `$or` price query below cannot use an index and
// scans every stored price); on other storages by the RxDB queries below.
import type { Account, DailyPrice, Security, TaxLot } from '@aw/domain';
import type { BookDatabase } from './book-db.ts';
import { cachedLatestPrices, cachedSecurities } from './holdings-cache.ts';
import { readLatestPricesIdb, readSecuritiesIdb } from './holdings-idb.ts';
import { readLotsPacked } from './holdings-packs.ts';

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

export async function loadHoldingsData(db: BookDatabase, scope: HoldingsScope): Promise<HoldingsData> {
  const { lots, accounts } = await lotsAndAccounts(db, scope);
  const symbols = [...new Set(lots.map((l) => l.symbol))];
  // The security master rows and the one batched price lookup, side by side, both from the cache when warm.
  const [securities, priceRows] = await Promise.all([
    cachedSecurities(db, symbols, async (missing) => (await readSecuritiesIdb(db.securities, missing))
      ?? [...(await db.securities.findByIds(missing).exec()).values()].map((d) => d.toJSON(true) as Security)),
    lookupLatestPrices(db, symbols),
  ]);
  return { lots, accounts, securities, priceRows };
}

/** The same reads as RxDB queries only, uncached (the reference the fast path is tested against). */
export async function loadHoldingsDataRx(db: BookDatabase, scope: HoldingsScope): Promise<HoldingsData> {
  const [lots, accounts] = await Promise.all([lotsQuery(db, scope), scopeAccounts(db, scope)]);
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
async function lotsAndAccounts(db: BookDatabase, scope: HoldingsScope): Promise<{ lots: TaxLot[]; accounts: Account[] }> {
  const [lots, accounts] = await Promise.all([
    readLotsPacked(db, scope).then((packed) => packed ?? lotsQuery(db, scope)),
    scopeAccounts(db, scope),
  ]);
  return { lots, accounts };
}

async function scopeAccounts(db: BookDatabase, scope: HoldingsScope): Promise<Account[]> {
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
