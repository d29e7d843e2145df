// The rebalance workers' IndexedDB fast path against RxDB's own queries, on a real RxDB book in Dexie storage over
// fake-indexeddb (the app's storage layout): every lot of each household and every live proposal, deleted
// documents left out, pages that join up with no gap or repeat, and the small collections read whole.
import 'fake-indexeddb/auto';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { Proposal, Security, TaxLot } from '@aw/domain';
import { openBookDb, type BookDatabase } from '../db/book-db.ts';
import { lotPacksName } from '../db/holdings-packs.ts';
import { writeBook } from '../db/seed.ts';
import { smallBook } from '../test-support.ts';
import { dexieBackend, readAllLive } from './rebalance-idb.ts';
import { openLotReader } from './rebalance-lots.ts';
import { createRebalanceService } from './rebalance-service.ts';
import { proposalListing } from '../db/proposal-listing.ts';
import { openProposalReader, proposalReaderOf } from './rebalance-rows.ts';

const storage = () => getRxStorageDexie({ indexedDB, IDBKeyRange });
let n = 0;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => { for (const c of cleanups.splice(0)) await c(); });

async function bookWithProposals(count: number): Promise<BookDatabase> {
  const db = await openBookDb(storage(), { name: `idb-test-${Date.now()}-${n++}`, multiInstance: false });
  cleanups.push(() => db.remove());
  const book = smallBook(4);
  await writeBook(db, book);
  const docs: Proposal[] = [];
  for (let k = 0; k < count; k++) {
    const a = book.accounts[k % book.accounts.length]!;
    docs.push({ id: `p-${String((k * 7919) % count).padStart(4, '0')}`, teamId: a.teamId, householdId: a.householdId, accountId: a.id, modelId: a.modelId,
      authorId: 'u-alice', status: 'draft', reason: 'Drift.', accountRevision: 0,
      trades: Array.from({ length: k % 3 }, () => ({ symbol: 'AAPL', side: 'buy' as const, quantity: 1, price: 100, amountCents: 10000, lotIds: [], estGainCents: 0, reason: 'Under.' })),
      driftBefore: 0.1, driftAfter: 0.01, buyCents: k, sellCents: 0, estGainCents: 0, estTaxCents: 0, warnings: k % 5 === 0 ? ['w'] : [],
      approverId: '', decidedAt: 0, executedAt: 0, batchId: '', createdAt: 1, updatedAt: 1 });
  }
  await db.proposals.bulkInsert(docs);
  return db;
}

describe('IndexedDB reads of the rebalance workers', () => {
  it('pages through every live proposal in id order, as RxDB lists them, skipping deleted ones', async () => {
    const db = await bookWithProposals(53);
    await db.proposals.findByIds(['p-0003', 'p-0040']).exec().then((m) => Promise.all([...m.values()].map((d) => d.remove())));
    const expected = (await db.proposals.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => proposalListing(d.toJSON() as Proposal));
    expect(expected).toHaveLength(51);

    const ref = { databaseName: db.name, collectionName: db.proposals.name, schema: db.proposals.schema.jsonSchema };
    const reader = await openProposalReader(storage(), ref);
    cleanups.unshift(() => reader.close());
    expect(await dexieBackend(db.proposals.internalStorageInstance)).not.toBeNull();
    const seen = [];
    let after = '';
    let pages = 0;
    for (;;) {
      const page = await reader.page(after, 10);
      seen.push(...page.listings);
      pages++;
      if (page.next === null) break;
      after = page.next;
    }
    expect(pages).toBe(6); // 53 stored (tombstones included) in pages of 10
    expect(seen).toEqual(expected);
    // The UI thread's own instance gives the same first page.
    const first = await (await proposalReaderOf(db.proposals.internalStorageInstance, db.proposals.schema.jsonSchema)).page('', 10);
    expect(first.listings).toEqual(seen.slice(0, first.listings.length));
  });

  it('reads each household\'s lots of the chosen accounts, the same lots an RxDB query finds', async () => {
    const db = await bookWithProposals(0);
    const accounts = (await db.accounts.find().exec()).map((d) => d.toJSON());
    const households = [...new Set(accounts.map((a) => a.householdId))];
    const chosen = new Set(accounts.filter((_, i) => i % 2 === 0).map((a) => a.id));
    const gone = (await db.lots.findOne({ selector: { accountId: { $in: [...chosen] } } }).exec())!;
    await gone.remove();
    const reader = await openLotReader(storage(), { databaseName: db.name, collectionName: db.lots.name, schema: db.lots.schema.jsonSchema });
    cleanups.unshift(() => reader.close());
    const lots = await reader.read(households, chosen);
    const expected = (await db.lots.find({ selector: { accountId: { $in: [...chosen] } } }).exec()).map((d) => d.toJSON());
    expect(lots.length).toBe(expected.length);
    expect(lots.length).toBeGreaterThan(10);
    expect(lots.some((l) => l.id === gone.id)).toBe(false);
    const byId = new Map(lots.map((l) => [l.id, l]));
    for (const l of expected) expect(byId.get(l.id)).toEqual(l);
  });

  it('reads the lots from the book\'s lot packs once built, with every lot change made since, as the lot documents give them', async () => {
    const db = await bookWithProposals(0);
    const accounts = (await db.accounts.find().exec()).map((d) => d.toJSON());
    const households = [...new Set(accounts.map((a) => a.householdId))];
    const chosen = new Set(accounts.filter((_, i) => i % 3 !== 1).map((a) => a.id));
    const ref = { databaseName: db.name, collectionName: db.lots.name, schema: db.lots.schema.jsonSchema };
    const packed = await openLotReader(storage(), { ...ref, packsName: lotPacksName(db.name, db.lots.schema.version) });
    const documents = await openLotReader(storage(), ref);
    cleanups.unshift(() => packed.close(), () => documents.close());
    await packed.ready(); // builds the packs (the first bulk job of a book)

    // Changes after the build: an edit, a delete, and a new lot, each in a chosen account.
    const inChosen = (await db.lots.find({ selector: { accountId: { $in: [...chosen] } }, sort: [{ id: 'asc' }] }).exec());
    await inChosen[0]!.incrementalPatch({ quantity: 123.5 });
    const gone = inChosen[1]!.id;
    await inChosen[1]!.remove();
    const added: TaxLot = { ...(inChosen[2]!.toJSON() as TaxLot), id: `${inChosen[2]!.id}-new`, quantity: 7 };
    await db.lots.insert(added);

    const byAccount = (lots: readonly TaxLot[]) => {
      const m = new Map<string, TaxLot[]>();
      for (const l of lots) m.set(l.accountId, [...(m.get(l.accountId) ?? []), l]);
      return m;
    };
    const fromPacks = await packed.read(households, chosen);
    const fromDocs = await documents.read(households, chosen);
    expect(packed.reads).toEqual({ packed: 1, documents: 0 });
    expect(documents.reads).toEqual({ packed: 0, documents: 1 });
    // Same lots per account, in the same order (the engine's lot choice must not depend on the read path).
    expect(byAccount(fromPacks)).toEqual(byAccount(fromDocs));
    expect(fromPacks.find((l) => l.id === inChosen[0]!.id)?.quantity).toBe(123.5);
    expect(fromPacks.some((l) => l.id === gone)).toBe(false);
    expect(fromPacks.find((l) => l.id === added.id)).toEqual(added);
    expect(fromPacks.every((l) => chosen.has(l.accountId))).toBe(true);
    expect(fromPacks.length).toBe((await db.lots.find({ selector: { accountId: { $in: [...chosen] } } }).exec()).length);
    // A worker sees no change events: a later read still catches up with a change made after the first read…
    await (await db.lots.findOne(inChosen[3]!.id).exec())!.incrementalPatch({ quantity: 5 });
    expect((await packed.read(households, chosen)).find((l) => l.id === inChosen[3]!.id)?.quantity).toBe(5);
    expect(packed.reads.packed).toBe(2);
    // …and, given the UI's count of lot change events, it reads the changes only when that count moved.
    const quantityOf4 = async (changes: number) => (await packed.read(households, chosen, changes)).find((l) => l.id === inChosen[4]!.id)?.quantity;
    const before = await quantityOf4(1);
    await (await db.lots.findOne(inChosen[4]!.id).exec())!.incrementalPatch({ quantity: 77 });
    expect(await quantityOf4(1)).toBe(before); // no event counted yet: the change is not read (one index read saved per chunk)
    expect(await quantityOf4(2)).toBe(77);
  });

  it('rebuilds packs that are far behind the lots when a job gets ready, so its reads use packs again', async () => {
    const db = await openBookDb(storage(), { name: `idb-test-${Date.now()}-${n++}`, multiInstance: false });
    cleanups.push(() => db.remove());
    await writeBook(db, smallBook(8));
    const households = [...new Set((await db.accounts.find().exec()).map((d) => d.householdId))];
    const ids = new Set((await db.accounts.find().exec()).map((d) => d.id));
    const reader = await openLotReader(storage(), { databaseName: db.name, collectionName: db.lots.name, schema: db.lots.schema.jsonSchema,
      packsName: lotPacksName(db.name, db.lots.schema.version) });
    cleanups.unshift(() => reader.close());
    await reader.ready();
    // More lot changes since the pass than packs answer with (CHANGES_MAX): every lot's quantity moves.
    const lots = (await db.lots.find().exec()).map((d) => d.toJSON() as TaxLot);
    expect(lots.length).toBeGreaterThan(1000);
    await db.lots.bulkUpsert(lots.map((l) => ({ ...l, quantity: l.quantity + 1 })));
    const behind = await reader.read(households, ids);
    expect(reader.reads).toEqual({ packed: 0, documents: 1 }); // too far behind: the lot documents answer
    await reader.ready(); // a new pass
    const rebuilt = await reader.read(households, ids);
    expect(reader.reads).toEqual({ packed: 1, documents: 1 });
    const byId = (xs: TaxLot[]) => new Map(xs.map((l) => [l.id, l.quantity]));
    expect(byId(rebuilt)).toEqual(byId(behind));
    expect(byId(rebuilt)).toEqual(new Map(lots.map((l) => [l.id, l.quantity + 1])));
  });

  it('builds the lot packs when the review screen asks a worker to prepare them, and again at a job\'s init when far behind', async () => {
    const db = await openBookDb(storage(), { name: `idb-test-${Date.now()}-${n++}`, multiInstance: false });
    cleanups.push(() => db.remove());
    await writeBook(db, smallBook(8)); // over CHANGES_MAX lots
    const households = [...new Set((await db.accounts.find().exec()).map((d) => d.householdId))];
    const ids = new Set((await db.accounts.find().exec()).map((d) => d.id));
    const ref = { databaseName: db.name, collectionName: db.lots.name, schema: db.lots.schema.jsonSchema, packsName: lotPacksName(db.name, db.lots.schema.version) };
    const service = createRebalanceService({ storage });
    await service.prepareLots(ref);
    const reader = await openLotReader(storage(), ref);
    cleanups.unshift(() => reader.close());
    const lots = await reader.read(households, ids); // no ready(): the packs are there
    expect(reader.reads).toEqual({ packed: 1, documents: 0 });
    expect(lots.length).toBe((await db.lots.find().exec()).length);

    // A worker kept from an earlier job checks the packs again at each job's init: far behind, they are rebuilt.
    const context = { asOf: '2026-01-02', securities: [], priceSymbols: [], prices: [], models: [], fx: [] };
    await service.init(context, ref);
    await db.lots.bulkUpsert(lots.map((l) => ({ ...l, quantity: l.quantity + 2 })));
    const stale = await openLotReader(storage(), ref);
    cleanups.unshift(() => stale.close());
    await stale.read(households, ids);
    expect(stale.reads).toEqual({ packed: 0, documents: 1 }); // over CHANGES_MAX behind: documents answer
    await service.init(context, ref); // the next job on the same worker
    const after = await openLotReader(storage(), ref);
    cleanups.unshift(() => after.close());
    expect((await after.read(households, ids)).find((l) => l.id === lots[0]!.id)?.quantity).toBe(lots[0]!.quantity + 2);
    expect(after.reads).toEqual({ packed: 1, documents: 0 });
  });

  it('a worker without the book\'s storage answers every read of the book with no_storage', async () => {
    const service = createRebalanceService();
    const ref = { databaseName: 'book', collectionName: 'lots', schema: {} as never, packsName: 'packs' };
    const context = { asOf: '2026-01-02', securities: [], priceSymbols: [], prices: [], models: [], fx: [] };
    await expect(service.prepareLots(ref)).rejects.toMatchObject({ code: 'no_storage' });
    await expect(service.init(context, ref)).rejects.toMatchObject({ code: 'no_storage' });
    await expect(service.readProposals({ databaseName: 'book', collectionName: 'proposals', schema: {} as never }, '', 10)).rejects.toMatchObject({ code: 'no_storage' });
    await expect(service.readProposals({ databaseName: 'book', collectionName: 'proposals', schema: {} as never }, '', 10)).rejects.toMatchObject({ code: 'no_storage' });
  });

  it('reads a small collection whole, without RxDB\'s bookkeeping fields', async () => {
    const db = await bookWithProposals(0);
    const all = await readAllLive<Security>(db.securities.internalStorageInstance);
    const expected = (await db.securities.find().exec()).map((d) => d.toJSON() as Security);
    expect(all).not.toBeNull();
    expect(new Map(all!.map((s) => [s.symbol, s]))).toEqual(new Map(expected.map((s) => [s.symbol, s])));
    expect(Object.keys(all![0]!).some((k) => k.startsWith('_'))).toBe(false);
  });
});
