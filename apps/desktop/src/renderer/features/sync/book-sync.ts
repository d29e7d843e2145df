// The signed-in desktop's live sync: one replication (@aw/sync-client) of the user's local RxDB with the sync server,
// its status mirrored into the store. There is at most one active sync; it outlives React effects (StrictMode) and
// is only cancelled by sign-out or by switching to another user's book. On a 401 the replication pauses (local
// edits stay in IndexedDB, counted as pending); signing in again resumes it with the new token, and RxDB pushes
// everything written meanwhile. Offline, pushes retry until the server is back.
import { login, logout, startBookReplication, type BookReplication, type Session } from '@aw/sync-client';
import type { Subscription } from 'rxjs';
import type { BookDatabase } from '../../db/book-db.ts';
import type { AppStore } from '../../stores/app-store.ts';
import { clearSignIn, saveSignIn, type KeyValueStore } from './session-store.ts';

export interface BookSync {
  dbName: string;
  replication: BookReplication;
  token: string;
}

let active: (BookSync & { sub: Subscription }) | null = null;

/** Starts (or keeps, or resumes with a new token) the sync of `db`; cancels another user's sync first. */
export function ensureBookSync(db: BookDatabase, dbName: string, session: Session, serverUrl: string, store: AppStore): BookSync {
  if (active && active.dbName !== dbName) void stopBookSync();
  if (active) {
    if (active.token !== session.token) {
      active.token = session.token;
      void active.replication.resume(session.token);
    }
    return active;
  }
  const replication = startBookReplication(db, { url: serverUrl, token: session.token, identifier: `aw-book@${serverUrl}` });
  const sub = replication.status$.subscribe((status) => {
    store.getState().setSyncStatus(status);
    // The replication's socket knows sooner than the periodic /healthz ping: keep the top bar's server pill in step.
    // (Offline without an error is the replication starting up: leave the pill alone.)
    if (status.authExpired) return;
    if (status.state !== 'offline') store.getState().setServerReachable(true);
    else if (status.lastError) store.getState().setServerReachable(false);
  });
  active = { dbName, replication, token: session.token, sub };
  return active;
}

export async function stopBookSync(): Promise<void> {
  const a = active;
  active = null;
  if (!a) return;
  a.sub.unsubscribe();
  await a.replication.cancel();
}

/**
 * The book loader of a signed-in desktop (replaces first-load seeding): a book already in IndexedDB opens at once
 * (offline too); an empty one waits for the first full pull from the server.
 */
export function replicatedBookLoader(db: BookDatabase, sync: BookSync): (onStatus: (message: string) => void) => Promise<string> {
  return async (onStatus) => {
    if ((await db.households.count().exec()) > 0) return 'local';
    onStatus('Syncing your team’s book from the server…');
    await sync.replication.awaitInitialSync();
    return 'server';
  };
}

export const LOGIN_MESSAGES: Record<string, string> = {
  invalid_credentials: 'Wrong username or password.',
  offline: 'Cannot reach the sync server. Check the connection, or open the local book offline.',
};

/** Logs in, remembers the session and switches the store to signed-in (the gate then starts or resumes the sync). */
export async function signIn(kv: KeyValueStore, store: AppStore, username: string, password: string): Promise<Session> {
  const { serverUrl } = store.getState().session;
  const session = await login(serverUrl, username.trim(), password);
  saveSignIn(kv, serverUrl, { mode: 'signed-in', session });
  store.getState().signedIn(session);
  return session;
}

/** Stops syncing, revokes the token (best effort: offline is fine) and returns to the login screen. Local data stays. */
export async function signOut(kv: KeyValueStore, store: AppStore): Promise<void> {
  const { serverUrl } = store.getState().session;
  const token = store.getState().sync.session?.token;
  clearSignIn(kv, serverUrl);
  store.getState().signedOut();
  await stopBookSync();
  if (token) await logout(serverUrl, token).catch(() => undefined);
}

export function openLocalBook(kv: KeyValueStore, store: AppStore): void {
  saveSignIn(kv, store.getState().session.serverUrl, { mode: 'local' });
  store.getState().openedLocally();
}
