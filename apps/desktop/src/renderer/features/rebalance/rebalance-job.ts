// The bulk rebalance job: picks the accounts (all drifted / one model / one team / a name search), builds the job
// context from RxDB (security master and ONE batched read of the latest prices), runs the chunks in the worker
// pool and saves each chunk's proposals as drafts (only accounts that need trades) in draft packs of `writeBatch`
// drafts, one write per chunk (db/draft-packs.ts). In the app the workers do both ends themselves: they read each
// chunk's lots from the book's storage and save its packs there (workers/rebalance-save.ts), so the UI thread
// handles neither lots nor full proposals. With `lotsReadBy: 'ui'` this thread reads the lots and bulkInserts the
// packs through RxDB. Rows reach the store from RxDB's change events either way (the controller).
// Also: submitting a selection in one bulk write (a submitted draft becomes a document of `proposals`).
// Money integer cents; times ms.
import type { Account, DailyPrice, Household, Model, Proposal, Security, TaxLot } from '@aw/domain';
import type { RxStorageInstance } from 'rxdb';
import type { BookDatabase } from '../../db/book-db.ts';
import { readLatestPricesIdb } from '../../db/holdings-idb.ts';
import { DRAFT_BODIES, DRAFT_PACKS, countDrafts, draftBodiesOf, draftPacksOf, insertPackedDrafts, readDrafts, type DraftBody, type DraftPack } from '../../db/draft-packs.ts';
import { lotPacksName } from '../../db/holdings-packs.ts';
import type { AppStore } from '../../stores/app-store.ts';
import {
  JobCancelledError, type ChunkOutput, type LotStoreRef, type ProposalStoreRef, type RebalanceJobContext, type RebalanceRunner,
} from '../../workers/rebalance-client.ts';
import { readAllLive } from '../../workers/rebalance-idb.ts';
import { chunkPacks, type StoreRef } from '../../workers/rebalance-save.ts';
import { reviewRow, type NameLookup, type ReviewRow } from './review-rows.ts';

export type AccountScope =
  | { kind: 'drifted' }
  | { kind: 'model'; modelId: string }
  | { kind: 'team'; teamId: string }
  | { kind: 'search'; text: string };

export const DEMO_AUTHOR_ID = 'u-alice';

/** The accounts a scope selects (accounts without a model are never rebalanced). */
export function selectAccounts(accounts: readonly Account[], households: readonly Household[], scope: AccountScope): Account[] {
  const withModel = accounts.filter((a) => a.modelId !== '');
  switch (scope.kind) {
    case 'drifted': return withModel;
    case 'model': return withModel.filter((a) => a.modelId === scope.modelId);
    case 'team': return withModel.filter((a) => a.teamId === scope.teamId);
    case 'search': {
      const q = scope.text.trim().toLowerCase();
      if (!q) return withModel;
      const hhNames = new Map(households.map((h) => [h.id, h.name.toLowerCase()]));
      return withModel.filter((a) => a.name.toLowerCase().includes(q) || a.id.toLowerCase().includes(q) || (hhNames.get(a.householdId) ?? '').includes(q));
    }
  }
}

/** Latest close per symbol (securities and FX) from the local price rows. */
export function latestPrices(rows: readonly DailyPrice[]): Map<string, DailyPrice> {
  const latest = new Map<string, DailyPrice>();
  for (const p of rows) {
    const prev = latest.get(p.symbol);
    if (!prev || p.date > prev.date) latest.set(p.symbol, p);
  }
  return latest;
}

/** The job context every worker gets once: security master, batched prices, FX (USD per unit), models. */
export function jobContext(securities: Security[], priceRows: readonly DailyPrice[], models: Model[]): RebalanceJobContext {
  const latest = [...latestPrices(priceRows).values()];
  const sec = latest.filter((p) => p.kind === 'security');
  const fx: Array<[string, number]> = [];
  for (const p of latest) {
    if (p.kind !== 'fx' || !(p.closePrice > 0)) continue;
    if (p.symbol.endsWith('USD') && p.symbol.length === 6) fx.push([p.symbol.slice(0, 3), p.closePrice]);
    else if (p.symbol.startsWith('USD') && p.symbol.length === 6) fx.push([p.symbol.slice(3), 1 / p.closePrice]);
  }
  const asOf = sec.reduce((d, p) => (p.date > d ? p.date : d), '0000-00-00');
  return { asOf, securities, priceSymbols: sec.map((p) => p.symbol), prices: sec.map((p) => p.closePrice), models, fx };
}

/** Lots of the accounts' households: indexed queries, a few dozen households at a time (short main-thread tasks). */
export async function loadLots(db: BookDatabase, accounts: readonly Account[], householdsPerQuery = 48): Promise<TaxLot[]> {
  const ids = [...new Set(accounts.map((a) => a.householdId))];
  const wanted = new Set(accounts.map((a) => a.id));
  const out: TaxLot[] = [];
  for (let i = 0; i < ids.length; i += householdsPerQuery) {
    // One equality query per household (an index range on [householdId]); $in would not use the index.
    const results = await Promise.all(ids.slice(i, i + householdsPerQuery).map((id) => db.lots.find({ selector: { householdId: id } }).exec()));
    for (const d of results.flat()) {
      const l = d.toJSON() as TaxLot;
      if (wanted.has(l.accountId)) out.push(l);
    }
  }
  return out;
}

/**
 * Chunk and pack sizes of the UI's job, set by the main thread's budget (no task over 50 ms): each pack of
 * `UI_WRITE_BATCH` drafts reaches this thread in one change-event message (their listings; the full drafts, ~3 KB
 * each, stay in the bodies the worker writes unheard), deserialized in one task; with `lotsReadBy: 'ui'` a chunk's
 * result arrives in ONE message too (1,000 accounts ≈ 3 MB) and its bulkInsert serializes the packs and bodies into
 * IndexedDB in one task. Smaller chunks
 * also make progress and cancel finer.
 */
export const UI_CHUNK_ACCOUNTS = 200;
export const UI_WRITE_BATCH = 100;

export interface BulkJobDeps {
  db: BookDatabase;
  store: AppStore;
  runner: RebalanceRunner;
  now?: () => number;
  /** Accounts per chunk (default UI_CHUNK_ACCOUNTS). */
  chunkAccounts?: number;
  /** Drafts per pack (default UI_WRITE_BATCH); a chunk's drafts are ceil(n / writeBatch) packs, saved in one write. */
  writeBatch?: number;
  /**
   * Who reads a chunk's lots and saves its drafts: the worker, in the book's storage (default), or this thread
   * through RxDB.
   */
  lotsReadBy?: 'worker' | 'ui';
}

/** Where a worker finds the book's lots: the same storage database and collection as `db.lots`. */
export function lotStoreOf(db: BookDatabase): LotStoreRef {
  return { databaseName: db.name, collectionName: db.lots.name, schema: db.lots.schema.jsonSchema, packsName: lotPacksName(db.name, db.lots.schema.version) };
}

/** Where a worker saves a job's drafts: the book's draft packs and their bodies. */
export function draftStoresOf(db: BookDatabase): { packs: StoreRef<DraftPack>; bodies: StoreRef<DraftBody> } {
  return {
    packs: { databaseName: db.name, collectionName: DRAFT_PACKS, schema: draftPacksOf(db).schema.jsonSchema },
    bodies: { databaseName: db.name, collectionName: DRAFT_BODIES, schema: draftBodiesOf(db).schema.jsonSchema },
  };
}

/** Where a worker finds the book's proposals (the review grid's first load). */
export function proposalStoreOf(db: BookDatabase): ProposalStoreRef {
  return { databaseName: db.name, collectionName: db.proposals.name, schema: db.proposals.schema.jsonSchema };
}

/** `restedMs`: how long each worker yielded to the user on average (workers/pacer.ts). */
export interface BulkJobResult { status: 'done' | 'cancelled' | 'error'; proposals: number; accounts: number; seconds: number; message: string; restedMs?: number }

/** Runs one bulk job; the caller's AbortController cancels it. Never throws: the outcome is in the store and the result. */
export async function runBulkRebalance(deps: BulkJobDeps, scope: AccountScope, signal: AbortSignal): Promise<BulkJobResult> {
  const { db, store, runner } = deps;
  const now = deps.now ?? Date.now;
  const writeBatch = Math.max(1, deps.writeBatch ?? UI_WRITE_BATCH);
  const act = () => store.getState();
  const t0 = performance.now();
  const { accounts: allAccounts, households, models } = act().book;
  const accounts = selectAccounts(allAccounts, households, scope);
  const authorId = act().sync.session?.user.id || DEMO_AUTHOR_ID;
  let proposals = 0;
  let jobId = '';
  // Lot change events during the job (replication, another tab): the workers re-read lot changes only when this moved.
  let lotChanges = 0;
  const lotEvents = db.lots.$.subscribe(() => { lotChanges++; });
  act().rebalanceJobUpdate({
    status: 'preparing', message: `Preparing ${accounts.length.toLocaleString('en-US')} accounts…`, accountsTotal: accounts.length,
    accountsDone: 0, chunksDone: 0, chunksTotal: 0, elapsedMs: 0, etaMs: NaN, proposalsWritten: 0, workers: runner.size,
  });
  try {
    const securities = await allDocs<Security>(db.securities);
    // The latest closes only (one IndexedDB transaction): the whole price history in one read was a long main-thread task.
    const prices = (await readLatestPricesIdb(db.prices, securities.map((s) => s.symbol))) ?? await allDocs<DailyPrice>(db.prices);
    const context = jobContext(securities, prices, models);
    const createdAt = now();
    jobId = `rb${createdAt.toString(36)}`;
    const write = async (out: ChunkOutput): Promise<number> => {
      const { drafts, ...packed } = chunkPacks(out.proposals, { jobId, authorId, createdAt, writeBatch });
      if (drafts > 0) await insertPackedDrafts(db, packed);
      return drafts;
    };
    act().rebalanceJobUpdate({ status: 'running', message: '' });
    const summary = await runner.run({
      context, households, accounts, signal, chunkAccounts: deps.chunkAccounts ?? UI_CHUNK_ACCOUNTS,
      ...(deps.lotsReadBy === 'ui'
        ? { loadLots: (chunk: readonly Account[]) => loadLots(db, chunk), write }
        // Drafts a worker saves reach this RxDB only as another instance's writes: multi-instance databases only.
        : { lotStore: lotStoreOf(db), lotChanges: () => lotChanges,
          ...(db.multiInstance ? { save: { ...draftStoresOf(db), jobId, authorId, createdAt, writeBatch } } : { write }) }),
      // The rows themselves reach the grid from RxDB's change events (see rebalance-controller.ts).
      onChunk: (out, progress) => {
        proposals += out.saved ?? 0;
        act().rebalanceJobUpdate({
          accountsDone: progress.itemsDone, chunksDone: progress.chunksDone, chunksTotal: progress.chunksTotal,
          elapsedMs: progress.elapsedMs, etaMs: progress.etaMs, proposalsWritten: proposals,
        });
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    // Why a job took longer than the last one: it gave way to the user's scrolling or typing.
    // (Rests are summed over workers, which rest side by side: per worker on average.)
    const restedMs = summary.restedMs / runner.size;
    const yielded = restedMs >= 500 ? `, ${(restedMs / 1000).toFixed(1)} s of it yielding to your scrolling and typing` : '';
    act().rebalanceJobUpdate({ status: 'done', accountsDone: summary.itemsDone, chunksDone: summary.chunksDone, chunksTotal: summary.chunksTotal,
      elapsedMs: summary.elapsedMs, etaMs: 0,
      message: `${proposals.toLocaleString('en-US')} proposals from ${accounts.length.toLocaleString('en-US')} accounts in ${seconds.toFixed(1)} s${yielded}` });
    return { status: 'done', proposals, accounts: accounts.length, seconds, message: '', restedMs };
  } catch (err) {
    const seconds = (performance.now() - t0) / 1000;
    if (err instanceof JobCancelledError || signal.aborted) {
      // What a cancel leaves: the chunks done, and whatever a worker had saved of the chunk it was on when it was
      // ended. Counted in the store (the job's packs).
      if (jobId) proposals = await countDrafts(db, jobId).catch(() => proposals);
      act().rebalanceJobUpdate({ status: 'cancelled', etaMs: NaN, message: `Cancelled: ${proposals.toLocaleString('en-US')} proposals saved before the cancel` });
      return { status: 'cancelled', proposals, accounts: accounts.length, seconds, message: '' };
    }
    const message = err instanceof Error ? err.message : String(err);
    act().rebalanceJobUpdate({ status: 'error', message: `Rebalance failed: ${message}` });
    return { status: 'error', proposals, accounts: accounts.length, seconds, message };
  } finally {
    lotEvents.unsubscribe();
  }
}

/**
 * Every document of a small collection (security master, latest prices). On IndexedDB one getAll request: RxDB's
 * Dexie query walks a cursor, one event-loop turn per document, and during a scroll each turn waits for a frame.
 */
async function allDocs<T>(collection: { internalStorageInstance: RxStorageInstance<any, any, any>; find(): { exec(): Promise<Array<{ toJSON(): unknown }>> } }): Promise<T[]> {
  return (await readAllLive<T>(collection.internalStorageInstance)) ?? (await collection.find().exec()).map((d) => d.toJSON() as T);
}

export class SubmitError extends Error {
  override name = 'SubmitError';
}

/**
 * Submits the selected drafts for approval in ONE bulk write of `proposals` (a draft in a pack becomes a proposal
 * document; one already there moves on from 'draft'); returns the updated rows. `packOf`: each draft's pack, where
 * known (readDrafts).
 */
export async function submitProposals(db: BookDatabase, ids: readonly string[], names: NameLookup,
  opts: { now?: number; packOf?: (draftId: string) => string | undefined } = {}): Promise<ReviewRow[]> {
  if (ids.length === 0) return [];
  const now = opts.now ?? Date.now();
  const found = new Map([...(await db.proposals.findByIds([...ids]).exec()).values()].map((d) => [d.primary, d.toJSON() as Proposal]));
  const packed = await readDrafts(db, ids.filter((id) => !found.has(id)), opts.packOf);
  const docs = [...found.values(), ...packed.values()].filter((p) => p.status === 'draft')
    .map((p) => ({ ...p, trades: p.trades.map((t) => ({ ...t, lotIds: [...t.lotIds] })), warnings: [...p.warnings], status: 'submitted' as const, updatedAt: now }));
  if (docs.length === 0) return [];
  const res = await db.proposals.bulkUpsert(docs);
  if (res.error.length > 0) throw new SubmitError(`could not submit ${res.error.length} of ${docs.length} proposals`);
  return docs.map((p) => reviewRow(p, names));
}
