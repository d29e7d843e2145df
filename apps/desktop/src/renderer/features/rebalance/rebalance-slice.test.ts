// The rebalance slice's review rows: adds append in place (no copy of the 100,000-row array per write batch) and are
// announced by the change record; updates and resets replace rows without touching arrays the caller holds.
import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../stores/app-store.ts';
import type { ReviewRow } from './review-rows.ts';

const row = (id: string, status: ReviewRow['status'] = 'draft'): ReviewRow => ({
  id, accountId: `a-${id}`, account: id, householdId: 'h', household: 'H', modelId: 'm', model: 'M', status, driftBefore: 0.1, driftAfter: 0,
  trades: 1, buyCents: 100, sellCents: 0, estGainCents: 0, estTaxCents: 0, warnings: '', warningCount: 0, createdAt: 1,
});

describe('rebalance slice: review rows', () => {
  it('appends added rows to the same array and announces each batch with the next change sequence', () => {
    const store = createAppStore();
    const act = () => store.getState();
    const initial = [row('1')];
    act().rebalanceRowsReset(initial);
    const rows = act().rebalance.rows;
    const seq = act().rebalance.change.seq;
    act().rebalanceRowsAdded([row('2'), row('3')]);
    expect(act().rebalance.rows).toBe(rows);
    expect(rows.map((r) => r.id)).toEqual(['1', '2', '3']);
    expect(act().rebalance.change).toMatchObject({ seq: seq + 1, kind: 'add' });
    expect(act().rebalance.change.rows.map((r) => r.id)).toEqual(['2', '3']);
    // The caller's array given to reset is not the store's: later adds leave it alone.
    expect(initial.map((r) => r.id)).toEqual(['1']);
    // An empty batch is no change.
    act().rebalanceRowsAdded([]);
    expect(act().rebalance.change.seq).toBe(seq + 1);
  });

  it('replaces updated rows in a new array, in place of the old versions', () => {
    const store = createAppStore();
    const act = () => store.getState();
    act().rebalanceRowsReset([row('1'), row('2')]);
    act().rebalanceRowsAdded([row('3')]);
    const before = act().rebalance.rows;
    act().rebalanceRowsUpdated([row('2', 'submitted')]);
    const after = act().rebalance.rows;
    expect(after).not.toBe(before);
    expect(after.map((r) => `${r.id}:${r.status}`)).toEqual(['1:draft', '2:submitted', '3:draft']);
    expect(before.map((r) => r.status)).toEqual(['draft', 'draft', 'draft']);
    expect(act().rebalance.change.kind).toBe('update');
  });
});
