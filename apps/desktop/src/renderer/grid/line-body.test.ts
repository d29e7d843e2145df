import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUFFER_ROWS, pickDue, planLines, rowsInView } from './line-body.ts';

const range = (first: number, end: number) => Array.from({ length: Math.max(0, end - first) }, (_, i) => first + i);

describe('line body: which line shows which row', () => {
  it('shows every row of the range on exactly one line, keeps lines already on a row of it, and grows only when short', () => {
    fc.assert(fc.property(
      fc.array(fc.option(fc.nat(60), { nil: null }), { maxLength: 40 }), fc.nat(50), fc.nat(30),
      (current, first, size) => {
        const end = first + size;
        const plan = planLines(current, first, end);
        expect(plan.length).toBe(Math.max(current.length, size));
        expect(plan.filter((i) => i !== null).sort((a, b) => a! - b!)).toEqual(range(first, end));
        const kept = new Set<number>();
        current.forEach((i, k) => {
          if (i === null || i < first || i >= end || kept.has(i)) return;
          kept.add(i);
          expect(plan[k]).toBe(i); // no refill for a row already on screen
        });
        if (plan.length > current.length) expect(plan.every((i) => i !== null)).toBe(true);
      },
    ), { numRuns: 500 });
  });

  it('refills as many lines as rows came into view when scrolling, and no more', () => {
    const before = planLines([], 10, 40);
    const after = planLines(before, 13, 43);
    expect(after).toHaveLength(30);
    expect(after.filter((i, k) => i !== before[k])).toEqual([40, 41, 42]);
    // Fewer rows (a filter): the spare lines show nothing, none is dropped.
    expect(planLines(after, 0, 2).filter((i) => i === null)).toHaveLength(28);
  });
});

describe('line body: rows in view', () => {
  it('draws the viewport\'s rows and a buffer each side, within the rows there are', () => {
    // Rows of 28 px; the viewport shows 280..560 px (rows 10..19).
    expect(rowsInView(280, 280, 28, 1000)).toEqual({ first: 10 - BUFFER_ROWS, end: 20 + BUFFER_ROWS });
    expect(rowsInView(0, 280, 28, 1000)).toEqual({ first: 0, end: 10 + BUFFER_ROWS });
    expect(rowsInView(27_720, 280, 28, 1000)).toEqual({ first: 990 - BUFFER_ROWS, end: 1000 });
    expect(rowsInView(5000, 280, 28, 0)).toEqual({ first: 0, end: 0 });
    expect(rowsInView(290, 280, 28, 1000, 0)).toEqual({ first: 10, end: 21 });
  });
});

describe('line body: which due lines are filled in a frame', () => {
  const due = (...wants: number[]) => wants.map((want) => ({ want }));
  const wants = (ls: Array<{ want: number | null }>) => ls.map((l) => l.want);

  it('fills the rows in the viewport before buffer rows, each in pool order, at most the budget', () => {
    // The viewport shows rows 10..19.
    const waiting = due(8, 9, 25, 10, 11, 12, 20, 21);
    expect(wants(pickDue(waiting, 4, 10, 20))).toEqual([10, 11, 12, 8]);
    expect(wants(pickDue(waiting, 10, 10, 20))).toEqual([10, 11, 12, 8, 9, 25, 20, 21]);
    expect(wants(pickDue(due(...Array.from({ length: 30 }, (_, i) => i)), 5, 10, 20))).toEqual([10, 11, 12, 13, 14]);
    expect(pickDue([], 3, 0, 10)).toEqual([]);
  });
});
