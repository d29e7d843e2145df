// The holdings view's IndexedDB reads and cache against RxDB's own queries, on a real RxDB book in Dexie storage over
// fake-indexeddb (the app's storage layout): the same lots (deleted ones left out, in symbol order), the same
// security rows and the same latest close per symbol and FX pair — also when a symbol or an FX pair has older
// closes, and when the newest close of a symbol was deleted. After start-up warming (every account, security and
// latest close in memory) the reads still equal RxDB's, and writes landing during or after the warming show.
import 'fake-indexeddb/auto';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { DailyPrice } from '@aw/domain';
import { openBookDb, type BookDatabase } from './book-db.ts';
import { loadHoldingsData, loadHoldingsDataRx, lookupLatestPrices, lookupLatestPricesRx, warmHoldingsReads, type HoldingsData } from './holdings-query.ts';
import { readLatestPricesIdb, readSecuritiesIdb } from './holdings-idb.ts';
import { cachedAccounts, cachedLatestPrices, cachedSecurities, preloadAccounts } from './holdings-cache.ts';
import { writeBook } from './seed.ts';
import { openTestDb, smallBook } from '../test-support.ts';

let n = 0;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => { for (const c of cleanups.splice(0)) await c(); });

async function dexieBook(): Promise<{ db: BookDatabase; book: ReturnType<typeof smallBook> }> {
  const db = await openBookDb(getRxStorageDexie({ indexedDB, IDBKeyRange }), { name: `holdings-idb-${Date.now()}-${n++}`, multiInstance: false });
  cleanups.push(() => db.remove());
  const book = smallBook(3);
  await writeBook(db, book);
  return { db, book };
}

/** Plain data without RxDB meta fields, rows in a stable order (the view does not depend on row order except lots). */
function plain(d: HoldingsData) {
  const strip = <T extends object>(rows: T[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('_'))));
  const by = (k: string) => (a: Record<string, unknown>, b: Record<string, unknown>) => String(a[k]).localeCompare(String(b[k]));
  return {
    lots: strip(d.lots), accounts: strip(d.accounts).sort(by('id')),
    securities: strip(d.securities).sort(by('symbol')), priceRows: strip(d.priceRows).sort(by('symbol')),
  };
}

describe('holdings reference reads straight from IndexedDB (Dexie storage), cached', () => {
  it('give exactly what the RxDB queries give, for an account and for a household', async () => {
    const { db, book } = await dexieBook();
    // History and deletions the fast path must handle like RxDB does.
    const sec = book.prices.find((p) => p.kind === 'security')!;
    const fx = book.prices.find((p) => p.kind === 'fx')!;
    const older = (p: DailyPrice, date: string, close: number): DailyPrice => ({ ...p, id: `${p.symbol}|${date}`, date, closePrice: close });
    await db.prices.bulkInsert([older(sec, '2001-02-05', 3), older(sec, '2001-02-06', 4), older(fx, '2001-02-05', 1.5)]);
    const newer = await db.prices.insert({ ...sec, id: `${sec.symbol}|2999-01-04`, date: '2999-01-04', closePrice: 999 });
    await newer.remove(); // the newest close deleted: the previous one is the latest again
    const hh = book.households[1]!;
    const lotsOfHh = book.lots.filter((l) => l.householdId === hh.id);
    await (await db.lots.findOne(lotsOfHh[0]!.id).exec())!.remove();
    await (await db.securities.findOne(lotsOfHh[1]!.symbol).exec())!.remove(); // a holding without master row

    expect(await readLatestPricesIdb(db.prices, [sec.symbol])).not.toBeNull();
    expect(await readSecuritiesIdb(db.securities, [sec.symbol])).not.toBeNull();
    for (const account of book.accounts.filter((a) => a.householdId === hh.id)) {
      const fast = await loadHoldingsData(db, { accountId: account.id });
      expect(plain(fast)).toEqual(plain(await loadHoldingsDataRx(db, { accountId: account.id })));
    }
    const fast = await loadHoldingsData(db, { householdId: hh.id });
    expect(fast.lots).toHaveLength(lotsOfHh.length - 1);
    expect(fast.lots.some((l) => l.id === lotsOfHh[0]!.id)).toBe(false);
    expect(fast.securities.some((s) => s.symbol === lotsOfHh[1]!.symbol)).toBe(false);
    expect(plain(fast)).toEqual(plain(await loadHoldingsDataRx(db, { householdId: hh.id })));

    const rows = await lookupLatestPrices(db, [sec.symbol, sec.symbol, 'NOPE']);
    expect(rows.find((r) => r.symbol === sec.symbol)).toMatchObject({ date: sec.date, closePrice: sec.closePrice });
    expect(rows.find((r) => r.symbol === fx.symbol)).toMatchObject({ date: fx.date, closePrice: fx.closePrice });
    expect(rows.some((r) => r.symbol === 'NOPE')).toBe(false);
    expect(plain({ lots: [], accounts: [], securities: [], priceRows: rows }))
      .toEqual(plain({ lots: [], accounts: [], securities: [], priceRows: await lookupLatestPricesRx(db, [sec.symbol, 'NOPE']) }));
    expect(new Set(rows.filter((r) => r.kind === 'fx').map((r) => r.symbol)))
      .toEqual(new Set(book.prices.filter((p) => p.kind === 'fx').map((p) => p.symbol)));

    // One symbol has a newer close than all others: the others' latest closes are on an older date.
    const account = book.accounts.find((a) => a.householdId === hh.id)!;
    const held = book.lots.find((l) => l.accountId === account.id)!.symbol;
    const base = book.prices.find((p) => p.symbol === held)!;
    await db.prices.insert(older(base, '2998-06-01', 7));
    const after = await loadHoldingsData(db, { accountId: account.id });
    expect(after.priceRows.find((r) => r.symbol === held)).toMatchObject({ date: '2998-06-01', closePrice: 7 });
    expect(after.priceRows.filter((r) => r.kind === 'security').length).toBe(new Set(after.lots.map((l) => l.symbol)).size);
    expect(plain(after)).toEqual(plain(await loadHoldingsDataRx(db, { accountId: account.id })));
  });

  it('the cached security and price rows follow every change, also one made while a read is in flight', async () => {
    const { db, book } = await dexieBook();
    const account = book.accounts[0]!;
    const symbol = book.lots.find((l) => l.accountId === account.id)!.symbol;
    const price = book.prices.find((p) => p.symbol === symbol)!;
    const open = () => loadHoldingsData(db, { accountId: account.id });
    const first = await open();
    expect(first.securities.find((s) => s.symbol === symbol)).toBeDefined();

    await db.securities.upsert({ ...book.securities.find((s) => s.symbol === symbol)!, name: 'Renamed Fund' });
    expect((await open()).securities.find((s) => s.symbol === symbol)!.name).toBe('Renamed Fund');

    const newer = await db.prices.insert({ ...price, id: `${symbol}|2998-06-01`, date: '2998-06-01', closePrice: 7 });
    expect((await open()).priceRows.find((r) => r.symbol === symbol)).toMatchObject({ date: '2998-06-01', closePrice: 7 });
    await newer.remove();
    expect((await open()).priceRows.find((r) => r.symbol === symbol)).toMatchObject({ date: price.date, closePrice: price.closePrice });

    const inFlight = open();
    await db.prices.insert({ ...price, id: `${symbol}|2998-07-01`, date: '2998-07-01', closePrice: 8 });
    await inFlight;
    expect((await open()).priceRows.find((r) => r.symbol === symbol)).toMatchObject({ date: '2998-07-01', closePrice: 8 });
    await (await db.securities.findOne(symbol).exec())!.remove();
    const last = await open();
    expect(last.securities.some((s) => s.symbol === symbol)).toBe(false);
    expect(plain(last)).toEqual(plain(await loadHoldingsDataRx(db, { accountId: account.id })));
  });

  it('after start-up warming, every account and household reads what the RxDB queries give, without reading the reference rows', async () => {
    const { db, book } = await dexieBook();
    await warmHoldingsReads(db);
    // Warm: every held symbol's security and price rows, and every account, come from memory (no read asked for).
    const held = [...new Set(book.lots.map((l) => l.symbol))];
    const noRead = async (): Promise<never> => { throw new Error('read after warming'); };
    expect((await cachedSecurities(db, held, noRead)).length).toBeGreaterThan(0);
    expect((await cachedLatestPrices(db, held, noRead)).length).toBeGreaterThan(held.length - 1);
    expect(cachedAccounts(db, { accountId: book.accounts[0]!.id })).toHaveLength(1);
    const scopes = [...book.accounts.map((a) => ({ accountId: a.id })), ...book.households.map((h) => ({ householdId: h.id }))];
    for (const scope of scopes) {
      const fast = await loadHoldingsData(db, scope);
      expect(fast.priceRows.length, JSON.stringify(scope)).toBeGreaterThan(0);
      expect(plain(fast), JSON.stringify(scope)).toEqual(plain(await loadHoldingsDataRx(db, scope)));
    }
  });

  it('changes landing after (or during) start-up warming are visible at the next open: accounts, securities, prices', async () => {
    const { db, book } = await dexieBook();
    const account = book.accounts[0]!;
    const symbol = book.lots.find((l) => l.accountId === account.id)!.symbol;
    const price = book.prices.find((p) => p.symbol === symbol)!;
    // An account write while the warming reads run, then more after it.
    const warming = warmHoldingsReads(db);
    await db.accounts.upsert({ ...account, cashCents: 123_45 });
    await warming;
    const open = async (scope: { accountId: string } | { householdId: string }) => {
      const data = await loadHoldingsData(db, scope);
      expect(plain(data)).toEqual(plain(await loadHoldingsDataRx(db, scope)));
      return data;
    };
    expect((await open({ accountId: account.id })).accounts[0]!.cashCents).toBe(123_45);
    await db.accounts.upsert({ ...account, cashCents: 678_90, name: 'Renamed' });
    expect((await open({ accountId: account.id })).accounts[0]).toMatchObject({ cashCents: 678_90, name: 'Renamed' });
    await db.accounts.insert({ ...account, id: 'acct-added', name: 'Added' });
    expect((await open({ householdId: account.householdId })).accounts.map((a) => a.id)).toContain('acct-added');
    await (await db.accounts.findOne('acct-added').exec())!.remove();
    expect((await open({ householdId: account.householdId })).accounts.map((a) => a.id)).not.toContain('acct-added');
    await db.securities.upsert({ ...book.securities.find((s) => s.symbol === symbol)!, name: 'Renamed Fund' });
    expect((await open({ accountId: account.id })).securities.find((s) => s.symbol === symbol)!.name).toBe('Renamed Fund');
    await db.prices.insert({ ...price, id: `${symbol}|2998-06-01`, date: '2998-06-01', closePrice: 7 });
    expect((await open({ accountId: account.id })).priceRows.find((r) => r.symbol === symbol)).toMatchObject({ date: '2998-06-01', closePrice: 7 });
  });

  it('account writes that land while the account preload reads are replayed on top of what it read', async () => {
    const { db, book } = await dexieBook();
    const [a, b] = [book.accounts[0]!, book.accounts[1]!];
    // The read returns its snapshot; the writes commit after it was taken, before the preload ends.
    expect(await preloadAccounts(db, async () => {
      const snapshot = (await db.accounts.find().exec()).map((d) => d.toJSON() as typeof a);
      await db.accounts.upsert({ ...a, cashCents: 1 });
      await db.accounts.upsert({ ...a, cashCents: 2 });
      await (await db.accounts.findOne(b.id).exec())!.remove();
      await db.accounts.insert({ ...a, id: 'acct-during' });
      return snapshot;
    })).toBe(true);
    expect(cachedAccounts(db, { accountId: a.id })![0]!.cashCents).toBe(2);
    expect(cachedAccounts(db, { accountId: b.id })).toEqual([]);
    expect(cachedAccounts(db, { accountId: 'acct-during' })).toHaveLength(1);
    expect(plain({ lots: [], securities: [], priceRows: [], accounts: cachedAccounts(db, { householdId: a.householdId })! }))
      .toEqual(plain({ lots: [], securities: [], priceRows: [], accounts: (await loadHoldingsDataRx(db, { householdId: a.householdId })).accounts }));
  });

  it('an account with no lots reads nothing else', async () => {
    const { db } = await dexieBook();
    const data = await loadHoldingsData(db, { accountId: 'no-such-account' });
    expect(data).toEqual({ lots: [], accounts: [], securities: [], priceRows: [] });
  });

  it('other storages get null and the RxDB queries', async () => {
    const db = await openTestDb();
    cleanups.push(() => db.close());
    const book = smallBook(3);
    await writeBook(db, book);
    expect(await readSecuritiesIdb(db.securities, ['AAPL'])).toBeNull();
    expect(await readLatestPricesIdb(db.prices, ['AAPL'])).toBeNull();
    const data = await loadHoldingsData(db, { accountId: book.accounts[0]!.id });
    expect(plain(data)).toEqual(plain(await loadHoldingsDataRx(db, { accountId: book.accounts[0]!.id })));
    expect(data.lots.length).toBeGreaterThan(0);
  });
});
