import { describe, expect, it } from 'vitest';
import { lineRules, lineWidth } from './row-lines.ts';

describe('row lines: column rules', () => {
  it('places each column span by its left and width and sizes the line to the columns', () => {
    const boxes = [{ colId: 'select', left: 0, width: 38 }, { colId: 'account', left: 38, width: 200 }, { colId: 'trades', left: 238, width: 80 }];
    const css = lineRules('rl-3', boxes);
    expect(css).toContain('.row-line.rl-3 > .rl-c0 { left: 0px; width: 38px; }');
    expect(css).toContain('.row-line.rl-3 > .rl-c1 { left: 38px; width: 200px; }');
    expect(css).toContain('.row-line.rl-3 > .rl-c2 { left: 238px; width: 80px; }');
    expect(css).toContain('.row-line.rl-3 { width: 318px; }');
    expect(lineWidth(boxes)).toBe(318);
    expect(lineWidth([])).toBe(0);
  });
});
