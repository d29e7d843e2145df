// The server's copy of the book: the book RxDB database (@aw/sync-client's createBookDatabase) on the durable
// SQLite RxStorage (`<dataDir>/book/book.sqlite`), wrapped with ajv schema validation so nothing invalid is stored.
// Collections stored with an older schema version are migrated (never dropped: the server is the source of truth),
// by copy in large steps (copy-migration.ts), which is several times faster than RxDB's own migration here.
import { join } from 'node:path';
import type { RxStorage } from 'rxdb';
import { getRxStorageSqlite } from '@aw/rxdb-storage-sqlite';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { bookCollections, type BookCollectionName } from '@aw/domain';
import { createBookDatabase, type BookDatabase } from '@aw/sync-client';
import { migrateCollectionByCopy, type CopyMigrationResult } from './copy-migration.ts';

export interface ServerBook {
  db: BookDatabase;
  /** Collections migrated by copy at this open (copy-migration.ts), with their counts and milliseconds. */
  migrations: Partial<Record<BookCollectionName, CopyMigrationResult & { ms: number }>>;
  close(): Promise<void>;
}

export interface OpenServerBookOptions {
  /** 'copy' (default): copy-migration.ts; 'rxdb': RxDB's own migration (benches compare the two). */
  migrateBy?: 'copy' | 'rxdb';
  /** Documents per copy step (default COPY_STEP_DOCS). */
  copyStepDocs?: number;
  /** Documents per step of RxDB's migration (collections the copy does not handle, or migrateBy 'rxdb'). */
  migrationBatchSize?: number;
}

/** The one place that picks the server's RxStorage. */
function bookStorage(dir: string): RxStorage<any, any> {
  const base = getRxStorageSqlite({ directory: dir });
  // RxDB allows one open database per (storage name, database name) in a process; several servers in one process
  // (tests) each get a storage name of their own. The name is not persisted.
  return wrappedValidateAjvStorage({ storage: { ...base, name: `${base.name}@${dir}` } as typeof base });
}

/**
 * Opens (creating or migrating) the book under `dataDir`. The server is the source of truth: collections stored
 * with an older schema version are always migrated (never dropped), `migrationBatchSize` documents per step.
 */
export async function openServerBook(dataDir: string, opts: OpenServerBookOptions = {}): Promise<ServerBook> {
  const migrations: ServerBook['migrations'] = {};
  const db = await createBookDatabase({
    name: 'book', storage: bookStorage(join(dataDir, 'book')), multiInstance: false, migrationBatchSize: opts.migrationBatchSize,
    beforeCollection: opts.migrateBy === 'rxdb' ? undefined : async (rxdb, name) => {
      const t0 = Date.now();
      const r = await migrateCollectionByCopy(rxdb, name, bookCollections[name].schema, bookCollections[name].migrationStrategies, opts.copyStepDocs);
      if (r) migrations[name] = { ...r, ms: Date.now() - t0 };
    },
  });
  return { db, migrations, close: async () => void (await db.close()) };
}
