// The UI side of the valuation workers: the pool (Comlink Web Workers) for whole-book valuation, and one warm
// dedicated worker for interactive valuations (a big holdings view, live prices). The warm worker keeps the
// market (closes, FX, security rows) it was sent; this side mirrors what it sent, so a view ships only the rows
// that changed since, plus its lots and cash. A small holdings view (up to UI_THREAD_MAX_LOTS lots) is valued on
// the UI thread by the same pure function the worker runs (valuation-holdings.ts): a few ms of compute, cheaper
// and steadier than the worker round trip. That function is the only engine code in the UI bundle.
import * as Comlink from 'comlink';
import { abortable, createWorkerPool, PoolTerminatedError, TaskAbortedError, type PoolOptions, type WorkerPool } from './pool.ts';
import { UI_THREAD_MAX_LOTS, valueHoldingsView } from './valuation-holdings.ts';
import { decodeHoldings, encodeLots, lotsTransfer } from './valuation-wire.ts';
import type {
  BookValuation, BookValuationInput, HoldingsInput, HoldingsView, LiveHoldingsView, LivePrice, MarketDelta, PriceRow,
  SecurityInfo, ValuationApi, ValuationProgress, Wire, WireHoldingsInput,
} from './valuation-service.ts';

export type {
  AccountValuation, AllocationSlice, BookValuation, BookValuationInput, HoldingValuation, HoldingsInput, HoldingsView,
  HouseholdValuation, LiveHoldingsView, LivePrice, LotInput, PriceRow, PriceSource, SecurityInfo, ValuationProgress, ValueTotals,
} from './valuation-service.ts';

export interface LiveValuation {
  /** Values `input` (lots and cash of a view) with the live prices known so far and keeps it open under `viewId`. */
  open(viewId: string, input: HoldingsInput): Promise<LiveHoldingsView>;
  close(viewId: string): Promise<void>;
  /** New live prices (and prices to forget); the open view `viewId` comes back revalued. */
  apply(prices: LivePrice[], drop: string[] | 'all' | null, viewId: string | null): Promise<LiveHoldingsView | null>;
}

export interface ValuationClient {
  valueBook(input: BookValuationInput, opts?: { signal?: AbortSignal; onProgress?: (p: ValuationProgress) => void }): Promise<BookValuation>;
  /** Up to `uiThreadMaxLots` lots on the UI thread; bigger views on the warm worker (only changed market rows
   * cross, then lots and cash). Same valuation either way. */
  valueHoldings(input: HoldingsInput, opts?: { signal?: AbortSignal }): Promise<HoldingsView>;
  readonly live: LiveValuation;
  /** Ends the workers; pending calls reject with PoolTerminatedError. */
  terminate(): void;
}

const newWorker = () => new Worker(new URL('./valuation.worker.ts', import.meta.url), { type: 'module', name: 'valuation' });

export function createValuationWorkerPool(options?: PoolOptions): WorkerPool<ValuationApi> {
  return createWorkerPool<ValuationApi>(newWorker, options);
}

/** What the warm worker already holds: per symbol the close row (date|close) and security row sent last. */
export function createMarketMirror() {
  const closes = new Map<string, string>();
  const securities = new Map<string, string>();
  return {
    /** Rows of `priceRows`/`secs` the worker does not have yet (stripped to the fields valuation reads). */
    delta(priceRows: readonly PriceRow[], secs: readonly SecurityInfo[]): MarketDelta | undefined {
      const rows: PriceRow[] = [];
      for (const r of priceRows) {
        const key = `${r.kind}|${r.date}|${r.closePrice}`;
        if (closes.get(r.symbol) === key) continue;
        closes.set(r.symbol, key);
        rows.push({ symbol: r.symbol, date: r.date, closePrice: r.closePrice, kind: r.kind });
      }
      const sec: SecurityInfo[] = [];
      for (const s of secs) {
        const key = `${s.name}|${s.assetClass}|${s.sector}|${s.currency}`;
        if (securities.get(s.symbol) === key) continue;
        securities.set(s.symbol, key);
        sec.push({ symbol: s.symbol, name: s.name, assetClass: s.assetClass, sector: s.sector, currency: s.currency });
      }
      return rows.length || sec.length ? { priceRows: rows, securities: sec } : undefined;
    },
  };
}

/** The warm-call form of a holdings input: valuation date, unpriced and unlisted symbols decided here, from the rows given;
 * lots in the columnar wire form (moved to the worker as a transferable). */
export function warmInput(input: HoldingsInput): WireHoldingsInput {
  let asOf = input.asOf ?? '';
  const priced = new Set<string>();
  for (const r of input.priceRows) {
    if (!input.asOf && r.date > asOf) asOf = r.date;
    if (r.kind !== 'fx') priced.add(r.symbol);
  }
  const unpriced = new Set<string>();
  const listed = new Set<string>();
  for (const s of input.securities) listed.add(s.symbol);
  const unlisted = new Set<string>();
  for (const l of input.lots) {
    if (!priced.has(l.symbol)) unpriced.add(l.symbol);
    if (!listed.has(l.symbol)) unlisted.add(l.symbol);
  }
  const lots = encodeLots(input.lots);
  return Comlink.transfer({ lots, cashCents: input.cashCents, ...(asOf ? { asOf } : {}), ...(unpriced.size ? { unpriced: [...unpriced] } : {}),
    ...(unlisted.size ? { unlisted: [...unlisted] } : {}) }, lotsTransfer(lots));
}

function unwire<V extends HoldingsView>(v: Wire<V>): V {
  return { ...v, holdings: decodeHoldings(v.holdings) } as unknown as V;
}

export interface ValuationClientOptions {
  /** Holdings views of at most this many lots are valued on the UI thread (default UI_THREAD_MAX_LOTS; 0 = never). */
  uiThreadMaxLots?: number;
}

/** Values a small view on the UI thread, as a promise (errors reject, like a worker call's). */
function onUiThread(input: HoldingsInput, signal: AbortSignal | undefined): Promise<HoldingsView> {
  if (signal?.aborted) return Promise.reject(new TaskAbortedError('task cancelled'));
  return new Promise((resolve) => resolve(valueHoldingsView(input)));
}

/**
 * `pool` values whole books; `warm` (a pool of exactly one worker, never cancelled, so its market survives) runs the
 * interactive calls. Without `warm`, a one-worker `pool` doubles as it; otherwise a dedicated worker is created
 * (lazily, by the pool, on its first call: a client whose views all stay small never starts it).
 */
export function createValuationClient(pool: WorkerPool<ValuationApi> = createValuationWorkerPool(),
  warm: WorkerPool<ValuationApi> = pool.size === 1 ? pool : createWorkerPool<ValuationApi>(newWorker, { size: 1 }),
  options: ValuationClientOptions = {}): ValuationClient {
  if (warm.size !== 1) throw new RangeError('the warm valuation worker pool must have exactly one worker');
  const uiThreadMaxLots = options.uiThreadMaxLots ?? UI_THREAD_MAX_LOTS;
  let terminated = false;
  const mirror = createMarketMirror();
  const onWarm = <R>(call: (api: Comlink.Remote<ValuationApi>) => Promise<R>) => warm.run<R>((api) => call(api));
  return {
    valueBook: (input, opts = {}) =>
      pool.run<BookValuation, ValuationProgress>((api, progress) => api.valueBook(input, progress), opts),
    valueHoldings: (input, opts = {}) => {
      if (input.lots.length <= uiThreadMaxLots) {
        return terminated ? Promise.reject(new PoolTerminatedError('valuation client terminated')) : onUiThread(input, opts.signal);
      }
      const market = mirror.delta(input.priceRows, input.securities);
      return abortable(onWarm((api) => api.valueHoldingsWarm(warmInput(input), market)).then(unwire<HoldingsView>), opts.signal);
    },
    live: {
      open: (viewId, input) => {
        const market = mirror.delta(input.priceRows, input.securities);
        return onWarm((api) => api.openLiveView(viewId, warmInput(input), market)).then(unwire<LiveHoldingsView>);
      },
      close: (viewId) => onWarm((api) => api.closeLiveView(viewId)),
      apply: (prices, drop, viewId) => onWarm((api) => api.applyLivePrices(prices, drop, viewId)).then((v) => (v ? unwire<LiveHoldingsView>(v) : null)),
    },
    terminate: () => {
      terminated = true;
      pool.terminate();
      if (warm !== pool) warm.terminate();
    },
  };
}
