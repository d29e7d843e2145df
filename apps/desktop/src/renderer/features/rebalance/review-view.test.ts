// The review view behind the infinite row model: incremental adds and updates must give exactly the rows and order a
// full filter + sort of all rows gives (property test), and the column filter model behaves like AG Grid's filters.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProposalStatus } from '@aw/domain';
import type { ReviewRow } from './review-rows.ts';
import { createReviewView, passesColumnFilters, passesFilter, passesQuickText, rowComparator, sortRows, type ReviewQuery } from './review-view.ts';

const STATUSES: ProposalStatus[] = ['draft', 'submitted', 'approved'];
const row = (i: number, over: Partial<ReviewRow> = {}): ReviewRow => ({
  id: `p${String(i).padStart(4, '0')}`, accountId: `a${i % 7}`, account: `Account ${i % 7}`, householdId: `h${i % 3}`, household: `House ${i % 3}`,
  modelId: `m${i % 2}`, model: i % 2 ? 'Growth' : 'Income', status: STATUSES[i % 3]!, driftBefore: (i % 5) / 10, driftAfter: 0, trades: i % 4,
  buyCents: (i * 37) % 101, sellCents: 0, estGainCents: 0, estTaxCents: 0, warnings: i % 4 === 0 ? 'Cash short' : '', warningCount: i % 4 === 0 ? 1 : 0,
  createdAt: 0, ...over,
});

/** The view as a full recomputation over all rows (arrival order, latest version of each). */
function expected(rows: ReviewRow[], q: ReviewQuery): string[] {
  const latest = new Map<string, ReviewRow>();
  const seq = new Map<string, number>();
  for (const r of rows) { if (!seq.has(r.id)) seq.set(r.id, seq.size); latest.set(r.id, r); }
  const words = q.filter.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const shown = [...latest.values()].filter((r) => passesFilter(r, q.filter) && passesQuickText(r, words) && passesColumnFilters(r, q.columnFilters));
  return shown.sort(rowComparator(q.sort, seq)).map((r) => `${r.id}:${r.status}:${r.buyCents}`);
}

const query = fc.record({
  status: fc.constantFrom('all', 'draft', 'submitted'),
  warningsOnly: fc.boolean(),
  text: fc.constantFrom('', 'growth', 'house 1', 'account'),
  sort: fc.constantFrom([], [{ colId: 'buyCents', sort: 'asc' as const }], [{ colId: 'account', sort: 'desc' as const }, { colId: 'trades', sort: 'asc' as const }]),
}).map(({ status, warningsOnly, text, sort }): ReviewQuery => ({ filter: { text, status, warningsOnly, group: null }, columnFilters: {}, sort }));

describe('review view', () => {
  it('after any sequence of resets, adds and updates, shows what a full filter + sort would', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 30 }),
      fc.array(fc.record({ ids: fc.array(fc.integer({ min: 0, max: 80 }), { maxLength: 12 }), status: fc.constantFrom(...STATUSES), buy: fc.nat(500) }), { maxLength: 8 }),
      query, query,
      (initial, batches, q1, q2) => {
        const all: ReviewRow[] = initial.map((i) => row(i));
        const view = createReviewView(all, q1);
        batches.forEach((b, k) => {
          const rows = b.ids.map((i) => row(i, { status: b.status, buyCents: b.buy + i }));
          all.push(...rows);
          view.upsert(rows);
          if (k === 1) view.setQuery(q2);
        });
        const q = batches.length > 1 ? q2 : q1;
        const got = view.slice(0, view.shown).map((r) => `${r.id}:${r.status}:${r.buyCents}`);
        expect(got).toEqual(expected(all, q));
        expect(view.total).toBe(new Set(all.map((r) => r.id)).size);
      },
    ), { numRuns: 300 });
  });

  it('serves blocks by position and lists the ids a selection takes', () => {
    const view = createReviewView(Array.from({ length: 10 }, (_, i) => row(i)));
    expect(view.slice(3, 5).map((r) => r.id)).toEqual(['p0003', 'p0004']);
    expect(view.ids((r) => r.status === 'draft')).toEqual(['p0000', 'p0003', 'p0006', 'p0009']);
    expect(view.setQuery({ filter: { text: '', status: 'draft', warningsOnly: false, group: null }, columnFilters: {}, sort: [] })).toBe(true);
    expect(view.shown).toBe(4);
    expect(view.setQuery({ filter: { text: '', status: 'draft', warningsOnly: false, group: null }, columnFilters: {}, sort: [] })).toBe(false);
  });

  it('applies AG Grid text and number column filters, with AND / OR conditions', () => {
    const r = row(5, { account: 'Smith Joint', buyCents: 1500 });
    expect(passesColumnFilters(r, { account: { filterType: 'text', type: 'contains', filter: 'joint' } })).toBe(true);
    expect(passesColumnFilters(r, { account: { filterType: 'text', type: 'startsWith', filter: 'joint' } })).toBe(false);
    expect(passesColumnFilters(r, { buyCents: { filterType: 'number', type: 'greaterThan', filter: 1499 } })).toBe(true);
    expect(passesColumnFilters(r, { buyCents: { filterType: 'number', type: 'inRange', filter: 0, filterTo: 1000 } })).toBe(false);
    expect(passesColumnFilters(r, { buyCents: { filterType: 'number', operator: 'OR', conditions: [
      { filterType: 'number', type: 'lessThan', filter: 10 }, { filterType: 'number', type: 'equals', filter: 1500 }] } })).toBe(true);
    expect(passesColumnFilters(r, { buyCents: { filterType: 'number', operator: 'AND', conditions: [
      { filterType: 'number', type: 'lessThan', filter: 10 }, { filterType: 'number', type: 'equals', filter: 1500 }] } })).toBe(false);
    expect(passesColumnFilters(r, { warnings: { filterType: 'text', type: 'blank' } })).toBe(true);
  });

  it('sorts by ranks in exactly the order the row comparator gives, ties in arrival order', () => {
    const NAMES = ['alpha', 'Alpha', 'beta', 'Émile', 'emile', 'Zoë', 'zoe', '401(k)', '401(k) 2', ''];
    const sortItem = fc.record({ colId: fc.constantFrom('account', 'household', 'buyCents', 'driftBefore', 'trades', 'status'), sort: fc.constantFrom('asc' as const, 'desc' as const) });
    fc.assert(fc.property(
      fc.array(fc.record({ a: fc.constantFrom(...NAMES), h: fc.constantFrom(...NAMES), buy: fc.integer({ min: -5, max: 5 }), drift: fc.constantFrom(0, -0, 0.1, 0.25, 1e-9) }), { maxLength: 60 }),
      fc.array(sortItem, { minLength: 1, maxLength: 3 }),
      (specs, sort) => {
        const rows = specs.map((x, i) => row(i, { account: x.a, household: x.h, buyCents: x.buy * 1000, driftBefore: x.drift }));
        const seq = new Map(rows.map((r, i) => [r.id, i]));
        expect(sortRows(rows, sort).map((r) => r.id)).toEqual([...rows].sort(rowComparator(sort, seq)).map((r) => r.id));
      },
    ), { numRuns: 400 });
  });

  it('sorts text in the locale collation and numbers numerically, not as text', () => {
    const rows = [row(0, { account: 'b', buyCents: 10 }), row(1, { account: 'A', buyCents: 9 }), row(2, { account: 'a', buyCents: 100 }), row(3, { account: 'B', buyCents: -1 })];
    expect(sortRows(rows, [{ colId: 'account', sort: 'asc' }]).map((r) => r.account)).toEqual(['a', 'A', 'b', 'B']);
    expect(sortRows(rows, [{ colId: 'buyCents', sort: 'desc' }]).map((r) => r.buyCents)).toEqual([100, 10, 9, -1]);
  });
});
