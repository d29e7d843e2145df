import { describe, expect, it } from 'vitest';
import { PROPOSAL_STATUSES, type ApprovalRecord, type Proposal } from '@aw/domain';
import { nameLookup } from '../rebalance/review-rows.ts';
import {
  auditLines, countFills, executionLabel, inboxRow, INBOX_STATUSES, isInboxStatus, latestSubmits, passesInboxFilter, STATUS_BADGES, statusBadge,
} from './inbox-rows.ts';

const proposal = (over: Partial<Proposal> = {}): Proposal => ({
  id: 'p-1', teamId: 'demo', householdId: 'h-1', accountId: 'a-1', modelId: 'm-1', authorId: 'u-alice', status: 'submitted', reason: 'drift',
  trades: [
    { symbol: 'AAA', side: 'sell', quantity: 3, price: 10, amountCents: 3000, lotIds: ['l1'], estGainCents: 500, reason: 'over target' },
    { symbol: 'BBB', side: 'buy', quantity: 1, price: 25, amountCents: 2500, lotIds: [], estGainCents: 0, reason: 'under target' },
  ],
  accountRevision: 3, driftBefore: 0.1, driftAfter: 0.01, buyCents: 2500, sellCents: 3000, estGainCents: 500, estTaxCents: 75,
  warnings: ['wash sale risk', 'min trade'], approverId: '', decidedAt: 0, executedAt: 0, batchId: '', createdAt: 1, updatedAt: 50, ...over,
});
const names = nameLookup(
  [{ id: 'a-1', name: 'Joint Taxable' } as never], [{ id: 'h-1', name: 'Rivera Family' } as never], [{ id: 'm-1', name: 'Balanced 60/40' } as never],
);
const record = (over: Partial<ApprovalRecord>): ApprovalRecord => ({
  id: 'ap-1', teamId: 'demo', proposalId: 'p-1', action: 'submit', actorId: 'u-alice', comment: '', fromStatus: 'draft', toStatus: 'submitted', at: 100, updatedAt: 100, ...over,
});

describe('inbox rows', () => {
  it('resolve names, author, money and warnings of a proposal', () => {
    const r = inboxRow(proposal(), names, 1234);
    expect(r).toMatchObject({
      account: 'Joint Taxable', household: 'Rivera Family', model: 'Balanced 60/40', author: 'alice', submittedAt: 1234, trades: 2,
      buyCents: 2500, sellCents: 3000, estGainCents: 500, estTaxCents: 75, warnings: 'wash sale risk · min trade', warningCount: 2, stale: false, execution: '',
    });
  });
  it('flag stale proposals and name the approver', () => {
    expect(inboxRow(proposal({ status: 'stale' }), names, 0).stale).toBe(true);
    expect(inboxRow(proposal({ status: 'approved', approverId: 'u-carol', decidedAt: 9 }), names, 0).approver).toBe('carol');
    expect(inboxRow(proposal({ accountId: 'a-x', modelId: '' }), names, 0)).toMatchObject({ account: 'a-x', model: '(no model)' });
  });
  it('take the latest submit record per proposal (a resubmission moves the time)', () => {
    const m = latestSubmits([record({ at: 100 }), record({ id: 'ap-2', at: 300, actorId: 'u-bob' }), record({ id: 'ap-3', action: 'approve', at: 400 }),
      record({ id: 'ap-4', proposalId: 'p-2', at: 200 })]);
    expect(m.get('p-1')).toEqual({ at: 300, actorId: 'u-bob' });
    expect(m.get('p-2')?.at).toBe(200);
  });
});

describe('status mapping', () => {
  it('has a badge for every proposal status, and only submitted proposals are decidable', () => {
    for (const s of PROPOSAL_STATUSES) {
      expect(statusBadge(s).label).toBe(s);
      expect(statusBadge(s).hint.length).toBeGreaterThan(10);
    }
    expect(PROPOSAL_STATUSES.filter((s) => STATUS_BADGES[s].decidable)).toEqual(['submitted']);
    expect(statusBadge('stale').tone).toBe('warn');
    expect(statusBadge('executed').tone).toBe('good');
  });
  it('lists every status but draft in the inbox', () => {
    expect(PROPOSAL_STATUSES.filter(isInboxStatus)).toEqual([...INBOX_STATUSES].sort((a, b) => PROPOSAL_STATUSES.indexOf(a) - PROPOSAL_STATUSES.indexOf(b)));
    expect(isInboxStatus('draft')).toBe(false);
  });
  it('summarise execution as the custodian fills the trades', () => {
    expect(executionLabel(countFills([]))).toBe('');
    expect(executionLabel(countFills([{ status: 'pending' }, { status: 'pending' }]))).toBe('0 of 2 completed · 2 pending');
    expect(executionLabel(countFills([{ status: 'completed' }, { status: 'processing' }, { status: 'pending' }]))).toBe('1 of 3 completed · 1 processing · 1 pending');
    expect(executionLabel(countFills([{ status: 'completed' }, { status: 'completed' }]))).toBe('2 of 2 completed');
  });
});

describe('inbox filter', () => {
  const row = (status: Proposal['status'], warningCount = 0, authorId = 'u-alice') => ({ status, warningCount, authorId });
  it('"open" keeps the proposals waiting for a decision; a status keeps only that status', () => {
    expect(INBOX_STATUSES.filter((s) => passesInboxFilter(row(s), { status: 'open', warningsOnly: false, authorId: '' }))).toEqual(['submitted']);
    expect(INBOX_STATUSES.filter((s) => passesInboxFilter(row(s), { status: 'all', warningsOnly: false, authorId: '' }))).toEqual(INBOX_STATUSES);
    expect(passesInboxFilter(row('executed'), { status: 'approved', warningsOnly: false, authorId: '' })).toBe(false);
  });
  it('filters by warnings and author', () => {
    expect(passesInboxFilter(row('submitted', 0), { status: 'all', warningsOnly: true, authorId: '' })).toBe(false);
    expect(passesInboxFilter(row('submitted', 1), { status: 'all', warningsOnly: true, authorId: '' })).toBe(true);
    expect(passesInboxFilter(row('submitted', 0, 'u-bob'), { status: 'all', warningsOnly: false, authorId: 'u-alice' })).toBe(false);
  });
});

describe('audit trail', () => {
  it('lists transitions oldest first (same millisecond: write order), with who, what and the comment', () => {
    const lines = auditLines([
      record({ id: 'ap-3', action: 'execute', actorId: 'system', fromStatus: 'approved', toStatus: 'executed', at: 300 }),
      record({ id: 'ap-2b', action: 'approve', actorId: 'u-carol', comment: 'ok for Q4', fromStatus: 'submitted', toStatus: 'approved', at: 200 }),
      record({ id: 'ap-2a', at: 200 }),
    ]);
    expect(lines.map((l) => [l.who, l.what, l.comment])).toEqual([
      ['alice', 'submitted (draft → submitted)', ''],
      ['carol', 'approved (submitted → approved)', 'ok for Q4'],
      ['system', 'executed (approved → executed)', ''],
    ]);
  });
});
