// Benchmark of the SQLite RxStorage (packages/rxdb-storage-sqlite) on a file on disk:
//   1. bulk insert N lot documents (TaxLot shape, ~40 lots per account) through RxStorageInstance.bulkWrite
//   2. 1,000 indexed queries "lots of one account" (~40 results each): p50 / p95 latency
//   3. 1,000 getChangedDocumentsSince pages of 1,000 (wrapping to the start when exhausted): p95 latency
//   4. the raw ceiling: the same rows by plain batched SQL (one INSERT … SELECT … FROM json_each(?) per batch, one
//      transaction per batch, same pragmas) into an equivalent table with the same indexes, no RxDB
//   5. the same workload on RxDB's memory storage, with the ratio
// Usage: npm run bench -- sqlite-storage [--docs N] [--batch B] [--smoke]. Units: docs/s, milliseconds.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import {
  fillWithDefaultSettings,
  getChangedDocumentsSince,
  normalizeMangoQuery,
  prepareQuery,
  type MangoQuerySelector,
  type RxDocumentData,
  type RxStorage,
  type RxStorageDefaultCheckpoint,
  type RxStorageInstance,
} from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { lotSchema } from '../packages/domain/src/schemas/lots.ts';
import type { TaxLot } from '../packages/domain/src/types.ts';
import { getRxStorageSqlite } from '../packages/rxdb-storage-sqlite/src/index.ts';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const smoke = args.includes('--smoke');
const DOCS = Number(arg('docs') ?? (smoke ? 20_000 : 1_000_000));
const BATCH = Number(arg('batch') ?? 5_000);
const QUERIES = 1_000;
const PAGES = 1_000;
const PAGE_SIZE = 1_000;
const LOTS_PER_ACCOUNT = 40;
const log = (msg: string) => process.stderr.write(msg + '\n');

const schema = fillWithDefaultSettings<TaxLot>(lotSchema);

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const accounts = Math.max(1, Math.round(DOCS / LOTS_PER_ACCOUNT));
const accountId = (a: number) => `acct-${String(a).padStart(7, '0')}`;

function makeLots(count: number): RxDocumentData<TaxLot>[] {
  const r = rng(42);
  const lwtBase = 1_764_000_000_000;
  const docs: RxDocumentData<TaxLot>[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const a = i % accounts;
    const day = 1 + Math.floor(r() * 28);
    const month = 1 + Math.floor(r() * 12);
    const date = `20${10 + Math.floor(r() * 16)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const quantity = Math.round(1 + r() * 500);
    docs[i] = {
      id: `lot-${String(i).padStart(8, '0')}`,
      teamId: a % 5 === 4 ? 'north' : 'demo',
      householdId: `hh-${String(Math.floor(a / 3)).padStart(7, '0')}`,
      accountId: accountId(a),
      symbol: `SYM${Math.floor(r() * 500)}`,
      quantity,
      costBasisCents: Math.round(quantity * (1000 + r() * 50000)),
      acquiredDate: date,
      holdingPeriodStart: date,
      washSaleAdjustmentCents: 0,
      updatedAt: lwtBase + i,
      _deleted: false,
      _attachments: {},
      _rev: '1-benchrev',
      _meta: { lwt: lwtBase + i + 0.01 },
    };
  }
  return docs;
}

function percentile(values: number[], p: number): number {
  const s = [...values].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** "Lots of one account", as RxDB runs it (RxQuery adds _deleted: false). */
function accountQuery(id: string) {
  const selector = { accountId: id, _deleted: false } as unknown as MangoQuerySelector<RxDocumentData<TaxLot>>;
  return prepareQuery(schema, normalizeMangoQuery(schema, { selector }));
}

interface Workload {
  insertDocsPerSec: number;
  queryP50Ms: number;
  queryP95Ms: number;
  avgResults: number;
  changesPageP95Ms: number;
}

async function runWorkload(label: string, storage: RxStorage<unknown, unknown>, docs: RxDocumentData<TaxLot>[]): Promise<Workload> {
  const inst = (await storage.createStorageInstance<TaxLot>({
    databaseInstanceToken: 'bench',
    databaseName: 'bench',
    collectionName: 'lots',
    schema,
    options: {},
    multiInstance: false,
    devMode: false,
  })) as RxStorageInstance<TaxLot, unknown, unknown, RxStorageDefaultCheckpoint>;
  try {
    const t0 = performance.now();
    for (let i = 0; i < docs.length; i += BATCH) {
      const res = await inst.bulkWrite(docs.slice(i, i + BATCH).map((document) => ({ document })), 'bench');
      if (res.error.length) throw new Error(`${label}: ${res.error.length} write errors`);
      if ((i / BATCH) % 40 === 0) log(`${label}: inserted ${i + BATCH}/${docs.length}`);
    }
    const insertMs = performance.now() - t0;

    const r = rng(7);
    const queryMs: number[] = [];
    let results = 0;
    for (let q = 0; q < QUERIES; q++) {
      const prepared = accountQuery(accountId(Math.floor(r() * accounts)));
      const s = performance.now();
      const found = await inst.query(prepared);
      queryMs.push(performance.now() - s);
      results += found.documents.length;
    }
    if (!accountQuery('x').queryPlan.index.includes('accountId')) {
      throw new Error('query plan does not use the accountId index');
    }

    const pageMs: number[] = [];
    let checkpoint: RxStorageDefaultCheckpoint | undefined;
    for (let p = 0; p < PAGES; p++) {
      const s = performance.now();
      // rxdb's helper: calls the storage's own getChangedDocumentsSince, or runs the equivalent query (memory).
      const page = await getChangedDocumentsSince(inst, PAGE_SIZE, checkpoint);
      pageMs.push(performance.now() - s);
      checkpoint = page.documents.length === PAGE_SIZE ? page.checkpoint : undefined; // wrap to the start
    }
    return {
      insertDocsPerSec: Math.round(docs.length / (insertMs / 1000)),
      queryP50Ms: round(percentile(queryMs, 50), 3),
      queryP95Ms: round(percentile(queryMs, 95), 3),
      avgResults: round(results / QUERIES, 1),
      changesPageP95Ms: round(percentile(pageMs, 95), 3),
    };
  } finally {
    await inst.close();
  }
}

function exec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((res, rej) => db.exec(sql, (e) => (e ? rej(e) : res())));
}
function run(db: sqlite3.Database, sql: string, params: unknown[]): Promise<void> {
  return new Promise((res, rej) => db.run(sql, params, (e: Error | null) => (e ? rej(e) : res())));
}

/** The ceiling: same rows, same indexes (on plain columns), same pragmas, batched json_each inserts, no RxDB. */
async function rawInsert(file: string, docs: RxDocumentData<TaxLot>[]): Promise<number> {
  const db = await new Promise<sqlite3.Database>((res, rej) => {
    const d = new sqlite3.Database(file, (e) => (e ? rej(e) : res(d)));
  });
  await exec(
    db,
    `PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536;
     CREATE TABLE lots (id TEXT PRIMARY KEY NOT NULL, deleted INTEGER NOT NULL, lwt REAL NOT NULL, data TEXT NOT NULL,
       team_id TEXT, household_id TEXT, account_id TEXT, symbol TEXT, acquired_date TEXT, updated_at INTEGER);
     CREATE INDEX lots_account ON lots(deleted, account_id, symbol, id);
     CREATE INDEX lots_household ON lots(deleted, household_id, symbol, id);
     CREATE INDEX lots_symbol ON lots(deleted, symbol, acquired_date, id);
     CREATE INDEX lots_team ON lots(deleted, team_id, updated_at, id);
     CREATE INDEX lots_lwt ON lots(lwt, id);`,
  );
  const sql =
    `INSERT INTO lots SELECT value->>'id', value->>'_deleted', value->>'$._meta.lwt', value, value->>'teamId', ` +
    `value->>'householdId', value->>'accountId', value->>'symbol', value->>'acquiredDate', value->>'updatedAt' FROM json_each(?)`;
  const t0 = performance.now();
  for (let i = 0; i < docs.length; i += BATCH) {
    await exec(db, 'BEGIN IMMEDIATE');
    await run(db, sql, [JSON.stringify(docs.slice(i, i + BATCH))]);
    await exec(db, 'COMMIT');
  }
  const ms = performance.now() - t0;
  await new Promise<void>((res) => db.close(() => res()));
  return Math.round(docs.length / (ms / 1000));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'aw-bench-sqlite-'));
  try {
    log(`generating ${DOCS} lots (${accounts} accounts)…`);
    const docs = makeLots(DOCS);

    log('raw SQL ceiling…');
    const rawInsertDocsPerSec = await rawInsert(join(dir, 'raw.sqlite'), docs);

    log('SQLite RxStorage…');
    const sqliteStorage = getRxStorageSqlite({ directory: join(dir, 'rx') });
    const sq = await runWorkload('sqlite', sqliteStorage as never, docs);
    const fileMb = round(statSync(sqliteStorage.filePathFor('bench')).size / 1e6, 1);

    log('memory RxStorage…');
    const mem = await runWorkload('memory', getRxStorageMemory() as never, docs);

    const rows = [
      ['workload', 'sqlite', 'memory', 'raw SQL', 'sqlite/memory'],
      ['insert docs/s', sq.insertDocsPerSec, mem.insertDocsPerSec, rawInsertDocsPerSec, round(sq.insertDocsPerSec / mem.insertDocsPerSec)],
      ['account query p50 ms', sq.queryP50Ms, mem.queryP50Ms, '', round(sq.queryP50Ms / mem.queryP50Ms)],
      ['account query p95 ms', sq.queryP95Ms, mem.queryP95Ms, '', round(sq.queryP95Ms / mem.queryP95Ms)],
      ['results per query', sq.avgResults, mem.avgResults, '', ''],
      ['changes page(1000) p95 ms', sq.changesPageP95Ms, mem.changesPageP95Ms, '', round(sq.changesPageP95Ms / mem.changesPageP95Ms)],
    ];
    console.log(`sqlite-storage bench: ${DOCS} lots, batch ${BATCH}, file ${fileMb} MB, synchronous=FULL`);
    for (const row of rows) console.log(row.map((c, i) => String(c).padEnd(i === 0 ? 28 : 12)).join(''));
    console.log(
      `insert = ${round((100 * sq.insertDocsPerSec) / rawInsertDocsPerSec, 1)}% of raw (target >= 70%); ` +
        `query p95 ${sq.queryP95Ms} ms (target < 5); changes p95 ${sq.changesPageP95Ms} ms (target < 20)`,
    );
    console.log(
      JSON.stringify({
        bench: 'sqlite-storage',
        docs: DOCS,
        batch: BATCH,
        insertDocsPerSec: sq.insertDocsPerSec,
        rawInsertDocsPerSec,
        insertVsRawPct: round((100 * sq.insertDocsPerSec) / rawInsertDocsPerSec, 1),
        indexedQueryP50Ms: sq.queryP50Ms,
        indexedQueryP95Ms: sq.queryP95Ms,
        avgQueryResults: sq.avgResults,
        changesPageP95Ms: sq.changesPageP95Ms,
        fileMb,
        memoryInsertDocsPerSec: mem.insertDocsPerSec,
        memoryQueryP95Ms: mem.queryP95Ms,
        memoryChangesPageP95Ms: mem.changesPageP95Ms,
        sqliteVsMemoryInsertRatio: round(sq.insertDocsPerSec / mem.insertDocsPerSec, 3),
        sqliteVsMemoryQueryP95Ratio: round(sq.queryP95Ms / mem.queryP95Ms, 2),
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
