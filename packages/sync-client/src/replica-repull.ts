// Stale replicas are pulled again instead of migrated. When a collection of a replica (a desktop's or a Node
// client's book; never the server's, the source of truth) is stored with an older schema version, RxDB migrates it
// document by document: a replication from the old storage into the new one, several storage operations per
// document (measured: ~2 s per 1,000 documents in IndexedDB, so 10–30 minutes for a 400k-lot book). A full pull
// from the sync server is far faster. So, before the collection opens:
// - if the old-version copy holds nothing the server lacks (it was replicated, and every local change was pushed:
//   the test of pending-changes.ts, for every replication the collection ever had), all its storages — documents of
//   every version and the replications' meta instances, i.e. their checkpoints — are removed with RxDB's own
//   removeCollectionStorages. The collection then opens empty at the new version, and the next replication pulls
//   it from the start (a replication's meta instance is per schema version and gone, so its checkpoint is too);
// - otherwise (a local edit not pushed yet, or a collection never replicated, e.g. a local demo book) RxDB's
//   migration runs as before: it keeps the edits and the checkpoints, and the edits are pushed afterwards.
import {
  META_INSTANCE_SCHEMA_TITLE, normalizeMangoQuery, prepareQuery, removeCollectionStorages,
  type InternalStoreCollectionDocType, type RxConflictHandler, type RxDatabase, type RxDocumentData, type RxJsonSchema,
} from 'rxdb';
import { unpushedInStorages } from './pending-changes.ts';
import { oldestStaleMeta, openStorageInstance } from './stale-collection.ts';

/** What `repullStaleCollection` found and did for one collection. */
export type RepullDecision =
  | { action: 'current' } // stored with the current schema version (or never stored): nothing to do
  | { action: 'repull'; fromVersion: number; documents: number } // old storages removed: pull again
  | {
    action: 'migrate'; // left for RxDB's migration
    fromVersion: number;
    /** not-a-replica: the book was not opened as a replica (createBookDatabase's `replica` option). */
    reason: 'not-a-replica' | 'never-replicated' | 'unpushed';
    /** Some (at most 10) ids of unpushed local documents. */
    unpushedIds: string[];
  };

/** Up to `limit` ids of documents of the old-version copy that some replication of it has not pushed; null: never replicated. */
async function unpushedOfStale(db: RxDatabase<any>, meta: RxDocumentData<InternalStoreCollectionDocType>, isEqual: RxConflictHandler<any>['isEqual'], limit: number): Promise<{ ids: string[]; documents: number } | null> {
  const replications = meta.data.connectedStorages.filter((c) => c.schema.title === META_INSTANCE_SCHEMA_TITLE);
  const schema = meta.data.schema;
  const fork = await openStorageInstance(db, meta.data.name, schema);
  try {
    const documents = (await fork.count(prepareQuery(schema, normalizeMangoQuery(schema, { selector: {} })))).count;
    if (replications.length === 0) return documents === 0 ? { ids: [], documents } : null;
    const ids: string[] = [];
    for (const r of replications) {
      const metaInstance = await openStorageInstance(db, r.collectionName, r.schema);
      try {
        const primaryPath = typeof schema.primaryKey === 'string' ? schema.primaryKey : schema.primaryKey.key;
        ids.push(...await unpushedInStorages({ fork, meta: metaInstance, primaryPath, hasAttachments: !!schema.attachments, isEqual }, { limit: limit - ids.length }));
      } finally {
        await metaInstance.close();
      }
      if (ids.length >= limit) break;
    }
    return { ids, documents };
  } finally {
    await fork.close();
  }
}

/**
 * Before collection `name` is added to `db` with `schema`: when it is stored with an older version and everything
 * local was pushed, removes all its storages (documents and replication checkpoints of every version) so it opens
 * empty and is pulled again; otherwise leaves it for RxDB's migration. `isEqual`: the collection's conflict
 * handler's equality (the one its replication uses).
 */
export async function repullStaleCollection(db: RxDatabase<any>, name: string, schema: RxJsonSchema<any>, isEqual: RxConflictHandler<any>['isEqual']): Promise<RepullDecision> {
  const meta = await oldestStaleMeta(db, name, schema);
  if (!meta) return { action: 'current' };
  const fromVersion = meta.data.schema.version;
  const unpushed = await unpushedOfStale(db, meta, isEqual, 10);
  if (!unpushed) return { action: 'migrate', fromVersion, reason: 'never-replicated', unpushedIds: [] };
  if (unpushed.ids.length > 0) return { action: 'migrate', fromVersion, reason: 'unpushed', unpushedIds: unpushed.ids };
  await removeCollectionStorages(db.storage, db.internalStore, db.token, db.name, name, db.multiInstance, db.password, db.hashFunction);
  return { action: 'repull', fromVersion, documents: unpushed.documents };
}
