import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addRxPlugin, createRxDatabase, type RxDatabase, type RxStorage } from 'rxdb';
import { RxDBDevModePlugin, disableWarnings } from 'rxdb/plugins/dev-mode';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import {
  accountSchemaV0, BOOK_COLLECTION_NAMES, BOOK_ID_MAX, BookIdTooLongError, bookCollections, lotSchemaV0, migrateAccountV0toV1,
} from './index.ts';
import { sampleBookDocs } from './sample-docs.ts';

let dbs: RxDatabase[] = [];
let n = 0;
const storage = (): RxStorage<any, any> => wrappedValidateAjvStorage({ storage: getRxStorageMemory() });

async function open(collections: Record<string, { schema: any; migrationStrategies?: any }>, name = `schemas-${process.pid}-${n++}`) {
  const db = await createRxDatabase({ name, storage: storage(), multiInstance: false });
  dbs.push(db);
  await db.addCollections(collections);
  return db;
}

beforeAll(() => {
  disableWarnings();
  addRxPlugin(RxDBDevModePlugin);
  addRxPlugin(RxDBMigrationSchemaPlugin);
});
afterEach(async () => {
  await Promise.all(dbs.map((d) => d.close()));
  dbs = [];
});

describe('book schemas', () => {
  it('are 10 collections, within the 13-collection limit', () => {
    expect(Object.keys(bookCollections).sort()).toEqual([...BOOK_COLLECTION_NAMES].sort());
    expect(BOOK_COLLECTION_NAMES.length).toBeLessThanOrEqual(13);
  });

  it('pass RxDB dev-mode checks and accept a valid document of every collection', async () => {
    const db = await open(bookCollections);
    const docs = sampleBookDocs();
    for (const name of BOOK_COLLECTION_NAMES) {
      await db[name].insert(docs[name] as any);
      const primary = bookCollections[name].schema.primaryKey as string;
      const found = await db[name].findOne((docs[name] as any)[primary]).exec();
      expect(found?.toJSON(), name).toMatchObject(docs[name] as object);
    }
  });

  it('serve the indexed queries screens run', async () => {
    const db = await open(bookCollections);
    const docs = sampleBookDocs();
    await db.transactions.bulkInsert([
      docs.transactions,
      { ...docs.transactions, id: 'tx-2', status: 'pending', date: '2026-11-19' },
      { ...docs.transactions, id: 'tx-3', accountId: 'acc-2', status: 'pending', date: '2026-11-18' },
    ]);
    const pending = await db.transactions.find({ selector: { status: 'pending' }, sort: [{ date: 'asc' }], index: ['status', 'date'] }).exec();
    expect(pending.map((d: any) => d.id)).toEqual(['tx-3', 'tx-2']);
    const acc1Pending = await db.transactions.find({ selector: { accountId: 'acc-1', status: 'pending' } }).exec();
    expect(acc1Pending.map((d: any) => d.id)).toEqual(['tx-2']);
  });

  it('reject a document that breaks the schema', async () => {
    const db = await open(bookCollections);
    const docs = sampleBookDocs();
    await expect(db.lots.insert({ ...docs.lots, costBasisCents: 2100.5 })).rejects.toThrow(/VD2|schema/i);
    await expect(db.lots.insert({ ...docs.lots, id: 'lot-2', acquiredDate: '15/03/2024' })).rejects.toThrow();
    await expect(db.accounts.insert({ ...docs.accounts, type: 'checking' } as any)).rejects.toThrow();
    await expect(db.households.insert({ ...docs.households, extra: 1 } as any)).rejects.toThrow();
    const { name: _omit, ...noName } = docs.households;
    await expect(db.households.insert({ ...noName, id: 'hh-2' } as any)).rejects.toThrow();
    expect(await db.lots.count().exec()).toBe(0);
  });
});

describe('accounts v0 → v1 migration', () => {
  it('turns float dollars into exact cents and starts the revision at 0', () => {
    const v0 = { ...sampleBookDocs().accounts, cash: 0.1 + 0.2 } as any;
    delete v0.cashCents;
    delete v0.accountRevision;
    const v1 = migrateAccountV0toV1(v0);
    expect(v1.cashCents).toBe(30);
    expect(v1.accountRevision).toBe(0);
    expect('cash' in v1).toBe(false);
  });

  it('migrates a stored v0 book when it is opened with the v1 schema', async () => {
    const name = `migrate-${process.pid}-${n++}`;
    const { cashCents: _c, accountRevision: _r, ...base } = sampleBookDocs().accounts;
    const old = await open({ accounts: { schema: accountSchemaV0 } }, name);
    await old.accounts.bulkInsert([{ ...base, cash: 1234.56 }, { ...base, id: 'acc-2', cash: 19.99 }]);
    await old.close();
    dbs = dbs.filter((d) => d !== old);

    const db = await open({ accounts: bookCollections.accounts }, name);
    const docs = (await db.accounts.find({ sort: [{ id: 'asc' }] }).exec()).map((d: any) => d.toJSON());
    expect(docs.map((d: any) => [d.id, d.cashCents, d.accountRevision])).toEqual([['acc-1', 123456, 0], ['acc-2', 1999, 0]]);
    expect(docs[0]).not.toHaveProperty('cash');
  });
});

describe('lots and transactions v0 → v1 (ids at most BOOK_ID_MAX)', () => {
  it('refuse a lot or transaction id, or its account or household reference, longer than BOOK_ID_MAX', async () => {
    const db = await open(bookCollections);
    const docs = sampleBookDocs();
    const long = 'x'.repeat(BOOK_ID_MAX + 1);
    await db.lots.insert({ ...docs.lots, id: 'y'.repeat(BOOK_ID_MAX) });
    await expect(db.lots.insert({ ...docs.lots, id: long })).rejects.toThrow();
    await expect(db.lots.insert({ ...docs.lots, id: 'lot-2', accountId: long })).rejects.toThrow();
    await expect(db.transactions.insert({ ...docs.transactions, householdId: long })).rejects.toThrow();
    expect(await db.lots.count().exec()).toBe(1);
  });

  it('migrate stored documents unchanged, and stop with a readable error on an id that does not fit', async () => {
    const migrate = bookCollections.lots.migrationStrategies[1]!;
    const lot = { ...sampleBookDocs().lots };
    expect(migrate(lot)).toEqual(lot);
    expect(() => migrate({ ...lot, accountId: 'a'.repeat(BOOK_ID_MAX + 5) })).toThrow(BookIdTooLongError);
    expect(() => migrate({ ...lot, accountId: 'a'.repeat(BOOK_ID_MAX + 5) })).toThrow(/accountId .* 45 characters/);

    const name = `migrate-lots-${process.pid}-${n++}`;
    const old = await open({ lots: { schema: lotSchemaV0 } }, name);
    await old.lots.bulkInsert([lot, { ...lot, id: 'lot-2', symbol: 'BND' }]);
    await old.close();
    dbs = dbs.filter((d) => d !== old);
    const db = await open({ lots: bookCollections.lots }, name);
    const docs = (await db.lots.find({ selector: { accountId: lot.accountId }, sort: [{ accountId: 'asc' }, { symbol: 'asc' }] }).exec()).map((d: any) => d.toJSON());
    expect(docs).toEqual([{ ...lot, id: 'lot-2', symbol: 'BND' }, lot]);
  });
});
