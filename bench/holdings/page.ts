// Browser side of `npm run bench -- holdings`: opens the book in real IndexedDB (RxDB + Dexie, as the app does) and
// times opening one account's holdings exactly the way the holdings view does (app/book-runtime.ts): RxDB query of
// its lots and ONE batched price lookup (db/holdings-query.ts), then `ValuationClient.valueHoldings` — which values
// a view of up to UI_THREAD_MAX_LOTS lots on the UI thread and bigger ones on the warm worker. Then, for comparison
// in the same session, the same reads valued on the warm worker (the big-view path) on the same data.
// Times in milliseconds (performance.now).
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { openBookDb, type BookDatabase } from '../../apps/desktop/src/renderer/db/book-db.ts';
import type { BookPayload } from '../../apps/desktop/src/renderer/db/book-payload.ts';
import { loadHoldingsData } from '../../apps/desktop/src/renderer/db/holdings-query.ts';
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

async function setup(book: BookPayload): Promise<void> {
  db = await openBookDb(getRxStorageDexie(), { name: `bench-${Date.now()}` });
  await writeBook(db, book);
  valuation = createValuationClient();
  workerOnly = createValuationClient(createValuationWorkerPool({ size: 1 }), undefined, { uiThreadMaxLots: 0 });
}

/** The holdings view's read (book-runtime.ts loadHousehold, scoped to one account). */
async function read(accountId: string): Promise<HoldingsInput> {
  const data = await loadHoldingsData(db!, { accountId });
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
 * The first open (its queries run over IndexedDB: RxDB has no result for them yet), then the view's path `runs`
 * times — re-opens, whose unchanged queries RxDB answers from its query cache, as it does in the app — then the
 * warm-worker valuation `runs` times (separate phases: one's garbage does not land in the other's timings).
 */
async function run(accountId: string, runs: number, warmup: number): Promise<{ first: RunTiming; runs: (RunTiming & WorkerTiming)[] }> {
  const first = await openAccount(accountId);
  for (let i = 0; i < warmup; i++) await openAccount(accountId);
  const view: RunTiming[] = [];
  for (let i = 0; i < runs; i++) view.push(await openAccount(accountId));
  const input = await read(accountId);
  for (let i = 0; i < warmup; i++) await onWorker(input);
  const worker: WorkerTiming[] = [];
  for (let i = 0; i < runs; i++) worker.push(await onWorker(input));
  return { first, runs: view.map((v, i) => ({ ...v, ...worker[i]! })) };
}

Object.assign(window, { bench: { setup, run, uiThreadMaxLots: UI_THREAD_MAX_LOTS } });
document.title = 'holdings bench ready';
