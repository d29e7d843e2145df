// Shared setup of the valuation tests (valuation-holdings.test.ts, valuation-warm.test.ts): valuation clients
// whose warm "worker" is the real valuation service behind a real Comlink MessageChannel (terminated after each
// test), a household's holdings input straight from a demo book, and views compared without their timing.
import * as Comlink from 'comlink';
import { afterEach } from 'vitest';
import type { smallBook } from '../test-support.ts';
import { createWorkerPool, type PoolEndpoint, type WorkerPool } from './pool.ts';
import { createValuationClient, type ValuationClient } from './valuation-client.ts';
import { valuationService, type HoldingsInput, type ValuationApi } from './valuation-service.ts';

/** A one-worker pool whose "worker" is the real valuation service behind a real Comlink MessageChannel. */
export function inProcessPool(): WorkerPool<ValuationApi> {
  return createWorkerPool<ValuationApi>(() => {
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(valuationService, port2);
    return Object.assign(port1, { terminate: () => { port1.close(); port2.close(); } }) as unknown as PoolEndpoint;
  }, { size: 1 });
}

/**
 * Registers an afterEach that terminates every client made by the returned factory: `client(uiThreadMaxLots)`
 * (undefined: the app's bound; 0: every view on the warm worker).
 */
export function valuationClients(): (uiThreadMaxLots?: number) => { pool: WorkerPool<ValuationApi>; valuation: ValuationClient } {
  const clients: ValuationClient[] = [];
  afterEach(() => { for (const c of clients.splice(0)) c.terminate(); });
  return (uiThreadMaxLots) => {
    const pool = inProcessPool();
    const valuation = createValuationClient(pool, undefined, { uiThreadMaxLots });
    clients.push(valuation);
    return { pool, valuation };
  };
}

/** The holdings input of one household of `book`: its lots, every close of their symbols and FX, their securities, its cash. */
export function householdInput(book: ReturnType<typeof smallBook>, householdId: string): HoldingsInput {
  const lots = book.lots.filter((l) => l.householdId === householdId);
  const symbols = new Set(lots.map((l) => l.symbol));
  return {
    lots,
    priceRows: book.prices.filter((p) => symbols.has(p.symbol) || p.kind === 'fx'),
    securities: book.securities.filter((s) => symbols.has(s.symbol)),
    cashCents: book.accounts.filter((a) => a.householdId === householdId).reduce((c, a) => c + a.cashCents, 0),
  };
}

/** A view without its timing field, for equality. */
export const strip = <T extends { computeMs: number }>(v: T): T => ({ ...v, computeMs: 0 });
