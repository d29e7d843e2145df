// Browser side of `npm run bench -- holdings`: opens the book in real IndexedDB (RxDB + Dexie, as the app does) and
// times opening accounts' holdings exactly the way the holdings view does (app/book-runtime.ts): `loadHoldingsData`
// (db/holdings-query.ts: the account's lots by RxDB query, and the security and latest-price rows from the app's
// cache, misses read in ONE batched IndexedDB lookup — or all as uncached RxDB queries with `rx`), then `ValuationClient.valueHoldings` — which values a view of up to UI_THREAD_MAX_LOTS
// lots on the UI thread and bigger ones on the warm worker. Each timed open is of a DIFFERENT account (copies of
// the template account with their own lots), so no open is answered from RxDB's query cache; re-opens of one
// account are timed separately. Then, for comparison, the same data valued on the warm worker (the big-view path).
// Times in milliseconds (performance.now).
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import type { Account, TaxLot } from '@aw/domain';
import { openBookDb, type BookDatabase } from '../../apps/desktop/src/renderer/db/book-db.ts';
import type { BookPayload } from '../../apps/desktop/src/renderer/db/book-payload.ts';
import { loadHoldingsData, loadHoldingsDataRx } from '../../apps/desktop/src/renderer/db/holdings-query.ts';
import { readLatestPricesIdb, readSecuritiesIdb } from '../../apps/desktop/src/renderer/db/holdings-idb.ts';
import { writeBook } from '../../apps/desktop/src/renderer/db/seed.ts';
import { createValuationClient, createValuationWorkerPool, type HoldingsInput, type ValuationClient } from '../../apps/desktop/src/renderer/workers/valuation-client.ts';
import { UI_THREAD_MAX_LOTS } from '../../apps/desktop/src/renderer/workers/valuation-holdings.ts';

export interface RunTiming {
  totalMs: number; readMs: number; valueMs: number; computeMs: number; lots: number; holdings: number; marketValueCents: number;
}
export interface WorkerTiming { workerValueMs: number; workerComputeMs: number; workerMarketValueCents: number }

let db: BookDatabase | null = null;
/** The client the app creates (book-runtime's `createValuationClient()`). */
let valuation: ValuationClient | null = null;
/** The same client with every view sent to the warm worker, for comparison. */
let workerOnly: ValuationClient | null = null;

let load = loadHoldingsData;

/**
 * Writes the book, then `copies` - 1 more copies of account `templateId` with its lots (ids suffixed `-k`, in
 * chunks of 8 accounts). Returns the ids of all `copies` accounts, the template first.
 */
async function setup(book: BookPayload, templateId: string, copies: number, path: 'idb' | 'rx'): Promise<string[]> {
  db = await openBookDb(getRxStorageDexie(), { name: `bench-${Date.now()}` });
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
      for (const l of lots) copied.push({ ...l, id: `${l.id}-${j}`, accountId: id });
    }
    await db.accounts.bulkInsert(accounts);
    const res = await db.lots.bulkInsert(copied);
    if (res.error.length) throw new Error(`could not store ${res.error.length} lots`);
  }
  valuation = createValuationClient();
  workerOnly = createValuationClient(createValuationWorkerPool({ size: 1 }), undefined, { uiThreadMaxLots: 0 });
  return ids;
}

/** The holdings view's read (book-runtime.ts loadHousehold, scoped to one account). */
async function read(accountId: string): Promise<HoldingsInput> {
  const data = await load(db!, { accountId });
  return { lots: data.lots, priceRows: data.priceRows, securities: data.securities, cashCents: data.accounts.reduce((c, a) => c + a.cashCents, 0) };
}

async function openAccount(accountId: string): Promise<RunTiming> {
  const t0 = performance.now();
  const input = await read(accountId);
  const t1 = performance.now();
  const view = await valuation!.valueHoldings(input);
  const t2 = performance.now();
  return { totalMs: t2 - t0, readMs: t1 - t0, valueMs: t2 - t1, computeMs: view.computeMs, lots: input.lots.length,
    holdings: view.holdings.length, marketValueCents: view.totals.marketValueCents };
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
async function run(ids: string[], runs: number, warmup: number): Promise<{ first: RunTiming; runs: (RunTiming & WorkerTiming & { reopenMs: number })[] }> {
  if (ids.length < 1 + warmup + runs) throw new Error(`need ${1 + warmup + runs} accounts, have ${ids.length}`);
  const first = await openAccount(ids[0]!);
  for (let i = 1; i <= warmup; i++) await openAccount(ids[i]!);
  const view: RunTiming[] = [];
  for (let i = 0; i < runs; i++) view.push(await openAccount(ids[1 + warmup + i]!));
  const last = ids[warmup + runs]!;
  const reopen: number[] = [];
  for (let i = 0; i < runs; i++) reopen.push((await openAccount(last)).totalMs);
  const input = await read(last);
  for (let i = 0; i < warmup; i++) await onWorker(input);
  const worker: WorkerTiming[] = [];
  for (let i = 0; i < runs; i++) worker.push(await onWorker(input));
  return { first, runs: view.map((v, i) => ({ ...v, ...worker[i]!, reopenMs: reopen[i]! })) };
}

/** The reads one by one, uncached, on an account never opened before (ms): its lots (RxDB query), then the security and latest-price reads. */
async function steps(accountId: string): Promise<Record<string, number>> {
  const t0 = performance.now();
  const lots = await db!.lots.find({ selector: { accountId }, sort: [{ accountId: 'asc' }, { symbol: 'asc' }] }).exec().then((d) => d.map((x) => x.toJSON(true) as TaxLot));
  const t1 = performance.now();
  const symbols = [...new Set(lots.map((l) => l.symbol))];
  await readSecuritiesIdb(db!.securities, symbols);
  const t2 = performance.now();
  await readLatestPricesIdb(db!.prices, symbols);
  const t3 = performance.now();
  return { lotsMs: t1 - t0, securitiesMs: t2 - t1, pricesMs: t3 - t2 };
}

Object.assign(window, { bench: { setup, run, steps, uiThreadMaxLots: UI_THREAD_MAX_LOTS } });
document.title = 'holdings bench ready';
