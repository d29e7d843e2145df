import { afterEach, describe, expect, it } from 'vitest';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { addRxPlugin, createRxDatabase, type RxDatabase } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { accountSchemaV0, BOOK_COLLECTION_NAMES, bookCollections, sampleBookDocs } from '@aw/domain';

import { createBookDatabase } from './book-db.ts';

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

  it('can open a subset of collections', async () => {
    const db = await createBookDatabase({ storage: getRxStorageMemory(), name: uniqueName('mem'), multiInstance: false, collections: ['securities', 'prices'] });
    open.push(db);
    expect(Object.keys(db.collections).sort()).toEqual(['prices', 'securities']);
  });
});
