import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../stores/app-store.ts';

const session = { token: 't1', expiresAt: 1, user: { id: 'u-alice', username: 'alice', team: 'demo', role: 'advisor' as const } };

describe('sync slice', () => {
  it('starts signed out and moves between signed-in, local and signed-out', () => {
    const store = createAppStore();
    expect(store.getState().sync.mode).toBe('signed-out');
    store.getState().signedIn(session);
    expect(store.getState().sync).toMatchObject({ mode: 'signed-in', session });
    store.getState().setSyncStatus({ state: 'offline', pendingLocalChanges: 3, lastError: null, authExpired: true });
    expect(store.getState().sync.status?.pendingLocalChanges).toBe(3);
    store.getState().signedOut('Signed out on another desktop');
    expect(store.getState().sync).toEqual({ mode: 'signed-out', session: null, status: null, notice: 'Signed out on another desktop' });
    store.getState().openedLocally();
    expect(store.getState().sync.mode).toBe('local');
    expect(store.getState().sync.session).toBeNull();
  });

  it('keeps the sync status across a re-login with a new token (the replication resumes, pending edits stay)', () => {
    const store = createAppStore();
    store.getState().signedIn(session);
    store.getState().setSyncStatus({ state: 'offline', pendingLocalChanges: 1, lastError: null, authExpired: true });
    store.getState().signedIn({ ...session, token: 't2' });
    expect(store.getState().sync.session?.token).toBe('t2');
    expect(store.getState().sync.status?.pendingLocalChanges).toBe(1);
  });
});
