// Raw SQL tables of authentication: teams, users (scrypt password hashes) and sessions (sha256 token hashes).
// Timestamps are epoch milliseconds.
import type { SqlDb } from '../context.ts';

export async function createAuthTables(sql: SqlDb): Promise<void> {
  await sql.exec(`
    CREATE TABLE IF NOT EXISTS teams (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS users (
      id TEXT PRIMARY KEY,
      username TEXT NOT NULL UNIQUE,
      team_id TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('advisor','reviewer','admin','provider')),
      password_hash TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS sessions (
      id TEXT PRIMARY KEY,
      token_hash TEXT NOT NULL UNIQUE,
      user_id TEXT NOT NULL REFERENCES users(id),
      created_at INTEGER NOT NULL,
      last_used_at INTEGER NOT NULL,
      revoked_at INTEGER,
      revoke_reason TEXT
    );
    CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id, revoked_at, created_at);
    CREATE TABLE IF NOT EXISTS server_meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
  `);
}
