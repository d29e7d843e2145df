// Lot packs: the holdings view's lots of one (household, account) pair stored as ONE IndexedDB record, beside the
// book's RxDB database (Dexie storage: the app). Why: Chromium pays ~30–40 µs per IndexedDB record however it is
// read (RxDB's index cursor, index or primary-key `getAll`, even key-only `getAllKeys` costs ~15 µs per key), so a
// 1,000-lot account costs ~35 ms to read as 1,000 documents but ~2 ms as one columnar record.
//
// The packs are a derived, self-checking copy; RxDB stays the source of truth:
// - A build pass (one at a time per origin: Web Locks) clears the packs and the coverage marker, notes the lots
//   collection's newest change checkpoint `since` ([_meta.lwt, id]: the order RxDB's replication reads changes
//   in), then reads the live lots in account order in steps (one read-only `getAll` each) and writes one pack per
//   (householdId, accountId) pair once its account is read, then the marker { since, passId }.
// - A read takes the scope's packs (with the marker, in one transaction) and every lot document changed since
//   `since`, and replaces the packed rows of those ids by their current state (dropped when deleted or moved out
//   of the scope). Every live lot with lwt <= since existed unchanged through the whole pass, so it is in its
//   pair's pack; every other one is in the change set: the result is exactly the lots as of the change read (same
//   rows as RxDB's query, same order).
// - The change set is kept in memory per pass (the change log): id → newest state seen, plus `seen`, the newest
//   checkpoint read. A read catches up with ONE `getAll` on RxDB's own `[_meta.lwt+id]` index after `seen` (usually
//   no rows), side by side with the packs read — and not even that when no lot change event arrived since the last
//   catch-up started (RxDB emits a write's event before the write resolves; other tabs' writes arrive as events
//   too, as RxDB's own query cache relies on). Catch-ups may overlap: a state replaces a kept one only if its lwt is
//   not older, and `seen` only grows.
// - Packs are stored in the compact columnar form of lot-columns.ts (typed arrays, joined strings, constants), one
//   structured-clone value of a few tens of KB per 1,000 lots.
// - No marker (pass running or never run), a marker older than COVERAGE_MAX_AGE_MS, or more than CHANGES_MAX changes:
//   null, the caller reads by RxDB query, and a new pass is started in the background. Past CHANGES_SOFT changes
//   the read still uses the packs and starts a new pass.
// This relies, as RxDB's own replication checkpoints do, on lwt growing with commit order (all lot writes go
// through this renderer's RxDB, whose `now()` is strictly increasing). Rows are plain TaxLot objects (no RxDB meta
// fields); the change log's rows are shared between reads, so callers must not mutate rows. Other storages
// (memory in tests): every function returns null / does nothing.
import type { TaxLot } from '@aw/domain';
import type { BookDatabase } from './book-db.ts';
import { indexOf } from './holdings-idb.ts';
import { decodeColumns, encodeColumns, type Columns } from './lot-columns.ts';
import { dexieBackend, dexieFactory, isLive, prefixRange, withoutMeta } from '../workers/rebalance-idb.ts';

export type LotScope = { householdId: string } | { accountId: string };
/** The scope of a worker's read (workers/rebalance-lots.ts): several households at once. */
type ReadScope = LotScope | { householdIds: readonly string[] };

/** Change sets above this size: fall back to the RxDB query and rebuild. */
export const CHANGES_MAX = 1000;
/** Change sets above this size are still applied, and start a rebuild. */
export const CHANGES_SOFT = 200;
/** Packs older than this are rebuilt first (far below any tombstone purge window). */
export const COVERAGE_MAX_AGE_MS = 7 * 24 * 3600_000;
/** Lots read per pass step (whole accounts; one bigger account is read whole in its own step): small enough that
 * the main thread receiving a step stays responsive. */
const STEP_LOTS = 2000;
const FORMAT = 2;
const PACKS = 'packs';
const META = 'meta';
const COVERAGE_KEY = 'coverage';

type Checkpoint = [lwt: number, id: string];
interface Coverage { since: Checkpoint; passId: string; builtAt: number }
/** One (householdId, accountId) pair's lots in (symbol, id) order, column by column (lot-columns.ts). */
interface Pack extends Columns { householdId: string; accountId: string }
type StoredLot = TaxLot & { _deleted?: unknown; _meta: { lwt: number } };
/** The lot changes since one pass's `since`: id → the newest state read (lot null: deleted), up to `seen`. */
interface ChangeLog {
  passId: string;
  seen: Checkpoint;
  byId: Map<string, { lwt: number; lot: TaxLot | null }>;
  /** The lots' change `version` when the last complete catch-up started (-1: none yet). */
  version: number;
}

interface PackState {
  lots: IDBDatabase;
  packs: IDBDatabase;
  byAccount: string;
  coverage: Coverage | null;
  pass: Promise<void> | null;
  closed: boolean;
  log: ChangeLog | null;
  /** The last reads (scope key → rows), emptied by any change of the lots (`version` bumped). */
  recent: Map<string, TaxLot[]>;
  version: number;
}

/** Scopes whose last read is kept in memory (re-opening a view reads nothing while no lot changes). */
const RECENT_MAX = 8;

const states = new WeakMap<BookDatabase, Promise<PackState | null>>();

const request = <T>(r: IDBRequest<T>): Promise<T> => new Promise((res, rej) => {
  r.onsuccess = () => res(r.result);
  r.onerror = () => rej(r.error ?? new Error('IndexedDB request failed'));
});

const done = (tx: IDBTransaction): Promise<void> => new Promise((res, rej) => {
  tx.oncomplete = () => res();
  tx.onerror = () => rej(tx.error ?? new Error('IndexedDB transaction failed'));
  tx.onabort = () => rej(tx.error ?? new Error('IndexedDB transaction aborted'));
});

/** The book's pack state (opening the packs database once); null when the lots are not in Dexie storage. */
function stateOf(db: BookDatabase): Promise<PackState | null> {
  let s = states.get(db);
  if (!s) {
    s = openState(db).catch(() => null);
    states.set(db, s);
  }
  return s;
}

/** The packs database of a book (its RxDB database name) at a lots schema version. */
export const lotPacksName = (bookName: string, lotsVersion: number): string => `${bookName}--lot-packs-${FORMAT}-v${lotsVersion}`;

/** A pack state over the lots' native database (null unless it has the indexes packs need), opening (or creating) the packs database. */
async function openPackState(lots: IDBDatabase | null, factory: IDBFactory | null, byAccount: string | null, name: string): Promise<PackState | null> {
  if (!lots || !factory || !byAccount || !lots.objectStoreNames.contains('docs')) return null;
  const indexes = lots.transaction('docs', 'readonly').objectStore('docs').indexNames;
  if (!indexes.contains(byAccount) || !indexes.contains('[_meta.lwt+id]')) return null;
  const open = factory.open(name, 1);
  open.onupgradeneeded = () => {
    const store = open.result.createObjectStore(PACKS, { keyPath: ['householdId', 'accountId'] });
    store.createIndex('accountId', 'accountId');
    open.result.createObjectStore(META);
  };
  const packs = await request(open);
  return { lots, packs, byAccount, coverage: null, pass: null, closed: false, log: null, recent: new Map(), version: 0 };
}

async function openState(db: BookDatabase): Promise<PackState | null> {
  const [lots, factory] = await Promise.all([dexieBackend(db.lots.internalStorageInstance), dexieFactory(db.lots.internalStorageInstance)]);
  const name = lotPacksName(db.name, db.lots.schema.version);
  const state = await openPackState(lots, factory, indexOf(db.lots, ['accountId', 'symbol']), name);
  if (!state || !factory) return null;
  const { packs } = state;
  // Packs of an older lots schema version are never read again (the lots were re-pulled or migrated): drop them.
  for (let v = 0; v < db.lots.schema.version; v++) factory.deleteDatabase(lotPacksName(db.name, v));
  // Any change of the lots (local write, replication, another tab): forget the kept reads.
  const changes = db.lots.$.subscribe(() => { state.version++; state.recent.clear(); });
  db.onClose.push(() => changes.unsubscribe());
  db.onClose.push(async () => {
    state.closed = true;
    await state.pass?.catch(() => undefined);
    packs.close();
  });
  db.lots.onRemove.push(() => {
    state.closed = true;
    packs.close();
    return request(factory.deleteDatabase(name)).then(() => undefined, () => undefined);
  });
  return state;
}

/** A marker young enough for its packs to answer reads. */
const fresh = (c: Coverage | null | undefined): c is Coverage => !!c && Date.now() - c.builtAt <= COVERAGE_MAX_AGE_MS;
/** The marker as stored (undefined: pass running or never run). */
const storedCoverage = (s: PackState) => request(s.packs.transaction(META, 'readonly').objectStore(META).get(COVERAGE_KEY)) as Promise<Coverage | undefined>;

const pack = (householdId: string, accountId: string, rows: readonly TaxLot[]): Pack => ({ householdId, accountId, ...encodeColumns(rows) });

/** In one read-only transaction: the newest change checkpoint of the lots and up to `count` live lots in `range` of the account index. */
async function readStep(s: PackState, range: IDBKeyRange, count?: number): Promise<{ checkpoint: Checkpoint; docs: StoredLot[] }> {
  const tx = s.lots.transaction('docs', 'readonly');
  const store = tx.objectStore('docs');
  const newest = request(store.index('[_meta.lwt+id]').openCursor(null, 'prev'));
  const docs = request(store.index(s.byAccount).getAll(range, count));
  const [cursor, rows] = await Promise.all([newest, docs, done(tx)]);
  return { checkpoint: cursor ? (cursor.key as Checkpoint) : [0, ''], docs: rows as StoredLot[] };
}

async function writePacks(s: PackState, docs: readonly StoredLot[]): Promise<void> {
  const pairs = new Map<string, TaxLot[]>();
  for (const d of docs) {
    if (!isLive(d)) continue;
    const key = JSON.stringify([d.householdId, d.accountId]);
    let rows = pairs.get(key);
    if (!rows) pairs.set(key, rows = []);
    rows.push(withoutMeta<TaxLot>(d));
  }
  const tx = s.packs.transaction(PACKS, 'readwrite');
  const store = tx.objectStore(PACKS);
  for (const rows of pairs.values()) store.put(pack(rows[0]!.householdId, rows[0]!.accountId, rows));
  await done(tx);
}

async function buildPass(s: PackState, chunk: number, onStep?: (step: number) => Promise<void>): Promise<void> {
  const clear = s.packs.transaction([PACKS, META], 'readwrite');
  clear.objectStore(META).delete(COVERAGE_KEY);
  clear.objectStore(PACKS).clear();
  await done(clear);
  s.coverage = null;
  const end: IDBValidKey = ['0', []];
  let range = prefixRange(['0']);
  let since: Checkpoint | null = null;
  // The last account of a step may go on in the next one: its rows wait there. Steps continue right after the
  // last key read, so every lot whose index key stays put during the pass is read exactly once; a lot written
  // during the pass has lwt > since, so reads take it from the change set whatever its pack holds.
  let carry: StoredLot[] = [];
  for (let n = 0; ; n++) {
    if (s.closed) return;
    if (n > 0) await onStep?.(n);
    const step = await readStep(s, range, chunk);
    since ??= step.checkpoint;
    const docs = carry.concat(step.docs);
    if (step.docs.length < chunk) {
      await writePacks(s, docs);
      break;
    }
    const lastDoc = docs[docs.length - 1]!;
    const split = docs.findIndex((d) => d.accountId === lastDoc.accountId);
    if (split > 0) await writePacks(s, docs.slice(0, split));
    carry = docs.slice(split);
    range = IDBKeyRange.bound(['0', lastDoc.accountId, lastDoc.symbol, lastDoc.id], end, true);
  }
  if (s.closed) return;
  const coverage: Coverage = { since: since ?? [0, ''], passId: `${Date.now()}-${Math.random()}`, builtAt: Date.now() };
  const mark = s.packs.transaction(META, 'readwrite');
  mark.objectStore(META).put(coverage, COVERAGE_KEY);
  await done(mark);
  s.coverage = coverage;
}

/** Runs a build pass unless one is running (in this context; Web Locks serialise passes across tabs). */
function startPass(s: PackState, chunk = STEP_LOTS, onStep?: (step: number) => Promise<void>, force = false): Promise<void> {
  if (s.pass) return s.pass;
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  const asked = Date.now();
  // Another context (a tab, a rebalance worker) may have built the packs while this one waited for the lock.
  const run = async (): Promise<void> => {
    if (!force) {
      const c = await storedCoverage(s);
      if (fresh(c) && c.builtAt >= asked) { s.coverage = c; return; }
    }
    await buildPass(s, chunk, onStep);
  };
  const pass: Promise<void> = (locks ? locks.request(`aw-lot-packs:${s.packs.name}`, run) : run())
    .then(() => undefined, () => undefined) // a failed pass leaves no marker: reads fall back to RxDB queries
    .finally(() => { s.pass = null; });
  s.pass = pass;
  return pass;
}

/**
 * Builds the book's lot packs unless they are built already and fresh (benches and tests await it; in the app a
 * read the packs cannot answer starts the same pass). Resolves when packs can answer reads (or on other storages).
 * `rebuild`: build afresh even if fresh; `stepLots`: lots per pass step, `onStep`: awaited before each step
 * after the first (tests: writes in the middle of a pass).
 */
export async function lotPacksReady(db: BookDatabase,
  opts: { rebuild?: boolean; stepLots?: number; onStep?: (step: number) => Promise<void> } = {}): Promise<void> {
  const s = await stateOf(db);
  if (!s || s.closed) return;
  if (opts.rebuild) {
    await s.pass;
    return startPass(s, opts.stepLots, opts.onStep, true);
  }
  if (s.pass) return s.pass;
  if (fresh(s.coverage)) return;
  const coverage = await storedCoverage(s);
  if (fresh(coverage)) { s.coverage = coverage; return; }
  return startPass(s, opts.stepLots);
}

/**
 * Opens the book's lot packs and, when they are built and fresh, catches up with the lot changes since their pass
 * (start-up warming: the first read then reads only its packs). Never starts a pass; no-op on other storages.
 */
export async function lotPacksOpened(db: BookDatabase): Promise<void> {
  const s = await stateOf(db);
  if (!s || s.closed) return;
  const coverage = s.coverage ?? await storedCoverage(s);
  if (!fresh(coverage) || s.closed) return;
  s.coverage ??= coverage;
  if (s.coverage.passId === coverage.passId) await catchUp(s, coverage);
}

const after = (a: Checkpoint, b: Checkpoint): boolean => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

/**
 * The lot changes since `coverage.since` (id → newest state), brought up to date by one `getAll` after the log's
 * newest checkpoint (skipped when no lot changed since the last catch-up started); null: more than CHANGES_MAX.
 */
async function catchUp(s: PackState, coverage: Coverage, steps?: Record<string, number>): Promise<ChangeLog['byId'] | null> {
  let log = s.log;
  if (!log || log.passId !== coverage.passId) {
    log = { passId: coverage.passId, seen: coverage.since, byId: new Map(), version: -1 };
    s.log = log;
  }
  if (log.version === s.version) return log.byId.size > CHANGES_MAX ? null : log.byId;
  const t0 = steps ? performance.now() : 0;
  const version = s.version;
  const tx = s.lots.transaction('docs', 'readonly');
  const rows = await request(tx.objectStore('docs').index('[_meta.lwt+id]').getAll(IDBKeyRange.lowerBound(log.seen, true), CHANGES_MAX + 1)) as StoredLot[];
  for (const d of rows) { // in checkpoint order
    const kept = log.byId.get(d.id);
    if (!kept || kept.lwt <= d._meta.lwt) log.byId.set(d.id, { lwt: d._meta.lwt, lot: isLive(d) ? withoutMeta<TaxLot>(d) : null });
  }
  const last = rows[rows.length - 1];
  // Every key up to the last one read was read (getAll returns a prefix in key order), even past the limit.
  if (last && after([last._meta.lwt, last.id], log.seen)) log.seen = [last._meta.lwt, last.id];
  if (steps) steps.changesMs = performance.now() - t0;
  if (rows.length > CHANGES_MAX || log.byId.size > CHANGES_MAX) return null;
  if (version > log.version) log.version = version;
  return log.byId;
}

/** The packs of `scope`, one group per read: each household of a `householdIds` scope, else the one account or household. */
async function packsOf(s: PackState, scope: ReadScope, steps?: Record<string, number>): Promise<{ coverage: Coverage | undefined; groups: Pack[][] }> {
  const t0 = steps ? performance.now() : 0;
  const tx = s.packs.transaction([PACKS, META], 'readonly');
  const store = tx.objectStore(PACKS);
  const reads = 'accountId' in scope ? [store.index('accountId').getAll(scope.accountId)]
    : ('householdId' in scope ? [scope.householdId] : scope.householdIds).map((id) => store.getAll(prefixRange([id])));
  const [coverage, ...groups] = await Promise.all([
    request(tx.objectStore(META).get(COVERAGE_KEY)) as Promise<Coverage | undefined>,
    ...reads.map((r) => request(r) as Promise<Pack[]>),
  ]);
  if (steps) steps.packsMs = performance.now() - t0;
  return { coverage, groups };
}

/**
 * The live lots of `scope` from the packs plus the changes since their pass, sorted like the RxDB query (symbol,
 * then id); null when packs cannot answer (not Dexie, not built, stale, too many changes): read by RxDB query.
 * The last few reads are kept in memory until any lot change event (as RxDB's query cache does; rows shared:
 * callers must not mutate them). `steps` (benches): gets packsMs, changesMs (catch-up read, absent when skipped),
 * mergeMs (decoding and merging).
 */
export async function readLotsPacked(db: BookDatabase, scope: LotScope, steps?: Record<string, number>): Promise<TaxLot[] | null> {
  const s = await stateOf(db);
  if (!s || s.closed) return null;
  const key = 'accountId' in scope ? `a:${scope.accountId}` : `h:${scope.householdId}`;
  const kept = s.recent.get(key);
  if (kept) return kept;
  const version = s.version;
  const rows = await readPacked(s, scope, steps);
  if (rows && version === s.version) { // no lot changed while reading: keep it (the oldest read goes)
    if (s.recent.size >= RECENT_MAX) s.recent.delete(s.recent.keys().next().value!);
    s.recent.set(key, rows);
  }
  return rows;
}

async function readPacked(s: PackState, scope: ReadScope, steps?: Record<string, number>, rebuild = true): Promise<TaxLot[] | null> {
  const pass = () => { if (rebuild) void startPass(s); };
  const known = s.coverage;
  // The packs and, when this context knows the current pass, its change log brought up to date: side by side.
  const [{ coverage, groups }, early] = await Promise.all([packsOf(s, scope, steps), known ? catchUp(s, known, steps) : null]);
  if (!fresh(coverage)) {
    pass();
    return null;
  }
  // Packs and the change log of the same pass: the packs were written before any change read (see the header).
  const changes = known?.passId === coverage.passId ? early : await catchUp(s, coverage, steps);
  s.coverage = coverage;
  if (!changes) {
    pass();
    return null;
  }
  if (changes.size > CHANGES_SOFT) pass();
  const t0 = steps ? performance.now() : 0;
  const households = 'householdIds' in scope ? new Set(scope.householdIds) : null;
  const inScope = 'accountId' in scope ? (l: TaxLot) => l.accountId === scope.accountId
    : households ? (l: TaxLot) => households.has(l.householdId) : (l: TaxLot) => l.householdId === (scope as { householdId: string }).householdId;
  // The changed lots of the scope, by the group they belong in (a household of a `householdIds` scope, else the one).
  const keys = 'householdIds' in scope ? scope.householdIds : [''];
  const groupOf = households ? (l: TaxLot) => l.householdId : () => '';
  const added = new Map<string, TaxLot[]>();
  for (const { lot } of changes.values()) {
    if (!lot || !inScope(lot)) continue;
    const list = added.get(groupOf(lot));
    if (list) list.push(lot); else added.set(groupOf(lot), [lot]);
  }
  const changed = changes.size ? (l: TaxLot) => changes.has(l.id) : undefined;
  // Each group in (symbol, id) order. A pack is in that order already (read by the account index): only what changes
  // or merging disturbed is sorted, and only within its group (a bulk job's chunk reads ~50 households; sorting
  // their ~8,000 lots as one list by two strings was 5% of a rebalance worker's time).
  const out: TaxLot[] = [];
  groups.forEach((packs, g) => {
    const part = packs.length === 1 ? decodeColumns<TaxLot>(packs[0]!, changed) : packs.flatMap((p) => decodeColumns<TaxLot>(p, changed));
    const more = added.get(keys[g]!);
    if (more) { part.push(...more); added.delete(keys[g]!); }
    for (let i = 1; i < part.length; i++) if (bySymbolThenId(part[i - 1]!, part[i]!) > 0) { part.sort(bySymbolThenId); break; }
    for (const l of part) out.push(l);
  });
  if (steps) steps.mergeMs = performance.now() - t0;
  return out;
}

const bySymbolThenId = (a: TaxLot, b: TaxLot): number =>
  (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The book's lot packs as a rebalance worker reads them (workers/rebalance-lots.ts): over the lots' native IndexedDB
 * database (`byAccount`: the Dexie name of the lots' [accountId, symbol] index), the packs database opened by name.
 * No RxDB change events reach a worker: the UI counts them and sends the count (see `read`). Null when the lots
 * lack the indexes packs need.
 */
export interface PackedLots {
  /**
   * Builds the packs unless they are built, fresh and cover all but CHANGES_SOFT lot changes (one pass at a time
   * per origin: Web Locks). Without that last test a book with over CHANGES_MAX changes since its pass would read
   * every chunk's lot documents in every bulk job, since nothing else in a worker starts a pass.
   */
  ready(): Promise<void>;
  /**
   * The live lots of these households, household by household, each household's in (symbol, id) order (so each
   * account's too, as the lot documents' index gives them); null: packs cannot answer (read the lot
   * documents). `changes`: the UI's count of lot change events (RxDB's `db.lots.$`) when it asked; the lot changes
   * are read again only when it moved (or when absent). That read is one index getAll past the newest change,
   * usually empty, but during a bulk job it waited 0.4–0.9 s behind the job's writes on Chromium's IndexedDB side.
   */
  read(householdIds: readonly string[], changes?: number): Promise<TaxLot[] | null>;
  close(): void;
}

export async function openPackedLots(lots: IDBDatabase, factory: IDBFactory, packsName: string, byAccount: string | null): Promise<PackedLots | null> {
  const s = await openPackState(lots, factory, byAccount, packsName);
  if (!s) return null;
  let lastChanges: number | undefined;
  return {
    async ready() {
      if (s.pass) return s.pass;
      const coverage = await storedCoverage(s);
      if (fresh(coverage)) {
        s.coverage = coverage;
        s.version++;
        const changes = await catchUp(s, coverage);
        if (changes && changes.size <= CHANGES_SOFT) return;
      }
      return startPass(s);
    },
    read(householdIds, changes) {
      if (changes === undefined || changes !== lastChanges) s.version++; // lots may have changed since the last read: catch up
      lastChanges = changes;
      // A read never starts a pass here (readPacked would, on a stale marker): that is ready()'s job, before a job.
      return s.pass ? Promise.resolve(null) : readPacked(s, { householdIds }, undefined, false);
    },
    close() {
      s.closed = true;
      s.packs.close();
    },
  };
}
