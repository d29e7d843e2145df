// The one app store, composed of small feature slices. Actions are callable outside React (the book runtime and
// worker callbacks use them); components subscribe with narrow selectors through `useApp`.
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import { createBookSlice, type BookSlice } from '../features/client-book/book-slice.ts';
import { createFilterSlice, type FilterSlice } from '../features/client-book/filter-slice.ts';
import { createValuationSlice, type ValuationSlice } from '../features/client-book/valuation-slice.ts';
import { createHouseholdSlice, type HouseholdSlice } from '../features/household/household-slice.ts';
import { createSessionSlice, type SessionSlice } from './session-slice.ts';
import { createSyncSlice, type SyncSlice } from '../features/sync/sync-slice.ts';
import { createRebalanceSlice, type RebalanceSlice } from '../features/rebalance/rebalance-slice.ts';
import { createAnalyticsSlice, type AnalyticsSlice } from '../features/analytics/analytics-slice.ts';

export type AppState = SessionSlice & BookSlice & ValuationSlice & FilterSlice & HouseholdSlice & SyncSlice & RebalanceSlice & AnalyticsSlice;
export type AppStore = StoreApi<AppState>;

export function createAppStore(): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createSessionSlice(...a),
    ...createBookSlice(...a),
    ...createValuationSlice(...a),
    ...createFilterSlice(...a),
    ...createHouseholdSlice(...a),
    ...createSyncSlice(...a),
    ...createRebalanceSlice(...a),
    ...createAnalyticsSlice(...a),
  }));
}

const StoreContext = createContext<AppStore | null>(null);

export function StoreProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  return createElement(StoreContext.Provider, { value: store }, children);
}

export function useAppStore(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useApp outside <StoreProvider>');
  return store;
}

/** Subscribe to a narrow slice of the state. */
export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(useAppStore(), selector);
}
