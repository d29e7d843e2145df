// The server's schema migration of a stored book collection by copy. RxDB's migration replicates the old-version
// storage into the new one: per step it reads the old documents, the new storage and its own replication meta, then
// writes every document twice (the document and a meta copy of it) plus a checkpoint and status documents. The
// server's collections have no replication state of their own (connected storages), so it can copy instead: read
// the old storage in steps in change order ([_meta.lwt, id]), run each document through the collection's migration
// strategies, and write the step in ONE bulkWrite (one SQLite transaction) into the new-version storage, keeping
// each document's _meta.lwt, _rev and _deleted — the same as RxDB's migration, which writes through the original
// storage instance so clients' replication checkpoints stay valid. Tombstones are copied, so clients still learn
// about deletions. A strategy returning null drops the document, as in RxDB.
// Crash safety: the old storage and its collection document are removed only after the last step; a copy that
// stopped half-way starts over on the next open, and documents already copied are skipped (a 409 against an
// identical stored copy). Any other refused write (e.g. the new schema's validation) stops the open with an error
// naming the document, and nothing old is removed.
import { createRxSchema, getChangedDocumentsSince, writeSingle, type RxDatabase, type RxDocumentData, type RxJsonSchema } from 'rxdb';
import { oldestStaleMeta, openStorageInstance } from '@aw/sync-client';

/** Documents per copy step (one read, one bulkWrite). */
export const COPY_STEP_DOCS = 10_000;

export type MigrationStrategies = Record<number, (doc: any) => any>;

/** A document the new schema version refuses: the migration stops and keeps the old storage. */
export class CopyMigrationError extends Error {
  override name = 'CopyMigrationError';
}

export interface CopyMigrationResult {
  fromVersion: number;
  copied: number;
  /** Already in the new storage from an interrupted earlier run. */
  skipped: number;
  dropped: number;
}

function migrateDoc(stored: RxDocumentData<any>, fromVersion: number, toVersion: number, strategies: MigrationStrategies): RxDocumentData<any> | null {
  const { _meta, _rev, _deleted, _attachments, ...data } = stored;
  let doc: any = { ...data, _attachments };
  for (let v = fromVersion + 1; v <= toVersion; v++) {
    const strategy = strategies[v];
    if (!strategy) throw new CopyMigrationError(`no migration strategy to version ${v}`);
    doc = strategy(doc);
    if (doc === null) return null;
  }
  return { ...doc, _attachments: doc._attachments ?? _attachments, _meta, _rev, _deleted };
}

/**
 * Before collection `name` is added to `db`: if it is stored with an older schema version and has no replication
 * state, copies it into the `schema` version (see the header) and removes the old version. Null when there was
 * nothing to migrate or the collection has replication state (then RxDB's migration runs as usual).
 */
export async function migrateCollectionByCopy(
  db: RxDatabase<any>, name: string, schema: RxJsonSchema<any>, strategies: MigrationStrategies, stepDocs = COPY_STEP_DOCS,
): Promise<CopyMigrationResult | null> {
  const meta = await oldestStaleMeta(db, name, schema);
  if (!meta || meta.data.connectedStorages.length > 0) return null;
  const fromVersion = meta.data.schema.version;
  const newSchema = createRxSchema(schema, db.hashFunction).jsonSchema;
  const primaryPath = newSchema.primaryKey as string;
  const oldInstance = await openStorageInstance(db, name, meta.data.schema);
  const newInstance = await openStorageInstance(db, name, newSchema);
  const result: CopyMigrationResult = { fromVersion, copied: 0, skipped: 0, dropped: 0 };
  try {
    let checkpoint: { id: string; lwt: number } | undefined;
    for (;;) {
      const page = await getChangedDocumentsSince(oldInstance, stepDocs, checkpoint);
      if (page.documents.length === 0) break;
      const rows: { document: RxDocumentData<any> }[] = [];
      for (const stored of page.documents) {
        const migrated = migrateDoc(stored, fromVersion, schema.version, strategies);
        if (migrated) rows.push({ document: migrated });
        else result.dropped++;
      }
      const written = await newInstance.bulkWrite(rows, 'aw-copy-migration');
      for (const e of written.error) {
        const doc = e.writeRow.document;
        const same = e.status === 409 && e.documentInDb && e.documentInDb._rev === doc._rev && e.documentInDb._meta.lwt === doc._meta.lwt;
        if (!same) {
          throw new CopyMigrationError(`${name}: document "${String(doc[primaryPath])}" could not move from schema version ${fromVersion} to ${schema.version} (${e.status}): ${JSON.stringify((e as { validationErrors?: unknown }).validationErrors ?? e).slice(0, 300)}`);
        }
        result.skipped++;
      }
      result.copied += rows.length - written.error.length;
      if (page.documents.length < stepDocs) break;
      checkpoint = page.checkpoint as { id: string; lwt: number };
    }
  } catch (err) {
    await oldInstance.close();
    throw err;
  } finally {
    await newInstance.close();
  }
  // Everything is in the new version: remove the old storage, then its collection document (RxDB's order).
  await oldInstance.remove();
  await writeSingle(db.internalStore, { previous: meta, document: { ...meta, _deleted: true } }, 'aw-copy-migration-remove-collection-meta');
  return result;
}
