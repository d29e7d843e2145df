// A replica stored with an older schema version of lots and transactions (v0), reopened by the current app (v1),
// against a real sync server process on 127.0.0.1 and a real RxDB client on Dexie (fake-indexeddb, the desktop's
// storage layout):
// - nothing pending: the old copy is dropped at open (no document-by-document migration), the replication pulls
//   everything again from the start, and the book ends with exactly the server's documents — including edits and
//   deletions other advisors made while this desktop was closed;
// - one offline edit not pushed yet: RxDB's migration runs instead, the edit survives it and is pushed.
// The v0 replica is written by the app's own replication; the old server's routes said schema version 0 for the
// same documents (v0 → v1 changed no document), so its requests are sent to this server's /1/ routes.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { WebSocket } from 'ws';
import { addRxPlugin, createRxDatabase, type RxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { RxDBUpdatePlugin } from 'rxdb/plugins/update';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { lotSchemaV0, sampleBookDocs, transactionSchemaV0, type TaxLot, type Transaction } from '@aw/domain';
import { bookOpenReport, createBookDatabase, login, startBookReplication, type BookReplication } from '@aw/sync-client';
import {
  addTestUsersTo, eventually, PASSWORD, seedBook, serverDocs, spawnServer, startClient, tempDir, type ServerProcess,
} from '../test/harness.ts';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const T = 1_795_000_000_000;
const sample = sampleBookDocs();
const lot = (i: number, teamId = 'demo'): TaxLot => ({
  ...sample.lots, id: `hh-${i % 5}-a1-l${i}`, teamId, householdId: `hh-${i % 5}`, accountId: `hh-${i % 5}-a1`,
  symbol: ['VTI', 'BND', 'VXUS'][i % 3]!, quantity: i + 1, updatedAt: T,
});
const tx = (i: number): Transaction => ({ ...sample.transactions, id: `tx-${i}`, householdId: `hh-${i % 5}`, accountId: `hh-${i % 5}-a1`, updatedAt: T });
const COLLECTIONS = ['lots', 'transactions'] as const;
const dexie = () => getRxStorageDexie({ indexedDB, IDBKeyRange });

const tmp = tempDir('aw-repull-');
let server: ServerProcess;
let token: string;
let rootToken: string;

beforeAll(async () => {
  await addTestUsersTo(tmp.dir);
  await seedBook(tmp.dir, {
    lots: [...Array.from({ length: 240 }, (_, i) => lot(i)), lot(900, 'north'), lot(901, 'north')],
    transactions: Array.from({ length: 60 }, (_, i) => tx(i)),
  });
  server = await spawnServer(tmp.dir);
  token = (await login(server.url, 'alice', PASSWORD)).token;
  rootToken = (await login(server.url, 'root', PASSWORD)).token;
});
afterAll(async () => {
  await server?.stop('SIGKILL');
  tmp.remove();
});

const replicate = (db: RxDatabase<any>, fetchImpl?: typeof fetch): BookReplication =>
  startBookReplication(db, { url: server.url, token, collections: COLLECTIONS, WebSocketImpl: WebSocket as any, retryTimeMs: 200, fetchImpl });

/** What the previous app version stored: lots and transactions at schema v0, replicated with the server. */
async function v0Replica(name: string): Promise<RxDatabase<any>> {
  addRxPlugin(RxDBMigrationSchemaPlugin);
  addRxPlugin(RxDBUpdatePlugin);
  const db = await createRxDatabase({ name, storage: dexie(), multiInstance: false });
  await db.addCollections({ lots: { schema: lotSchemaV0 }, transactions: { schema: transactionSchemaV0 } });
  const oldRoutes: typeof fetch = (input, init) => fetch(String(input).replace(/\/api\/v1\/replication\/(lots|transactions)\/0\//, '/api/v1/replication/$1/1/'), init);
  const repl = replicate(db, oldRoutes);
  await repl.awaitInitialSync();
  await repl.awaitInSync();
  await eventually(() => repl.status.pendingLocalChanges === 0, 20_000, 'v0 replica in sync');
  await repl.cancel();
  return db;
}

/** Live documents without RxDB's bookkeeping, by id. */
const plain = (docs: any[]) => docs.filter((d) => !d._deleted).map(({ _meta: _m, _rev: _r, _attachments: _a, _deleted: _d, ...d }) => d)
  .sort((a, b) => (a.id < b.id ? -1 : 1));
const localDocs = async (db: RxDatabase<any>, name: string) => plain((await db.collections[name]!.find().exec()).map((d: any) => d.toJSON(true)));
const visibleOnServer = async (name: string) => plain((await serverDocs(server.url, token, name as any, 1)));

describe('a replica stored with schema v0 of lots and transactions', () => {
  it('with nothing pending is dropped at open and pulled again in full: it ends with exactly the server\'s documents', async () => {
    const name = `repull-clean-${process.pid}`;
    const old = await v0Replica(name);
    expect(await old.collections.lots!.count().exec()).toBe(240); // alice sees team demo only
    await old.close();

    // While this desktop is closed, another advisor edits one lot and deletes another on the server.
    const bob = await startClient(server.url, 'bob', { collections: ['lots'] });
    await bob.repl.awaitInitialSync();
    await (await bob.db.lots.findOne(lot(7).id).exec())!.incrementalPatch({ quantity: 777, updatedAt: T + 7 });
    await (await bob.db.lots.findOne(lot(8).id).exec())!.remove();
    await bob.repl.awaitInSync();
    await eventually(() => bob.repl.status.pendingLocalChanges === 0, 20_000, 'bob pushed');
    await bob.close();

    const db = await createBookDatabase({ name, storage: dexie(), multiInstance: false, collections: COLLECTIONS, replica: true });
    try {
      const report = bookOpenReport(db);
      expect(report.lots).toMatchObject({ action: 'repull', fromVersion: 0, documents: 240 });
      expect(report.transactions).toMatchObject({ action: 'repull', fromVersion: 0, documents: 60 });
      expect([db.lots.schema.version, db.transactions.schema.version]).toEqual([1, 1]);
      expect(await db.lots.count().exec()).toBe(0); // dropped, not migrated

      const repl = replicate(db);
      expect(repl.status.repulling).toEqual(['lots', 'transactions']); // the desktop waits for these before showing the book
      await repl.awaitInitialSync();
      await repl.awaitInSync();
      await eventually(() => repl.status.repulling?.length === 0, 10_000, 'repull reported done');
      const lots = await localDocs(db, 'lots');
      expect(lots).toEqual(await visibleOnServer('lots'));
      expect(lots).toHaveLength(239);
      expect(lots.find((l) => l.id === lot(7).id)?.quantity).toBe(777);
      expect(lots.find((l) => l.id === lot(8).id)).toBeUndefined();
      expect(await localDocs(db, 'transactions')).toEqual(await visibleOnServer('transactions'));
      expect(repl.status.pendingLocalChanges).toBe(0);
      await repl.cancel();
    } finally {
      await db.remove();
    }
  });

  it('with one offline edit not pushed is migrated instead, keeps the edit and pushes it', async () => {
    const name = `repull-pending-${process.pid}`;
    const old = await v0Replica(name);
    const id = lot(11).id;
    await (await old.collections.lots!.findOne(id).exec())!.incrementalPatch({ quantity: 1111, updatedAt: T + 11 });
    await old.close();

    const db = await createBookDatabase({ name, storage: dexie(), multiInstance: false, collections: COLLECTIONS, replica: true });
    try {
      const report = bookOpenReport(db);
      expect(report.lots).toMatchObject({ action: 'migrate', fromVersion: 0, reason: 'unpushed', unpushedIds: [id] });
      expect(report.transactions).toMatchObject({ action: 'repull' }); // nothing pending there
      expect((await db.lots.findOne(id).exec())?.quantity).toBe(1111); // kept through the migration
      expect(await db.lots.count().exec()).toBe(239);

      const repl = replicate(db);
      await repl.awaitInitialSync();
      await repl.awaitInSync();
      await eventually(async () => (await serverDocs(server.url, rootToken, 'lots', 1)).find((d) => d.id === id)?.quantity === 1111, 30_000, 'edit pushed');
      await eventually(() => repl.status.pendingLocalChanges === 0, 20_000, 'nothing pending');
      expect(await localDocs(db, 'lots')).toEqual(await visibleOnServer('lots'));
      expect(await localDocs(db, 'transactions')).toEqual(await visibleOnServer('transactions'));
      await repl.cancel();
    } finally {
      await db.remove();
    }
  });
});
