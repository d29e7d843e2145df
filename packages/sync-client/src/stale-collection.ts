// A book collection stored with an older schema version, read before the collection opens: its collection document
// in the database's internal store, and bare storage instances of any version. Shared by the replicas' re-pull
// (replica-repull.ts) and the server's copy migration (sync-server/src/db/copy-migration.ts).
import {
  getPreviousVersions, getPrimaryKeyOfInternalDocument, INTERNAL_CONTEXT_COLLECTION, overwritable,
  type InternalStoreCollectionDocType, type RxDatabase, type RxDocumentData, type RxJsonSchema, type RxStorageInstance,
} from 'rxdb';

/** A bare storage instance of `collectionName` at `schema`'s version in `db`'s storage (no RxCollection). */
export const openStorageInstance = (db: RxDatabase<any>, collectionName: string, schema: RxJsonSchema<any>): Promise<RxStorageInstance<any, any, any>> =>
  db.storage.createStorageInstance({
    databaseInstanceToken: db.token, databaseName: db.name, collectionName, schema, options: {},
    multiInstance: db.multiInstance, password: db.password, devMode: overwritable.isDevMode(),
  });

/** The oldest stored older version's collection document of `name`, if any (the one RxDB's migration starts from). */
export async function oldestStaleMeta(db: RxDatabase<any>, name: string, schema: RxJsonSchema<any>): Promise<RxDocumentData<InternalStoreCollectionDocType> | undefined> {
  const ids = getPreviousVersions(schema).map((v) => getPrimaryKeyOfInternalDocument(`${name}-${v}`, INTERNAL_CONTEXT_COLLECTION));
  if (ids.length === 0) return undefined;
  const found = await db.internalStore.findDocumentsById(ids, false);
  return ids.map((id) => found.find((d: RxDocumentData<any>) => d.id === id)).find((d) => d !== undefined) as RxDocumentData<InternalStoreCollectionDocType> | undefined;
}
