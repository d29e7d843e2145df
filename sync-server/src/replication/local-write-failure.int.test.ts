// When this computer's storage refuses pulled documents (IndexedDB's quota or the disk full), the sync status says so
// and the collection is pulled again from the start until it is stored whole. RxDB's replication on its own reports
// the failed write, goes on with the next batch and moves its checkpoint past the lost one, so those documents would
// be missing for good under a "Synced" status. Real server on 127.0.0.1, real RxDB client on Dexie (fake-indexeddb);
// the one stand-in is the full disk: the local storage refuses the replication's writes while `full` says so.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { WebSocket } from 'ws';
import type { RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { sampleBookDocs, type Household } from '@aw/domain';
import { createBookDatabase, login, startBookReplication, type BookReplication } from '@aw/sync-client';
import type { RunningServer } from '../app.ts';
import { addTestUsersTo, eventually, PASSWORD, seedBook, startServer, tempDir } from '../test/harness.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const T = 1_795_000_000_000;
const sample = sampleBookDocs();
const HOUSEHOLDS = 30;
const hh = (i: number): Household => ({ ...sample.households, id: `hh-${String(i).padStart(2, '0')}`, teamId: 'demo', name: `Household ${i}`, updatedAt: T });

const tmp = tempDir();
let server: RunningServer;
let token: string;
let n = 0;

beforeAll(async () => {
  await addTestUsersTo(tmp.dir);
  await seedBook(tmp.dir, { households: Array.from({ length: HOUSEHOLDS }, (_, i) => hh(i + 1)) });
  server = await startServer(tmp.dir);
  token = (await login(server.url, 'alice', PASSWORD)).token;
});
afterAll(async () => {
  await server.close();
  tmp.remove();
});

/** Dexie storage whose replication writes of pulled households are refused while `disk.refuse()` says so. */
function storageWithDisk(disk: { refuse(): boolean; refused: number }): RxStorage<any, any> {
  const base = getRxStorageDexie({ indexedDB, IDBKeyRange });
  return {
    ...base,
    async createStorageInstance(params) {
      const instance = await base.createStorageInstance(params);
      const write = instance.bulkWrite.bind(instance);
      instance.bulkWrite = (rows, context) => {
        if (params.collectionName === 'households' && context.startsWith('replication-downstream') && disk.refuse()) {
          disk.refused++;
          return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
        }
        return write(rows, context);
      };
      return instance;
    },
  };
}

async function openClient(disk: { refuse(): boolean; refused: number }) {
  const db = await createBookDatabase({ name: `local-write-${process.pid}-${n++}`, storage: storageWithDisk(disk), multiInstance: false, collections: ['households'] });
  const repl: BookReplication = startBookReplication(db, {
    url: server.url, token, collections: ['households'], WebSocketImpl: WebSocket as any, pullBatchSize: 10, retryTimeMs: 200, localWriteRetryMs: 300,
  });
  const errors: string[] = [];
  repl.status$.subscribe((s) => { if (s.lastError && errors.at(-1) !== s.lastError.code) errors.push(s.lastError.code); });
  return { db, repl, errors, close: async () => { await repl.cancel(); await db.remove(); } };
}

describe('pulled documents the local storage refuses', () => {
  it('one refused batch: the status says so, and a pull from the start brings the whole book', async () => {
    let left = 1;
    const disk = { refused: 0, refuse: () => left-- > 0 };
    const c = await openClient(disk);
    try {
      await eventually(() => c.errors.includes('local-write'), 20_000, 'a local-write error in the status');
      expect(c.repl.status.lastError?.message).toMatch(/Pulled households could not be saved on this computer \(QuotaExceededError: The quota has been exceeded\.\); pulling them again in 0 s/);
      // Repaired: every household stored, the error gone.
      await eventually(async () => (await c.db.households.count().exec()) === HOUSEHOLDS && c.repl.status.lastError === null, 30_000, 'all households, no error');
      expect(disk.refused).toBe(1);
      const ids = (await c.db.households.find().exec()).map((d) => d.id).sort();
      expect(ids).toEqual(Array.from({ length: HOUSEHOLDS }, (_, i) => hh(i + 1).id));
    } finally {
      await c.close();
    }
  });

  it('a disk that stays full: the error stays and the pulls repeat, then the book is whole once there is room', async () => {
    let full = true;
    const disk = { refused: 0, refuse: () => full };
    const c = await openClient(disk);
    try {
      await eventually(() => disk.refused >= 3, 30_000, 'the pull repeated while the disk is full');
      expect(c.repl.status.lastError?.code).toBe('local-write');
      expect(await c.db.households.count().exec()).toBe(0);
      full = false;
      await eventually(async () => (await c.db.households.count().exec()) === HOUSEHOLDS && c.repl.status.lastError === null, 30_000, 'all households, no error');
    } finally {
      await c.close();
    }
  });
});
