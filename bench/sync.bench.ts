// Sync benchmark (issue 4). A real sync server in its own process (SQLite book seeded with the demo generator,
// seed 42) and Node RxDB clients (memory storage) in this process:
//   1. initial sync: a fresh client (admin: sees the whole book, all ten collections) replicates everything
//      through @aw/sync-client (RxDB replication, pull pages of 20,000 documents, uncompressed: the server is on
//      loopback, where gzip only costs CPU); the bench fails (exit 1) when the client misses any generated document;
//   2. edit propagation: two advisors of team demo (households only: open-source RxDB allows 13 collections per
//      process); `edits` single-document edits on A, one at a time, each timed until B's database has it.
//   3. with --chromium: the same initial sync as the desktop does it, in Debian Chromium (/usr/bin/chromium or
//      CHROMIUM_PATH) on RxDB's Dexie storage over the browser's real IndexedDB (the client bundled by esbuild).
//      In Node, Dexie would run on fake-indexeddb, which is far slower than a browser's IndexedDB, so it is not used.
// Options: --households N (default 2500 ≈ 10,000 accounts, ~400k lots), --edits N (default 200), --chromium, --smoke
// (25 households, 20 edits, and the Chromium part, so that it cannot rot), --profile DIR (V8 CPU profiles: the client
// over the initial sync, the measured server process over its whole life), --migration (instead of the above: the
// one-time upgrade of a book whose lots and transactions were stored with schema v0: the server's SQLite migration by
// copy, or with --rxdb-migration RxDB's own, --migration-batch N documents per step; unless --server-only, a
// replica's drop and re-pull against RxDB's migration of the same replica; with --chromium also RxDB's migration in
// Chromium's Dexie). Progress on stderr; a table and, last, the JSON line on stdout.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session as InspectorSession } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { getRxStorageSqlite } from '@aw/rxdb-storage-sqlite';
import { BOOK_COLLECTION_NAMES, lotSchemaV0, transactionSchemaV0, type BookCollectionName } from '@aw/domain';
import { generateBook } from '@aw/demo';
import {
  bookOpenReport, createBookDatabase, login, MIGRATION_BATCH_SIZE, startBookReplication, type BookDatabase, type BookReplication,
} from '@aw/sync-client';
import { chromiumArgs, chromiumPath } from '../apps/desktop/src/main/web-chromium.ts';
import { openSqlDb } from '../sync-server/src/db/sql-db.ts';
import { openServerBook } from '../sync-server/src/db/book-db.ts';
import { COPY_STEP_DOCS } from '../sync-server/src/db/copy-migration.ts';
import { createAuthTables } from '../sync-server/src/auth/auth-tables.ts';
import { createUser } from '../sync-server/src/auth/users.ts';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const smoke = argv.includes('--smoke');
const num = (name: string, full: number, small: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : smoke ? small : full;
};
const profileDir = argv.includes('--profile') ? argv[argv.indexOf('--profile') + 1] : undefined;
const cfg = { households: num('households', 2500, 25), edits: num('edits', 200, 20), chromium: argv.includes('--chromium') || smoke };
const log = (msg: string) => process.stderr.write(`[sync] ${msg}\n`);
const ADMIN_PASSWORD = 'bench-admin';

function startServer(dataDir: string, seed: boolean): Promise<{ url: string; child: ChildProcess; seedSec: number }> {
  const started = Date.now();
  const demo = seed ? ['--demo', '--demo-households', String(cfg.households)] : [];
  const child = spawn(
    process.execPath,
    [...(profileDir && !seed ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), '--import', 'tsx', join(here, '..', 'sync-server', 'src', 'main.ts'), '--port', '0', '--data', dataDir, ...demo],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } },
  );
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1], child, seedSec: (Date.now() - started) / 1000 });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

async function openClient(url: string, username: string, password: string, name: string, collections: readonly BookCollectionName[]) {
  const session = await login(url, username, password);
  const db: BookDatabase = await createBookDatabase({ name, storage: getRxStorageMemory(), multiInstance: false, collections });
  const repl: BookReplication = startBookReplication(db, { url, token: session.token, collections, WebSocketImpl: WebSocket as any });
  return { db, repl, close: async () => (await repl.cancel(), await db.close()) };
}

/** CPU seconds (user + system) used so far by a child process (Linux /proc; null elsewhere). */
function childCpuSec(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** The desktop's client, for the browser: sign in, replicate the whole book into Dexie (IndexedDB), count. */
const BROWSER_ENTRY = `
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { BOOK_COLLECTION_NAMES } from '@aw/domain';
import { createBookDatabase, login, startBookReplication } from '@aw/sync-client';
globalThis.runInitialSync = async (url, username, password) => {
  const session = await login(url, username, password);
  const t0 = performance.now();
  const db = await createBookDatabase({ name: 'bench-' + Date.now(), storage: getRxStorageDexie(), multiInstance: false });
  const openSec = (performance.now() - t0) / 1000;
  const repl = startBookReplication(db, { url, token: session.token });
  await repl.awaitInitialSync();
  const sec = (performance.now() - t0) / 1000;
  const counts = {};
  for (const n of BOOK_COLLECTION_NAMES) counts[n] = await db[n].count().exec();
  await repl.cancel();
  await db.remove();
  return { sec, openSec, counts };
};`;

/** Runs `fn` on a Chromium page that has loaded `entry` (bundled by esbuild) from an http origin of its own. */
async function withChromiumPage<T>(entry: string, fn: (page: import('playwright-core').Page) => Promise<T>): Promise<T> {
  const { build } = await import('esbuild');
  const { chromium } = await import('playwright-core');
  const bundle = await build({
    stdin: { contents: entry, resolveDir: here, loader: 'ts', sourcefile: 'sync-bench-browser.ts' },
    bundle: true, format: 'iife', platform: 'browser', write: false, minify: true, logLevel: 'error',
  });
  const js = bundle.outputFiles[0].text;
  // The page needs an http origin of its own (IndexedDB is not available on about:blank); the sync server allows CORS.
  const page$ = createHttpServer((req, res) => {
    if (req.url === '/bench.js') res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(js);
    else res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>sync bench</title><script src="/bench.js"></script>');
  });
  await new Promise<void>((r) => page$.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(page$.address() as AddressInfo).port}`;
  // A persistent profile on disk, as the app's: an incognito context (browser.newPage()) keeps IndexedDB in memory
  // under a small quota, which the full-size book exceeds (the replication then stopped at 663,555 of 818,053
  // documents, or the page failed with a QuotaExceededError).
  const profile = mkdtempSync(join(tmpdir(), 'aw-sync-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath(), args: chromiumArgs() });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    page.setDefaultTimeout(0);
    page.on('pageerror', (e) => log(`chromium: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') log(`chromium console: ${m.text()}`); });
    await page.goto(origin);
    return await fn(page);
  } finally {
    await context.close();
    page$.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Initial sync of the whole book in Chromium (Dexie on real IndexedDB): seconds and documents. */
async function chromiumInitialSync(serverUrl: string): Promise<{ sec: number; docs: number }> {
  const r = await withChromiumPage(BROWSER_ENTRY, (page) => page.evaluate(
    ([url, pw]) => (globalThis as any).runInitialSync(url, 'bench', pw) as Promise<{ sec: number; openSec: number; counts: Record<string, number> }>,
    [serverUrl, ADMIN_PASSWORD] as const,
  ));
  log(`Chromium: database opened in ${r.openSec.toFixed(1)} s`);
  return { sec: r.sec, docs: Object.values(r.counts).reduce((a, b) => a + b, 0) };
}

/**
 * --migration: the one-time cost of opening a book stored with the previous schema versions of lots and
 * transactions (v0 → v1). The generated book's lots and transactions are written with the v0 schemas, then the
 * book is opened as the app opens it, which migrates them (MIGRATION_BATCH_SIZE documents per step).
 */
const MIGRATION_ENTRY = `
import { addRxPlugin, createRxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { lotSchemaV0, transactionSchemaV0 } from '@aw/domain';
import { generateBook } from '@aw/demo';
import { createBookDatabase } from '@aw/sync-client';
globalThis.runMigration = async (households) => {
  addRxPlugin(RxDBMigrationSchemaPlugin);
  const name = 'bench-migrate-' + Date.now();
  const g = generateBook({ households, seed: 42 });
  const old = await createRxDatabase({ name, storage: getRxStorageDexie(), multiInstance: false });
  await old.addCollections({ lots: { schema: lotSchemaV0 }, transactions: { schema: transactionSchemaV0 } });
  for (const [n, docs] of [['lots', g.lots], ['transactions', g.transactions]]) {
    for (let i = 0; i < docs.length; i += 10000) await old[n].bulkInsert(docs.slice(i, i + 10000));
  }
  await old.close();
  const t0 = performance.now();
  const db = await createBookDatabase({ name, storage: getRxStorageDexie(), multiInstance: false, collections: ['lots', 'transactions'] });
  const sec = (performance.now() - t0) / 1000;
  const docs = (await db.lots.count().exec()) + (await db.transactions.count().exec());
  await db.remove();
  return { sec, docs, expected: g.lots.length + g.transactions.length };
};`;

/** --migration on the server's storage (SQLite, in this process): seconds, CPU seconds and documents. */
async function serverMigration(batchSize: number | undefined, migrateBy: 'copy' | 'rxdb'): Promise<{ sec: number; cpuSec: number; docs: number; expected: number; unchanged: boolean }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aw-sync-bench-migrate-'));
  try {
    addRxPlugin(RxDBMigrationSchemaPlugin);
    const base = getRxStorageSqlite({ directory: join(dataDir, 'book') });
    const old = await createRxDatabase({ name: 'book', storage: { ...base, name: `${base.name}@v0-${dataDir}` } as typeof base, multiInstance: false });
    await old.addCollections({ lots: { schema: lotSchemaV0 }, transactions: { schema: transactionSchemaV0 } });
    const g = generateBook({ households: cfg.households, seed: 42 });
    for (const [n, docs] of [['lots', g.lots], ['transactions', g.transactions]] as const) {
      for (let i = 0; i < docs.length; i += 10_000) await (old.collections[n] as RxCollection).bulkInsert(docs.slice(i, i + 10_000));
    }
    await old.close();
    log(`server: ${g.lots.length + g.transactions.length} documents written with schema v0; opening the book (migration: ${migrateBy})…`);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const book = await openServerBook(dataDir, migrateBy === 'rxdb' ? { migrateBy, migrationBatchSize: batchSize } : { migrateBy, copyStepDocs: batchSize });
    const sec = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const docs = (await book.db.lots.count().exec()) + (await book.db.transactions.count().exec());
    // Every document survives unchanged (lots: all fields; transactions: all fields).
    const same = async (n: 'lots' | 'transactions', expected: readonly any[]) => {
      const byId = new Map((await (book.db[n] as RxCollection).find().exec()).map((d) => [d.primary, d.toJSON()]));
      return expected.every((e) => JSON.stringify(byId.get(e.id)) === JSON.stringify(e));
    };
    const unchanged = (await same('lots', g.lots)) && (await same('transactions', g.transactions));
    await book.close();
    return { sec, cpuSec: (cpu.user + cpu.system) / 1e6, docs, expected: g.lots.length + g.transactions.length, unchanged };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * --migration on a replica (a Node client, memory storage; one storage object, so a closed database reopens with
 * its data): a client that replicated lots and transactions at v0 from the seeded server reopens with v1, either as
 * a replica (nothing pending: dropped at open, then pulled again in full) or, for comparison, through RxDB's
 * document-by-document migration. The v0 client's requests go to the server's /1/ routes: the old server's routes
 * said 0 for the same documents.
 */
async function replicaUpgrade(url: string): Promise<{ docs: number; repullOpenSec: number; repullSec: number; repullCpuSec: number; migrateSec: number; migrateCpuSec: number; complete: boolean }> {
  addRxPlugin(RxDBMigrationSchemaPlugin);
  const session = await login(url, 'bench', ADMIN_PASSWORD);
  const storage = getRxStorageMemory();
  const collections = ['lots', 'transactions'] as const;
  const oldRoutes: typeof fetch = (input, init) => fetch(String(input).replace(/\/api\/v1\/replication\/(lots|transactions)\/0\//, '/api/v1/replication/$1/1/'), init);
  const replicate = (db: RxDatabase<any>, fetchImpl?: typeof fetch) =>
    startBookReplication(db, { url, token: session.token, collections, WebSocketImpl: WebSocket as any, fetchImpl, identifier: 'bench-upgrade' });
  const v0Replica = async (name: string): Promise<number> => {
    const db = await createRxDatabase({ name, storage, multiInstance: false });
    await db.addCollections({ lots: { schema: lotSchemaV0 }, transactions: { schema: transactionSchemaV0 } });
    const repl = replicate(db, oldRoutes);
    await repl.awaitInitialSync();
    await repl.awaitInSync();
    const docs = (await db.collections.lots!.count().exec()) + (await db.collections.transactions!.count().exec());
    await repl.cancel();
    await db.close();
    return docs;
  };
  const count = async (db: BookDatabase) => (await db.lots.count().exec()) + (await db.transactions.count().exec());

  log('replica: writing a v0 replica (initial sync of lots and transactions at v0)…');
  const docs = await v0Replica('bench-upgrade-repull');
  log(`replica: ${docs} documents at v0; reopening as a replica (drop, then pull again)…`);
  let t0 = performance.now();
  let cpu0 = process.cpuUsage();
  const db = await createBookDatabase({ name: 'bench-upgrade-repull', storage, multiInstance: false, collections, replica: true });
  const repullOpenSec = (performance.now() - t0) / 1000;
  const repl = replicate(db);
  await repl.awaitInitialSync();
  const repullSec = (performance.now() - t0) / 1000;
  let cpu = process.cpuUsage(cpu0);
  const repullCpuSec = (cpu.user + cpu.system) / 1e6;
  const repulled = await count(db);
  const repulledAll = Object.values(bookOpenReport(db)).every((r) => r?.action === 'repull');
  await repl.cancel();
  await db.remove();
  log(`replica: re-pulled ${repulled} documents in ${repullSec.toFixed(1)} s (open ${repullOpenSec.toFixed(2)} s)`);

  log('replica: the same v0 replica again, opened through RxDB\'s migration for comparison…');
  await v0Replica('bench-upgrade-migrate');
  t0 = performance.now();
  cpu0 = process.cpuUsage();
  const mdb = await createBookDatabase({ name: 'bench-upgrade-migrate', storage, multiInstance: false, collections });
  const migrateSec = (performance.now() - t0) / 1000;
  cpu = process.cpuUsage(cpu0);
  const migrated = await count(mdb);
  await mdb.remove();
  log(`replica: migrated ${migrated} documents in ${migrateSec.toFixed(1)} s`);
  return { docs, repullOpenSec, repullSec, repullCpuSec, migrateSec, migrateCpuSec: (cpu.user + cpu.system) / 1e6, complete: repulledAll && repulled === docs && migrated === docs };
}

class SkipReplica extends Error {}

async function migrationMain(): Promise<boolean> {
  const bi = argv.indexOf('--migration-batch');
  const batchSize = bi >= 0 ? Number(argv[bi + 1]) : undefined;
  const migrateBy = argv.includes('--rxdb-migration') ? 'rxdb' : 'copy';
  log(`server (SQLite): writing ${cfg.households} households' lots and transactions with schema v0, then opening the book…`);
  const server = await serverMigration(batchSize, migrateBy);
  log(`server: ${server.docs} documents migrated in ${server.sec.toFixed(1)} s (${server.cpuSec.toFixed(1)} s CPU), unchanged: ${server.unchanged}`);

  const dataDir = mkdtempSync(join(tmpdir(), 'aw-sync-bench-upgrade-'));
  let running: Awaited<ReturnType<typeof startServer>> | undefined;
  let replica: Awaited<ReturnType<typeof replicaUpgrade>> | null = null;
  try {
    if (argv.includes('--server-only')) throw new SkipReplica();
    const sql = await openSqlDb(join(dataDir, 'server.sqlite'));
    await createAuthTables(sql);
    await createUser(sql, { username: 'bench', password: ADMIN_PASSWORD, teamId: '', role: 'admin' });
    await sql.close();
    log(`seeding ${cfg.households} households into a fresh server…`);
    running = await startServer(dataDir, true);
    replica = await replicaUpgrade(running.url);
  } catch (err) {
    if (!(err instanceof SkipReplica)) throw err;
  } finally {
    if (running) {
      running.child.kill('SIGTERM');
      await new Promise((r) => running!.child.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  }

  let desktop: { sec: number; docs: number; expected: number } | null = null;
  if (cfg.chromium) {
    log('desktop (Chromium, Dexie on IndexedDB): RxDB\'s migration of the same v0 book (not a replica)…');
    desktop = await withChromiumPage(MIGRATION_ENTRY, (page) => page.evaluate(
      (h) => (globalThis as any).runMigration(h) as Promise<{ sec: number; docs: number; expected: number }>, cfg.households,
    ));
    log(`desktop: ${desktop.docs} documents migrated in ${desktop.sec.toFixed(1)} s`);
  }
  const complete = server.docs === server.expected && server.unchanged && (!replica || replica.complete) && (!desktop || desktop.docs === desktop.expected);
  console.log(`sync bench --migration: ${cfg.households} households, lots and transactions v0 → v1`);
  console.log(`  server (SQLite), migration by ${migrateBy.padEnd(5)} ${server.docs} documents in ${server.sec.toFixed(1)} s (CPU ${server.cpuSec.toFixed(1)} s), every document unchanged: ${server.unchanged ? 'yes' : 'NO'}`);
  if (replica) {
    console.log(`  replica (Node, memory), re-pull      ${replica.docs} documents in ${replica.repullSec.toFixed(1)} s (open ${replica.repullOpenSec.toFixed(2)} s, CPU ${replica.repullCpuSec.toFixed(1)} s)`);
    console.log(`  replica (Node, memory), RxDB migration ${replica.docs} documents in ${replica.migrateSec.toFixed(1)} s (CPU ${replica.migrateCpuSec.toFixed(1)} s)`);
  }
  if (desktop) console.log(`  desktop (Chromium, Dexie), RxDB migration ${desktop.docs} documents in ${desktop.sec.toFixed(1)} s`);
  console.log(JSON.stringify({
    bench: 'sync', mode: 'migration', households: cfg.households, docs: server.expected, serverMigrateBy: migrateBy,
    serverMigrationStep: batchSize ?? (migrateBy === 'rxdb' ? MIGRATION_BATCH_SIZE : COPY_STEP_DOCS),
    serverMigrationSec: Number(server.sec.toFixed(1)), serverMigrationCpuSec: Number(server.cpuSec.toFixed(1)), serverUnchanged: server.unchanged,
    ...(replica ? {
      replicaDocs: replica.docs, replicaRepullSec: Number(replica.repullSec.toFixed(1)), replicaRepullOpenSec: Number(replica.repullOpenSec.toFixed(2)),
      replicaRepullCpuSec: Number(replica.repullCpuSec.toFixed(1)), replicaMigrateSec: Number(replica.migrateSec.toFixed(1)),
      replicaMigrateCpuSec: Number(replica.migrateCpuSec.toFixed(1)),
    } : {}),
    ...(desktop ? { desktopMigrationSec: Number(desktop.sec.toFixed(1)) } : {}), complete,
    loadAvg1m: Number(loadavg()[0].toFixed(2)),
  }));
  return complete;
}

/** --profile DIR: a V8 CPU profile of this process (the client) over the initial sync only. */
async function startCpuProfile(): Promise<{ stop(): Promise<string> }> {
  const session = new InspectorSession();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      mkdirSync(profileDir!, { recursive: true });
      const file = join(profileDir!, `client-initial-sync-${process.pid}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return file;
    },
  };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** Runs the benchmark; false when the fresh client did not end with every generated document. */
async function main(): Promise<boolean> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aw-sync-bench-'));
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const sql = await openSqlDb(join(dataDir, 'server.sqlite'));
    await createAuthTables(sql);
    await createUser(sql, { username: 'bench', password: ADMIN_PASSWORD, teamId: '', role: 'admin' });
    await sql.close();
    // First start in demo mode seeds the book (and the market feature imports demo price history in the
    // background); the measured server is a plain restart on that data folder, as on a team machine.
    log(`seeding ${cfg.households} households into a fresh server…`);
    const seeding = await startServer(dataDir, true);
    const seedSec = seeding.seedSec;
    seeding.child.kill('SIGTERM');
    await new Promise((r) => seeding.child.once('exit', r));
    log(`seeded in ${seedSec.toFixed(1)} s; restarting without --demo`);
    server = await startServer(dataDir, false);
    log(`server up at ${server.url} after ${server.seedSec.toFixed(1)} s`);

    // 1. initial sync of the whole book into a fresh client
    const profiler = profileDir ? await startCpuProfile() : undefined;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const serverCpu0 = childCpuSec(server.child.pid);
    const full = await openClient(server.url, 'bench', ADMIN_PASSWORD, 'bench-full', BOOK_COLLECTION_NAMES);
    // Replication errors RxDB reports (a failed local write of a pulled page is otherwise silent).
    const syncErrors: string[] = [];
    for (const [n, st] of Object.entries(full.repl.states)) {
      st!.error$.subscribe((e) => {
        // RxDB's RC_PULL/RC_PUSH carry the handler's own errors in `parameters.errors`; those say what went wrong.
        const inner = (e as { parameters?: { errors?: { message?: string }[] } }).parameters?.errors?.map((x) => x.message).join('; ');
        const msg = `${n}: ${(inner || String((e as Error).message ?? e)).slice(0, 300)}`;
        syncErrors.push(msg);
        log(`replication error: ${msg}`);
      });
    }
    await full.repl.awaitInitialSync();
    const initialSyncSec = (performance.now() - t0) / 1000;
    if (profiler) log(`client CPU profile of the initial sync: ${await profiler.stop()}`);
    const cpu = process.cpuUsage(cpu0);
    const clientCpuSec = (cpu.user + cpu.system) / 1e6;
    const serverCpu1 = childCpuSec(server.child.pid);
    const serverCpuSec = serverCpu0 !== null && serverCpu1 !== null ? serverCpu1 - serverCpu0 : null;
    const counts: Record<string, number> = {};
    for (const n of BOOK_COLLECTION_NAMES) counts[n] = await (full.db.collections as any)[n].count().exec();
    const docs = Object.values(counts).reduce((a, b) => a + b, 0);
    const clientHeapMb = Math.round(process.memoryUsage().heapUsed / 1e6);
    // Completeness: the client must hold exactly the generated documents of every collection the generator makes
    // (prices are left out: the server imports price history in the background). Incomplete = the bench fails.
    const generated = generateBook({ households: cfg.households, seed: 42 });
    const missing: Record<string, number> = {};
    for (const n of ['teams', 'securities', 'models', 'households', 'accounts', 'lots', 'transactions'] as const) {
      const d = generated[n].length - counts[n];
      if (d !== 0) missing[n] = d;
    }
    if (Object.keys(missing).length) log(`INCOMPLETE initial sync, documents missing on the client: ${JSON.stringify(missing)}`);
    log(`initial sync: ${docs} documents in ${initialSyncSec.toFixed(1)} s`);
    await full.close();

    let browserSync: { sec: number; docs: number } | null = null;
    if (cfg.chromium) {
      log('initial sync in Chromium (Dexie on IndexedDB)…');
      browserSync = await chromiumInitialSync(server.url);
      log(`Chromium: ${browserSync.docs} documents in ${browserSync.sec.toFixed(1)} s`);
      if (browserSync.docs !== docs) throw new Error(`Chromium client got ${browserSync.docs} documents, the Node client ${docs}`);
    }

    // 2. edit propagation A → B
    const a = await openClient(server.url, 'alice', 'demo', 'bench-a', ['households']);
    const b = await openClient(server.url, 'bob', 'demo', 'bench-b', ['households']);
    await Promise.all([a.repl.awaitInitialSync(), b.repl.awaitInitialSync()]);
    const ids = (await a.db.households.find().exec()).map((d) => d.id).sort();
    const latencies: number[] = [];
    for (let i = 0; i < cfg.edits; i++) {
      const id = ids[(i * 7) % ids.length];
      const notes = `bench edit ${i}`;
      const seen = new Promise<void>((resolve) => {
        const sub = b.db.households.findOne(id).$.subscribe((d) => {
          if (d?.notes === notes) {
            resolve();
            setTimeout(() => sub.unsubscribe());
          }
        });
      });
      const start = performance.now();
      await (await a.db.households.findOne(id).exec())!.incrementalPatch({ notes, updatedAt: Date.now() });
      await seen;
      latencies.push(performance.now() - start);
    }
    await a.close();
    await b.close();
    latencies.sort((x, y) => x - y);
    const p50 = pct(latencies, 50);
    const p95 = pct(latencies, 95);

    const rows: [string, string][] = [
      ['households', String(counts.households)],
      ['accounts', String(counts.accounts)],
      ['lots', String(counts.lots)],
      ['transactions', String(counts.transactions)],
      ['documents (all collections)', String(docs)],
      ['server generate+seed+start (demo)', `${seedSec.toFixed(1)} s`],
      ['server restart on the seeded book', `${server.seedSec.toFixed(1)} s`],
      ['initial sync (fresh client)', `${initialSyncSec.toFixed(1)} s (target < 60 s)`],
      ['sync throughput', `${Math.round(docs / initialSyncSec)} docs/s`],
      ['CPU during initial sync', `client ${clientCpuSec.toFixed(1)} s, server ${serverCpuSec?.toFixed(1) ?? '?'} s (machine load shows as wall > CPU)`],
      ['complete (vs the generator)', Object.keys(missing).length ? `NO, missing ${JSON.stringify(missing)}` : 'yes'],
      ['replication errors during initial sync', String(syncErrors.length)],
      ['client heap after initial sync', `${clientHeapMb} MB (RxDB memory storage)`],
      ...(browserSync ? [['initial sync in Chromium (Dexie/IndexedDB)', `${browserSync.sec.toFixed(1)} s`] as [string, string]] : []),
      [`edit propagation p50 (${cfg.edits} edits)`, `${p50.toFixed(1)} ms`],
      ['edit propagation p95', `${p95.toFixed(1)} ms (target < 300 ms)`],
      ['edit propagation max', `${latencies[latencies.length - 1].toFixed(1)} ms`],
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    console.log(`sync bench: ${cfg.households} households, seed 42`);
    for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
    console.log(
      JSON.stringify({
        bench: 'sync', households: cfg.households, accounts: counts.accounts, lots: counts.lots, docs,
        initialSyncSec: Number(initialSyncSec.toFixed(2)), editPropagationP50Ms: Number(p50.toFixed(1)),
        editPropagationP95Ms: Number(p95.toFixed(1)), edits: cfg.edits, seedSec: Number(seedSec.toFixed(1)),
        initialSyncClientCpuSec: Number(clientCpuSec.toFixed(1)), initialSyncServerCpuSec: serverCpuSec === null ? null : Number(serverCpuSec.toFixed(1)),
        complete: Object.keys(missing).length === 0, ...(Object.keys(missing).length ? { missing } : {}), replicationErrors: syncErrors.length,
        clientHeapMb, ...(browserSync ? { chromiumInitialSyncSec: Number(browserSync.sec.toFixed(2)) } : {}),
        loadAvg1m: Number(loadavg()[0].toFixed(2)),
      }),
    );
    return Object.keys(missing).length === 0;
  } finally {
    if (server) {
      server.child.kill('SIGTERM');
      await new Promise((r) => server!.child.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

(argv.includes('--migration') ? migrationMain() : main()).then(
  (complete) => {
    if (!complete) process.stderr.write('[sync] FAILED: the initial sync is incomplete (see "missing" above)\n');
    process.exit(complete ? 0 : 1);
  },
  (err) => {
    process.stderr.write(`[sync] failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
