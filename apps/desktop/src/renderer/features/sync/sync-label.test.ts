import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '@aw/sync-client';
import { syncLabel } from './sync-label.ts';

const status = (p: Partial<SyncStatus>): SyncStatus => ({ state: 'online', pendingLocalChanges: 0, lastError: null, authExpired: false, ...p });

describe('syncLabel', () => {
  it('says synced only when online with nothing pending', () => {
    expect(syncLabel(status({})).text).toBe('Synced');
    expect(syncLabel(status({ pendingLocalChanges: 2 })).text).toBe('Online');
    expect(syncLabel(status({ pendingLocalChanges: 2 })).detail).toMatch(/2 local changes waiting/);
  });

  it('shows offline with the pending count and the reason', () => {
    const l = syncLabel(status({ state: 'offline', pendingLocalChanges: 1, lastError: { code: 'offline', message: 'sync server unreachable', at: 0 } }));
    expect(l.tone).toBe('offline');
    expect(l.detail).toMatch(/^1 local change waiting/);
    expect(l.detail).toMatch(/sync server unreachable/);
  });

  it('shows a sync error, not synced, while pulled documents could not be stored locally', () => {
    const lastError = { code: 'local-write', message: 'Pulled lots could not be saved on this computer (QuotaExceededError: full); pulling them again in 30 s', at: 0 };
    const l = syncLabel(status({ lastError }));
    expect(l).toMatchObject({ tone: 'error', text: 'Sync error' });
    expect(l.detail).toMatch(/^Pulled lots could not be saved on this computer .*\. All local changes pushed\.$/);
    expect(syncLabel(status({ state: 'syncing', lastError })).tone).toBe('error');
  });

  it('puts an expired session above the connection state', () => {
    expect(syncLabel(status({ state: 'offline', authExpired: true })).tone).toBe('expired');
  });

  it('shows syncing while replication is busy, and connecting before it starts', () => {
    expect(syncLabel(status({ state: 'syncing' })).tone).toBe('syncing');
    expect(syncLabel(null).tone).toBe('idle');
  });
});
