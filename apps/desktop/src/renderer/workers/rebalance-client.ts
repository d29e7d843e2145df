// The UI side of the bulk rebalance: a pool of Comlink Web Workers (cores − 1, at least one)
// running the engine's job layer — accounts chunked by household (~1,000 per chunk), chunks run with bounded
// concurrency, each chunk rebalanced in a worker and saved before the next chunk starts on that slot. With
// `lotStore` the worker reads the chunk's lots from the book's storage itself (the UI thread never touches them)
// and, with `save`, writes the chunk's drafts there too (only a count comes back); with `loadLots` the caller reads
// the lots, they travel packed in transferable typed arrays, and `write` saves the proposals on this thread.
// While the user scrolls or types, each worker rests after a chunk as long as the chunk ran (workers/pacer.ts).
// Progress, ETA and cancel come from runJob; cancelling terminates the workers (the only way to stop CPU-bound
// work) and the next job starts fresh. The UI thread never computes a rebalance. `readProposals` streams
// the book's proposals to the review grid as slim listings, read by one more worker of the same kind (its
// IndexedDB cursors never wait behind the UI thread's render tasks), page after page with the next page already
// requested while the current one is shown.
import * as Comlink from 'comlink';
import type { Account, Household, TaxLot } from '@aw/domain';
import {
  chunkByGroup, createWorkerPool, JobCancelledError, packChunk, runJob,
  type ChunkOutput, type JobSummary, type RebalanceChunk, type RebalanceJobContext, type WorkerPool,
} from '@aw/engine/workers';
import { watchUserActivity, type UserActivity } from '../app/user-activity.ts';
import { createPacer, type Pacer } from './pacer.ts';
import { abortable } from './pool.ts';
import type { AccountsChunk, JobProgress, LotStoreRef, ProposalListing, ProposalSaveRef, ProposalStoreRef, RebalanceWorkerApi, SavedChunkOutput } from './rebalance-types.ts';

export type { ChunkOutput, ChunkProposal, JobProgress, LotStoreRef, ProposalListing, ProposalSaveRef, ProposalStoreRef, RebalanceJobContext, SavedChunkOutput } from './rebalance-types.ts';
export type { JobSummary } from '@aw/engine/workers';
export { JobCancelledError };

export const DEFAULT_CHUNK_ACCOUNTS = 1000;

export interface BulkRebalanceInput {
  context: RebalanceJobContext;
  households: ReadonlyArray<Pick<Household, 'id' | 'taxBracket'>>;
  /** The selected accounts (any order; grouped by household before chunking). */
  accounts: readonly Account[];
  /** Where the workers read the lots themselves (the app: the book's IndexedDB); preferred over `loadLots`. */
  lotStore?: LotStoreRef;
  /** With `lotStore`: a count the caller bumps on every lot change event (RxDB's `db.lots.$`); workers read lot changes only when it moved. */
  lotChanges?(): number;
  /** Or: lots of the given accounts read by the caller (one chunk's worth, a few indexed queries). */
  loadLots?(accounts: readonly Account[]): Promise<TaxLot[]>;
  /**
   * With `lotStore`: the worker saves each chunk's drafts itself (no proposal crosses to this thread; the UI's RxDB
   * sees the writes as change events from another instance). Preferred over `write`.
   */
  save?: ProposalSaveRef;
  /** Or: persist one chunk's proposals here; resolves with how many were saved, before the chunk counts as done. */
  write?(output: ChunkOutput): Promise<number>;
  /** A chunk is done (computed and saved; `saved` drafts, whoever saved them), in completion order. */
  onChunk?(output: SavedChunkOutput, progress: JobProgress): void;
  chunkAccounts?: number;
  signal?: AbortSignal;
}

export interface ReadProposalsOptions {
  /** Listings per page (default 2,000). */
  pageSize?: number;
  signal?: AbortSignal;
}

/** A job's summary and how long its workers rested while the user was busy (ms, summed over workers). */
export type BulkJobSummary = JobSummary & { restedMs: number };

export interface RebalanceRunner {
  readonly size: number;
  run(input: BulkRebalanceInput): Promise<BulkJobSummary>;
  /**
   * Reads every live proposal of the store with an id after `afterId` ('' = all) in id order, calling `onPage`
   * with each page; resolves with the count read. Aborting stops it (resolves with the count so far).
   */
  readProposals(ref: ProposalStoreRef, afterId: string, onPage: (listings: ProposalListing[]) => void, opts?: ReadProposalsOptions): Promise<number>;
  /**
   * Builds the book's lot packs in one more worker if they are missing, stale or far behind (the review screen
   * asks once it has loaded, so a book's first bulk job need not build them first). Aborting ends the worker; an
   * unfinished pass leaves no marker and the next one starts over.
   */
  prepareLots(ref: LotStoreRef, signal?: AbortSignal): Promise<void>;
  terminate(): void;
}

class ReadAbortedError extends Error {
  override name = 'ReadAbortedError';
}
const readAborted = () => new ReadAbortedError('aborted');

interface Task {
  version: number;
  context: RebalanceJobContext;
  lotStore?: LotStoreRef;
  save?: ProposalSaveRef;
  pacer: Pacer | null;
  work: { packed: RebalanceChunk; transfer: ArrayBuffer[] } | { accounts: AccountsChunk };
}

export class LotSourceError extends Error {
  override name = 'LotSourceError';
}

/** Accounts grouped by household (households in first-seen order), so chunkByGroup keeps households whole. */
export function groupByHousehold(accounts: readonly Account[]): Account[] {
  const groups = new Map<string, Account[]>();
  for (const a of accounts) {
    const g = groups.get(a.householdId);
    if (g) g.push(a); else groups.set(a.householdId, [a]);
  }
  return [...groups.values()].flat();
}

/**
 * `userActivity`: watches the user during a job, whom the workers yield to (default: this window's input; null: never
 * yield); `restRatio`: how long a worker rests after a chunk while the user is busy, per ms the chunk ran (pacer.ts).
 */
export function createRebalanceRunner(opts: { size?: number; createWorker?: () => Worker; userActivity?: (() => UserActivity) | null; restRatio?: number } = {}): RebalanceRunner {
  // One core stays with the UI thread (cores − 1 workers, at least one): on 2 cores, two busy workers stretch every
  // UI task two- to threefold, and the job is bound by reading and writing, not by computing.
  const cores = (typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 2) || 2;
  const size = Math.max(1, opts.size ?? cores - 1);
  const userActivity = opts.userActivity !== undefined ? opts.userActivity
    : typeof window !== 'undefined' ? () => watchUserActivity(window) : null;
  const createWorker = opts.createWorker
    ?? (() => new Worker(new URL('./rebalance.worker.ts', import.meta.url), { type: 'module', name: 'rebalance' }));
  let pool: WorkerPool<Task, SavedChunkOutput> | null = null;
  let version = 0;
  const getPool = (): WorkerPool<Task, SavedChunkOutput> => {
    pool ??= createWorkerPool<Task, SavedChunkOutput>(() => {
      const worker = createWorker();
      const remote = Comlink.wrap<RebalanceWorkerApi>(worker);
      let initialized = -1;
      const slot = {}; // this worker, as the pacer knows it
      return {
        async run(task) {
          if (initialized !== task.version) {
            await remote.init(task.context, task.lotStore);
            initialized = task.version;
          }
          await task.pacer?.rest(slot);
          const t0 = performance.now();
          try {
            if ('accounts' in task.work) return await remote.runAccounts(task.work.accounts, task.save);
            return await remote.run(Comlink.transfer(task.work.packed, task.work.transfer));
          } finally {
            task.pacer?.ran(slot, performance.now() - t0);
          }
        },
        terminate() {
          remote[Comlink.releaseProxy]();
          worker.terminate();
        },
      };
    }, size);
    return pool;
  };
  /** Runs `use` on a worker of its own (not the pool's), ended afterwards; an abort (ReadAbortedError) ends it quietly. */
  const inOwnWorker = async (use: (remote: Comlink.Remote<RebalanceWorkerApi>) => Promise<unknown>): Promise<void> => {
    const worker = createWorker();
    const remote = Comlink.wrap<RebalanceWorkerApi>(worker);
    try {
      await use(remote);
    } catch (err) {
      if (!(err instanceof ReadAbortedError)) throw err;
    } finally {
      remote[Comlink.releaseProxy]();
      worker.terminate();
    }
  };
  const kill = (): void => {
    const p = pool;
    pool = null;
    void p?.terminate().catch(() => undefined);
  };

  return {
    size,
    async run(input) {
      const { lotStore, loadLots, save, write } = input;
      if (!lotStore && !loadLots) throw new LotSourceError('a bulk rebalance needs lotStore or loadLots');
      if (save ? !lotStore : !write) throw new LotSourceError('a bulk rebalance saves its proposals in the workers (save, with lotStore) or here (write)');
      const accounts = groupByHousehold(input.accounts);
      const ranges = chunkByGroup(accounts.map((a) => a.householdId), input.chunkAccounts ?? DEFAULT_CHUNK_ACCOUNTS);
      const households = new Map(input.households.map((h) => [h.id, h]));
      const jobVersion = ++version;
      const p = getPool();
      const onAbort = () => kill();
      input.signal?.addEventListener('abort', onAbort, { once: true });
      const activity = userActivity?.() ?? null;
      // A cancel ends a rest at once.
      const pacer = activity ? createPacer({ busy: () => activity.busy() && !input.signal?.aborted, ratio: opts.restRatio }) : null;
      try {
        const summary = await runJob({
          // One chunk more than workers: the next chunk is queued while one computes (and, with `write`, while the last
          // one is written on the UI thread).
          chunks: ranges, sizeOf: (r) => r.end - r.start, concurrency: p.size + 1, signal: input.signal,
          execute: async (r) => {
            const slice = accounts.slice(r.start, r.end);
            const hh = [...new Set(slice.map((a) => a.householdId))].map((id) => {
              const h = households.get(id);
              return { id, taxBracket: h?.taxBracket ?? 0.24 };
            });
            let work: Task['work'];
            if (lotStore) work = { accounts: { households: hh, accounts: slice, lotChanges: input.lotChanges?.() } };
            else {
              const lots = await loadLots!(slice);
              const byAccount = new Map<string, TaxLot[]>();
              for (const l of lots) {
                const list = byAccount.get(l.accountId);
                if (list) list.push(l); else byAccount.set(l.accountId, [l]);
              }
              const { chunk, transfer } = packChunk(hh, slice, (id) => byAccount.get(id) ?? []);
              work = { packed: chunk, transfer };
            }
            const out = await p.run({ version: jobVersion, context: input.context, lotStore, save, pacer, work });
            if (input.signal?.aborted) throw new JobCancelledError({ chunksDone: 0, chunksTotal: ranges.length, itemsDone: 0, itemsTotal: accounts.length, elapsedMs: 0, etaMs: NaN });
            if (!save) out.saved = await write!(out);
            return out;
          },
          onResult: (out, _i, progress) => input.onChunk?.(out, progress),
        });
        return { ...summary, restedMs: pacer?.restedMs ?? 0 };
      } finally {
        activity?.stop();
        input.signal?.removeEventListener('abort', onAbort);
      }
    },
    async prepareLots(ref, signal) {
      await inOwnWorker((remote) => abortable(remote.prepareLots(ref), signal, readAborted));
    },
    async readProposals(ref, afterId, onPage, opts = {}) {
      const pageSize = Math.max(1, opts.pageSize ?? 2000);
      let n = 0;
      await inOwnWorker(async (remote) => {
        let next = remote.readProposals(ref, afterId, pageSize);
        for (;;) {
          const page = await abortable(next, opts.signal, readAborted);
          // The next page is read while this one is shown.
          if (page.next !== null) {
            next = remote.readProposals(ref, page.next, pageSize);
            next.catch(() => undefined); // awaited on the next turn; never an unhandled rejection meanwhile
          }
          if (page.listings.length > 0) onPage(page.listings);
          n += page.listings.length;
          if (page.next === null) break;
        }
        await abortable(remote.closeProposals(), opts.signal, readAborted);
      });
      return n;
    },
    terminate: kill,
  };
}
