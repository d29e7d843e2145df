// The approvals inbox's runtime: keeps the inbox rows in step with the replicated book (RxDB is the source of
// truth): the team's non-draft proposals, the audit records (submit time), and the custodian's transactions of
// approved proposals (execution progress). First one paged read of each, then the collections' change events:
// whatever replication brings (statuses, new submits, fills) updates the rows live, batched into one store update
// per 100 ms. Commands: the bulk approve / reject through the server (chunked, with progress), a live view of one
// proposal for the drawer (proposal, audit trail, transactions), and the blotter CSV of a batch.
import type { ApprovalRecord, Proposal, Transaction, TransactionStatus } from '@aw/domain';
import { combineLatest, type Subscription } from 'rxjs';
import type { BookDatabase } from '../../db/book-db.ts';
import type { NameLookup } from '../rebalance/review-rows.ts';
import type { ApprovalsApi } from './approvals-api.ts';
import type { ApprovalsStore } from './approvals-store.ts';
import { runBulkDecision, type Decision, type DecisionOutcome } from './bulk-decisions.ts';
import { countFills, inboxRow, INBOX_STATUSES, isInboxStatus, type InboxProposal, type InboxRow } from './inbox-rows.ts';

export interface ProposalView {
  proposal: Proposal | null;
  audit: ApprovalRecord[];
  transactions: Transaction[];
}

export interface ApprovalsController {
  /** Reads the inbox once (first call only), then keeps it live. */
  ensureLoaded(): Promise<void>;
  decide(ids: readonly string[], decision: Decision, comment: string): Promise<DecisionOutcome>;
  cancelDecision(): void;
  /** Live view of one proposal: `onChange` runs now and on every change of it, its audit trail or its fills. */
  watchProposal(id: string, onChange: (view: ProposalView) => void): () => void;
  blotterCsv(batchId: string): Promise<string>;
  stop(): void;
}

const PAGE = 2000;
const FLUSH_MS = 100;

export function createApprovalsController(deps: {
  db: BookDatabase;
  store: ApprovalsStore;
  api: ApprovalsApi;
  names: () => NameLookup;
  /** Ids per bulk call (default 500). */
  chunkSize?: number;
}): ApprovalsController {
  const { db, store, api } = deps;
  const proposals = new Map<string, InboxProposal>();
  const submits = new Map<string, { at: number; id: string }>();
  const txs = new Map<string, { proposalId: string; status: TransactionStatus; updatedAt: number }>();
  const fillsOf = new Map<string, Set<string>>();
  const shown = new Set<string>();
  const dirty = new Set<string>();
  let loaded = false;
  let loading: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let runCtrl: AbortController | null = null;
  const stopCtrl = new AbortController();

  const putProposal = (p: Proposal) => {
    const prev = proposals.get(p.id);
    if (prev && prev.updatedAt > p.updatedAt) return;
    proposals.set(p.id, p);
    dirty.add(p.id);
  };
  const putRecord = (r: ApprovalRecord) => {
    if (r.action !== 'submit') return;
    const prev = submits.get(r.proposalId);
    if (prev && (prev.at > r.at || (prev.at === r.at && prev.id >= r.id))) return;
    submits.set(r.proposalId, { at: r.at, id: r.id });
    dirty.add(r.proposalId);
  };
  const putTx = (t: Transaction) => {
    if (!t.proposalId) return;
    const prev = txs.get(t.id);
    if (prev && prev.updatedAt > t.updatedAt) return;
    txs.set(t.id, { proposalId: t.proposalId, status: t.status, updatedAt: t.updatedAt });
    let set = fillsOf.get(t.proposalId);
    if (!set) fillsOf.set(t.proposalId, (set = new Set()));
    set.add(t.id);
    dirty.add(t.proposalId);
  };

  const rowOf = (p: InboxProposal, names: NameLookup): InboxRow => {
    const sub = submits.get(p.id);
    const fills = countFills([...(fillsOf.get(p.id) ?? [])].map((id) => txs.get(id)!));
    return inboxRow(p, names, sub?.at ?? (p.status === 'submitted' ? p.updatedAt : 0), fills);
  };

  const flush = () => {
    timer = null;
    if (!loaded || dirty.size === 0) return;
    const names = deps.names();
    const added: InboxRow[] = [];
    const updated: InboxRow[] = [];
    const removed: InboxRow[] = [];
    for (const id of dirty) {
      const p = proposals.get(id);
      const show = !!p && isInboxStatus(p.status);
      if (!show) {
        if (shown.delete(id)) removed.push(store.getState().rows.get(id)!);
        continue;
      }
      const row = rowOf(p, names);
      if (shown.has(id)) updated.push(row);
      else { shown.add(id); added.push(row); }
    }
    dirty.clear();
    const s = store.getState();
    s.rowsChanged('add', added);
    s.rowsChanged('update', updated);
    s.rowsChanged('remove', removed.filter(Boolean));
  };
  const schedule = () => {
    if (loaded && !timer) timer = setTimeout(flush, FLUSH_MS);
  };

  // Change events first (nothing is missed while the first read runs), applied after it.
  const subs: Subscription[] = [
    db.proposals.eventBulks$.subscribe((b) => {
      for (const e of b.events) if (e.operation !== 'DELETE') putProposal(e.documentData as unknown as Proposal);
      schedule();
    }),
    db.approvals.eventBulks$.subscribe((b) => {
      for (const e of b.events) if (e.operation !== 'DELETE') putRecord(e.documentData as unknown as ApprovalRecord);
      schedule();
    }),
    db.transactions.eventBulks$.subscribe((b) => {
      for (const e of b.events) if (e.operation !== 'DELETE') putTx(e.documentData as unknown as Transaction);
      schedule();
    }),
  ];

  async function readPaged<T>(find: (after: string) => Promise<T[]>, key: (d: T) => string, put: (d: T) => void): Promise<void> {
    let after = '';
    while (!stopCtrl.signal.aborted) {
      const docs = await find(after);
      for (const d of docs) put(d);
      if (docs.length < PAGE) return;
      after = key(docs[docs.length - 1]!);
      await new Promise((r) => setTimeout(r, 0));
    }
  }

  return {
    ensureLoaded() {
      loading ??= (async () => {
        const statuses = [...INBOX_STATUSES];
        await Promise.all([
          readPaged(async (after) => (await db.proposals.find({ selector: { status: { $in: statuses }, ...(after ? { id: { $gt: after } } : {}) }, sort: [{ id: 'asc' }], limit: PAGE }).exec())
            .map((d) => d._data as unknown as Proposal), (p) => p.id, putProposal),
          readPaged(async (after) => (await db.approvals.find({ selector: { action: 'submit', ...(after ? { id: { $gt: after } } : {}) }, sort: [{ id: 'asc' }], limit: PAGE }).exec())
            .map((d) => d._data as unknown as ApprovalRecord), (r) => r.id, putRecord),
          readPaged(async (after) => (await db.transactions.find({ selector: { proposalId: { $gt: '' }, ...(after ? { id: { $gt: after } } : {}) }, sort: [{ id: 'asc' }], limit: PAGE }).exec())
            .map((d) => d._data as unknown as Transaction), (t) => t.id, putTx),
        ]);
        if (stopCtrl.signal.aborted) return;
        const names = deps.names();
        const rows: InboxRow[] = [];
        for (const p of proposals.values()) {
          if (!isInboxStatus(p.status)) continue;
          shown.add(p.id);
          rows.push(rowOf(p, names));
        }
        dirty.clear();
        loaded = true;
        store.getState().rowsChanged('reset', rows);
        store.getState().setLoaded();
      })();
      return loading;
    },

    async decide(ids, decision, comment) {
      runCtrl?.abort();
      const ctrl = new AbortController();
      runCtrl = ctrl;
      const s = () => store.getState();
      s().updateRun({ status: 'running', decision, progress: null, outcome: null, error: '' });
      try {
        const outcome = await runBulkDecision({
          ids, decision, comment, post: api.postChunk, chunkSize: deps.chunkSize, signal: ctrl.signal,
          onProgress: (progress) => s().updateRun({ progress }),
        });
        s().updateRun({ status: 'done', outcome });
        return outcome;
      } catch (err) {
        s().updateRun({ status: 'error', error: (err as Error).message ?? String(err) });
        throw err;
      } finally {
        if (runCtrl === ctrl) runCtrl = null;
      }
    },

    cancelDecision() {
      runCtrl?.abort();
    },

    watchProposal(id, onChange) {
      const sub = combineLatest([
        db.proposals.findOne(id).$,
        db.approvals.find({ selector: { proposalId: id }, sort: [{ at: 'asc' }] }).$,
        db.transactions.find({ selector: { proposalId: id }, sort: [{ id: 'asc' }] }).$,
      ]).subscribe(([p, audit, fills]) => onChange({
        proposal: p ? (p.toJSON() as Proposal) : null,
        audit: audit.map((d) => d.toJSON() as ApprovalRecord),
        transactions: fills.map((d) => d.toJSON() as Transaction),
      }));
      return () => sub.unsubscribe();
    },

    blotterCsv: (batchId) => api.blotterCsv(batchId, stopCtrl.signal),

    stop() {
      stopCtrl.abort();
      runCtrl?.abort();
      if (timer) clearTimeout(timer);
      for (const s of subs) s.unsubscribe();
    },
  };
}
