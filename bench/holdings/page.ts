// Browser side of `npm run bench -- holdings`: opens the book in real IndexedDB (RxDB + Dexie, as the app does) and
// times opening accounts' holdings exactly the way the holdings view does (app/book-runtime.ts): `loadHoldingsData`
// (db/holdings-query.ts: the account's lots from the book's lot packs — built after seeding by `lotPacksReady`,
// as the app builds them in the background — or by RxDB query when packs cannot answer, and the security and latest-price rows from the app's
// cache, misses read in ONE batched IndexedDB lookup — or all as uncached RxDB queries with `rx`), then `ValuationClient.valueHoldings` — which values a view of up to UI_THREAD_MAX_LOTS
// lots on the UI thread and bigger ones on the warm worker. Each timed open is of a DIFFERENT account (copies of
// the template account with their own lots), so no open is answered from RxDB's query cache; re-opens of one
// account are timed separately. Then, for comparison, the same data valued on the warm worker (the big-view path).
// Before any open, the app's start-up warming (`warmHoldingsReads`) runs and is awaited. Each open records the
// read's own steps (loadHoldingsData's `steps`).
// Times in milliseconds (performance.now).
import { normalizeMangoQuery, prepareQuery } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import type { Account, TaxLot } from '@aw/domain';
import { openBookDb, type BookDatabase } from '../../apps/desktop/src/renderer/db/book-db.ts';
import type { BookPayload } from '../../apps/desktop/src/renderer/db/book-payload.ts';
import { loadHoldingsData, loadHoldingsDataRx, warmHoldingsReads, type HoldingsSteps } from '../../apps/desktop/src/renderer/db/holdings-query.ts';
import { readLatestPricesIdb, readSecuritiesIdb } from '../../apps/desktop/src/renderer/db/holdings-idb.ts';
import { cachedAccounts } from '../../apps/desktop/src/renderer/db/holdings-cache.ts';
import { lotPacksReady, readLotsPacked } from '../../apps/desktop/src/renderer/db/holdings-packs.ts';
import { writeBook } from '../../apps/desktop/src/renderer/db/seed.ts';
import { createValuationClient, createValuationWorkerPool, type HoldingsInput, type ValuationClient } from '../../apps/desktop/src/renderer/workers/valuation-client.ts';
import { UI_THREAD_MAX_LOTS } from '../../apps/desktop/src/renderer/workers/valuation-holdings.ts';

export interface RunTiming {
  totalMs: number; readMs: number; valueMs: number; computeMs: number; lots: number; holdings: number; marketValueCents: number;
  /** The read's own steps (loadHoldingsData's `steps`: lotsMs, packsMs, changesMs, mergeMs, accountsMs, refsMs). */
  steps: HoldingsSteps;
}
export interface WorkerTiming { workerValueMs: number; workerComputeMs: number; workerMarketValueCents: number }

let db: BookDatabase | null = null;
/** The client the app creates (book-runtime's `createValuationClient()`). */
let valuation: ValuationClient | null = null;
/** The same client with every view sent to the warm worker, for comparison. */
let workerOnly: ValuationClient | null = null;

let load: (db: BookDatabase, scope: { accountId: string }, steps?: HoldingsSteps) => ReturnType<typeof loadHoldingsData> = loadHoldingsData;

/**
 * Writes the book, then `copies` - 1 more copies of account `templateId` with its lots (ids suffixed `-k`, in
 * chunks of 8 accounts). Returns the ids of all `copies` accounts, the template first.
 */
async function setup(book: BookPayload, templateId: string, copies: number, path: 'idb' | 'rx', name: string): Promise<{ ids: string[]; packsMs: number; warmMs: number }> {
  db = await openBookDb(getRxStorageDexie(), { name });
  load = path === 'rx' ? loadHoldingsDataRx : loadHoldingsData;
  await writeBook(db, book);
  const account = book.accounts.find((a) => a.id === templateId)!;
  const lots = book.lots.filter((l) => l.accountId === templateId);
  const ids = [templateId];
  for (let k = 1; k < copies; k += 8) {
    const accounts: Account[] = [];
    const copied: TaxLot[] = [];
    for (let j = k; j < Math.min(copies, k + 8); j++) {
      const id = `${templateId}-${j}`;
      ids.push(id);
      accounts.push({ ...account, id, name: `${account.name} #${j}` });
      lots.forEach((l, n) => copied.push({ ...l, id: `${id}-l${n}`, accountId: id })); // account-scoped ids, as the demo generator's
    }
    await db.accounts.bulkInsert(accounts);
    const res = await db.lots.bulkInsert(copied);
    if (res.error.length) throw new Error(`could not store ${res.error.length} lots`);
  }
  // The lot packs the app builds in the background from the first holdings open (db/holdings-packs.ts), here
  // awaited: a build pass over the whole book, as after seeding or replication. On the rx path: none.
  const t0 = performance.now();
  if (path === 'idb') await lotPacksReady(db);
  const packsMs = performance.now() - t0;
  return { ids, packsMs, ...await started(path) };
}

/** `--keep`: opens the book a previous run wrote into this browser profile (packs rebuilt only if stale). */
async function reopen(path: 'idb' | 'rx', name: string): Promise<{ warmMs: number }> {
  db = await openBookDb(getRxStorageDexie(), { name });
  load = path === 'rx' ? loadHoldingsDataRx : loadHoldingsData;
  const [lots, prices, securities, accounts] = await Promise.all([db.lots.count().exec(), db.prices.count().exec(), db.securities.count().exec(), db.accounts.count().exec()]);
  console.log(`kept book: ${lots} lots, ${prices} prices, ${securities} securities, ${accounts} accounts`);
  if (!lots || !prices) throw new Error(`the kept book is incomplete (${lots} lots, ${prices} prices): remove the --keep folder`);
  if (path === 'idb') await lotPacksReady(db);
  return started(path);
}

/** What the app does once the book is open: the valuation clients, and the holdings reads warmed in the background (here awaited). */
async function started(path: 'idb' | 'rx'): Promise<{ warmMs: number }> {
  valuation = createValuationClient();
  workerOnly = createValuationClient(createValuationWorkerPool({ size: 1 }), undefined, { uiThreadMaxLots: 0 });
  const t0 = performance.now();
  if (path === 'idb') await warmHoldingsReads(db!);
  const warmMs = performance.now() - t0;
  if (path === 'idb' && !cachedAccounts(db!, { accountId: 'bench-500' })?.length) throw new Error('start-up warming kept no accounts');
  return { warmMs };
}

/** The holdings view's read (book-runtime.ts loadHousehold, scoped to one account). */
async function read(accountId: string, steps?: HoldingsSteps): Promise<HoldingsInput> {
  const data = await load(db!, { accountId }, steps);
  return { lots: data.lots, priceRows: data.priceRows, securities: data.securities, cashCents: data.accounts.reduce((c, a) => c + a.cashCents, 0) };
}

async function openAccount(accountId: string): Promise<RunTiming> {
  const steps: HoldingsSteps = {};
  const t0 = performance.now();
  const input = await read(accountId, steps);
  const t1 = performance.now();
  const view = await valuation!.valueHoldings(input);
  const t2 = performance.now();
  return { totalMs: t2 - t0, readMs: t1 - t0, valueMs: t2 - t1, computeMs: view.computeMs, lots: input.lots.length,
    holdings: view.holdings.length, marketValueCents: view.totals.marketValueCents, steps };
}

async function onWorker(input: HoldingsInput): Promise<WorkerTiming> {
  const t0 = performance.now();
  const v = await workerOnly!.valueHoldings(input);
  return { workerValueMs: performance.now() - t0, workerComputeMs: v.computeMs, workerMarketValueCents: v.totals.marketValueCents };
}

/**
 * The first open (cold code), `warmup` more opens, then `runs` opens of accounts never opened before (ids[1 +
 * warmup …]: each reads IndexedDB), then `runs` re-opens of the last account (RxDB's query cache may answer
 * those on the RxDB path), then the warm-worker valuation `runs` times (separate phases: one's garbage does not
 * land in the other's timings).
 */
async function run(ids: string[], runs: number, warmup: number): Promise<{ first: RunTiming; runs: (RunTiming & WorkerTiming & { reopenMs: number; reopenReadMs: number })[] }> {
  if (ids.length < 1 + warmup + runs) throw new Error(`need ${1 + warmup + runs} accounts, have ${ids.length}`);
  const first = await openAccount(ids[0]!);
  for (let i = 1; i <= warmup; i++) await openAccount(ids[i]!);
  const view: RunTiming[] = [];
  for (let i = 0; i < runs; i++) view.push(await openAccount(ids[1 + warmup + i]!));
  const last = ids[warmup + runs]!;
  const reopen: RunTiming[] = [];
  for (let i = 0; i < runs; i++) reopen.push(await openAccount(last));
  const input = await read(last);
  for (let i = 0; i < warmup; i++) await onWorker(input);
  const worker: WorkerTiming[] = [];
  for (let i = 0; i < runs; i++) worker.push(await onWorker(input));
  return { first, runs: view.map((v, i) => ({ ...v, ...worker[i]!, reopenMs: reopen[i]!.totalMs, reopenReadMs: reopen[i]!.readMs })) };
}

/**
 * The reads one by one, uncached, on an account never opened before (ms): its lots from the packs, its lots by
 * RxDB query (the fallback, and the reference), then the security and latest-price reads.
 */
async function steps(accountId: string): Promise<Record<string, number>> {
  const p0 = performance.now();
  const packed = await readLotsPacked(db!, { accountId });
  const packedMs = performance.now() - p0;
  const t0 = performance.now();
  const lots = await db!.lots.find({ selector: { accountId }, sort: [{ accountId: 'asc' }, { symbol: 'asc' }] }).exec().then((d) => d.map((x) => x.toJSON(true) as TaxLot));
  const t1 = performance.now();
  const symbols = [...new Set(lots.map((l) => l.symbol))];
  await readSecuritiesIdb(db!.securities, symbols);
  const t2 = performance.now();
  await readLatestPricesIdb(db!.prices, symbols);
  const t3 = performance.now();
  if (packed && packed.length !== lots.length) throw new Error(`packs: ${packed.length} lots, RxDB query: ${lots.length}`);
  return { packedLotsMs: packed ? packedMs : NaN, lotsMs: t1 - t0, securitiesMs: t2 - t1, pricesMs: t3 - t2 };
}

/**
 * Attribution of the lots read (ms per variant, each run on an account never read before, variants round-robin
 * over `ids`): RxDB query + toJSON, RxDB storage-instance query (no RxDocuments), and raw IndexedDB reads of the
 * same rows — index cursor (what RxDB's Dexie query does), index getAll, primary-key-range getAll, key-only getAll —
 * and the lot packs (one record per account plus the change feed).
 */
async function attribute(ids: string[]): Promise<Record<string, number[]>> {
  const lotsCol = db!.lots;
  const idb = (await (lotsCol.internalStorageInstance as any).internals).dexieDb.backendDB() as IDBDatabase;
  const index = '[_deleted+accountId+symbol+id]';
  const req = <T>(r: IDBRequest<T>) => new Promise<T>((res, rej) => { r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
  const store = () => idb.transaction('docs', 'readonly').objectStore('docs');
  const range = (a: string) => IDBKeyRange.bound(['0', a], ['0', a, []]);
  const prepared = (a: string) => prepareQuery(lotsCol.schema.jsonSchema, normalizeMangoQuery(lotsCol.schema.jsonSchema,
    { selector: { accountId: { $eq: a }, _deleted: { $eq: false } } as any, sort: [{ accountId: 'asc' }, { symbol: 'asc' }] }));
  await lotPacksReady(db!);
  const variants: Record<string, (a: string) => Promise<number>> = {
    packs: async (a) => (await readLotsPacked(db!, { accountId: a }))?.length ?? 0,
    rxQuery: async (a) => (await lotsCol.find({ selector: { accountId: a }, sort: [{ accountId: 'asc' }, { symbol: 'asc' }] }).exec()).map((d) => d.toJSON(true)).length,
    storageQuery: async (a) => (await lotsCol.storageInstance.query(prepared(a))).documents.length,
    internalStorageQuery: async (a) => (await lotsCol.internalStorageInstance.query(prepared(a))).documents.length,
    idbCursor: (a) => new Promise((res, rej) => {
      const out: unknown[] = [];
      const r = store().index(index).openCursor(range(a));
      r.onsuccess = () => { const c = r.result; if (c) { out.push(c.value); c.continue(); } else res(out.length); };
      r.onerror = () => rej(r.error);
    }),
    idbIndexGetAll: async (a) => (await req(store().index(index).getAll(range(a)))).length,
    idbPkGetAll: async (a) => (await req(store().getAll(IDBKeyRange.bound(`${a}-l`, `${a}-l\uffff`)))).length,
    idbIndexGetAllKeys: async (a) => (await req(store().index(index).getAllKeys(range(a)))).length,
    idbEmpty: async (a) => ((await req(store().get(`${a}-none`))) ? 1 : 0),
  };
  const names = Object.keys(variants);
  const out: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  let i = 0;
  for (const a of ids) {
    const n = names[i++ % names.length]!;
    const t0 = performance.now();
    const count = await variants[n]!(a);
    out[n]!.push(performance.now() - t0);
    if (n !== 'idbEmpty' && count !== 1000) throw new Error(`${n}: ${count} lots`);
  }
  return out;
}

Object.assign(window, { bench: { setup, reopen, run, steps, attribute, uiThreadMaxLots: UI_THREAD_MAX_LOTS } });
document.title = 'holdings bench ready';
