// The runtime end to end in Node: real RxDB (memory), the real valuation service over Comlink, the real store.
import { afterEach, describe, expect, it } from 'vitest';
import { addRxPlugin, createRxDatabase, rxStorageInstanceToReplicationHandler, type RxDatabase, type RxStorage } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { lotSchemaV0, type TaxLot } from '@aw/domain';
import { bookConflictHandlers, createBookDatabase, type SyncStatus } from '@aw/sync-client';
import { openBookDb, repulledCollections, type BookDatabase } from '../db/book-db.ts';
import { createAppStore } from '../stores/app-store.ts';
import { inProcessValuationClient, openTestDb, smallBook, untilState } from '../test-support.ts';
import { valuationService } from '../workers/valuation-service.ts';
import { startBookRuntime } from './book-runtime.ts';


let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => { await cleanup?.(); cleanup = undefined; });

async function start(opts: { fetchFn?: typeof fetch } = {}) {
  const db: BookDatabase = await openTestDb();
  const store = createAppStore();
  store.getState().setAppInfo({ version: 't', serverUrl: 'http://127.0.0.1:1', dataDir: '', shell: 'web' });
  const valuation = inProcessValuationClient();
  const offline = (async () => { throw new TypeError('fetch failed'); }) as unknown as typeof fetch;
  const runtime = startBookRuntime({ db, store, valuation, generate: async () => smallBook(), fetchFn: opts.fetchFn ?? offline, revalueDelayMs: 10 });
  cleanup = async () => { runtime.stop(); valuation.terminate(); await db.close(); };
  await runtime.ready;
  return { db, store };
}

describe('book runtime', () => {
  it('seeds the book, feeds the store and values every account off the UI thread', async () => {
    const book = smallBook();
    const { store } = await start();
    const s = await untilState(store, (x) => x.valuation.status === 'done' && x.book.accounts.length === book.accounts.length);
    expect(s.book.status).toBe('ready');
    expect(s.book.source).toBe('generated');
    expect(s.book.households.map((h) => h.name)).toEqual([...book.households].map((h) => h.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const expected = await valuationService.valueBook({
      accounts: book.accounts, lots: book.lots, priceRows: book.prices, securities: book.securities,
    });
    expect(s.valuation.totals?.marketValueCents).toBe(expected.totals.marketValueCents);
    expect(s.valuation.accounts[book.accounts[0]!.id]?.marketValueCents).toBe(expected.accounts[0]!.marketValueCents);
    expect(s.session.serverReachable).toBe(false);
  });

  it('loads the holdings view when a household is selected', async () => {
    const book = smallBook();
    const { store } = await start();
    const hh = book.households[0]!;
    store.getState().selectHousehold(hh.id);
    const s = await untilState(store, (x) => x.household.status === 'ready' && x.household.viewFor === hh.id);
    const lots = book.lots.filter((l) => l.householdId === hh.id);
    expect(s.household.view!.holdings.reduce((n, h) => n + h.lots.length, 0)).toBe(lots.length);
    const cash = book.accounts.filter((a) => a.householdId === hh.id).reduce((c, a) => c + a.cashCents, 0);
    expect(s.household.view!.totals.cashCents).toBe(cash);
    await untilState(store, (x) => x.valuation.status === 'done');
    expect(s.household.view!.totals.marketValueCents).toBe(store.getState().valuation.households[hh.id]!.marketValueCents);
  });

  it('revalues when the book changes in RxDB', async () => {
    const book = smallBook();
    const { db, store } = await start();
    const before = (await untilState(store, (x) => x.valuation.status === 'done')).valuation.totals!.marketValueCents;
    const account = await db.accounts.findOne(book.accounts[0]!.id).exec();
    await account!.incrementalPatch({ cashCents: account!.cashCents + 12_345 });
    const after = await untilState(store, (x) => x.valuation.totals!.marketValueCents !== before);
    expect(after.valuation.totals!.marketValueCents - before).toBe(12_345);
  });
});

describe('book runtime over a replica whose lots were dropped at open (new storage format)', () => {
  const replicateLots = (db: RxDatabase<any>, master: BookDatabase) => {
    const handler = rxStorageInstanceToReplicationHandler(master.lots.storageInstance, bookConflictHandlers.lots, master.token);
    return replicateRxCollection<any, any>({
      collection: db.collections.lots!, replicationIdentifier: 'book-runtime-test', live: true,
      pull: { handler: (checkpoint, batchSize) => handler.masterChangesSince(checkpoint, batchSize) },
      push: { handler: (rows) => handler.masterWrite(rows) },
    });
  };
  const status = (repulling: string[], p: Partial<SyncStatus> = {}): SyncStatus =>
    ({ state: 'syncing', pendingLocalChanges: 0, lastError: null, authExpired: false, repulling: repulling as SyncStatus['repulling'], ...p });

  /** A master holding `lots`, and a replica `name` of it stored by the previous app version (lots at v0, fully pulled). */
  const oldReplica = async (lots: TaxLot[], name: string, storage: RxStorage<any, any>) => {
    const master = await createBookDatabase({ storage: getRxStorageMemory(), name: `${name}-master`, multiInstance: false, collections: ['lots'] });
    await master.lots.bulkInsert(lots);
    addRxPlugin(RxDBMigrationSchemaPlugin);
    const old = await createRxDatabase({ name, storage: wrappedValidateAjvStorage({ storage }), multiInstance: false });
    await old.addCollections({ lots: { schema: lotSchemaV0 } });
    const first = replicateLots(old, master);
    await first.awaitInitialReplication();
    await first.cancel();
    await old.close();
    return master;
  };

  it('shows the book only once the lots are pulled again, then values them', async () => {
    const book = smallBook();
    // The server's lots, and this desktop's replica of them stored by the previous app version (lots at v0).
    const storage = getRxStorageMemory();
    const name = `runtime-repull-${Date.now()}`;
    const master = await oldReplica(book.lots, name, storage);

    const db = await openBookDb(storage, { name, multiInstance: false });
    expect(repulledCollections(db)).toEqual(['lots']);
    expect(await db.lots.count().exec()).toBe(0);
    const { lots: _l, ...rest } = book;
    for (const [n, docs] of Object.entries(rest)) await (db as any)[n].bulkInsert(docs);
    const store = createAppStore();
    store.getState().setAppInfo({ version: 't', serverUrl: 'http://127.0.0.1:1', dataDir: '', shell: 'web' });
    const valuation = inProcessValuationClient();
    const offline = (async () => { throw new TypeError('fetch failed'); }) as unknown as typeof fetch;
    const runtime = startBookRuntime({ db, store, valuation, loadBook: async () => 'local', fetchFn: offline, revalueDelayMs: 10 });
    const again = replicateLots(db, master);
    cleanup = async () => { runtime.stop(); valuation.terminate(); await again.cancel(); await db.close(); await master.close(); };

    // The replication reports the lots as being pulled again (the app mirrors its status into the store).
    store.getState().setSyncStatus(status(['lots']));
    await new Promise((r) => setTimeout(r, 50));
    expect(store.getState().book.status).toBe('seeding');
    expect(store.getState().book.message).toMatch(/pulling lots again from the server/);
    await again.awaitInitialReplication();
    store.getState().setSyncStatus(status([], { state: 'online' }));
    await runtime.ready;
    const s = await untilState(store, (x) => x.valuation.status === 'done');
    expect(s.book.status).toBe('ready');
    const expected = await valuationService.valueBook({ accounts: book.accounts, lots: book.lots, priceRows: book.prices, securities: book.securities });
    expect(s.valuation.totals?.marketValueCents).toBe(expected.totals.marketValueCents);
  });

  it('opens the book anyway when the server is unreachable', async () => {
    const store = createAppStore();
    const storage = getRxStorageMemory();
    const name = `runtime-repull-offline-${Date.now()}`;
    const master = await oldReplica(smallBook().lots.slice(0, 5), name, storage);
    const db = await openBookDb(storage, { name, multiInstance: false });
    expect(repulledCollections(db)).toEqual(['lots']);
    const valuation = inProcessValuationClient();
    const runtime = startBookRuntime({ db, store, valuation, loadBook: async () => 'local', fetchFn: (async () => { throw new TypeError('x'); }) as unknown as typeof fetch });
    cleanup = async () => { runtime.stop(); valuation.terminate(); await db.close(); await master.close(); };
    store.getState().setSyncStatus(status(['lots'], { state: 'offline' }));
    await new Promise((r) => setTimeout(r, 30));
    expect(store.getState().book.status).toBe('seeding');
    store.getState().setSyncStatus(status(['lots'], { state: 'offline', lastError: { code: 'offline', message: 'server down', at: Date.now() } }));
    await runtime.ready;
    expect(store.getState().book.status).toBe('ready');
  });
});
