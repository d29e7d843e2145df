// Store slice: the whole-book valuation computed by the valuation worker pool (per account and household).
import type { AccountValuation, BookValuation, HouseholdValuation, ValueTotals } from '../../workers/valuation-client.ts';
import type { SliceCreator } from '../../stores/slice.ts';

export interface ValuationSlice {
  valuation: {
    status: 'idle' | 'running' | 'done' | 'error';
    progress: { done: number; total: number };
    error: string;
    asOf: string;
    accounts: Record<string, AccountValuation>;
    households: Record<string, HouseholdValuation>;
    totals: ValueTotals | null;
  };
  valuationStarted(total: number): void;
  valuationProgress(done: number, total: number): void;
  valuationDone(book: BookValuation): void;
  valuationFailed(message: string): void;
}

export const createValuationSlice: SliceCreator<ValuationSlice> = (set) => ({
  valuation: { status: 'idle', progress: { done: 0, total: 0 }, error: '', asOf: '', accounts: {}, households: {}, totals: null },
  valuationStarted: (total) => set((s) => ({ valuation: { ...s.valuation, status: 'running', progress: { done: 0, total }, error: '' } })),
  valuationProgress: (done, total) => set((s) => ({ valuation: { ...s.valuation, progress: { done, total } } })),
  valuationDone: (book) => set((s) => ({
    valuation: {
      ...s.valuation, status: 'done', error: '', asOf: book.asOf, totals: book.totals,
      progress: { done: book.accounts.length, total: book.accounts.length },
      accounts: Object.fromEntries(book.accounts.map((a) => [a.accountId, a])),
      households: Object.fromEntries(book.households.map((h) => [h.householdId, h])),
    },
  })),
  valuationFailed: (error) => set((s) => ({ valuation: { ...s.valuation, status: 'error', error } })),
});
