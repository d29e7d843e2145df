// The server's copy of the book: the book RxDB database (@aw/sync-client's createBookDatabase) on the durable
// SQLite RxStorage (`<dataDir>/book/book.sqlite`), wrapped with ajv schema validation so nothing invalid is stored.
import { join } from 'node:path';
import type { RxStorage } from 'rxdb';
import { getRxStorageSqlite } from '@aw/rxdb-storage-sqlite';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { createBookDatabase, type BookDatabase } from '@aw/sync-client';

export interface ServerBook {
  db: BookDatabase;
  close(): Promise<void>;
}

/** The one place that picks the server's RxStorage. */
function bookStorage(dir: string): RxStorage<any, any> {
  const base = getRxStorageSqlite({ directory: dir });
  // RxDB allows one open database per (storage name, database name) in a process; several servers in one process
  // (tests) each get a storage name of their own. The name is not persisted.
  return wrappedValidateAjvStorage({ storage: { ...base, name: `${base.name}@${dir}` } as typeof base });
}

export async function openServerBook(dataDir: string): Promise<ServerBook> {
  const db = await createBookDatabase({ name: 'book', storage: bookStorage(join(dataDir, 'book')), multiInstance: false });
  return { db, close: async () => void (await db.close()) };
}
