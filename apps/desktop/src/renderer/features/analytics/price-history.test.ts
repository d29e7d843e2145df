import { describe, expect, it } from 'vitest';
import { splitRange } from './price-history.ts';

describe('splitRange', () => {
  it('covers the range with consecutive pieces of at most five years', () => {
    const r = splitRange('2016-11-21', '2026-11-20');
    expect(r).toEqual([['2016-11-21', '2021-11-20'], ['2021-11-21', '2026-11-20']]);
  });
  it('returns one piece for a short range and none for an empty one', () => {
    expect(splitRange('2026-01-01', '2026-03-01')).toEqual([['2026-01-01', '2026-03-01']]);
    expect(splitRange('2026-03-02', '2026-03-01')).toEqual([]);
  });
});
