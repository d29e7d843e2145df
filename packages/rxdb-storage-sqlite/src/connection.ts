// SQLite connections of one database file, shared by every storage instance on that file in this process.
// Per file: ONE writer connection (all writes and schema changes, serialized by a JS queue, one transaction per
// bulkWrite) and ONE reader connection (queries; in WAL mode readers see the last committed state and never wait
// for the writer). A registry keyed by absolute path hands out the pair with a reference count; the last release
// closes both. Durations in milliseconds.
import sqlite3 from 'sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Subject } from 'rxjs';
import { openError } from './errors.ts';

export type SynchronousMode = 'NORMAL' | 'FULL';

export interface ConnectionOptions {
  /** PRAGMA synchronous on the writer. Default 'FULL' (an acknowledged write survives power loss, not only kill -9). */
  synchronous: SynchronousMode;
  /** How long a connection waits for a lock held by another process before failing with DB_LOCKED. */
  busyTimeoutMs: number;
}

type Params = unknown[] | Record<string, unknown>;

export function sqlRun(db: sqlite3.Database, sql: string, params: Params = []): Promise<{ changes: number; lastID: number }> {
  return new Promise((resolve, reject) => {
    db.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
      if (err) reject(withSql(err, sql));
      else resolve({ changes: this.changes, lastID: this.lastID });
    });
  });
}

export function sqlGet<T>(db: sqlite3.Database, sql: string, params: Params = []): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    db.get<T>(sql, params, (err, row) => (err ? reject(withSql(err, sql)) : resolve(row)));
  });
}

export function sqlAll<T>(db: sqlite3.Database, sql: string, params: Params = []): Promise<T[]> {
  return new Promise((resolve, reject) => {
    db.all<T>(sql, params, (err, rows) => (err ? reject(withSql(err, sql)) : resolve(rows)));
  });
}

export function sqlExec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    db.exec(sql, (err) => (err ? reject(withSql(err, sql)) : resolve()));
  });
}

function withSql(err: Error, sql: string): Error {
  (err as Error & { sql?: string }).sql = sql;
  return err;
}

function openDb(filePath: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(filePath, mode, (err) => (err ? reject(err) : resolve(db)));
  });
}

function closeDb(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
}

/** Runs async jobs one at a time, in call order (the writer connection must never interleave two transactions). */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

export interface SharedConnection {
  readonly filePath: string;
  readonly writer: sqlite3.Database;
  readonly reader: sqlite3.Database;
  /** Serializes every statement on `writer`. */
  readonly writes: SerialQueue;
  /** Change streams per table, shared by all instances on the same table in this process. */
  readonly changeSubjects: Map<string, { subject: Subject<unknown>; refs: number }>;
  refs: number;
}

const REGISTRY = new Map<string, Promise<SharedConnection>>();
const OPENED = new WeakMap<Promise<SharedConnection>, SharedConnection>();

async function openConnection(filePath: string, options: ConnectionOptions): Promise<SharedConnection> {
  let writer: sqlite3.Database | undefined;
  let reader: sqlite3.Database | undefined;
  try {
    if (filePath !== ':memory:') mkdirSync(dirname(filePath), { recursive: true });
    writer = await openDb(filePath, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE | sqlite3.OPEN_FULLMUTEX);
    writer.configure('busyTimeout', options.busyTimeoutMs);
    // Reading the schema fails fast on a garbage file (SQLITE_NOTADB) and waits/fails on an exclusive lock.
    await sqlAll(writer, 'SELECT count(*) AS n FROM sqlite_master');
    const [{ journal_mode: journalMode }] = await sqlAll<{ journal_mode: string }>(writer, 'PRAGMA journal_mode=WAL');
    if (journalMode.toLowerCase() !== 'wal') {
      throw Object.assign(new Error(`could not switch to WAL mode (journal_mode is ${journalMode})`), {
        code: 'SQLITE_BUSY',
      });
    }
    await sqlExec(writer, `PRAGMA synchronous=${options.synchronous}; PRAGMA cache_size=-65536;`);
    // No PRAGMA quick_check here: it reads the whole file (minutes at 1 GB); damaged pages surface as SQLITE_CORRUPT.
    reader = await openDb(filePath, sqlite3.OPEN_READWRITE | sqlite3.OPEN_FULLMUTEX);
    reader.configure('busyTimeout', options.busyTimeoutMs);
    await sqlExec(reader, 'PRAGMA cache_size=-65536; PRAGMA query_only=1;');
    await sqlAll(reader, 'SELECT count(*) AS n FROM sqlite_master');
  } catch (err) {
    if (reader) await closeDb(reader).catch(() => undefined);
    if (writer) await closeDb(writer).catch(() => undefined);
    throw openError(filePath, err);
  }
  return { filePath, writer, reader, writes: new SerialQueue(), changeSubjects: new Map(), refs: 0 };
}

/** Returns the shared connection pair of `filePath`, opening it on first use. Pair each call with `releaseConnection`. */
export async function acquireConnection(filePath: string, options: ConnectionOptions): Promise<SharedConnection> {
  for (;;) {
    let pending = REGISTRY.get(filePath);
    if (!pending) {
      pending = openConnection(filePath, options);
      const opening = pending;
      REGISTRY.set(filePath, opening);
      opening.catch(() => {
        if (REGISTRY.get(filePath) === opening) REGISTRY.delete(filePath);
      });
    }
    const conn = await pending;
    // The last holder may have released (and started closing) it while we waited: then open a fresh one.
    if (REGISTRY.get(filePath) !== pending) continue;
    OPENED.set(pending, conn);
    conn.refs++;
    return conn;
  }
}

export async function releaseConnection(conn: SharedConnection): Promise<void> {
  conn.refs--;
  if (conn.refs > 0) return;
  // Synchronously, so no new holder can pick up a closing connection.
  const registered = REGISTRY.get(conn.filePath);
  if (registered && OPENED.get(registered) === conn) REGISTRY.delete(conn.filePath);
  await conn.writes.run(async () => undefined); // let queued writes finish
  await closeDb(conn.reader);
  await closeDb(conn.writer);
}

/** Runs `job` inside BEGIN IMMEDIATE … COMMIT on the writer, after all earlier writes; rolls back on error. */
export function writeTransaction<T>(conn: SharedConnection, job: (db: sqlite3.Database) => Promise<T>): Promise<T> {
  return conn.writes.run(async () => {
    await sqlExec(conn.writer, 'BEGIN IMMEDIATE');
    try {
      const result = await job(conn.writer);
      await sqlExec(conn.writer, 'COMMIT');
      return result;
    } catch (err) {
      await sqlExec(conn.writer, 'ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}
