// Opens the client book: RxDB with the storage given by the caller (Dexie/IndexedDB in the app, memory or
// fake-indexeddb in tests), through the shared factory of @aw/sync-client. Opened as a replica: a collection
// stored with an older schema version whose local changes the server already has is dropped and pulled again
// instead of migrated document by document (@aw/sync-client replica-repull.ts); one with unpushed edits, or one
// never replicated (the local demo book), is migrated by RxDB as before. The lot packs (holdings-packs.ts) are
// named by the lots' schema version, so a re-pulled book builds new ones from the re-pulled lots.
import type { RxStorage } from 'rxdb';
import { createBookDatabase, type BookDatabase } from '@aw/sync-client';
import { addDraftPacks } from './draft-packs.ts';

export type { BookDatabase } from '@aw/sync-client';
export { bookOpenReport, repulledCollections } from '@aw/sync-client';

export const BOOK_DB_NAME = 'aw-book';

/** The book's replicated collections, and this desktop's own draft packs (draft-packs.ts). */
export async function openBookDb(
  storage: RxStorage<any, any>,
  opts: { name?: string; devMode?: boolean; multiInstance?: boolean; replica?: boolean } = {},
): Promise<BookDatabase> {
  const db = await createBookDatabase({
    storage, name: opts.name ?? BOOK_DB_NAME, devMode: opts.devMode ?? false, multiInstance: opts.multiInstance ?? true, replica: opts.replica ?? true,
  });
  await addDraftPacks(db);
  return db;
}
