// Per-collection replication plumbing over the server's book RxDB: rxdb's replication handler
// (getReplicationHandlerByCollection), the underlying storage instance for checkpointed scans, a schema validator
// for whole-batch pre-validation, and a write lock that serializes pushes of one collection.
import { BOOK_COLLECTION_NAMES, type BookCollectionName } from '@aw/domain';
import {
  getPrimaryFieldOfPrimaryKey,
  getUnderlyingPersistentStorage,
  type RxCollection,
  type RxDatabase,
  type RxReplicationHandler,
  type RxStorageInstance,
} from 'rxdb';
import { getReplicationHandlerByCollection } from 'rxdb/plugins/replication-websocket';
import { getValidator } from 'rxdb/plugins/validate-ajv';

export interface Checkpoint {
  id: string;
  lwt: number;
}

export interface ReplicatedCollection {
  name: BookCollectionName;
  collection: RxCollection;
  schemaVersion: number;
  primaryPath: string;
  handler: RxReplicationHandler<any, Checkpoint>;
  storage: RxStorageInstance<any, any, any, Checkpoint>;
  /** Returns schema errors of a full storage document (with _meta, _rev, _attachments, _deleted). */
  validate(doc: unknown): { instancePath?: string; message?: string }[];
  /** Runs `fn` after every earlier push of this collection has finished. */
  withWriteLock<T>(fn: () => Promise<T>): Promise<T>;
}

export function replicatedCollections(db: RxDatabase<any>): Map<string, ReplicatedCollection> {
  const out = new Map<string, ReplicatedCollection>();
  for (const name of BOOK_COLLECTION_NAMES) {
    const collection = db.collections[name] as RxCollection | undefined;
    if (!collection) continue;
    const validator = getValidator(collection.schema.jsonSchema as any);
    let tail: Promise<unknown> = Promise.resolve();
    out.set(name, {
      name,
      collection,
      schemaVersion: collection.schema.version,
      primaryPath: getPrimaryFieldOfPrimaryKey(collection.schema.jsonSchema.primaryKey) as string,
      handler: getReplicationHandlerByCollection(db, name) as RxReplicationHandler<any, Checkpoint>,
      storage: getUnderlyingPersistentStorage(collection.storageInstance) as RxStorageInstance<any, any, any, Checkpoint>,
      validate: (doc) => validator(doc) as { instancePath?: string; message?: string }[],
      withWriteLock: <T>(fn: () => Promise<T>) => {
        const run = tail.then(fn, fn);
        tail = run.catch(() => undefined);
        return run;
      },
    });
  }
  return out;
}
