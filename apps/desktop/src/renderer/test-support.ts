// Test helpers for renderer modules in Node: a real RxDB book on memory storage (dev mode: schema-validated
// writes), a small deterministic demo book, and a valuation client whose "worker" is the real valuation service
// behind a real Comlink MessageChannel.
import * as Comlink from 'comlink';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { openBookDb, type BookDatabase } from './db/book-db.ts';
import type { BookPayload } from './db/book-payload.ts';
import type { AppState, AppStore } from './stores/app-store.ts';
import { createWorkerPool, type PoolEndpoint } from './workers/pool.ts';
import { demoService } from './workers/demo-service.ts';
import { createValuationClient, type ValuationClient } from './workers/valuation-client.ts';
import { valuationService, type ValuationApi } from './workers/valuation-service.ts';

let n = 0;
/** `multiInstance`: as the app opens its book (a bulk job's workers then save drafts themselves). */
export const openTestDb = (opts: { multiInstance?: boolean } = {}): Promise<BookDatabase> =>
  openBookDb(getRxStorageMemory(), { name: `test-book-${Date.now()}-${n++}`, devMode: true, multiInstance: opts.multiInstance ?? false });

const cache = new Map<number, BookPayload>();
/** The demo book of `households` households (seed 42), as the first load writes it. */
export function smallBook(households = 3): BookPayload {
  if (!cache.has(households)) cache.set(households, demoService.generateDemoBook(households, 42));
  return structuredClone(cache.get(households)!);
}

export function inProcessValuationClient(): ValuationClient {
  const pool = createWorkerPool<ValuationApi>(() => {
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(valuationService, port2);
    return Object.assign(port1, { terminate: () => { port1.close(); port2.close(); } }) as unknown as PoolEndpoint;
  }, { size: 1 });
  return createValuationClient(pool);
}

/** Resolves with the store's state once `pred` holds (polled every 20 ms); rejects after `timeoutMs`. */
export async function untilState(store: AppStore, pred: (s: AppState) => boolean, timeoutMs = 20_000): Promise<AppState> {
  const deadline = Date.now() + timeoutMs;
  while (!pred(store.getState())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the store');
    await new Promise((r) => setTimeout(r, 20));
  }
  return store.getState();
}
