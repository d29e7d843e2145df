// The server's book on the real SQLite RxStorage opens a book written with older schema versions and migrates it
// (lots and transactions v0 → v1: ids at most BOOK_ID_MAX, fewer indexes; accounts v0 → v1: cash → cashCents),
// by copy (copy-migration.ts): every document and tombstone survives byte for byte at the storage level (fields,
// _meta.lwt, _rev, _deleted), so clients' replication checkpoints stay valid; the result equals RxDB's own
// migration; a copy interrupted half-way completes on the next open; a document the new schema refuses stops the
// open with a readable error and nothing old is removed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addRxPlugin, createRxDatabase, createRxSchema, getChangedDocumentsSince, type RxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageSqlite } from '@aw/rxdb-storage-sqlite';
import { accountSchemaV0, BOOK_ID_MAX, lotSchema, lotSchemaV0, sampleBookDocs, transactionSchemaV0, type TaxLot } from '@aw/domain';
import { openServerBook } from './book-db.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const sample = sampleBookDocs();
const lots: TaxLot[] = Array.from({ length: 250 }, (_, i) => ({
  ...sample.lots, id: `hh-${i % 7}-a1-l${i}`, householdId: `hh-${i % 7}`, accountId: `hh-${i % 7}-a1`, quantity: i + 1,
}));
const accountV0 = (i: number) => {
  const { cashCents: _c, ...rest } = sample.accounts;
  return { ...rest, id: `acc-${i}`, cash: 100 + i + 0.25 };
};

let run = 0;
/** Writes a v0 book (lots, transactions, accounts) the way the previous server stored it; returns its data folder. */
async function v0Book(opts: { lots?: TaxLot[] } = {}): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aw-book-migrate-'));
  dirs.push(dataDir);
  addRxPlugin(RxDBMigrationSchemaPlugin);
  const old = await oldDb(dataDir);
  await old.addCollections({ lots: { schema: lotSchemaV0 }, transactions: { schema: transactionSchemaV0 }, accounts: { schema: accountSchemaV0 } });
  await old.lots.bulkInsert(opts.lots ?? lots);
  await old.transactions.bulkInsert([sample.transactions, { ...sample.transactions, id: 'tx-2', proposalId: 'prop-9', status: 'pending' }]);
  await old.accounts.bulkInsert([accountV0(1), accountV0(2)]);
  await (await old.lots.findOne((opts.lots ?? lots)[3]!.id).exec())!.incrementalPatch({ quantity: 99 });
  await (await old.lots.findOne((opts.lots ?? lots)[4]!.id).exec())!.remove();
  await old.close();
  return dataDir;
}

function oldDb(dataDir: string): Promise<RxDatabase<any>> {
  const base = getRxStorageSqlite({ directory: join(dataDir, 'book') });
  return createRxDatabase({ name: 'book', storage: { ...base, name: `${base.name}@old-${dataDir}-${run++}` } as typeof base, multiInstance: false });
}

/** Every stored document of a collection, tombstones and RxDB meta included, by id. */
async function rawDocs(db: RxDatabase<any>, name: string): Promise<Map<string, any>> {
  const all = await getChangedDocumentsSince(db.collections[name]!.storageInstance, 1_000_000);
  return new Map(all.documents.map((d: any) => [d.id, d]));
}

/** The same, read from the v0 storage before any migration. */
async function rawV0Docs(dataDir: string, name: 'lots' | 'transactions' | 'accounts', schema: any): Promise<Map<string, any>> {
  const db = await oldDb(dataDir);
  const inst = await db.storage.createStorageInstance({
    databaseInstanceToken: db.token, databaseName: 'book', collectionName: name, schema: createRxSchema(schema, db.hashFunction).jsonSchema,
    options: {}, multiInstance: false, devMode: false,
  });
  const all = await getChangedDocumentsSince(inst, 1_000_000);
  await inst.close();
  await db.close();
  return new Map(all.documents.map((d: any) => [d.id, d]));
}

describe('openServerBook', () => {
  it('migrates lots and transactions stored with schema v0 to v1 by copy, every document and tombstone unchanged', async () => {
    const dataDir = await v0Book();
    const before = { lots: await rawV0Docs(dataDir, 'lots', lotSchemaV0), transactions: await rawV0Docs(dataDir, 'transactions', transactionSchemaV0) };
    expect(before.lots.size).toBe(250);

    const book = await openServerBook(dataDir);
    try {
      expect(book.migrations.lots).toMatchObject({ fromVersion: 0, copied: 250, skipped: 0, dropped: 0 });
      expect(book.migrations.transactions).toMatchObject({ fromVersion: 0, copied: 2 });
      expect([book.db.lots.schema.version, book.db.transactions.schema.version]).toEqual([1, 1]);
      // Byte for byte at the storage level: fields, _meta.lwt (clients' checkpoints), _rev, _deleted.
      expect(await rawDocs(book.db, 'lots')).toEqual(before.lots);
      expect(await rawDocs(book.db, 'transactions')).toEqual(before.transactions);
      expect(await book.db.lots.count().exec()).toBe(249);
      expect((await book.db.lots.findOne(lots[3]!.id).exec())?.quantity).toBe(99);
      // The removed lot stays a tombstone, so clients that pulled it learn about the deletion.
      expect((await book.db.lots.storageInstance.findDocumentsById([lots[4]!.id], true)).map((d) => d._deleted)).toEqual([true]);
      // The v1 indexes answer queries.
      const hh2 = await book.db.lots.find({ selector: { householdId: 'hh-2' }, sort: [{ householdId: 'asc' }, { symbol: 'asc' }] }).exec();
      expect(hh2.map((d) => d.id).sort()).toEqual(lots.filter((l) => l.householdId === 'hh-2' && l.id !== lots[4]!.id).map((l) => l.id).sort());
      expect((await book.db.transactions.find({ selector: { proposalId: 'prop-9' } }).exec()).map((d) => d.id)).toEqual(['tx-2']);
    } finally {
      await book.close();
    }
    // Reopening finds nothing left to migrate.
    const again = await openServerBook(dataDir);
    expect(again.migrations).toEqual({});
    expect(await again.db.lots.count().exec()).toBe(249);
    await again.close();
  });

  it('gives the same stored documents as RxDB\'s own migration, also for a strategy that changes documents (accounts)', async () => {
    const stored = async (dataDir: string, migrateBy: 'copy' | 'rxdb') => {
      const book = await openServerBook(dataDir, { migrateBy });
      try {
        const fields = (m: Map<string, any>) => [...m.values()].map(({ _meta: _m, _rev: _r, ...d }) => d);
        const docs = { lots: fields(await rawDocs(book.db, 'lots')), transactions: fields(await rawDocs(book.db, 'transactions')), accounts: fields(await rawDocs(book.db, 'accounts')) };
        return { migrations: book.migrations, docs };
      } finally {
        await book.close();
      }
    };
    const a = await stored(await v0Book(), 'copy');
    const b = await stored(await v0Book(), 'rxdb');
    expect(a.migrations.accounts).toMatchObject({ fromVersion: 0, copied: 2 });
    expect(b.migrations).toEqual({});
    expect(a.docs).toEqual(b.docs);
    expect(a.docs.accounts.find((d) => d.id === 'acc-1')).toMatchObject({ cashCents: 10125, accountRevision: 0 });
    expect(a.docs.accounts[0]).not.toHaveProperty('cash');
  });

  it('finishes a copy that stopped half-way (documents already copied are skipped)', async () => {
    const dataDir = await v0Book();
    const before = await rawV0Docs(dataDir, 'lots', lotSchemaV0);
    // A previous open copied the first 100 documents (in change order) into the v1 storage, then the process died.
    const db = await oldDb(dataDir);
    const v1 = await db.storage.createStorageInstance({
      databaseInstanceToken: db.token, databaseName: 'book', collectionName: 'lots', schema: createRxSchema(lotSchema, db.hashFunction).jsonSchema,
      options: {}, multiInstance: false, devMode: false,
    });
    const firstHundred = [...before.values()].sort((x, y) => x._meta.lwt - y._meta.lwt || (x.id < y.id ? -1 : 1)).slice(0, 100);
    expect((await v1.bulkWrite(firstHundred.map((document) => ({ document })), 'test')).error).toEqual([]);
    await v1.close();
    await db.close();

    const book = await openServerBook(dataDir, { copyStepDocs: 64 });
    try {
      expect(book.migrations.lots).toMatchObject({ copied: 150, skipped: 100 });
      expect(await rawDocs(book.db, 'lots')).toEqual(before);
    } finally {
      await book.close();
    }
  });

  it('stops with a readable error on a document the new schema refuses, and keeps the old storage', async () => {
    const tooLong = { ...lots[0]!, id: `lot-${'9'.repeat(BOOK_ID_MAX)}` };
    const dataDir = await v0Book({ lots: [...lots.slice(0, 10), tooLong] });
    await expect(openServerBook(dataDir)).rejects.toThrow(new RegExp(`lots: id "${tooLong.id}" is ${tooLong.id.length} characters`));
    expect((await rawV0Docs(dataDir, 'lots', lotSchemaV0)).get(tooLong.id)).toMatchObject({ id: tooLong.id, _deleted: false });
  });
});
