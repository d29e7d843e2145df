// Promise wrapper over one sqlite3 connection (the server's raw tables: users, teams, sessions, market data).
// WAL journal, a busy timeout, and one queue: a transaction holds the connection until it commits, so statements
// of other callers never land inside someone else's transaction. Times are epoch milliseconds.
import sqlite3 from 'sqlite3';
import { SerialQueue, sqlAll, sqlExec, sqlGet, sqlRun } from '@aw/rxdb-storage-sqlite';
import type { SqlDb } from '../context.ts';

/** The database file could not be opened or used (corrupt, locked, not a database, no permission). */
export class SqlDbOpenError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`cannot open database ${file}: ${reason}`);
    this.name = 'SqlDbOpenError';
  }
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  switch (e.code) {
    case 'SQLITE_NOTADB':
      return 'the file is not a SQLite database (corrupt or a different kind of file)';
    case 'SQLITE_CORRUPT':
      return 'the database file is corrupt';
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return 'the database is locked by another process (is another server running on this data folder?)';
    case 'SQLITE_CANTOPEN':
      return 'the file cannot be opened (missing folder or no permission)';
    case 'SQLITE_READONLY':
      return 'the file is read-only';
    default:
      return e.message ?? String(err);
  }
}

/** Opens (creating if needed) a SQLite file in WAL mode and checks that it is usable for writing. */
export async function openSqlDb(file: string, opts: { busyTimeoutMs?: number } = {}): Promise<SqlDb> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(file, (err) => (err ? reject(new SqlDbOpenError(file, describe(err))) : resolve(d)));
  });
  const raw = {
    run: (sql: string, params: unknown[]) => sqlRun(db, sql, params),
    get: <T>(sql: string, params: unknown[]) => sqlGet<T>(db, sql, params),
    all: <T>(sql: string, params: unknown[]) => sqlAll<T>(db, sql, params),
    exec: (sql: string) => sqlExec(db, sql),
  };
  try {
    await raw.exec(`PRAGMA busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    await raw.get('PRAGMA journal_mode = WAL', []);
    await raw.exec('PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON');
    const check = await raw.get<{ quick_check: string }>('PRAGMA quick_check(1)', []);
    if (check && check.quick_check !== 'ok') throw Object.assign(new Error(check.quick_check), { code: 'SQLITE_CORRUPT' });
    // Proves we can take the write lock now (a locked file fails here, not on the first user request).
    await raw.exec('BEGIN IMMEDIATE; COMMIT');
  } catch (err) {
    await new Promise<void>((resolve) => db.close(() => resolve()));
    throw err instanceof SqlDbOpenError ? err : new SqlDbOpenError(file, describe(err));
  }

  const queue = new SerialQueue();
  let closed = false;
  /** Runs `fn` when every earlier queued operation has finished. */
  const enqueue = <T>(fn: () => Promise<T>): Promise<T> =>
    closed ? Promise.reject(new Error('database is closed')) : queue.run(fn);

  const direct: SqlDb = {
    run: (sql, params = []) => raw.run(sql, params),
    get: (sql, params = []) => raw.get(sql, params),
    all: (sql, params = []) => raw.all(sql, params),
    exec: (sql) => raw.exec(sql),
    transaction: (fn) => fn(direct),
    close: async () => undefined,
  };

  return {
    run: (sql, params = []) => enqueue(() => raw.run(sql, params)),
    get: (sql, params = []) => enqueue(() => raw.get(sql, params)),
    all: (sql, params = []) => enqueue(() => raw.all(sql, params)),
    exec: (sql) => enqueue(() => raw.exec(sql)),
    transaction: (fn) =>
      enqueue(async () => {
        await raw.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(direct);
          await raw.exec('COMMIT');
          return result;
        } catch (err) {
          await raw.exec('ROLLBACK').catch(() => undefined);
          throw err;
        }
      }),
    close: async () => {
      if (closed) return;
      await enqueue(async () => undefined);
      closed = true;
      await new Promise<void>((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
