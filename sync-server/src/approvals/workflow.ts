// Proposal workflow on the server: draft → submitted → approved | rejected → executed (| expired, | stale).
// Decisions (submit, approve, reject) for many proposals at once, all inside the feature's single write queue:
// read the proposals and their accounts in one batch each, judge every id, write the changed proposals in chunks
// with their previous state (a concurrent change answers `conflict`), then append one audit record per applied
// transition. Rules:
// - four-eyes: approve/reject needs role reviewer (or admin) of the proposal's team, never the proposal's author;
// - stale: approving a proposal whose account's accountRevision moved since the proposal was computed marks it
//   `stale` (audited) and answers 409 `stale`;
// - idempotent: a decision already in effect answers ok with the current state, writes nothing, audits nothing.
// Times epoch milliseconds.
import { randomUUID } from 'node:crypto';
import type { Account, ApprovalAction, ApprovalRecord, Proposal, ProposalStatus } from '@aw/domain';
import type { AuthUser } from '../context.ts';
import { auditRecord, SYSTEM_ACTOR } from './audit.ts';
import { coll, findStored, plain, queryStored, writeChunked, type Stored, type WriteRow } from './book-io.ts';
import type { RxDatabase } from 'rxdb';
import type { WriteQueue } from './write-queue.ts';

export type Decision = 'submit' | 'approve' | 'reject';

export interface DecisionResult {
  id: string;
  ok: boolean;
  /** The proposal's status after the call (absent when the caller may not see the proposal). */
  status?: ProposalStatus;
  /** True when the call changed the proposal (false for an idempotent repeat or an error). */
  changed: boolean;
  code?: string;
  message?: string;
  /** HTTP status the single-proposal routes answer with. */
  httpStatus: number;
  batchId?: string;
}

export interface WorkflowDeps {
  book: RxDatabase<any>;
  queue: WriteQueue;
  now: () => number;
}

const TARGET: Record<Decision, ProposalStatus> = { submit: 'submitted', approve: 'approved', reject: 'rejected' };
/** Statuses in which a repeat of the decision is a no-op. */
const ALREADY: Record<Decision, readonly ProposalStatus[]> = {
  submit: ['submitted'],
  approve: ['approved', 'executed'],
  reject: ['rejected'],
};
const FROM: Record<Decision, ProposalStatus> = { submit: 'draft', approve: 'submitted', reject: 'submitted' };

export function mayDecide(user: AuthUser, decision: Decision): string | null {
  if (decision === 'submit') {
    return user.role === 'advisor' || user.role === 'admin' ? null : `role ${user.role} may not submit proposals (advisors submit, reviewers decide)`;
  }
  return user.role === 'reviewer' || user.role === 'admin'
    ? null
    : `role ${user.role} may not ${decision} proposals: a reviewer of the proposal's team decides (four-eyes rule)`;
}

const fail = (id: string, httpStatus: number, code: string, message: string, status?: ProposalStatus): DecisionResult => ({ id, ok: false, changed: false, httpStatus, code, message, status });

/** Applies `decision` by `user` to every id (role already checked with mayDecide). One result per id, in order. */
export async function decide(deps: WorkflowDeps, user: AuthUser, decision: Decision, ids: string[], comment: string): Promise<DecisionResult[]> {
  return deps.queue.run(async () => {
    const proposals = coll(deps.book, 'proposals');
    const stored = await findStored<Proposal>(proposals, ids);
    const now = deps.now();
    const batchId = decision === 'approve' ? `batch-${now}-${randomUUID().slice(0, 8)}` : '';
    const results = new Map<string, DecisionResult>();
    const candidates: Stored<Proposal>[] = [];
    for (const id of ids) {
      if (results.has(id)) continue;
      const p = stored.get(id);
      if (!p || (user.role !== 'admin' && p.teamId !== user.teamId)) {
        results.set(id, fail(id, 404, 'not_found', `proposal ${id} not found in your team`));
        continue;
      }
      if (ALREADY[decision].includes(p.status)) {
        results.set(id, { id, ok: true, changed: false, status: p.status, httpStatus: 200, batchId: p.batchId || undefined });
        continue;
      }
      if (decision !== 'submit' && p.authorId === user.userId) {
        results.set(id, fail(id, 403, 'four_eyes', `you wrote proposal ${id}: under the four-eyes rule another reviewer must ${decision} it`, p.status));
        continue;
      }
      if (p.status !== FROM[decision]) {
        results.set(id, fail(id, 409, 'invalid_state', `proposal ${id} is ${p.status}: only ${FROM[decision]} proposals can be ${decision === 'submit' ? 'submitted' : `${decision}d`}`, p.status));
        continue;
      }
      candidates.push(p);
    }

    // Stale check: one batched read of the candidates' accounts.
    const staleIds = new Set<string>();
    if (decision === 'approve' && candidates.length) {
      const accounts = await findStored<Account>(coll(deps.book, 'accounts'), [...new Set(candidates.map((p) => p.accountId))]);
      for (const p of candidates) {
        const a = accounts.get(p.accountId);
        if (!a || a.accountRevision !== p.accountRevision) staleIds.add(p.id);
      }
    }

    const rows: WriteRow<Proposal>[] = [];
    const audits = new Map<string, ApprovalRecord>();
    for (const p of candidates) {
      const stale = staleIds.has(p.id);
      const to: ProposalStatus = stale ? 'stale' : TARGET[decision];
      const action: ApprovalAction = stale ? 'stale' : decision;
      const next: Proposal = { ...plain(p), status: to, updatedAt: Math.max(now, p.updatedAt) };
      if (decision !== 'submit' && !stale) Object.assign(next, { approverId: user.userId, decidedAt: now });
      if (decision === 'approve' && !stale) next.batchId = batchId;
      rows.push({ previous: p, document: next });
      const why = stale ? `account ${p.accountId} changed since the proposal was computed (revision ${p.accountRevision})` : comment;
      audits.set(p.id, auditRecord(p, action, user.userId, p.status, to, now, why));
    }
    const outcome = await writeChunked(proposals, rows, deps.queue);
    const appended = [...audits.values()].filter((a) => outcome.written.has(a.proposalId));
    await writeChunked(coll(deps.book, 'approvals'), appended.map((document) => ({ document })), deps.queue);

    for (const p of candidates) {
      if (outcome.conflicts.has(p.id)) {
        results.set(p.id, fail(p.id, 409, 'conflict', `proposal ${p.id} changed while it was being decided; reload it and try again`, p.status));
      } else if (staleIds.has(p.id)) {
        results.set(p.id, fail(p.id, 409, 'stale', `proposal ${p.id} is stale: account ${p.accountId} changed since it was computed; recompute the proposal`, 'stale'));
      } else {
        results.set(p.id, { id: p.id, ok: true, changed: true, status: TARGET[decision], httpStatus: 200, batchId: batchId || undefined });
      }
    }
    return [...new Set(ids)].map((id) => results.get(id)!);
  });
}

/** Submitted proposals not updated for `ttlMs` become expired (audited, actor "system"); returns how many. */
export async function expireSubmitted(deps: WorkflowDeps, ttlMs: number): Promise<number> {
  return deps.queue.run(async () => {
    const proposals = coll(deps.book, 'proposals');
    const now = deps.now();
    let total = 0;
    for (;;) {
      const due = await queryStored<Proposal>(proposals, { status: 'submitted', updatedAt: { $lt: now - ttlMs } }, [{ updatedAt: 'asc' }], 1000);
      if (!due.length) return total;
      const outcome = await writeChunked(proposals, due.map((p) => ({ previous: p, document: { ...plain(p), status: 'expired' as const, updatedAt: now } })), deps.queue);
      const audits = due.filter((p) => outcome.written.has(p.id))
        .map((p) => auditRecord(p, 'expire', SYSTEM_ACTOR, 'submitted', 'expired', now, `not decided within ${formatDuration(ttlMs)} of submission`));
      await writeChunked(coll(deps.book, 'approvals'), audits.map((document) => ({ document })), deps.queue);
      total += outcome.written.size;
      if (due.length < 1000 || outcome.written.size === 0) return total;
    }
  });
}

function formatDuration(ms: number): string {
  if (ms >= 86_400_000) return `${+(ms / 86_400_000).toFixed(2)} days`;
  if (ms >= 3_600_000) return `${+(ms / 3_600_000).toFixed(2)} hours`;
  return `${Math.max(1, Math.round(ms / 1000))} s`;
}
