// Store slice: the runtime session — which shell, which sync server, and whether it is reachable. Login and the
// sync-status indicator (features/login, features/sync-status) extend this state later.
import type { AppInfo } from '../../shared/ipc.ts';
import type { SliceCreator } from './slice.ts';

export interface SessionSlice {
  session: AppInfo & { serverReachable: boolean | null };
  setAppInfo(info: AppInfo): void;
  setServerReachable(reachable: boolean): void;
}

export const createSessionSlice: SliceCreator<SessionSlice> = (set) => ({
  session: { version: '', serverUrl: '', dataDir: '', shell: 'web', serverReachable: null },
  setAppInfo: (info) => set((s) => ({ session: { ...s.session, ...info } })),
  setServerReachable: (serverReachable) => set((s) => ({ session: { ...s.session, serverReachable } })),
});
