// Review rows and the grouped summary the "group by" selector shows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { money, signedMoney } from '../../grid/format.ts';
import { groupRows, nameLookup, reviewMoney, reviewRow, type ProposalSummary } from './review-rows.ts';

const p = (id: string, hh: string, model: string, extra: Partial<ProposalSummary> = {}): ProposalSummary => ({
  id, accountId: `a-${id}`, householdId: hh, modelId: model, status: 'draft', driftBefore: 0.1, driftAfter: 0.01, buyCents: 1000,
  sellCents: 500, estGainCents: -200, estTaxCents: 0, warnings: [], createdAt: 1, trades: [{}, {}], ...extra,
});
const names = nameLookup(
  [{ id: 'a-1', name: 'Joint' } as never], [{ id: 'h1', name: 'Avery' } as never, { id: 'h2', name: 'Baker' } as never],
  [{ id: 'm1', name: 'Growth' } as never],
);

describe('review rows', () => {
  it('resolves names and falls back to ids', () => {
    const r = reviewRow(p('1', 'h1', 'm1', { warnings: ['a', 'b'] }), names);
    expect([r.account, r.household, r.model, r.trades, r.warnings, r.warningCount]).toEqual(['Joint', 'Avery', 'Growth', 2, 'a · b', 2]);
    expect(reviewRow(p('9', 'hx', ''), names).model).toBe('(no model)');
  });

  it('aggregates one row per model or household with exact cent sums', () => {
    const rows = [p('1', 'h1', 'm1'), p('2', 'h1', 'm1', { status: 'submitted', driftBefore: 0.3, buyCents: 1 }), p('3', 'h2', 'm1')].map((x) => reviewRow(x, names));
    const byModel = groupRows(rows, 'model');
    expect(byModel).toHaveLength(1);
    expect(byModel[0]).toMatchObject({ name: 'Growth', proposals: 3, trades: 6, buyCents: 2001, sellCents: 1500, estGainCents: -600, maxDriftBefore: 0.3, drafts: 2, submitted: 1 });
    const byHousehold = groupRows(rows, 'household');
    expect(byHousehold.map((g) => [g.name, g.proposals])).toEqual([['Avery', 2], ['Baker', 1]]);
  });
});

describe('reviewMoney', () => {
  it('formats integer cents exactly like the shared money() and signedMoney() helpers', () => {
    fc.assert(fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (c) => {
      expect(reviewMoney(c)).toBe(money(c));
      expect(reviewMoney(c, true)).toBe(signedMoney(c));
    }), { numRuns: 2000 });
    expect(reviewMoney(-123456)).toBe('-$1,234.56');
    expect(reviewMoney(5, true)).toBe('+$0.05');
    expect(reviewMoney(undefined)).toBe('—');
  });
});
