// Decides what the window shows: the login screen (signed out), or the book — the signed-in user's replicated
// RxDB, or the local demo book opened without an account. Restores the last sign-in on start (so a reload or an
// offline start opens the book at once), keeps the sync running, and lays the login screen over the book when the
// session expires (the book stays mounted: nothing typed or stored is lost).
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { BookDatabase } from '../../db/book-db.ts';
import { useApp, useAppStore } from '../../stores/app-store.ts';
import { LoginScreen } from '../login/LoginScreen.tsx';
import { BookDbContext } from './book-db-context.ts';
import { ensureBookSync, replicatedBookLoader, stopBookSync } from './book-sync.ts';
import { LOCAL_BOOK_DB_NAME, loadSignIn, userBookDbName } from './session-store.ts';

export type BookLoader = (onStatus: (message: string) => void) => Promise<string>;

export interface SessionGateProps {
  /** Opens (once per name) the local RxDB of that name. */
  openDb(name: string): Promise<BookDatabase>;
  children(db: BookDatabase, loadBook: BookLoader | undefined): ReactNode;
}

const opened = new Map<string, Promise<BookDatabase>>();

/**
 * Another user's (or the local) book is closed, and its sync stopped, before a different book opens: open-source
 * RxDB allows 13 open collections per page and each book has 10, so two books can't be open at once.
 */
async function closeOtherBooks(keep: string): Promise<void> {
  const others = [...opened.entries()].filter(([name]) => name !== keep);
  if (others.length === 0) return;
  await stopBookSync();
  for (const [name, p] of others) {
    opened.delete(name);
    await p.then((db) => db.close()).catch(() => undefined);
  }
}

export function SessionGate({ openDb, children }: SessionGateProps) {
  const store = useAppStore();
  const serverUrl = useApp((s) => s.session.serverUrl);
  const mode = useApp((s) => s.sync.mode);
  const session = useApp((s) => s.sync.session);
  const authExpired = useApp((s) => s.sync.status?.authExpired ?? false);
  const [restored, setRestored] = useState(false);
  const [book, setBook] = useState<{ name: string; db: BookDatabase } | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    const saved = loadSignIn(localStorage, serverUrl);
    if (saved?.mode === 'signed-in') store.getState().signedIn(saved.session);
    else if (saved?.mode === 'local') store.getState().openedLocally();
    setRestored(true);
  }, [store, serverUrl]);

  const userId = session?.user.id;
  const dbName = mode === 'local' ? LOCAL_BOOK_DB_NAME : mode === 'signed-in' && userId ? userBookDbName(serverUrl, userId) : null;

  useEffect(() => {
    if (!dbName) return;
    let cancelled = false;
    void (async () => {
      await closeOtherBooks(dbName);
      let p = opened.get(dbName);
      if (!p) {
        p = openDb(dbName);
        opened.set(dbName, p);
        p.catch(() => opened.delete(dbName));
      }
      p.then((db) => !cancelled && setBook({ name: dbName, db }), (err: unknown) => !cancelled && setError((err as Error).message));
    })();
    return () => {
      cancelled = true;
    };
  }, [dbName, openDb]);

  const db = book && book.name === dbName ? book.db : null;
  const sync = useMemo(
    () => (db && dbName && mode === 'signed-in' && session ? ensureBookSync(db, dbName, session, serverUrl, store) : null),
    [db, dbName, mode, session, serverUrl, store],
  );
  const loadBook = useMemo(() => (db && sync ? replicatedBookLoader(db, sync) : undefined), [db, sync]);

  if (!restored) return null;
  if (mode === 'signed-out') return <LoginScreen />;
  if (error) return <div className="splash error">Could not open the local book: {error}</div>;
  if (!db || (mode === 'signed-in' && !loadBook)) return <div className="splash">Opening the local book…</div>;
  return (
    <BookDbContext.Provider value={db}>
      {children(db, loadBook)}
      {authExpired && <LoginScreen expired />}
    </BookDbContext.Provider>
  );
}
