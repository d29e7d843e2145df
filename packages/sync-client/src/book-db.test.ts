import { afterEach, describe, expect, it } from 'vitest';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { addRxPlugin, createRxDatabase, type RxDatabase } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { accountSchemaV0, BOOK_COLLECTION_NAMES, BOOK_ID_MAX, bookCollections, lotSchemaV0, sampleBookDocs, transactionSchemaV0 } from '@aw/domain';

import { bookOpenReport, createBookDatabase } from './book-db.ts';

const open: RxDatabase<any>[] = [];
let n = 0;
const uniqueName = (p: string) => `${p}-${process.pid}-${n++}`;
const dexie = () => getRxStorageDexie({ indexedDB, IDBKeyRange });
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => (d.closed ? undefined : d.close())));
});

describe('createBookDatabase', () => {
  it('creates all ten collections on memory storage in dev mode and stores a document of each', async () => {
    const db = await createBookDatabase({ storage: getRxStorageMemory(), name: uniqueName('mem'), devMode: true, multiInstance: false });
    open.push(db);
    expect(Object.keys(db.collections).sort()).toEqual([...BOOK_COLLECTION_NAMES].sort());
    const docs = sampleBookDocs();
    for (const name of BOOK_COLLECTION_NAMES) await db[name].insert(docs[name] as any);
    const lots = await db.lots.find({ selector: { accountId: 'acc-1' } }).exec();
    expect(lots.map((l) => [l.symbol, l.costBasisCents])).toEqual([['VTI', 210000]]);
    expect((await db.accounts.findOne('acc-1').exec())?.accountRevision).toBe(3);
  });

  it('validates writes in dev mode', async () => {
    const db = await createBookDatabase({ storage: getRxStorageMemory(), name: uniqueName('mem'), devMode: true, multiInstance: false });
    open.push(db);
    await expect(db.accounts.insert({ ...sampleBookDocs().accounts, cashCents: 10.5 })).rejects.toThrow();
    expect(await db.accounts.count().exec()).toBe(0);
  });

  it('persists the book in IndexedDB (Dexie) across close and reopen', async () => {
    const name = uniqueName('dexie');
    const db = await createBookDatabase({ storage: dexie(), name, devMode: true, multiInstance: false });
    const docs = sampleBookDocs();
    await db.households.insert(docs.households);
    await db.lots.bulkInsert([docs.lots, { ...docs.lots, id: 'lot-2', symbol: 'BND', quantity: 3 }]);
    await db.close();

    const again = await createBookDatabase({ storage: dexie(), name, multiInstance: false });
    open.push(again);
    expect((await again.households.findOne('hh-1').exec())?.name).toBe('Rivera Family');
    const bySymbol = await again.lots.find({ selector: { accountId: 'acc-1' }, sort: [{ symbol: 'asc' }] }).exec();
    expect(bySymbol.map((l) => l.symbol)).toEqual(['BND', 'VTI']);
  });

  it('migrates accounts written with schema v0 when the book is opened', async () => {
    const name = uniqueName('dexie-migrate');
    addRxPlugin(RxDBMigrationSchemaPlugin);
    const old = await createRxDatabase({ name, storage: wrappedValidateAjvStorage({ storage: dexie() }), multiInstance: false });
    await old.addCollections({ accounts: { schema: accountSchemaV0 } });
    const { cashCents: _c, accountRevision: _r, ...v0 } = sampleBookDocs().accounts;
    await old.accounts.insert({ ...v0, cash: 250000.07 });
    await old.close();

    const db = await createBookDatabase({ storage: dexie(), name, multiInstance: false });
    open.push(db);
    const acc = (await db.accounts.findOne('acc-1').exec())!.toJSON();
    expect(acc.cashCents).toBe(25_000_007);
    expect(acc.accountRevision).toBe(0);
    expect(bookCollections.accounts.schema.version).toBe(1);
  });

  it('migrates lots and transactions of schema v0 (64-character ids, four more indexes) to v1 on IndexedDB', async () => {
    const name = uniqueName('dexie-migrate-ids');
    addRxPlugin(RxDBMigrationSchemaPlugin);
    const old = await createRxDatabase({ name, storage: wrappedValidateAjvStorage({ storage: dexie() }), multiInstance: false });
    await old.addCollections({ lots: { schema: lotSchemaV0 }, transactions: { schema: transactionSchemaV0 } });
    const { lots: lot, transactions: tx } = sampleBookDocs();
    const lots = Array.from({ length: 30 }, (_, i) => ({ ...lot, id: `lot-${i}`, accountId: `acc-${i % 3}`, symbol: ['VTI', 'BND', 'VXUS'][i % 3]!, quantity: i + 1 }));
    await old.lots.bulkInsert(lots);
    await old.transactions.bulkInsert([tx, { ...tx, id: 'tx-2', status: 'pending', proposalId: 'prop-1' }]);
    await old.lots.findOne('lot-4').update({ $set: { quantity: 99 } });
    await old.lots.findOne('lot-5').remove();
    await old.close();

    const db = await createBookDatabase({ storage: dexie(), name, devMode: true, multiInstance: false });
    open.push(db);
    expect([db.lots.schema.version, db.transactions.schema.version]).toEqual([1, 1]);
    const stored = (await db.lots.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => d.toJSON());
    const expected = lots.filter((l) => l.id !== 'lot-5').map((l) => (l.id === 'lot-4' ? { ...l, quantity: 99 } : l));
    expect(stored).toEqual(expected.sort((a, b) => (a.id < b.id ? -1 : 1)));
    const acc1 = await db.lots.find({ selector: { accountId: 'acc-1' }, sort: [{ accountId: 'asc' }, { symbol: 'asc' }] }).exec();
    expect(acc1.map((d) => d.id).sort()).toEqual(expected.filter((l) => l.accountId === 'acc-1').map((l) => l.id).sort());
    expect((await db.transactions.find({ selector: { proposalId: 'prop-1' } }).exec()).map((d) => d.id)).toEqual(['tx-2']);
    // The desktop's holdings and rebalance readers open these IndexedDB indexes by name (Dexie layout of v1).
    const idb = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(`rxdb-dexie-${name}--1--lots`);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const list = idb.transaction('docs').objectStore('docs').indexNames;
    const indexNames = Array.from({ length: list.length }, (_, i) => list.item(i)!);
    idb.close();
    expect(indexNames).toEqual(expect.arrayContaining(['[_deleted+accountId+symbol+id]', '[_deleted+householdId+symbol+id]']));
    expect(indexNames.filter((i) => i.includes('acquiredDate') || i.includes('teamId'))).toEqual([]);
  });

  it('opened as a replica, still migrates a v0 collection that was never replicated (a local book: nothing else has it)', async () => {
    const name = uniqueName('dexie-replica-local');
    addRxPlugin(RxDBMigrationSchemaPlugin);
    const old = await createRxDatabase({ name, storage: wrappedValidateAjvStorage({ storage: dexie() }), multiInstance: false });
    await old.addCollections({ lots: { schema: lotSchemaV0 }, transactions: { schema: transactionSchemaV0 } });
    const { lots: lot } = sampleBookDocs();
    const lots = Array.from({ length: 12 }, (_, i) => ({ ...lot, id: `lot-${i}`, quantity: i + 1 }));
    await old.lots.bulkInsert(lots);
    await old.close();

    const db = await createBookDatabase({ storage: dexie(), name, multiInstance: false, collections: ['lots', 'transactions', 'households'], replica: true });
    open.push(db);
    expect(bookOpenReport(db).lots).toMatchObject({ action: 'migrate', fromVersion: 0, reason: 'never-replicated' });
    // An empty old collection has nothing to keep: it is simply dropped. Households were never stored: nothing to do.
    expect(bookOpenReport(db).transactions).toMatchObject({ action: 'repull', fromVersion: 0, documents: 0 });
    expect(bookOpenReport(db).households).toBeUndefined();
    expect((await db.lots.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => d.toJSON())).toEqual([...lots].sort((a, b) => (a.id < b.id ? -1 : 1)));
  });

  it('refuses to open a stored book holding a lot id longer than BOOK_ID_MAX, and keeps that document', async () => {
    const name = uniqueName('dexie-migrate-long');
    addRxPlugin(RxDBMigrationSchemaPlugin);
    const long = { ...sampleBookDocs().lots, id: `lot-${'9'.repeat(BOOK_ID_MAX)}` };
    const old = await createRxDatabase({ name, storage: wrappedValidateAjvStorage({ storage: dexie() }), multiInstance: false });
    await old.addCollections({ lots: { schema: lotSchemaV0 } });
    await old.lots.insert(long);
    await old.close();

    await expect(createBookDatabase({ storage: dexie(), name, multiInstance: false, collections: ['lots'] })).rejects.toThrow(/DM4|migrat/i);
    const again = await createRxDatabase({ name, storage: wrappedValidateAjvStorage({ storage: dexie() }), multiInstance: false });
    open.push(again);
    await again.addCollections({ lots: { schema: lotSchemaV0 } });
    expect((await again.lots.findOne(long.id).exec())?.toJSON()).toEqual(long);
  });

  it('can open a subset of collections', async () => {
    const db = await createBookDatabase({ storage: getRxStorageMemory(), name: uniqueName('mem'), multiInstance: false, collections: ['securities', 'prices'] });
    open.push(db);
    expect(Object.keys(db.collections).sort()).toEqual(['prices', 'securities']);
  });
});
