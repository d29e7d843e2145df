// The inbox runtime on a real RxDB book (memory storage, schema-validated writes): the first read lists the team's
// non-draft proposals with their submit time; then what replication would write (status changes, audit records,
// the custodian's transactions) updates the rows live; a bulk decision goes through the API in chunks with its
// progress and outcome in the store; the drawer's live view follows the proposal, its audit trail and its fills.
import { afterEach, describe, expect, it } from 'vitest';
import { sampleBookDocs, type ApprovalRecord, type Proposal, type Transaction } from '@aw/domain';
import type { BookDatabase } from '../../db/book-db.ts';
import { openTestDb } from '../../test-support.ts';
import { nameLookup } from '../rebalance/review-rows.ts';
import type { ApprovalsApi } from './approvals-api.ts';
import { createApprovalsController, type ProposalView } from './approvals-controller.ts';
import { createApprovalsStore, type ApprovalsStore } from './approvals-store.ts';

const sample = sampleBookDocs();
const T = sample.proposals.updatedAt;
const prop = (id: string, over: Partial<Proposal> = {}): Proposal => ({ ...structuredClone(sample.proposals), id, ...over });
const rec = (id: string, proposalId: string, over: Partial<ApprovalRecord> = {}): ApprovalRecord => ({ ...sample.approvals, id, proposalId, ...over });
const tx = (id: string, proposalId: string, status: Transaction['status'], updatedAt: number): Transaction => ({ ...sample.transactions, id, proposalId, status, updatedAt });

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => { for (const c of cleanups.splice(0)) await c(); });

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
};

async function setup(api: Partial<ApprovalsApi> = {}): Promise<{ db: BookDatabase; store: ApprovalsStore; controller: ReturnType<typeof createApprovalsController> }> {
  const db = await openTestDb();
  cleanups.push(() => db.remove());
  await db.proposals.bulkInsert([prop('p-1', { updatedAt: T + 10 }), prop('p-2', { status: 'draft' }), prop('p-3', { status: 'stale' })]);
  await db.approvals.bulkInsert([rec('ap-1', 'p-1', { at: T + 5 })]);
  const store = createApprovalsStore();
  const names = nameLookup([sample.accounts], [sample.households], [sample.models]);
  const controller = createApprovalsController({
    db, store, names: () => names, chunkSize: 2,
    api: { postChunk: async () => ({ results: [] }), blotterCsv: async () => '', ...api },
  });
  cleanups.push(() => controller.stop());
  return { db, store, controller };
}

describe('approvals controller', () => {
  it('lists the non-draft proposals with names and the submit time of the audit record', async () => {
    const { store, controller } = await setup();
    await controller.ensureLoaded();
    const rows = store.getState().rows;
    expect([...rows.keys()].sort()).toEqual(['p-1', 'p-3']);
    expect(rows.get('p-1')).toMatchObject({ account: 'Joint brokerage', household: 'Rivera Family', model: 'Moderate', author: 'alice', submittedAt: T + 5 });
    expect(rows.get('p-3')).toMatchObject({ stale: true, status: 'stale' });
    expect(store.getState().change.kind).toBe('reset');
  });

  it('follows replicated changes live: submits, decisions and the custodian filling trades', async () => {
    const { db, store, controller } = await setup();
    await controller.ensureLoaded();
    // The author submits the draft (and the server's audit record arrives).
    await db.proposals.upsert(prop('p-2', { status: 'submitted', updatedAt: T + 20 }));
    await db.approvals.insert(rec('ap-2', 'p-2', { at: T + 21 }));
    await until(() => store.getState().rows.get('p-2')?.submittedAt === T + 21, 'the submitted draft to appear');
    // A reviewer's approval, then the fills.
    await db.proposals.upsert(prop('p-1', { status: 'approved', approverId: 'u-carol', decidedAt: T + 30, batchId: 'b-1', updatedAt: T + 30 }));
    await db.transactions.bulkInsert([tx('t-1', 'p-1', 'pending', T + 31), tx('t-2', 'p-1', 'pending', T + 31)]);
    await until(() => store.getState().rows.get('p-1')?.execution === '0 of 2 completed · 2 pending', 'pending fills');
    expect(store.getState().rows.get('p-1')).toMatchObject({ status: 'approved', approver: 'carol' });
    await db.transactions.bulkUpsert([tx('t-1', 'p-1', 'completed', T + 40), tx('t-2', 'p-1', 'completed', T + 40)]);
    await db.proposals.upsert(prop('p-1', { status: 'executed', approverId: 'u-carol', executedAt: T + 41, batchId: 'b-1', updatedAt: T + 41 }));
    await until(() => store.getState().rows.get('p-1')?.status === 'executed', 'executed status');
    expect(store.getState().rows.get('p-1')?.execution).toBe('2 of 2 completed');
    // Withdrawn back to draft: leaves the inbox.
    await db.proposals.upsert(prop('p-2', { status: 'draft', updatedAt: T + 50 }));
    await until(() => !store.getState().rows.has('p-2'), 'the withdrawn proposal to leave');
  });

  it('runs a bulk decision in chunks with progress and keeps the outcome', async () => {
    const sent: string[][] = [];
    const { store, controller } = await setup({
      postChunk: async (_d, ids, comment) => {
        sent.push([...ids, comment]);
        return { results: ids.map((id) => (id === 'p-3' ? { id, ok: false, changed: false, code: 'stale', message: 'stale', status: 'stale' as const } : { id, ok: true, changed: true, status: 'approved' as const })), batchId: 'b-9' };
      },
    });
    const progress: number[] = [];
    const unsub = store.subscribe((s) => { if (s.run.progress) progress.push(s.run.progress.done); });
    const o = await controller.decide(['p-1', 'p-3', 'p-4'], 'approve', 'fine');
    unsub();
    expect(sent).toEqual([['p-1', 'p-3', 'fine'], ['p-4', 'fine']]);
    expect([...new Set(progress)]).toEqual([0, 2, 3]);
    expect(o.changed).toEqual(['p-1', 'p-4']);
    expect(store.getState().run).toMatchObject({ status: 'done', decision: 'approve' });
    expect(store.getState().run.outcome?.failed[0]).toMatchObject({ id: 'p-3', code: 'stale' });
    expect(o.batchIds).toEqual(['b-9']);
  });

  it('gives the drawer a live view of a proposal, its audit trail and its fills', async () => {
    const { db, controller } = await setup();
    const views: ProposalView[] = [];
    const stop = controller.watchProposal('p-1', (v) => views.push(v));
    await until(() => views.length > 0, 'the first view');
    expect(views.at(-1)).toMatchObject({ proposal: { id: 'p-1', status: 'submitted' }, audit: [{ id: 'ap-1' }], transactions: [] });
    await db.approvals.insert(rec('ap-2', 'p-1', { action: 'approve', actorId: 'u-carol', comment: 'ok', fromStatus: 'submitted', toStatus: 'approved', at: T + 30 }));
    await db.transactions.insert(tx('t-1', 'p-1', 'processing', T + 31));
    await until(() => views.at(-1)!.audit.length === 2 && views.at(-1)!.transactions.length === 1, 'the approval and the fill');
    expect(views.at(-1)!.audit[1]).toMatchObject({ actorId: 'u-carol', comment: 'ok' });
    stop();
  });
});
