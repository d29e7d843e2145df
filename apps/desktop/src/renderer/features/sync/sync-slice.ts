// Store slice: who is signed in and how the book syncs. `mode` picks the local database: 'signed-in' = the user's
// replicated book, 'local' = the demo book opened without a server account, 'signed-out' = the login screen.
// `status` mirrors the replication's status$ (online/offline/syncing, pending local changes, auth expired).
import type { Session, SyncStatus } from '@aw/sync-client';
import type { SliceCreator } from '../../stores/slice.ts';

export type SignInMode = 'signed-out' | 'local' | 'signed-in';

export interface SyncSlice {
  sync: {
    mode: SignInMode;
    session: Session | null;
    /** null until replication runs (and always in 'local' mode). */
    status: SyncStatus | null;
    /** Shown on the login screen (e.g. why the user was sent back to it). */
    notice: string;
  };
  signedIn(session: Session): void;
  openedLocally(): void;
  signedOut(notice?: string): void;
  setSyncStatus(status: SyncStatus | null): void;
}

export const createSyncSlice: SliceCreator<SyncSlice> = (set) => ({
  sync: { mode: 'signed-out', session: null, status: null, notice: '' },
  signedIn: (session) => set((s) => ({ sync: { ...s.sync, mode: 'signed-in', session, notice: '' } })),
  openedLocally: () => set((s) => ({ sync: { ...s.sync, mode: 'local', session: null, status: null, notice: '' } })),
  signedOut: (notice = '') => set(() => ({ sync: { mode: 'signed-out', session: null, status: null, notice } })),
  setSyncStatus: (status) => set((s) => ({ sync: { ...s.sync, status } })),
});
