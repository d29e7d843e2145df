// Live replication of the book between a local RxDB (Dexie in the renderer, memory in Node tests) and the sync
// server: rxdb's replicateRxCollection per collection with an HTTP pull handler, an HTTP push handler and a
// ws-driven stream$ (one shared socket; 'RESYNC' on every reconnect so edits missed while offline are pulled).
// The pending-changes count is derived from RxDB's replication state (pending-changes.ts), so it survives a reload.
// Local edits are never lost: offline, pushes retry every `retryTimeMs`; on 401 (session expired) replication
// pauses, `onAuthError` fires and `resume(newToken)` continues where it stopped. A push the server refuses (403)
// is retried without the refused documents, whose local copies then revert to the server's state. When this
// computer's storage refuses pulled documents (disk or quota full), the status says so (lastError 'local-write') and
// the collection is pulled again from the start every `localWriteRetryMs` until a pull is stored whole
// (local-write-failure.ts says why).
// Conflicts are resolved by `bookConflictHandlers` (conflict-handlers.ts). Status: `status$`.
import { BehaviorSubject, Subject, Subscription, combineLatest, type Observable } from 'rxjs';
import { distinctUntilChanged, map } from 'rxjs/operators';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import type { RxCollection, RxDatabase, RxReplicationPullStreamItem, RxReplicationWriteToMasterRow } from 'rxdb';
import { BOOK_COLLECTION_NAMES, type BookCollectionName } from '@aw/domain';
import { bookConflictHandlers } from './conflict-handlers.ts';
import { SyncHttpError, isLoopbackUrl, requestJson, trimUrl } from './http.ts';
import { openReplicationStream, type WebSocketCtor } from './replication-stream.ts';
import { unpushedDocumentIds } from './pending-changes.ts';
import { repulledCollections } from './book-db.ts';
import { localWriteFailure } from './local-write-failure.ts';

export interface Checkpoint {
  id: string;
  lwt: number;
}

export type SyncState = 'online' | 'offline' | 'syncing';

export interface SyncStatus {
  state: SyncState;
  /**
   * Local documents whose latest edit the server has not acknowledged yet. Read from RxDB's replication state when
   * the replication starts and whenever a collection goes idle (so it survives reloads), counted live in between.
   */
  pendingLocalChanges: number;
  lastError: { code: string; message: string; at: number } | null;
  /** True after a 401: replication is paused until `resume(token)`. */
  authExpired: boolean;
  /**
   * Collections dropped when the book opened (an older schema version with nothing unpushed: book-db.ts `replica`)
   * whose full pull has not finished yet; empty or absent otherwise.
   */
  repulling?: readonly BookCollectionName[];
}

export interface BookReplicationOptions {
  /** Sync server base URL, e.g. http://127.0.0.1:8787 */
  url: string;
  token: string;
  /** Default: every collection of the database that is a book collection. */
  collections?: readonly BookCollectionName[];
  /** Called once per expiry when the server answers 401 (session expired or revoked); local edits are kept. */
  onAuthError?: (err: SyncHttpError) => void;
  /** Called when the server refuses local changes (403); those documents revert to the server's state. */
  onRejected?: (collection: BookCollectionName, err: SyncHttpError) => void;
  /** WebSocket constructor: the browser's by default; pass `ws`'s WebSocket in Node. */
  WebSocketImpl?: WebSocketCtor;
  fetchImpl?: typeof fetch;
  pullBatchSize?: number;
  /**
   * Ask for gzip-compressed pull pages. Default: yes, except for a server on this machine (loopback URL), where
   * compression only costs CPU. Browsers decide Accept-Encoding themselves and ignore this.
   */
  compressPulls?: boolean;
  pushBatchSize?: number;
  /** Wait between retries of a failed pull/push, ms. Default 2000. */
  retryTimeMs?: number;
  /** Wait before pulling a collection again from the start after its pulled documents could not be stored, ms. Default 30,000. */
  localWriteRetryMs?: number;
  /** Prefix of RxDB's replication identifiers (checkpoints are kept per identifier). Default `aw-book@<url>`. */
  identifier?: string;
}

export interface BookReplication {
  readonly status$: Observable<SyncStatus>;
  readonly status: SyncStatus;
  readonly states: Partial<Record<BookCollectionName, RxReplicationState<any, Checkpoint>>>;
  /** Resolves when every collection finished its first full pull and push. */
  awaitInitialSync(): Promise<void>;
  /** Resolves when nothing is waiting to be pulled or pushed right now. */
  awaitInSync(): Promise<void>;
  /** Continue after a new login (new token); also retries at once when offline. */
  resume(token?: string): Promise<void>;
  cancel(): Promise<void>;
}

/**
 * Documents per pull request. Large pages make the initial sync of a big book fast (one round trip, one local
 * bulk write and one index merge per page); live edits arrive over the stream and are not affected. The server
 * accepts up to 20,000.
 */
export const DEFAULT_PULL_BATCH_SIZE = 10_000;

/** How long a collection must stay idle before its pending count is re-read from RxDB's replication state. */
const PENDING_RECONCILE_DELAY_MS = 250;

const wsUrlOf = (httpUrl: string) => `${httpUrl.replace(/^http/i, 'ws')}/api/v1/replication/stream`;

export function startBookReplication(db: RxDatabase<any>, opts: BookReplicationOptions): BookReplication {
  const url = trimUrl(opts.url);
  let token = opts.token;
  const names = (opts.collections ?? BOOK_COLLECTION_NAMES).filter((n) => db.collections[n]);
  const WebSocketImpl = opts.WebSocketImpl ?? (globalThis as { WebSocket?: WebSocketCtor }).WebSocket;
  if (!WebSocketImpl) throw new Error('startBookReplication: no WebSocket available; pass WebSocketImpl (e.g. from the "ws" package)');

  const connection$ = new BehaviorSubject<'online' | 'offline'>('offline');
  const lastError$ = new BehaviorSubject<SyncStatus['lastError']>(null);
  const authExpired$ = new BehaviorSubject(false);
  const pending = new Map<string, number>();
  const pending$ = new BehaviorSubject(0);
  let pendingSeq = 0;
  /** Per collection while a pending-changes scan runs: keys edited and keys acknowledged meanwhile. */
  const scans = new Map<string, { added: Set<string>; acked: Set<string> }>();
  const keyOf = (name: string, id: string) => `${name}|${id}`;
  const subs: Subscription[] = [];
  const streams = new Map<string, Subject<RxReplicationPullStreamItem<any, Checkpoint>>>();
  /** Documents refused by the server: their conflict resolves to the server's state. */
  const forceServer = new Set<string>();
  let cancelled = false;

  const setError = (code: string, message: string) => lastError$.next({ code, message, at: Date.now() });
  /** Back online: an "offline" error is no longer news. */
  const markOnline = () => {
    if (connection$.value !== 'online') connection$.next('online');
    if (lastError$.value?.code === 'offline') lastError$.next(null);
  };
  const onAuthFailure = (err: SyncHttpError) => {
    if (authExpired$.value) return;
    authExpired$.next(true);
    setError(err.code, err.message);
    stream.close();
    for (const s of Object.values(states)) void s?.pause();
    opts.onAuthError?.(err);
  };

  const pullHeaders: Record<string, string> = (opts.compressPulls ?? !isLoopbackUrl(url)) ? {} : { 'Accept-Encoding': 'identity' };
  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    try {
      const headers = method === 'GET' ? pullHeaders : undefined;
      const r = await requestJson<T>(method, `${url}${path}`, { token, body, fetchImpl: opts.fetchImpl, headers });
      markOnline();
      return r;
    } catch (err) {
      if (err instanceof SyncHttpError) {
        if (err.isOffline) connection$.next('offline');
        if (err.isAuthError) onAuthFailure(err);
        if (!err.isAuthError && err.status !== 403) setError(err.code, err.message);
      }
      throw err;
    }
  };

  const states: Partial<Record<BookCollectionName, RxReplicationState<any, Checkpoint>>> = {};
  /**
   * Local write failures not yet repaired: every `localWriteRetryMs` the collection is pulled again from the start
   * (RxDB's checkpoint has moved past the lost documents), and it counts as repaired once such a pull reached the end
   * with no new failure. `pull`: 'next' — the next pull request starts from the beginning; 'running' — that pull
   * is under way.
   */
  const repairs = new Map<BookCollectionName, { failures: number; retry?: ReturnType<typeof setTimeout>; pull?: 'next' | 'running'; reachedEnd?: () => void }>();
  const onLocalWriteFailure = (name: BookCollectionName, what: string) => {
    const retryMs = opts.localWriteRetryMs ?? 30_000;
    setError('local-write', `Pulled ${name} could not be saved on this computer (${what}); pulling them again in ${Math.round(retryMs / 1000)} s`);
    const r = repairs.get(name) ?? { failures: 0 };
    r.failures++;
    repairs.set(name, r);
    if (r.retry) return;
    r.retry = setTimeout(() => {
      r.retry = undefined;
      const state = states[name];
      if (cancelled || !state) return;
      const failures = r.failures;
      const reachedEnd = new Promise<void>((resolve) => (r.reachedEnd = resolve));
      r.pull = 'next';
      state.reSync();
      void reachedEnd.then(() => state.awaitInSync()).then(() => {
        if (cancelled || r.failures !== failures) return; // failed again: its retry is scheduled
        repairs.delete(name);
        if (repairs.size === 0 && lastError$.value?.code === 'local-write') lastError$.next(null);
      }, () => undefined);
    }, retryMs);
  };
  subs.push(new Subscription(() => { for (const r of repairs.values()) clearTimeout(r.retry); }));
  for (const name of names) {
    const collection = db.collections[name] as RxCollection;
    const version = collection.schema.version;
    const base = bookConflictHandlers[name];
    collection.conflictHandler = {
      isEqual: base.isEqual,
      resolve: async (i, ctx) => {
        const id = String((i.realMasterState as any)[collection.schema.primaryPath]);
        if (forceServer.delete(`${name}|${id}`)) return i.realMasterState;
        return base.resolve(i, ctx);
      },
    };
    const stream$ = new Subject<RxReplicationPullStreamItem<any, Checkpoint>>();
    streams.set(name, stream$);
    const route = `/api/v1/replication/${name}/${version}`;

    subs.push(
      collection.eventBulks$.subscribe((bulk: any) => {
        // Writes that came from the server are not local changes; conflict resolutions are (they are pushed again).
        if (typeof bulk.context === 'string' && bulk.context.startsWith('replication-downstream')) return;
        const scan = scans.get(name);
        for (const ev of bulk.events) {
          const key = keyOf(name, String(ev.documentId));
          pending.set(key, ++pendingSeq);
          scan?.added.add(key);
        }
        pending$.next(pending.size);
      }),
    );

    const pushRows = (rows: RxReplicationWriteToMasterRow<any>[]) => call<any[]>('POST', `${route}/push`, rows);

    states[name] = replicateRxCollection<any, Checkpoint>({
      collection,
      replicationIdentifier: `${opts.identifier ?? `aw-book@${url}`}/${name}`,
      live: true,
      retryTime: opts.retryTimeMs ?? 2000,
      waitForLeadership: true,
      autoStart: true,
      pull: {
        batchSize: opts.pullBatchSize ?? DEFAULT_PULL_BATCH_SIZE,
        stream$: stream$.asObservable(),
        handler: async (last, batchSize) => {
          const repair = repairs.get(name);
          const fromStart = repair?.pull === 'next';
          const checkpoint = fromStart ? undefined : last;
          const q = new URLSearchParams({ limit: String(batchSize) });
          if (checkpoint) {
            q.set('lwt', String(checkpoint.lwt));
            q.set('id', checkpoint.id);
          }
          const r = await call<{ documents: any[]; checkpoint: Checkpoint | null }>('GET', `${route}/pull?${q}`);
          if (!Array.isArray(r?.documents)) throw new SyncHttpError(200, 'invalid_response', `pull of ${name}: the answer has no "documents" array`);
          // 'running' only once the request succeeded: a retried request starts over too.
          if (fromStart) repair.pull = 'running';
          if (r.documents.length < batchSize && repair?.pull === 'running') {
            repair.pull = undefined;
            repair.reachedEnd?.();
          }
          return { documents: r.documents, checkpoint: r.checkpoint ?? checkpoint ?? { id: '', lwt: 0 } };
        },
      },
      push: {
        batchSize: opts.pushBatchSize ?? 200,
        handler: async (rows) => {
          const primary = collection.schema.primaryPath as string;
          const keys = rows.map((r) => `${name}|${String(r.newDocumentState[primary])}`);
          const seqs = keys.map((k) => pending.get(k));
          let conflicts: any[];
          try {
            conflicts = await pushRows(rows);
          } catch (err) {
            if (!(err instanceof SyncHttpError) || err.status !== 403 || !Array.isArray(err.details.rejected)) throw err;
            // Refused as a whole: push the rest, and let the refused documents revert to the server's state.
            const refused = new Set((err.details.rejected as { id: string }[]).map((r) => r.id));
            setError(err.code, err.message);
            opts.onRejected?.(name, err);
            const rest = rows.filter((r) => !refused.has(String(r.newDocumentState[primary])));
            conflicts = rest.length ? await pushRows(rest) : [];
            for (const d of (err.details.documents as any[]) ?? []) {
              forceServer.add(`${name}|${String(d[primary])}`);
              conflicts.push(d);
            }
          }
          const scan = scans.get(name);
          keys.forEach((k, i) => {
            if (pending.get(k) !== seqs[i]) return; // edited again while this push ran: still pending
            pending.delete(k);
            scan?.acked.add(k);
          });
          pending$.next(pending.size);
          return conflicts;
        },
      },
    });
    subs.push(states[name]!.error$.subscribe((err) => {
      const what = localWriteFailure(err);
      if (what) onLocalWriteFailure(name, what);
    }));
  }

  /** Replaces the live count of `name` with what RxDB's replication state says is unpushed. */
  const reconcilePending = async (name: BookCollectionName): Promise<void> => {
    const state = states[name];
    if (!state || cancelled || scans.has(name)) return;
    const scan = { added: new Set<string>(), acked: new Set<string>() };
    scans.set(name, scan);
    let ids: string[];
    try {
      ids = await unpushedDocumentIds(state);
    } catch {
      return; // closed meanwhile; the live count stands
    } finally {
      scans.delete(name);
    }
    if (cancelled) return;
    const keep = new Set(ids.map((id) => keyOf(name, id)).filter((k) => !scan.acked.has(k)));
    for (const k of scan.added) keep.add(k);
    const prefix = `${name}|`;
    for (const k of [...pending.keys()]) if (k.startsWith(prefix) && !keep.has(k)) pending.delete(k);
    for (const k of keep) if (!pending.has(k)) pending.set(k, ++pendingSeq);
    pending$.next(pending.size);
  };
  for (const name of names) {
    void reconcilePending(name);
    let timer: ReturnType<typeof setTimeout> | undefined;
    subs.push(
      states[name]!.active$.pipe(distinctUntilChanged()).subscribe((active) => {
        if (timer) clearTimeout(timer);
        timer = active ? undefined : setTimeout(() => void reconcilePending(name), PENDING_RECONCILE_DELAY_MS);
      }),
      new Subscription(() => clearTimeout(timer)),
    );
  }

  const stream = openReplicationStream({
    wsUrl: wsUrlOf(url),
    getToken: () => token,
    collections: names,
    WebSocketImpl,
    onReady: () => {
      markOnline();
      for (const s of streams.values()) s.next('RESYNC');
    },
    onChanges: (ev) => streams.get(ev.collection)?.next({ documents: ev.documents, checkpoint: ev.checkpoint }),
    onDown: (reason) => {
      connection$.next('offline');
      setError('offline', reason);
    },
    onAuthError: (code, message) => onAuthFailure(new SyncHttpError(401, code, message)),
  });

  // Collections emptied at open for a full pull: listed until their first pull (and push) round has finished.
  const repulled = repulledCollections(db).filter((n) => states[n]);
  const repulling$ = new BehaviorSubject<readonly BookCollectionName[]>(repulled);
  for (const n of repulled) {
    void states[n]!.awaitInitialReplication().then(() => repulling$.next(repulling$.value.filter((x) => x !== n)), () => undefined);
  }

  const active$ = combineLatest(Object.values(states).map((s) => s!.active$)).pipe(map((a) => a.some(Boolean)));
  const status$ = new BehaviorSubject<SyncStatus>({ state: 'offline', pendingLocalChanges: 0, lastError: null, authExpired: false, repulling: repulled });
  subs.push(
    combineLatest([connection$, active$, pending$, lastError$, authExpired$, repulling$])
      .pipe(
        map(([conn, active, n, lastError, authExpired, repulling]): SyncStatus => ({
          state: conn === 'offline' || authExpired ? 'offline' : active ? 'syncing' : 'online',
          pendingLocalChanges: n,
          lastError,
          authExpired,
          repulling,
        })),
        distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
      )
      .subscribe(status$),
  );

  const all = () => Object.values(states) as RxReplicationState<any, Checkpoint>[];
  return {
    status$: status$.asObservable(),
    get status() {
      return status$.value;
    },
    states,
    awaitInitialSync: async () => {
      await Promise.all(all().map((s) => s.awaitInitialReplication()));
    },
    awaitInSync: async () => {
      await Promise.all(all().map((s) => s.awaitInSync()));
    },
    resume: async (newToken) => {
      if (cancelled) return;
      if (newToken) token = newToken;
      authExpired$.next(false);
      lastError$.next(null);
      stream.reconnect();
      await Promise.all(all().map((s) => s.start()));
      for (const s of all()) s.reSync();
    },
    cancel: async () => {
      cancelled = true;
      stream.close();
      for (const s of subs) s.unsubscribe();
      await Promise.all(all().map((s) => s.cancel()));
      status$.complete();
    },
  };
}
