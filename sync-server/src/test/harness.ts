// Integration-test harness: a real server on 127.0.0.1:0 over a temp data folder, users of two teams, and Node
// RxDB clients (memory storage) replicating with it through @aw/sync-client.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { WebSocket } from 'ws';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { createBookDatabase, login, startBookReplication, type BookDatabase, type BookReplication, type BookReplicationOptions } from '@aw/sync-client';
import type { BookCollectionName } from '@aw/domain';
import { createServer, type CreateServerOptions, type RunningServer } from '../app.ts';
import { createUser } from '../auth/users.ts';
import { createAuthTables } from '../auth/auth-tables.ts';
import { openSqlDb } from '../db/sql-db.ts';
import type { SqlDb } from '../context.ts';

const MAIN = join(import.meta.dirname, '..', 'main.ts');

/**
 * Open-source RxDB allows 13 open collections per process and the book has 10, so a test process holds either one
 * in-process server (auth tests) or Node clients of a few collections each, with the server in a child process.
 */
export interface ServerProcess {
  url: string;
  proc: ChildProcess;
  /** SIGTERM (graceful) or SIGKILL; resolves with the exit code once the process is gone. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<number | null>;
  stderr(): string;
}

export async function spawnServer(dataDir: string, args: string[] = []): Promise<ServerProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', '--data', dataDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn' },
  });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 120 s: ${err}`)), 120_000);
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening: ${err}`));
    });
  });
  return {
    url,
    proc,
    stop: async (signal = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
    stderr: () => err,
  };
}

/** Adds the test users straight into the data folder's SQLite file (before or while a server runs). */
export async function addTestUsersTo(dataDir: string): Promise<void> {
  const sql = await openSqlDb(join(dataDir, 'server.sqlite'));
  try {
    await createAuthTables(sql);
    await addTestUsers(sql);
  } finally {
    await sql.close();
  }
}

export const PASSWORD = 'secret-pw';

export function tempDir(prefix = 'aw-sync-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startServer(dataDir: string, opts: CreateServerOptions & { bodyLimitBytes?: number; port?: number } = {}): Promise<RunningServer> {
  return createServer(
    { port: opts.port ?? 0, host: '127.0.0.1', dataDir, demo: false, bodyLimitBytes: opts.bodyLimitBytes ?? 1024 * 1024 },
    { logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), ...opts },
  );
}

/** alice, bob (advisors, demo), carol (reviewer, demo), dave (advisor, north), root (admin), feed (provider). */
export async function addTestUsers(sql: SqlDb): Promise<void> {
  await createUser(sql, { username: 'alice', password: PASSWORD, teamId: 'demo', role: 'advisor' });
  await createUser(sql, { username: 'bob', password: PASSWORD, teamId: 'demo', role: 'advisor' });
  await createUser(sql, { username: 'carol', password: PASSWORD, teamId: 'demo', role: 'reviewer' });
  await createUser(sql, { username: 'dave', password: PASSWORD, teamId: 'north', role: 'advisor' });
  await createUser(sql, { username: 'root', password: PASSWORD, teamId: '', role: 'admin' });
  await createUser(sql, { username: 'feed', password: PASSWORD, teamId: '', role: 'provider' });
}

let clientCount = 0;

export interface TestClient {
  db: BookDatabase;
  repl: BookReplication;
  token: string;
  close(): Promise<void>;
}

export async function startClient(
  url: string,
  username: string,
  opts: Partial<BookReplicationOptions> & { collections?: BookCollectionName[] } = {},
): Promise<TestClient> {
  const session = await login(url, username, PASSWORD);
  const db = await createBookDatabase({ name: `client${++clientCount}`, storage: getRxStorageMemory(), multiInstance: false, collections: opts.collections });
  const repl = startBookReplication(db, { url, token: session.token, WebSocketImpl: WebSocket as any, retryTimeMs: 300, ...opts });
  return {
    db,
    repl,
    token: session.token,
    close: async () => {
      await repl.cancel();
      await db.close();
    },
  };
}

/** Polls `fn` until it returns a truthy value (or fails after `timeoutMs`). */
export async function eventually<T>(fn: () => Promise<T> | T, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const start = Date.now();
  let last: unknown;
  while (Date.now() - start < timeoutMs) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

export async function api(url: string, method: string, path: string, opts: { token?: string; body?: unknown; rawBody?: string; contentType?: string } = {}) {
  const headers: Record<string, string> = {};
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined || opts.rawBody !== undefined) headers['Content-Type'] = opts.contentType ?? 'application/json';
  const res = await fetch(`${url}${path}`, { method, headers, body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json, headers: res.headers };
}

/** Writes documents straight into a data folder's server book (no server running); closes it again. */
export async function seedBook(dataDir: string, docs: Partial<Record<BookCollectionName, object[]>>): Promise<void> {
  const { openServerBook } = await import('../db/book-db.ts');
  const book = await openServerBook(dataDir);
  try {
    for (const [name, list] of Object.entries(docs)) {
      const r = await (book.db.collections as any)[name].bulkInsert(list);
      if (r.error.length) throw new Error(`seedBook ${name}: ${JSON.stringify(r.error[0]).slice(0, 300)}`);
    }
  } finally {
    await book.close();
  }
}

/** Every document of a collection as the server stores it, pulled by an admin (for "nothing changed" checks). */
export async function serverDocs(url: string, adminToken: string, collection: BookCollectionName, version = 0): Promise<any[]> {
  const out: any[] = [];
  let lwt = 0;
  let id = '';
  for (;;) {
    const r = await api(url, 'GET', `/api/v1/replication/${collection}/${version}/pull?lwt=${lwt}&id=${encodeURIComponent(id)}&limit=1000`, { token: adminToken });
    if (r.status !== 200) throw new Error(`pull ${collection}: ${r.status} ${JSON.stringify(r.json)}`);
    out.push(...r.json.documents);
    if (r.json.documents.length < 1000) return out.sort((a, b) => String(a.id ?? a.symbol).localeCompare(String(b.id ?? b.symbol)));
    ({ lwt, id } = r.json.checkpoint);
  }
}
