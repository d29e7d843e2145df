// Opens the client book: RxDB with the storage given by the caller (Dexie/IndexedDB in the app, memory or
// fake-indexeddb in tests), through the shared factory of @aw/sync-client.
import type { RxStorage } from 'rxdb';
import { createBookDatabase, type BookDatabase } from '@aw/sync-client';

export type { BookDatabase } from '@aw/sync-client';

export const BOOK_DB_NAME = 'aw-book';

export function openBookDb(storage: RxStorage<any, any>, opts: { name?: string; devMode?: boolean; multiInstance?: boolean } = {}): Promise<BookDatabase> {
  return createBookDatabase({ storage, name: opts.name ?? BOOK_DB_NAME, devMode: opts.devMode ?? false, multiInstance: opts.multiInstance ?? true });
}
