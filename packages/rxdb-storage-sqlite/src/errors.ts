// Named errors of the SQLite RxStorage. Boundaries (server startup, HTTP) turn them into {code, message}.

export type SqliteStorageErrorCode =
  | 'DB_CORRUPT' // the file exists but is not a SQLite database (or its header/pages are damaged)
  | 'DB_LOCKED' // another process holds a lock on the file longer than the busy timeout
  | 'DB_OPEN_FAILED' // any other failure to open (permissions, missing directory, ...)
  | 'DB_SCHEMA_MISMATCH' // a stored collection table was created with different indexes for the same schema version
  | 'INSTANCE_CLOSED' // an operation on a closed storage instance
  | 'ATTACHMENT_MISSING';

export class SqliteStorageError extends Error {
  readonly code: SqliteStorageErrorCode;
  readonly filePath: string | undefined;
  constructor(code: SqliteStorageErrorCode, message: string, options: { filePath?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SqliteStorageError';
    this.code = code;
    this.filePath = options.filePath;
  }
}

/** Maps a raw sqlite3 error raised while opening a file to a readable, named error. */
export function openError(filePath: string, err: unknown): SqliteStorageError {
  const e = err as { code?: string; message?: string };
  const raw = e?.message ?? String(err);
  if (e?.code === 'SQLITE_NOTADB' || e?.code === 'SQLITE_CORRUPT' || /not a database|malformed/i.test(raw)) {
    return new SqliteStorageError(
      'DB_CORRUPT',
      `SQLite database file ${filePath} is not a valid database or is damaged (${raw}). ` +
        'Restore it from a backup or move it away to start with an empty book.',
      { filePath, cause: err },
    );
  }
  if (e?.code === 'SQLITE_BUSY' || e?.code === 'SQLITE_LOCKED' || /database is locked/i.test(raw)) {
    return new SqliteStorageError(
      'DB_LOCKED',
      `SQLite database file ${filePath} is locked by another process (${raw}). ` +
        'Stop the other server or program using this data directory and try again.',
      { filePath, cause: err },
    );
  }
  return new SqliteStorageError('DB_OPEN_FAILED', `Cannot open SQLite database file ${filePath}: ${raw}`, {
    filePath,
    cause: err,
  });
}
