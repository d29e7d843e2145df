// The desktop's pending-changes count comes from RxDB's replication state, so local edits that were not pushed
// before the app closed are still counted after a reload (IndexedDB through Dexie, as in the desktop), and drop to
// zero once the server has them. Real server on 127.0.0.1 (in this process), real RxDB client.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { WebSocket } from 'ws';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { sampleBookDocs, type Household } from '@aw/domain';
import { createBookDatabase, login, startBookReplication, type BookDatabase, type BookReplication } from '@aw/sync-client';
import type { RunningServer } from '../app.ts';
import { addTestUsersTo, eventually, PASSWORD, seedBook, serverDocs, startServer, tempDir } from '../test/harness.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const T = 1_795_000_000_000;
const sample = sampleBookDocs();
const hh = (i: number): Household => ({ ...sample.households, id: `hh-${i}`, teamId: 'demo', name: `Household ${i}`, updatedAt: T });
const DB_NAME = `pending-reload-${process.pid}`;
const IDENTIFIER = 'pending-reload-test';

const tmp = tempDir();
let server: RunningServer;
let token: string;

beforeAll(async () => {
  await addTestUsersTo(tmp.dir);
  await seedBook(tmp.dir, { households: [hh(1), hh(2), hh(3), hh(4)] });
  server = await startServer(tmp.dir);
  token = (await login(server.url, 'alice', PASSWORD)).token;
});
afterAll(async () => {
  await server.close();
  tmp.remove();
});

const openDb = () =>
  createBookDatabase({ name: DB_NAME, storage: getRxStorageDexie({ indexedDB, IDBKeyRange }), multiInstance: false, collections: ['households'] });
const replicate = (db: BookDatabase, url: string): BookReplication =>
  startBookReplication(db, { url, token, identifier: IDENTIFIER, collections: ['households'], WebSocketImpl: WebSocket as any, retryTimeMs: 200 });

describe('pending local changes', () => {
  it('survive a reload while offline and reach zero once pushed', async () => {
    // 1. First run: the book syncs in; nothing is pending.
    let db = await openDb();
    let repl = replicate(db, server.url);
    await repl.awaitInitialSync();
    await repl.awaitInSync();
    expect(await db.households.count().exec()).toBe(4);
    await eventually(() => repl.status.pendingLocalChanges === 0, 10_000, 'nothing pending after the first sync');
    await repl.cancel();

    // 2. Edits while not replicating (the app lost the server), then the app quits.
    await (await db.households.findOne('hh-1').exec())!.incrementalPatch({ notes: 'edited offline', updatedAt: T + 1 });
    await (await db.households.findOne('hh-2').exec())!.incrementalPatch({ name: 'Renamed offline', updatedAt: T + 2 });
    await db.households.insert({ ...hh(5), name: 'Created offline', updatedAt: T + 3 });
    await db.close();

    // 3. Reload with the server unreachable: the three unpushed documents are counted (the pulled ones are not).
    const deadUrl = 'http://127.0.0.1:9'; // discard port: nothing listens
    db = await openDb();
    repl = replicate(db, deadUrl);
    await eventually(() => repl.status.pendingLocalChanges === 3, 30_000, 'three pending after the reload');
    expect(repl.status.state).toBe('offline');
    // A further offline edit of an already pending document does not count twice; a new one does.
    await (await db.households.findOne('hh-1').exec())!.incrementalPatch({ notes: 'edited offline twice', updatedAt: T + 4 });
    await (await db.households.findOne('hh-3').exec())!.incrementalPatch({ state: 'TX', updatedAt: T + 5 });
    await eventually(() => repl.status.pendingLocalChanges === 4, 10_000, 'four pending');
    await repl.cancel();
    await db.close();

    // 4. Reload online: everything is pushed, the count drops to zero and the server has the edits.
    db = await openDb();
    repl = replicate(db, server.url);
    await repl.awaitInSync();
    await eventually(() => repl.status.pendingLocalChanges === 0, 30_000, 'nothing pending once pushed');
    const root = (await login(server.url, 'root', PASSWORD)).token;
    const stored = new Map((await serverDocs(server.url, root, 'households')).map((d) => [d.id, d]));
    expect(stored.get('hh-1').notes).toBe('edited offline twice');
    expect(stored.get('hh-2').name).toBe('Renamed offline');
    expect(stored.get('hh-3').state).toBe('TX');
    expect(stored.get('hh-5').name).toBe('Created offline');
    await repl.cancel();
    await db.close();
  });
});
