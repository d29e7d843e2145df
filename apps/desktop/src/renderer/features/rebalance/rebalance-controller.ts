// The rebalance screen's runtime: owns the worker runner, keeps the review rows in step with RxDB (first a paged
// read of every proposal, then the collection's change events — the bulk job's inserts, submits and the statuses
// replication brings), and exposes the commands the UI calls: start / cancel a bulk job, submit a selection,
// read one proposal for the trade drawer. `stop()` ends the subscription and the workers (effect cleanup).
import type { Proposal } from '@aw/domain';
import type { BookDatabase } from '../../db/book-db.ts';
import type { AppStore } from '../../stores/app-store.ts';
import { createRebalanceRunner, type RebalanceRunner } from '../../workers/rebalance-client.ts';
import { loadProposalRows, runBulkRebalance, submitProposals, type AccountScope, type BulkJobResult } from './rebalance-job.ts';
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

export function createRebalanceController(deps: { db: BookDatabase; store: AppStore; runner?: RebalanceRunner }): RebalanceController {
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

  // Change events → row adds/updates, one store update per write batch.
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
  // Names change rarely; recompute lazily after a book change.
  const unsubBook = store.subscribe((s, prev) => {
    if (s.book !== prev.book) lookup = null;
  });

  return {
    ensureLoaded() {
      loading ??= (async () => {
        lookup = names();
        await loadProposalRows(db, lookup, (rows, first) => {
          const fresh = rows.filter((r) => !known.has(r.id));
          for (const r of fresh) known.add(r.id);
          if (first) act().rebalanceRowsReset([...act().rebalance.rows.filter((r) => known.has(r.id)), ...fresh]);
          else act().rebalanceRowsAdded(fresh);
        }, { signal: stopCtrl.signal });
      })();
      return loading;
    },
    async start(scope) {
      jobCtrl?.abort();
      const ctrl = new AbortController();
      jobCtrl = ctrl;
      void this.ensureLoaded();
      try {
        return await runBulkRebalance({ db, store, runner }, scope, ctrl.signal);
      } finally {
        if (jobCtrl === ctrl) jobCtrl = null;
      }
    },
    cancel() {
      jobCtrl?.abort();
    },
    async submit(ids) {
      const rows = await submitProposals(db, ids, lookup ?? names());
      return rows.length;
    },
    async proposal(id) {
      const doc = await db.proposals.findOne(id).exec();
      return doc ? (doc.toJSON() as Proposal) : null;
    },
    stop() {
      stopCtrl.abort();
      jobCtrl?.abort();
      sub.unsubscribe();
      unsubBook();
      runner.terminate();
    },
  };
}
