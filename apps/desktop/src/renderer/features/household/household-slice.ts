// Store slice: the selected household and its holdings view (loaded by the book runtime when the selection changes,
// valued at the local daily closes), and the same holdings valued with live prices (kept up to date by the live
// holdings controller, use-live-holdings.ts, as ticks arrive).
import type { HoldingsView, LiveHoldingsView } from '../../workers/valuation-client.ts';
import type { SliceCreator } from '../../stores/slice.ts';

export interface HouseholdSlice {
  household: {
    selectedId: string | null;
    status: 'idle' | 'loading' | 'ready' | 'error';
    error: string;
    /** The view for `viewFor` (may lag `selectedId` while loading). */
    viewFor: string | null;
    view: HoldingsView | null;
    /** The live-priced view for `liveFor` (null until the live controller valued it). */
    liveFor: string | null;
    live: LiveHoldingsView | null;
  };
  selectHousehold(id: string | null): void;
  householdLoading(id: string): void;
  householdLoaded(id: string, view: HoldingsView): void;
  householdFailed(id: string, message: string): void;
  householdLive(id: string, view: LiveHoldingsView | null): void;
}

export const createHouseholdSlice: SliceCreator<HouseholdSlice> = (set, get) => ({
  household: { selectedId: null, status: 'idle', error: '', viewFor: null, view: null, liveFor: null, live: null },
  selectHousehold: (id) => set((s) => ({ household: { ...s.household, selectedId: id, status: id ? s.household.status : 'idle' } })),
  householdLoading: (id) => {
    if (get().household.selectedId === id) set((s) => ({ household: { ...s.household, status: 'loading', error: '' } }));
  },
  householdLoaded: (id, view) => {
    if (get().household.selectedId === id) set((s) => ({ household: { ...s.household, status: 'ready', error: '', viewFor: id, view } }));
  },
  householdFailed: (id, error) => {
    if (get().household.selectedId === id) set((s) => ({ household: { ...s.household, status: 'error', error } }));
  },
  householdLive: (id, live) => {
    if (get().household.selectedId === id) set((s) => ({ household: { ...s.household, liveFor: id, live } }));
  },
});
