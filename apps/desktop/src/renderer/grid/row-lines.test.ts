import { describe, expect, it } from 'vitest';
import { lineRules, pickLines } from './row-lines.ts';

describe('row lines: column rules', () => {
  it('places each column span by its left and width, sizes the line to the columns and lets the anchor scroll with them', () => {
    const css = lineRules('rl-3', [{ colId: 'select', left: 0, width: 38 }, { colId: 'account', left: 38, width: 200 }, { colId: 'trades', left: 238, width: 80 }]);
    expect(css).toContain('.row-line.rl-3 > .rl-c0 { left: 0px; width: 38px; }');
    expect(css).toContain('.row-line.rl-3 > .rl-c1 { left: 38px; width: 200px; }');
    expect(css).toContain('.row-line.rl-3 > .rl-c2 { left: 238px; width: 80px; }');
    expect(css).toContain('.row-line.rl-3 { width: 318px; }');
    expect(css).toContain('.ag-row.rl-3 > .ag-full-width-anchor { position: static; width: 318px;');
  });
});

describe('row lines: which waiting lines are filled in a frame', () => {
  // Rows of 28 px; the viewport shows 280..560 px (rows 10..19).
  const row = (i: number) => ({ id: i, place: { rowTop: i * 28, rowHeight: 28 } });
  const ids = (xs: Array<{ id: number }>) => xs.map((x) => x.id);

  it('fills rows in the viewport before buffer rows, each in the order they came, at most the budget', () => {
    const waiting = [row(8), row(9), row(10), row(11), row(12), row(20), row(21)];
    expect(ids(pickLines(waiting, 4, 280, 560))).toEqual([10, 11, 12, 8]);
    expect(ids(pickLines(waiting, 10, 280, 560))).toEqual([10, 11, 12, 8, 9, 20, 21]);
  });

  it('stops at the budget when the viewport alone has more rows waiting', () => {
    const waiting = Array.from({ length: 30 }, (_, i) => row(i));
    expect(ids(pickLines(waiting, 5, 280, 560))).toEqual([10, 11, 12, 13, 14]);
  });

  it('fills rows without a place yet (not laid out) after the rows in view', () => {
    const waiting = [{ id: -1, place: { rowTop: null } }, row(15)];
    expect(ids(pickLines(waiting, 2, 280, 560))).toEqual([15, -1]);
    expect(pickLines([], 3, 0, 100)).toEqual([]);
  });
});
