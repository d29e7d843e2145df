// Browser side of `npm run bench -- holdings`: opens the book in real IndexedDB (RxDB + Dexie, as the app does)
// and times opening one account's holdings exactly the way the holdings view does — RxDB query of its lots, one
// batched price lookup, valuation in the Comlink worker pool. Times in milliseconds (performance.now).
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { openBookDb, type BookDatabase } from '../../src/renderer/db/book-db.ts';
import type { BookPayload } from '../../src/renderer/db/book-payload.ts';
import { loadHoldingsData } from '../../src/renderer/db/holdings-query.ts';
import { writeBook } from '../../src/renderer/db/seed.ts';
import { createValuationClient, type ValuationClient } from '../../src/renderer/workers/valuation-client.ts';

export interface RunTiming { totalMs: number; readMs: number; valueMs: number; computeMs: number; holdings: number; marketValueCents: number }

let db: BookDatabase | null = null;
let valuation: ValuationClient | null = null;

async function setup(book: BookPayload): Promise<void> {
  db = await openBookDb(getRxStorageDexie(), { name: `bench-${Date.now()}` });
  await writeBook(db, book);
  valuation = createValuationClient();
}

async function openAccount(accountId: string): Promise<RunTiming> {
  const t0 = performance.now();
  const data = await loadHoldingsData(db!, { accountId });
  const t1 = performance.now();
  const view = await valuation!.valueHoldings({
    lots: data.lots, priceRows: data.priceRows, securities: data.securities,
    cashCents: data.accounts.reduce((c, a) => c + a.cashCents, 0),
  });
  const t2 = performance.now();
  return { totalMs: t2 - t0, readMs: t1 - t0, valueMs: t2 - t1, computeMs: view.computeMs, holdings: view.holdings.length, marketValueCents: view.totals.marketValueCents };
}

async function run(accountId: string, runs: number, warmup: number): Promise<RunTiming[]> {
  for (let i = 0; i < warmup; i++) await openAccount(accountId);
  const out: RunTiming[] = [];
  for (let i = 0; i < runs; i++) out.push(await openAccount(accountId));
  return out;
}

Object.assign(window, { bench: { setup, run } });
document.title = 'holdings bench ready';
