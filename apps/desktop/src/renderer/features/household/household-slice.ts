// Store slice: the selected household and its holdings view (loaded by the book runtime when the selection changes).
import type { HoldingsView } from '../../workers/valuation-client.ts';
import type { SliceCreator } from '../../stores/slice.ts';

export interface HouseholdSlice {
  household: {
    selectedId: string | null;
    status: 'idle' | 'loading' | 'ready' | 'error';
    error: string;
    /** The view for `viewFor` (may lag `selectedId` while loading). */
    viewFor: string | null;
    view: HoldingsView | null;
  };
  selectHousehold(id: string | null): void;
  householdLoading(id: string): void;
  householdLoaded(id: string, view: HoldingsView): void;
  householdFailed(id: string, message: string): void;
}

export const createHouseholdSlice: SliceCreator<HouseholdSlice> = (set, get) => ({
  household: { selectedId: null, status: 'idle', error: '', viewFor: null, view: null },
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
});
