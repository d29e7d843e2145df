// The UI side of the valuation worker pool: creates the pool (Comlink Web Workers) and exposes typed calls with
// cancellation and progress. Imports no engine code: only types cross into the UI bundle.
import { createWorkerPool, type PoolOptions, type WorkerPool } from './pool.ts';
import type {
  BookValuation, BookValuationInput, HoldingsInput, HoldingsView, ValuationApi, ValuationProgress,
} from './valuation-service.ts';

export type {
  AccountValuation, AllocationSlice, BookValuation, BookValuationInput, HoldingValuation, HoldingsInput, HoldingsView,
  HouseholdValuation, LotInput, PriceRow, SecurityInfo, ValuationProgress, ValueTotals,
} from './valuation-service.ts';

export interface ValuationClient {
  valueBook(input: BookValuationInput, opts?: { signal?: AbortSignal; onProgress?: (p: ValuationProgress) => void }): Promise<BookValuation>;
  valueHoldings(input: HoldingsInput, opts?: { signal?: AbortSignal }): Promise<HoldingsView>;
  /** Ends the workers; pending calls reject with PoolTerminatedError. */
  terminate(): void;
}

export function createValuationWorkerPool(options?: PoolOptions): WorkerPool<ValuationApi> {
  return createWorkerPool<ValuationApi>(
    () => new Worker(new URL('./valuation.worker.ts', import.meta.url), { type: 'module', name: 'valuation' }), options);
}

export function createValuationClient(pool: WorkerPool<ValuationApi> = createValuationWorkerPool()): ValuationClient {
  return {
    valueBook: (input, opts = {}) =>
      pool.run<BookValuation, ValuationProgress>((api, progress) => api.valueBook(input, progress), opts),
    valueHoldings: (input, opts = {}) => pool.run((api) => api.valueHoldings(input), opts),
    terminate: () => pool.terminate(),
  };
}
