// Where the desktop keeps its sign-in between restarts (localStorage, per sync server): either a server session
// (token, expiry, user) or the choice to open the local demo book without syncing. Also names the local RxDB of a
// signed-in user: one IndexedDB database per (server, user), so two users of one desktop never share unpushed edits.
import type { Session } from '@aw/sync-client';

export type StoredSignIn = { mode: 'signed-in'; session: Session } | { mode: 'local' };

/** Minimal Storage surface (localStorage in the app; a Map-backed fake in unit tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const keyOf = (serverUrl: string) => `aw.signin.${serverUrl}`;

export function loadSignIn(kv: KeyValueStore, serverUrl: string): StoredSignIn | null {
  let v: unknown;
  try {
    v = JSON.parse(kv.getItem(keyOf(serverUrl)) ?? 'null');
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, any>;
  if (o.mode === 'local') return { mode: 'local' };
  const s = o.session;
  if (o.mode === 'signed-in' && s && typeof s.token === 'string' && s.user && typeof s.user.id === 'string' && typeof s.user.team === 'string') {
    return { mode: 'signed-in', session: s as Session };
  }
  return null;
}

export function saveSignIn(kv: KeyValueStore, serverUrl: string, value: StoredSignIn): void {
  kv.setItem(keyOf(serverUrl), JSON.stringify(value));
}

export function clearSignIn(kv: KeyValueStore, serverUrl: string): void {
  kv.removeItem(keyOf(serverUrl));
}

/** The local demo book opened without signing in (the first-load seeding path). */
export const LOCAL_BOOK_DB_NAME = 'aw-book';

/** RxDB database name of a user's replicated book: lowercase letters, digits and dashes (RxDB's name rule). */
export function userBookDbName(serverUrl: string, userId: string): string {
  const clean = (s: string) => s.toLowerCase().replace(/^https?:\/\//, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `aw-book-${clean(userId)}-at-${clean(serverUrl)}`;
}
