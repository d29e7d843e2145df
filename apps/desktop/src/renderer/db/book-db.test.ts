// The desktop's book opened over a replica stored with lots at schema v0 (RxDB on Dexie over fake-indexeddb, the
// app's storage layout): nothing was pending, so the lots are dropped at open and pulled again; the lot packs of the
// holdings view (holdings-packs.ts) then answer every account and household exactly as RxDB's query does — when a
// pass is built halfway through the re-pull and after it ends — and equal the master's lots, including the edits,
// moves and deletions made on the master meanwhile. The master is a second RxDB book behind RxDB's own replication
// protocol handler (the sync server's part is covered by sync-server's replica-repull.int.test.ts).
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addRxPlugin, createRxDatabase, rxStorageInstanceToReplicationHandler, type RxDatabase,
} from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { lotSchemaV0, type TaxLot } from '@aw/domain';
import { bookConflictHandlers, createBookDatabase } from '@aw/sync-client';
import { bookOpenReport, openBookDb, repulledCollections, type BookDatabase } from './book-db.ts';
import { lotPacksReady, readLotsPacked, type LotScope } from './holdings-packs.ts';
import { loadHoldingsDataRx } from './holdings-query.ts';
import { smallBook } from '../test-support.ts';

let n = 0;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => { for (const c of cleanups.splice(0)) await c(); });

const IDENTIFIER = 'book-db-test';
const plainLots = (rows: readonly object[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('_'))));
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);

/**
 * Replicates `db`'s lots with the master book; pulls stop after `pullLimit` documents until `release()`.
 * `pulledLive()`: the live documents among those pulled (the replica holds that many once their writes landed).
 */
function replicateLots(db: RxDatabase<any>, master: BookDatabase, pullLimit = Infinity) {
  const handler = rxStorageInstanceToReplicationHandler(master.lots.storageInstance, bookConflictHandlers.lots, master.token);
  let pulled = 0;
  let pulledLive = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const state = replicateRxCollection<any, any>({
    collection: db.collections.lots!,
    replicationIdentifier: IDENTIFIER,
    live: true,
    pull: {
      batchSize: 25,
      handler: async (checkpoint, batchSize) => {
        if (pulled >= pullLimit) await gate;
        const r = await handler.masterChangesSince(checkpoint, batchSize);
        pulled += r.documents.length;
        pulledLive += r.documents.filter((d: { _deleted?: boolean }) => !d._deleted).length;
        return r;
      },
    },
    push: { handler: (rows) => handler.masterWrite(rows) },
  });
  return { state, release, pulled: () => pulled, pulledLive: () => pulledLive };
}

/** Every account and household of `lots`. */
const scopesOf = (lots: readonly TaxLot[]): LotScope[] => [
  ...[...new Set(lots.map((l) => l.accountId))].map((accountId) => ({ accountId })),
  ...[...new Set(lots.map((l) => l.householdId))].map((householdId) => ({ householdId })),
];

async function expectPacksEqualRx(db: BookDatabase, scopes: LotScope[]): Promise<void> {
  for (const scope of scopes) {
    const packed = await readLotsPacked(db, scope);
    expect(packed, JSON.stringify(scope)).not.toBeNull();
    expect(plainLots(packed!), JSON.stringify(scope)).toEqual(plainLots((await loadHoldingsDataRx(db, scope)).lots));
  }
}

describe('openBookDb over a replica stored with an older lots schema', () => {
  it('re-pulls the lots, and the holdings lot packs match RxDB and the master during and after the re-pull', async () => {
    const book = smallBook(3);
    // Lots only: open-source RxDB allows 13 collections per process, and the desktop's book opens all ten.
    const master = await createBookDatabase({ storage: getRxStorageMemory(), name: `book-db-master-${n++}`, multiInstance: false, collections: ['lots'] });
    cleanups.push(() => master.remove());
    await master.lots.bulkInsert(book.lots);
    const scopes = scopesOf(book.lots);

    // The previous app version's replica: lots at v0, replicated in full, lot packs built (named ...-v0).
    const name = `book-db-repull-${Date.now()}-${n++}`;
    addRxPlugin(RxDBMigrationSchemaPlugin);
    const old = await createRxDatabase({ name, storage: getRxStorageDexie(), multiInstance: false });
    await old.addCollections({ lots: { schema: lotSchemaV0 } });
    const first = replicateLots(old, master);
    await first.state.awaitInitialReplication();
    await first.state.awaitInSync();
    await lotPacksReady(old as unknown as BookDatabase);
    expect(plainLots((await readLotsPacked(old as unknown as BookDatabase, scopes[0]!))!).length).toBeGreaterThan(0);
    await first.state.cancel();
    await old.close();

    // Meanwhile on the master: one lot edited, one moved to another account and household, one deleted.
    const [edited, moved, deleted] = book.lots;
    const target = book.lots.find((l) => l.householdId !== moved!.householdId)!;
    await (await master.lots.findOne(edited!.id).exec())!.incrementalPatch({ quantity: 4242 });
    await (await master.lots.findOne(moved!.id).exec())!.incrementalPatch({ accountId: target.accountId, householdId: target.householdId });
    await (await master.lots.findOne(deleted!.id).exec())!.remove();

    const db = await openBookDb(getRxStorageDexie(), { name, multiInstance: false });
    cleanups.push(() => db.remove());
    expect(bookOpenReport(db).lots).toMatchObject({ action: 'repull', fromVersion: 0, documents: book.lots.length });
    expect(repulledCollections(db)).toEqual(['lots']);
    expect(await db.lots.count().exec()).toBe(0);

    // Re-pull, with a pack pass built halfway through it.
    const half = Math.floor(book.lots.length / 2);
    const again = replicateLots(db, master, half);
    while (again.pulled() < half) await new Promise((r) => setTimeout(r, 5));
    // Quiescent: every pulled batch written to the replica (on a loaded machine a fixed wait was not enough, and the
    // packs and the RxDB query below then read the lots at two different moments).
    while (await db.lots.count().exec() < again.pulledLive()) await new Promise((r) => setTimeout(r, 5));
    const partial = await db.lots.count().exec();
    expect(partial).toBe(again.pulledLive());
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(book.lots.length - 1);
    await lotPacksReady(db);
    await expectPacksEqualRx(db, scopes);

    again.release();
    await again.state.awaitInitialReplication();
    await again.state.awaitInSync();
    await expectPacksEqualRx(db, scopes);
    // ... and a pass built after the re-pull too; both equal the master's lots.
    const masterLots = plainLots((await master.lots.find().exec()).map((d) => d.toJSON())).sort(byId as any);
    const packedAll = async () => plainLots((await Promise.all(scopesOf(book.lots).filter((s) => 'accountId' in s).map((s) => readLotsPacked(db, s)))).flatMap((r) => r!)).sort(byId as any);
    expect(await packedAll()).toEqual(masterLots);
    await lotPacksReady(db, { rebuild: true });
    expect(await packedAll()).toEqual(masterLots);
    expect(masterLots.find((l: any) => l.id === edited!.id)).toMatchObject({ quantity: 4242 });
    expect(masterLots.find((l: any) => l.id === deleted!.id)).toBeUndefined();
    // The packs of the v0 lots are gone from disk, not left behind.
    const packDbs = (await indexedDB.databases()).map((d) => d.name).filter((d) => d?.startsWith(`${name}--lot-packs-`));
    expect(packDbs).toEqual([expect.stringMatching(/-v1$/)]);
    await again.state.cancel();
  });
});
