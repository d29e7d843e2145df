// Store slice: the client book's search text and account-type filter.
import type { AccountType } from '@aw/domain';
import type { SliceCreator } from '../../stores/slice.ts';

export interface FilterSlice {
  filter: { search: string; accountType: AccountType | 'all' };
  setSearch(search: string): void;
  setAccountType(accountType: AccountType | 'all'): void;
}

export const createFilterSlice: SliceCreator<FilterSlice> = (set) => ({
  filter: { search: '', accountType: 'all' },
  setSearch: (search) => set((s) => ({ filter: { ...s.filter, search } })),
  setAccountType: (accountType) => set((s) => ({ filter: { ...s.filter, accountType } })),
});
