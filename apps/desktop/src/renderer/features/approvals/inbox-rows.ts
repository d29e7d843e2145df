// Rows of the reviewer's approvals inbox: one flat row per non-draft proposal of the team (names resolved, the
// submit time and submitter from the replicated audit records, execution progress from the replicated
// transactions), the status badge each proposal status maps to, the inbox filter, and readable audit-trail lines.
// Money integer cents; times epoch ms; drift as weights.
import type { ApprovalRecord, Proposal, ProposalStatus, Transaction, TransactionStatus } from '@aw/domain';
import type { NameLookup } from '../rebalance/review-rows.ts';

export interface InboxRow {
  id: string;
  accountId: string;
  account: string;
  householdId: string;
  household: string;
  modelId: string;
  model: string;
  authorId: string;
  author: string;
  status: ProposalStatus;
  /** When the proposal was (last) submitted; 0 while unknown (the audit record has not arrived yet). */
  submittedAt: number;
  trades: number;
  buyCents: number;
  sellCents: number;
  estGainCents: number;
  estTaxCents: number;
  warnings: string;
  warningCount: number;
  /** True when the server marked the proposal stale (its account changed since it was computed). */
  stale: boolean;
  approver: string;
  decidedAt: number;
  batchId: string;
  /** Transactions of the proposal by status (filled by the simulated custodian after approval). */
  fills: FillCounts;
  /** e.g. "3 of 5 completed", '' before any transaction exists. */
  execution: string;
}

export type FillCounts = Record<TransactionStatus, number>;
export const NO_FILLS: FillCounts = Object.freeze({ pending: 0, processing: 0, completed: 0 }) as FillCounts;

export type InboxProposal = Pick<Proposal, 'id' | 'accountId' | 'householdId' | 'modelId' | 'authorId' | 'status' | 'trades' | 'buyCents' |
  'sellCents' | 'estGainCents' | 'estTaxCents' | 'warnings' | 'approverId' | 'decidedAt' | 'batchId' | 'updatedAt'>;

/** The statuses the inbox lists: everything that left the author's drafts. */
export const INBOX_STATUSES: readonly ProposalStatus[] = ['submitted', 'stale', 'approved', 'rejected', 'executed', 'expired'];

export const isInboxStatus = (s: ProposalStatus): boolean => s !== 'draft';

/** Display name of a user id (`u-alice` → alice; the server's own actor stays `system`). */
export const userLabel = (id: string): string => (id.startsWith('u-') ? id.slice(2) : id || '—');

export type BadgeTone = 'neutral' | 'pending' | 'good' | 'bad' | 'warn';

export interface StatusBadge {
  label: string;
  tone: BadgeTone;
  /** One sentence for the badge's tooltip: what the status means for the reviewer. */
  hint: string;
  /** A reviewer may approve or reject it now. */
  decidable: boolean;
}

export const STATUS_BADGES: Readonly<Record<ProposalStatus, StatusBadge>> = {
  draft: { label: 'draft', tone: 'neutral', hint: 'Not submitted: the author is still reviewing it.', decidable: false },
  submitted: { label: 'submitted', tone: 'pending', hint: 'Waiting for a reviewer to approve or reject it.', decidable: true },
  approved: { label: 'approved', tone: 'good', hint: 'Approved: the custodian is executing its trades.', decidable: false },
  rejected: { label: 'rejected', tone: 'bad', hint: 'Rejected by a reviewer; the author may recompute it.', decidable: false },
  executed: { label: 'executed', tone: 'good', hint: 'Every trade was filled by the custodian.', decidable: false },
  expired: { label: 'expired', tone: 'warn', hint: 'Not decided in time after submission.', decidable: false },
  stale: { label: 'stale', tone: 'warn', hint: 'The account changed since the proposal was computed: it must be recomputed.', decidable: false },
};

export function statusBadge(s: ProposalStatus): StatusBadge {
  return STATUS_BADGES[s] ?? { label: String(s), tone: 'neutral', hint: '', decidable: false };
}

export function countFills(txs: readonly Pick<Transaction, 'status'>[]): FillCounts {
  const c: FillCounts = { pending: 0, processing: 0, completed: 0 };
  for (const t of txs) c[t.status] = (c[t.status] ?? 0) + 1;
  return c;
}

export function executionLabel(f: FillCounts): string {
  const total = f.pending + f.processing + f.completed;
  if (total === 0) return '';
  if (f.completed === total) return `${total} of ${total} completed`;
  const parts = [`${f.completed} of ${total} completed`];
  if (f.processing) parts.push(`${f.processing} processing`);
  if (f.pending) parts.push(`${f.pending} pending`);
  return parts.join(' · ');
}

/** The latest submit record per proposal (when and by whom it entered the inbox). */
export function latestSubmits(records: Iterable<Pick<ApprovalRecord, 'proposalId' | 'action' | 'at' | 'actorId'>>): Map<string, { at: number; actorId: string }> {
  const out = new Map<string, { at: number; actorId: string }>();
  for (const r of records) {
    if (r.action !== 'submit') continue;
    const prev = out.get(r.proposalId);
    if (!prev || r.at >= prev.at) out.set(r.proposalId, { at: r.at, actorId: r.actorId });
  }
  return out;
}

export function inboxRow(p: InboxProposal, names: NameLookup, submittedAt: number, fills: FillCounts = NO_FILLS): InboxRow {
  return {
    id: p.id, accountId: p.accountId, account: names.accounts.get(p.accountId)?.name ?? p.accountId,
    householdId: p.householdId, household: names.households.get(p.householdId)?.name ?? p.householdId,
    modelId: p.modelId, model: names.models.get(p.modelId)?.name ?? (p.modelId || '(no model)'),
    authorId: p.authorId, author: userLabel(p.authorId), status: p.status, submittedAt,
    trades: p.trades.length, buyCents: p.buyCents, sellCents: p.sellCents, estGainCents: p.estGainCents, estTaxCents: p.estTaxCents,
    warnings: p.warnings.join(' · '), warningCount: p.warnings.length, stale: p.status === 'stale',
    approver: p.approverId ? userLabel(p.approverId) : '', decidedAt: p.decidedAt, batchId: p.batchId,
    fills, execution: executionLabel(fills),
  };
}

export interface InboxFilter {
  /** 'open' = waiting for a decision (submitted); 'all' = every inbox status; else one status. */
  status: 'open' | 'all' | ProposalStatus;
  warningsOnly: boolean;
  /** Only proposals by this author id ('' = anyone). */
  authorId: string;
}

export const DEFAULT_INBOX_FILTER: InboxFilter = { status: 'all', warningsOnly: false, authorId: '' };

export function passesInboxFilter(r: Pick<InboxRow, 'status' | 'warningCount' | 'authorId'>, f: InboxFilter): boolean {
  if (f.status === 'open' ? r.status !== 'submitted' : f.status !== 'all' && r.status !== f.status) return false;
  if (f.warningsOnly && r.warningCount === 0) return false;
  if (f.authorId && r.authorId !== f.authorId) return false;
  return true;
}

const ACTION_VERBS: Record<string, string> = {
  submit: 'submitted', approve: 'approved', reject: 'rejected', execute: 'executed', expire: 'expired', stale: 'marked stale',
};

export interface AuditLine {
  id: string;
  at: number;
  who: string;
  what: string;
  comment: string;
  toStatus: ProposalStatus;
}

/** The audit trail of one proposal, oldest first (records sort by time, then by id = write order). */
export function auditLines(records: readonly ApprovalRecord[]): AuditLine[] {
  return [...records]
    .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => ({
      id: r.id, at: r.at, who: userLabel(r.actorId),
      what: `${ACTION_VERBS[r.action] ?? r.action} (${r.fromStatus} → ${r.toStatus})`, comment: r.comment, toStatus: r.toStatus,
    }));
}

/** "Nov 25, 14:03:07" in the user's time zone; '' for 0 (unknown). */
export function formatDateTime(ms: number): string {
  if (!ms) return '';
  return new Date(ms).toLocaleString('en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}
