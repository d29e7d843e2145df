// Browser side of `npm run bench -- holdings`: opens the book in real IndexedDB (RxDB + Dexie, as the app does) and
// times opening one account's holdings exactly the way the holdings view does — RxDB query of its lots, one batched
// price lookup, valuation on the warm dedicated worker (valuation-client.ts). Then, for comparison in the same
// session, the previous path (the whole input structured-cloned to a pool worker, the whole view cloned back) on the
// same data. Times in milliseconds (performance.now).
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { openBookDb, type BookDatabase } from '../../apps/desktop/src/renderer/db/book-db.ts';
import type { BookPayload } from '../../apps/desktop/src/renderer/db/book-payload.ts';
import { loadHoldingsData } from '../../apps/desktop/src/renderer/db/holdings-query.ts';
import { writeBook } from '../../apps/desktop/src/renderer/db/seed.ts';
import { createValuationClient, createValuationWorkerPool, type HoldingsInput, type ValuationClient } from '../../apps/desktop/src/renderer/workers/valuation-client.ts';
import type { WorkerPool } from '../../apps/desktop/src/renderer/workers/pool.ts';
import type { ValuationApi } from '../../apps/desktop/src/renderer/workers/valuation-service.ts';

export interface RunTiming {
  totalMs: number; readMs: number; valueMs: number; computeMs: number; holdings: number; marketValueCents: number;
  /** The previous path on the same data: one stateless pool call. */
  oldValueMs: number; oldComputeMs: number; oldMarketValueCents: number;
}

let db: BookDatabase | null = null;
let valuation: ValuationClient | null = null;
let oldPool: WorkerPool<ValuationApi> | null = null;

async function setup(book: BookPayload): Promise<void> {
  db = await openBookDb(getRxStorageDexie(), { name: `bench-${Date.now()}` });
  await writeBook(db, book);
  valuation = createValuationClient();
  oldPool = createValuationWorkerPool({ size: 1 });
}

async function read(accountId: string): Promise<HoldingsInput> {
  const data = await loadHoldingsData(db!, { accountId });
  return { lots: data.lots, priceRows: data.priceRows, securities: data.securities, cashCents: data.accounts.reduce((c, a) => c + a.cashCents, 0) };
}

async function openAccount(accountId: string): Promise<Omit<RunTiming, 'oldValueMs' | 'oldComputeMs' | 'oldMarketValueCents'>> {
  const t0 = performance.now();
  const input = await read(accountId);
  const t1 = performance.now();
  const view = await valuation!.valueHoldings(input);
  const t2 = performance.now();
  return { totalMs: t2 - t0, readMs: t1 - t0, valueMs: t2 - t1, computeMs: view.computeMs, holdings: view.holdings.length, marketValueCents: view.totals.marketValueCents };
}

async function oldPath(input: HoldingsInput): Promise<{ oldValueMs: number; oldComputeMs: number; oldMarketValueCents: number }> {
  const t0 = performance.now();
  const old = await oldPool!.run((api) => api.valueHoldings(input));
  return { oldValueMs: performance.now() - t0, oldComputeMs: old.computeMs, oldMarketValueCents: old.totals.marketValueCents };
}

/** The view's path `runs` times, then the previous path `runs` times (separate phases: one's garbage does not land in the other's timings). */
async function run(accountId: string, runs: number, warmup: number): Promise<RunTiming[]> {
  for (let i = 0; i < warmup; i++) await openAccount(accountId);
  const fresh: Awaited<ReturnType<typeof openAccount>>[] = [];
  for (let i = 0; i < runs; i++) fresh.push(await openAccount(accountId));
  const input = await read(accountId);
  for (let i = 0; i < warmup; i++) await oldPath(input);
  const old: Awaited<ReturnType<typeof oldPath>>[] = [];
  for (let i = 0; i < runs; i++) old.push(await oldPath(input));
  return fresh.map((f, i) => ({ ...f, ...old[i]! }));
}

Object.assign(window, { bench: { setup, run } });
document.title = 'holdings bench ready';
