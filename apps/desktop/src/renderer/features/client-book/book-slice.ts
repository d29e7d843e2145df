// Store slice: the client book as read from RxDB (households, accounts, models) and its loading status.
import type { Account, Household, Model } from '@aw/domain';
import type { SliceCreator } from '../../stores/slice.ts';

export type BookStatus = 'opening' | 'seeding' | 'ready' | 'error';

export interface BookSlice {
  book: {
    status: BookStatus;
    message: string;
    /** Where the book came from on this load: 'local' (IndexedDB), 'server' or 'generated'. */
    source: string;
    households: Household[];
    accounts: Account[];
    models: Model[];
  };
  setBookStatus(status: BookStatus, message?: string, source?: string): void;
  setHouseholds(households: Household[]): void;
  setAccounts(accounts: Account[]): void;
  setModels(models: Model[]): void;
}

export const createBookSlice: SliceCreator<BookSlice> = (set) => ({
  book: { status: 'opening', message: 'Opening the local book…', source: '', households: [], accounts: [], models: [] },
  setBookStatus: (status, message = '', source) =>
    set((s) => ({ book: { ...s.book, status, message, source: source ?? s.book.source } })),
  setHouseholds: (households) => set((s) => ({ book: { ...s.book, households } })),
  setAccounts: (accounts) => set((s) => ({ book: { ...s.book, accounts } })),
  setModels: (models) => set((s) => ({ book: { ...s.book, models } })),
});
