// Durable RxStorage for RxDB 17 on SQLite (node `sqlite3`): see README.md for options, layout and connections.
export { getRxStorageSqlite, SQLITE_STORAGE_NAME } from './storage.ts';
export type { RxStorageSqlite, SqliteStorageSettings } from './storage.ts';
export { SqliteStorageInstance } from './storage-instance.ts';
export type { SqliteInstanceCreationOptions, SqliteStorageInternals } from './storage-instance.ts';
export { SqliteStorageError } from './errors.ts';
export type { SqliteStorageErrorCode } from './errors.ts';
// The promise-wrapped statements and the serial queue, shared with the sync server's raw tables.
export { sqlAll, sqlExec, sqlGet, sqlRun, SerialQueue } from './connection.ts';
