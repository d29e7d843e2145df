// What the sync indicator says for a replication status (pure, unit-tested).
import type { SyncStatus } from '@aw/sync-client';

export type IndicatorTone = 'online' | 'syncing' | 'offline' | 'expired' | 'error' | 'idle';

export function syncLabel(status: SyncStatus | null): { tone: IndicatorTone; text: string; detail: string } {
  if (!status) return { tone: 'idle', text: 'Connecting…', detail: '' };
  const n = status.pendingLocalChanges;
  const pending = n > 0 ? `${n} local change${n === 1 ? '' : 's'} waiting to be pushed` : 'All local changes pushed';
  if (status.authExpired) return { tone: 'expired', text: 'Session expired', detail: `${pending}. Sign in again to resume syncing.` };
  // Pulled documents this computer could not store (disk or quota full): the book is incomplete until a pull from the
  // start succeeds, which the replication retries by itself; never "Synced" meanwhile.
  if (status.lastError?.code === 'local-write') return { tone: 'error', text: 'Sync error', detail: `${status.lastError.message}. ${pending}.` };
  if (status.state === 'offline') {
    return { tone: 'offline', text: 'Offline', detail: `${pending}; they are pushed when the server is back.${status.lastError ? ` (${status.lastError.message})` : ''}` };
  }
  if (status.state === 'syncing') return { tone: 'syncing', text: 'Syncing…', detail: pending };
  return { tone: 'online', text: n > 0 ? 'Online' : 'Synced', detail: pending };
}
