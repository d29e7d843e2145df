// The RxStorage factory: `getRxStorageSqlite({ directory })` (one SQLite file per RxDB database name) or
// `getRxStorageSqlite({ filePath })` (every database in one file). Creating an instance opens/creates the file
// (WAL, synchronous=FULL by default), creates the collection table and its indexes, and checks that an existing
// table was built for the same indexes. Durations in milliseconds.
import { resolve, join } from 'node:path';
import { ensureRxStorageInstanceParamsAreCorrect, RXDB_VERSION } from 'rxdb';
import type { RxDocumentData, RxJsonSchema, RxStorage, RxStorageInstanceCreationParams } from 'rxdb';
import { acquireConnection, releaseConnection, sqlAll, sqlExec, type SynchronousMode } from './connection.ts';
import { SqliteStorageError } from './errors.ts';
import {
  SqliteStorageInstance,
  type SqliteInstanceCreationOptions,
  type SqliteStorageInternals,
} from './storage-instance.ts';
import { createTableSql, tableLayout } from './table-layout.ts';

export interface SqliteStorageSettings {
  /** Directory holding one `<databaseName>.sqlite` file per RxDB database (created if missing). */
  directory?: string;
  /** Alternatively one file for all databases (tables are prefixed by database name). Wins over `directory`. */
  filePath?: string;
  /**
   * PRAGMA synchronous. 'FULL' (default): COMMIT waits for fsync of the WAL, so an acknowledged bulkWrite survives
   * kill -9 AND power loss/OS crash. 'NORMAL': survives kill -9 (the WAL is in the OS page cache), may lose the last
   * commits on power loss; faster for many tiny writes.
   */
  synchronous?: SynchronousMode;
  /** Wait this long for a lock held by another process before failing (startup: DB_LOCKED). Default 5000. */
  busyTimeoutMs?: number;
}

export const SQLITE_STORAGE_NAME = 'aw-sqlite';

export type RxStorageSqlite = RxStorage<SqliteStorageInternals, SqliteInstanceCreationOptions> & {
  readonly settings: Readonly<SqliteStorageSettings>;
  /** Absolute path of the SQLite file used for an RxDB database name. */
  filePathFor(databaseName: string): string;
};

/** Keeps file names portable: anything but letters, digits, '-', '_' and '.' becomes '_'. */
function fileNameFor(databaseName: string): string {
  return databaseName.replace(/[^A-Za-z0-9._-]/g, '_') + '.sqlite';
}

export function getRxStorageSqlite(settings: SqliteStorageSettings): RxStorageSqlite {
  if (!settings.filePath && !settings.directory) {
    throw new SqliteStorageError('DB_OPEN_FAILED', 'getRxStorageSqlite needs { directory } or { filePath }');
  }
  const synchronous = settings.synchronous ?? 'FULL';
  const busyTimeoutMs = settings.busyTimeoutMs ?? 5000;
  const filePathFor = (databaseName: string): string =>
    settings.filePath ? resolve(settings.filePath) : resolve(join(settings.directory as string, fileNameFor(databaseName)));

  return {
    name: SQLITE_STORAGE_NAME,
    rxdbVersion: RXDB_VERSION,
    settings,
    filePathFor,
    async createStorageInstance<RxDocType>(
      params: RxStorageInstanceCreationParams<RxDocType, SqliteInstanceCreationOptions>,
    ): Promise<SqliteStorageInstance<RxDocType>> {
      ensureRxStorageInstanceParamsAreCorrect(params);
      const filePath = filePathFor(params.databaseName);
      const conn = await acquireConnection(filePath, { synchronous, busyTimeoutMs });
      try {
        const schema = params.schema as unknown as RxJsonSchema<RxDocumentData<unknown>>;
        const layout = tableLayout(params.databaseName, params.collectionName, schema);
        const indexesJson = JSON.stringify(layout.indexes);
        await conn.writes.run(async () => {
          await sqlExec(
            conn.writer,
            'CREATE TABLE IF NOT EXISTS rx_tables (name TEXT PRIMARY KEY NOT NULL, indexes TEXT NOT NULL)',
          );
          const existing = await sqlAll<{ indexes: string }>(conn.writer, 'SELECT indexes FROM rx_tables WHERE name = ?', [
            layout.table,
          ]);
          if (existing[0] && existing[0].indexes !== indexesJson) {
            const tableRows = await sqlAll(conn.writer, 'SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?', [
              'table',
              layout.table,
            ]);
            if (tableRows.length > 0) {
              throw new SqliteStorageError(
                'DB_SCHEMA_MISMATCH',
                `table ${layout.table} in ${filePath} was created with indexes ${existing[0].indexes}, ` +
                  `but schema version ${schema.version} now declares ${indexesJson}; bump the schema version to migrate`,
                { filePath },
              );
            }
          }
          await sqlExec(
            conn.writer,
            'BEGIN IMMEDIATE;\n' + createTableSql(layout, !!schema.attachments) + '\nCOMMIT;',
          ).catch(async (err) => {
            await sqlExec(conn.writer, 'ROLLBACK').catch(() => undefined);
            throw err;
          });
          await sqlAll(conn.writer, 'INSERT OR REPLACE INTO rx_tables (name, indexes) VALUES (?, ?)', [
            layout.table,
            indexesJson,
          ]);
        });
        return new SqliteStorageInstance<RxDocType>(
          params.databaseName,
          params.collectionName,
          params.schema,
          params.options,
          conn,
          layout,
        );
      } catch (err) {
        await releaseConnection(conn);
        throw err;
      }
    },
  };
}
