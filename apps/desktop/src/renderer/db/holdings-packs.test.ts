// Lot packs against RxDB's own query, on a real RxDB book in Dexie storage over fake-indexeddb (the app's storage
// layout): after a build pass (whole-account steps of several sizes, including accounts bigger than a step), every
// account's and household's lots read from the packs equal the indexed RxDB query (same rows, same order) — also
// after random inserts, edits, deletions and moves between accounts and households made after the pass (applied
// from RxDB's change feed), and the packs fall back (null) when the change set is too big, until the next pass.
// The change set is kept in memory between reads: it is read again only after a lot change, from where the last
// read stopped, stays exact when reads overlap with writes, and start-up warming (which catches up early) does not
// hide changes landing between it and the open.
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaxLot } from '@aw/domain';
import { openBookDb, type BookDatabase } from './book-db.ts';
import { CHANGES_MAX, CHANGES_SOFT, lotPacksReady, readLotsPacked, type LotScope } from './holdings-packs.ts';
import { loadHoldingsData, loadHoldingsDataRx, warmHoldingsReads } from './holdings-query.ts';
import { writeBook } from './seed.ts';
import { openTestDb, smallBook } from '../test-support.ts';

let n = 0;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => { for (const c of cleanups.splice(0)) await c(); });

async function dexieBook(households = 2): Promise<{ db: BookDatabase; book: ReturnType<typeof smallBook> }> {
  const db = await openBookDb(getRxStorageDexie({ indexedDB, IDBKeyRange }), { name: `holdings-packs-${Date.now()}-${n++}`, multiInstance: false });
  cleanups.push(() => db.remove());
  const book = smallBook(households);
  await writeBook(db, book);
  return { db, book };
}

const plainLots = (rows: readonly TaxLot[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('_'))));

async function rxLots(db: BookDatabase, scope: LotScope): Promise<object[]> {
  return plainLots((await loadHoldingsDataRx(db, scope)).lots);
}

/** Every account and household scope of the book, plus scopes with no lots. */
async function scopes(db: BookDatabase): Promise<LotScope[]> {
  const lots = (await db.lots.find().exec()).map((d) => d.toJSON());
  return [
    ...[...new Set(lots.map((l) => l.accountId))].map((accountId) => ({ accountId })),
    ...[...new Set(lots.map((l) => l.householdId))].map((householdId) => ({ householdId })),
    { accountId: 'acct-none' }, { householdId: 'hh-none' },
  ];
}

async function expectEqualToRx(db: BookDatabase): Promise<void> {
  for (const scope of await scopes(db)) {
    const packed = await readLotsPacked(db, scope);
    expect(packed, JSON.stringify(scope)).not.toBeNull();
    expect(plainLots(packed!), JSON.stringify(scope)).toEqual(await rxLots(db, scope));
  }
}

describe('lot packs (one IndexedDB record per account, checked against the change feed)', () => {
  it('give exactly the RxDB query\'s lots for every account and household, whatever the pass step size', async () => {
    const { db, book } = await dexieBook(2);
    const perAccount = Math.max(...book.accounts.map((a) => book.lots.filter((l) => l.accountId === a.id).length));
    expect(await readLotsPacked(db, { accountId: book.accounts[0]!.id })).toBeNull(); // not built yet
    for (const stepLots of [5, perAccount + 3, 5000]) { // smaller than an account, a few accounts, the whole book
      await lotPacksReady(db, { rebuild: true, stepLots });
      await expectEqualToRx(db);
    }
  });

  it('follow random edits made after the pass: inserts, quantity edits, deletions, moves between accounts and households', async () => {
    const { db, book } = await dexieBook(2);
    await lotPacksReady(db, { rebuild: true, stepLots: 17 });
    const accounts = book.accounts.map((a) => ({ accountId: a.id, householdId: a.householdId }));
    accounts.push({ accountId: 'acct-new', householdId: 'hh-new' }); // an account created after the pass
    let next = 0;
    const op = fc.oneof(
      fc.record({ kind: fc.constant('insert' as const), to: fc.nat(accounts.length - 1), symbol: fc.constantFrom(...book.securities.slice(0, 5).map((s) => s.symbol)) }),
      fc.record({ kind: fc.constant('edit' as const), pick: fc.nat(), quantity: fc.integer({ min: 1, max: 10_000 }) }),
      fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('move' as const), pick: fc.nat(), to: fc.nat(accounts.length - 1) }),
    );
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops) => {
      for (const o of ops) {
        const docs = await db.lots.find().exec();
        if (o.kind === 'insert') {
          const template = book.lots[0]!;
          await db.lots.insert({ ...template, ...accounts[o.to]!, id: `new-${next++}`, symbol: o.symbol, updatedAt: 2 });
        } else if (docs.length) {
          const doc = docs[o.pick % docs.length]!;
          if (o.kind === 'edit') await doc.incrementalPatch({ quantity: o.quantity, updatedAt: 3 });
          else if (o.kind === 'delete') await doc.remove();
          else await doc.incrementalPatch({ ...accounts[o.to]!, updatedAt: 4 });
        }
      }
      await expectEqualToRx(db);
    }), { numRuns: 12 });
  });

  it('stay exact when lots are written, moved and deleted while the pass runs', async () => {
    const { db, book } = await dexieBook(2);
    const [a, b] = [book.accounts[0]!, book.accounts[book.accounts.length - 1]!];
    let steps = 0;
    // Between pass steps: delete a lot, move one to the first account (already packed) or the last (not yet),
    // insert one into the last account.
    await lotPacksReady(db, { rebuild: true, stepLots: 4, onStep: async (i) => {
      steps = i;
      if (i % 5 !== 0 || i > 60) return;
      const docs = await db.lots.find().exec();
      const doc = docs[(i * 7) % docs.length]!;
      if (i % 3 === 0) await doc.remove();
      else if (i % 3 === 1) await doc.incrementalPatch({ accountId: (i % 2 ? a : b).id, householdId: (i % 2 ? a : b).householdId, symbol: 'AAA' });
      else await db.lots.insert({ ...book.lots[0]!, id: `during-${i}`, accountId: b.id, householdId: b.householdId, symbol: 'ZZZ' });
    } });
    expect(steps).toBeGreaterThan(60);
    await expectEqualToRx(db);
  });

  it('fall back to the RxDB query past CHANGES_MAX changes, and answer again after the next pass', async () => {
    const { db, book } = await dexieBook(1);
    await lotPacksReady(db, { rebuild: true });
    const account = book.accounts[0]!;
    const scope = { accountId: account.id };
    const extra: TaxLot[] = Array.from({ length: CHANGES_MAX + 1 }, (_, i) => ({ ...book.lots[0]!, ...scope, householdId: account.householdId, id: `bulk-${i}` }));
    await db.lots.bulkInsert(extra);
    expect(await readLotsPacked(db, scope)).toBeNull();
    // The view still shows every lot (RxDB query), and the read started a new pass.
    expect(plainLots((await loadHoldingsData(db, scope)).lots)).toEqual(await rxLots(db, scope));
    await lotPacksReady(db);
    const packed = await readLotsPacked(db, scope);
    expect(packed).not.toBeNull();
    expect(plainLots(packed!)).toEqual(await rxLots(db, scope));
    expect(packed!.length).toBe(book.lots.filter((l) => l.accountId === account.id).length + extra.length);
  });

  it('the holdings view reads through the packs once built, with the same data as the RxDB queries', async () => {
    const { db, book } = await dexieBook(2);
    await lotPacksReady(db);
    await db.lots.bulkRemove([book.lots[0]!.id]);
    for (const scope of [{ householdId: book.households[0]!.id }, { accountId: book.accounts[1]!.id }]) {
      const data = await loadHoldingsData(db, scope);
      expect(plainLots(data.lots)).toEqual(plainLots((await readLotsPacked(db, scope))!));
      expect(plainLots(data.lots)).toEqual(await rxLots(db, scope));
    }
  });

  it('re-opening a view reads nothing while no lot changes, and any change shows at once', async () => {
    const { db, book } = await dexieBook(1);
    await lotPacksReady(db);
    const scope = { accountId: book.accounts[0]!.id };
    const first = await readLotsPacked(db, scope);
    expect(await readLotsPacked(db, scope)).toBe(first); // kept in memory
    const lot = first![0]!;
    await (await db.lots.findOne(lot.id).exec())!.incrementalPatch({ quantity: lot.quantity + 1 });
    const edited = await readLotsPacked(db, scope);
    expect(edited).not.toBe(first);
    expect(edited!.find((l) => l.id === lot.id)!.quantity).toBe(lot.quantity + 1);
    expect(plainLots(edited!)).toEqual(await rxLots(db, scope));
    await db.lots.insert({ ...lot, id: 'kept-new', symbol: 'ZZZZ' });
    expect((await readLotsPacked(db, scope))!.at(-1)!.id).toBe('kept-new');
    expect(plainLots((await readLotsPacked(db, scope))!)).toEqual(await rxLots(db, scope));
  });

  it('keep the changes since the pass in memory: a read catches up only after a lot change, from where the last one stopped', async () => {
    const { db, book } = await dexieBook(2);
    await lotPacksReady(db, { rebuild: true });
    const [a, b, c] = [book.accounts[0]!, book.accounts[1]!, book.accounts[2]!];
    const read = async (accountId: string) => {
      const steps: Record<string, number> = {};
      const rows = await readLotsPacked(db, { accountId }, steps);
      expect(plainLots(rows!)).toEqual(await rxLots(db, { accountId }));
      return steps;
    };
    expect(await read(a.id)).toHaveProperty('changesMs'); // the first read of the pass catches up
    expect(await read(b.id)).not.toHaveProperty('changesMs'); // nothing changed since: no change read
    const lot = book.lots.find((l) => l.accountId === b.id)!;
    await db.lots.bulkUpsert([{ ...lot, accountId: c.id, householdId: c.householdId, quantity: 1 }, { ...lot, id: 'new-1', accountId: b.id }]);
    expect(await read(c.id)).toHaveProperty('changesMs');
    expect(await read(b.id)).not.toHaveProperty('changesMs');
    await (await db.lots.findOne('new-1').exec())!.incrementalPatch({ quantity: 5 }); // the same lot again, newer
    await read(b.id);
    await expectEqualToRx(db);
  });

  it('stay exact when reads overlap with each other and with writes', async () => {
    const { db, book } = await dexieBook(2);
    await lotPacksReady(db, { rebuild: true });
    const ids = book.accounts.map((a) => a.id);
    const inFlight: Promise<unknown>[] = [];
    for (let i = 0; i < 12; i++) {
      inFlight.push(readLotsPacked(db, { accountId: ids[i % ids.length]! }));
      const lot = book.lots[(i * 5) % book.lots.length]!;
      if (i % 3 === 0) inFlight.push(db.lots.upsert({ ...lot, quantity: 1000 + i }));
      else if (i % 3 === 1) inFlight.push(db.lots.insert({ ...lot, id: `overlap-${i}`, symbol: 'QQQ' }));
      else inFlight.push(db.lots.findOne(lot.id).exec().then((d) => d?.remove()));
    }
    await Promise.all(inFlight);
    await expectEqualToRx(db);
  });

  it('start-up warming opens the packs and catches up; changes landing before and after it are visible at the open', async () => {
    const { db, book } = await dexieBook(1);
    await lotPacksReady(db, { rebuild: true });
    const account = book.accounts[0]!;
    const lots = book.lots.filter((l) => l.accountId === account.id);
    await db.lots.upsert({ ...lots[0]!, quantity: 4242 }); // before warming
    await warmHoldingsReads(db);
    await db.lots.upsert({ ...lots[1]!, quantity: 4343 }); // between warming and the open
    await db.lots.insert({ ...lots[2]!, id: 'after-warm', symbol: 'ZZZZ' });
    const data = await loadHoldingsData(db, { accountId: account.id });
    expect(data.lots.find((l) => l.id === lots[0]!.id)!.quantity).toBe(4242);
    expect(data.lots.find((l) => l.id === lots[1]!.id)!.quantity).toBe(4343);
    expect(data.lots.at(-1)!.id).toBe('after-warm');
    expect(plainLots(data.lots)).toEqual(await rxLots(db, { accountId: account.id }));
  });

  it('fall back once the kept changes grow past CHANGES_MAX over several reads', async () => {
    const { db, book } = await dexieBook(1);
    await lotPacksReady(db, { rebuild: true });
    const account = book.accounts[0]!;
    const scope = { accountId: account.id };
    const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ ...book.lots[0]!, ...scope, householdId: account.householdId, id: `grow-${from + i}` }));
    await db.lots.bulkInsert(batch(0, CHANGES_SOFT - 1)); // below the soft limit: no new pass starts
    expect(plainLots((await readLotsPacked(db, scope))!)).toEqual(await rxLots(db, scope));
    await db.lots.bulkInsert(batch(CHANGES_SOFT, CHANGES_MAX - CHANGES_SOFT + 10)); // this catch-up alone is below CHANGES_MAX
    expect(await readLotsPacked(db, scope)).toBeNull();
    expect(plainLots((await loadHoldingsData(db, scope)).lots)).toEqual(await rxLots(db, scope));
  });

  it('other storages get null (memory: RxDB queries only)', async () => {
    const db = await openTestDb();
    cleanups.push(() => db.close());
    const book = smallBook(1);
    await writeBook(db, book);
    await lotPacksReady(db);
    expect(await readLotsPacked(db, { accountId: book.accounts[0]!.id })).toBeNull();
  });
});
