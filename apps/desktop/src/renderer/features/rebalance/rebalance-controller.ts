// The rebalance screen's runtime: owns the worker runner, keeps the review rows in step with RxDB (first every
// proposal — a first screenful read here in one IndexedDB request so the grid paints at once, the rest streamed
// from a worker in pages — and every draft of the draft packs; then both collections' change events: the bulk
// job's packs, submits and the statuses replication brings), and exposes the commands the UI calls: start / cancel
// a bulk job, submit a selection, read one proposal for the trade drawer. A draft that was submitted is a proposal
// document too: the proposal's row wins. `stop()` ends the subscriptions and the workers (effect cleanup).
import type { Proposal } from '@aw/domain';
import type { BookDatabase } from '../../db/book-db.ts';
import { draftPacksOf, readAllPacks, readDrafts, type DraftPack } from '../../db/draft-packs.ts';
import type { AppStore } from '../../stores/app-store.ts';
import { createRebalanceRunner, type ProposalListing, type RebalanceRunner } from '../../workers/rebalance-client.ts';
import { proposalReaderOf } from '../../workers/rebalance-rows.ts';
import { lotStoreOf, proposalStoreOf, runBulkRebalance, submitProposals, type AccountScope, type BulkJobResult } from './rebalance-job.ts';
import { nameLookup, reviewRow, type NameLookup, type ReviewRow } from './review-rows.ts';

export interface RebalanceController {
  /** Reads the proposals into the review rows once (first call only). */
  ensureLoaded(): Promise<void>;
  start(scope: AccountScope): Promise<BulkJobResult>;
  cancel(): void;
  submit(ids: readonly string[]): Promise<number>;
  proposal(id: string): Promise<Proposal | null>;
  stop(): void;
}

/** Proposals read on the UI thread before the worker streams the rest: a screenful and then some. */
const FIRST_PAGE = 100;

/** `writeBatch`: proposals per bulkInsert of a bulk job (default UI_WRITE_BATCH; the ui bench compares sizes). */
export function createRebalanceController(deps: { db: BookDatabase; store: AppStore; runner?: RebalanceRunner; writeBatch?: number }): RebalanceController {
  const { db, store } = deps;
  const runner = deps.runner ?? createRebalanceRunner();
  const act = () => store.getState();
  const known = new Set<string>();
  const names = (): NameLookup => {
    const { accounts, households, models } = act().book;
    return nameLookup(accounts, households, models);
  };
  let loading: Promise<void> | null = null;
  let jobCtrl: AbortController | null = null;
  const stopCtrl = new AbortController();

  // Change events → row adds/updates, one store update per write.
  let lookup: NameLookup | null = null;
  const sub = db.proposals.eventBulks$.subscribe((bulk) => {
    if (!loading) return; // rows not shown yet: the first load reads everything
    lookup ??= names();
    const added: ReviewRow[] = [];
    const updated: ReviewRow[] = [];
    for (const e of bulk.events) {
      if (e.operation === 'DELETE') continue;
      const row = reviewRow(e.documentData as unknown as Proposal, lookup);
      if (known.has(row.id)) updated.push(row);
      else { known.add(row.id); added.push(row); }
    }
    act().rebalanceRowsAdded(added);
    act().rebalanceRowsUpdated(updated);
  });
  // Which pack holds each listed draft: the trade drawer and a submit read just those packs.
  const packOfDraft = new Map<string, string>();
  const packOf = (id: string) => packOfDraft.get(id);
  /** The pack's drafts not listed yet, now listed. */
  const freshDrafts = (pack: DraftPack): ProposalListing[] => {
    const out = pack.listings.filter((d) => !known.has(d.id));
    for (const d of out) { known.add(d.id); packOfDraft.set(d.id, pack.id); }
    return out;
  };
  // Drafts of new packs: rows for those not listed yet (a proposal of the same id is newer).
  const packSub = draftPacksOf(db).eventBulks$.subscribe((bulk) => {
    if (!loading) return;
    lookup ??= names();
    const l = lookup;
    const drafts = bulk.events.filter((e) => e.operation === 'INSERT').flatMap((e) => freshDrafts(e.documentData as unknown as DraftPack));
    act().rebalanceRowsAdded(drafts.map((d) => reviewRow(d, l)));
  });
  // Names change rarely; recompute lazily after a book change.
  const unsubBook = store.subscribe((s, prev) => {
    if (s.book !== prev.book) lookup = null;
  });

  return {
    ensureLoaded() {
      loading ??= (async () => {
        lookup = names();
        const l = lookup;
        const fresh = (listings: ProposalListing[]) => {
          const rows = listings.filter((p) => !known.has(p.id)).map((p) => reviewRow(p, l));
          for (const r of rows) known.add(r.id);
          return rows;
        };
        // The first screenful here (one IndexedDB request), the rest from a worker.
        const reader = await proposalReaderOf(db.proposals.internalStorageInstance, db.proposals.schema.jsonSchema);
        const first = await reader.page('', FIRST_PAGE);
        if (stopCtrl.signal.aborted) return;
        act().rebalanceRowsReset([...act().rebalance.rows.filter((r) => known.has(r.id)), ...fresh(first.listings)]);
        if (first.next !== null) {
          await runner.readProposals(proposalStoreOf(db), first.next, (listings) => act().rebalanceRowsAdded(fresh(listings)),
            { signal: stopCtrl.signal });
        }
        // Then the drafts of the packs, a few packs per read.
        await readAllPacks(db, (pack) => act().rebalanceRowsAdded(freshDrafts(pack).map((d) => reviewRow(d, l))), stopCtrl.signal);
        // Then, off the UI thread, the lot packs the bulk job's workers read (built once per book; no-op when fresh).
        if (!stopCtrl.signal.aborted) void runner.prepareLots(lotStoreOf(db), stopCtrl.signal).catch(() => undefined);
      })();
      return loading;
    },
    async start(scope) {
      jobCtrl?.abort();
      const ctrl = new AbortController();
      jobCtrl = ctrl;
      void this.ensureLoaded();
      try {
        return await runBulkRebalance({ db, store, runner, writeBatch: deps.writeBatch }, scope, ctrl.signal);
      } finally {
        if (jobCtrl === ctrl) jobCtrl = null;
      }
    },
    cancel() {
      jobCtrl?.abort();
    },
    async submit(ids) {
      const rows = await submitProposals(db, ids, lookup ?? names(), { packOf });
      return rows.length;
    },
    async proposal(id) {
      const doc = await db.proposals.findOne(id).exec();
      return doc ? (doc.toJSON() as Proposal) : (await readDrafts(db, [id], packOf)).get(id) ?? null;
    },
    stop() {
      stopCtrl.abort();
      jobCtrl?.abort();
      sub.unsubscribe();
      packSub.unsubscribe();
      unsubBook();
      runner.terminate();
    },
  };
}
