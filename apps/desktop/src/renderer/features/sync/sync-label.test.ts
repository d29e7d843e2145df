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

  it('puts an expired session above the connection state', () => {
    expect(syncLabel(status({ state: 'offline', authExpired: true })).tone).toBe('expired');
  });

  it('shows syncing while replication is busy, and connecting before it starts', () => {
    expect(syncLabel(status({ state: 'syncing' })).tone).toBe('syncing');
    expect(syncLabel(null).tone).toBe('idle');
  });
});
