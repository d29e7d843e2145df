import { describe, expect, it } from 'vitest';
import { createPriceCache } from './price-cache.ts';

describe('latest-price cache', () => {
  it('evicts the least recently used symbol beyond capacity', () => {
    const clock = { now: () => 1_000 };
    const c = createPriceCache({ capacity: 3, clock, marketOpen: () => true });
    for (const s of ['A', 'B', 'C']) c.put({ s, p: 1, t: 1_000 });
    c.quote('A'); // A is now the most recently used
    c.put({ s: 'D', p: 1, t: 1_000 });
    expect(c.size()).toBe(3);
    expect(c.peek('B')).toBeUndefined();
    expect(c.peek('A')).toBeDefined();
  });

  it('keeps a used symbol through at least capacity/2 new symbols without reordering on every tick', () => {
    const c = createPriceCache({ capacity: 10, clock: { now: () => 0 }, marketOpen: () => true });
    for (let i = 0; i < 10; i++) c.put({ s: `S${i}`, p: 1, t: i });
    c.put({ s: 'S7', p: 2, t: 20 }); // recently moved: not moved again
    c.put({ s: 'S0', p: 2, t: 20 }); // the oldest: moved to the back
    for (let i = 0; i < 5; i++) c.put({ s: `N${i}`, p: 1, t: 30 });
    expect(c.size()).toBe(10);
    expect(['S1', 'S2', 'S3', 'S4', 'S5'].map((s) => c.peek(s))).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(c.peek('S7')?.price).toBe(2);
    expect(c.peek('S0')?.price).toBe(2);
  });

  it('uses a 1 s TTL while the market is open and 1 h after hours', () => {
    let now = 0;
    let open = true;
    const c = createPriceCache({ clock: { now: () => now }, marketOpen: () => open });
    c.put({ s: 'A', p: 10, t: 0 });
    now = 900;
    expect(c.quote('A')).toMatchObject({ price: 10, ageMs: 900, stale: false });
    expect(c.needsRefresh('A')).toBe(false);
    now = 1_500;
    expect(c.quote('A')).toMatchObject({ stale: true, ageMs: 1_500 });
    expect(c.needsRefresh('A')).toBe(true);
    open = false;
    now = 10_000; // TTL is re-evaluated (market closed): 1 h
    expect(c.quote('A')).toMatchObject({ stale: false });
    now = 3_700_000;
    expect(c.quote('A')).toMatchObject({ stale: true });
  });

  it('marks invalidated prices stale until the next tick, and never lets an older tick win', () => {
    const now = 0;
    const c = createPriceCache({ clock: { now: () => now }, marketOpen: () => false });
    c.put({ s: 'A', p: 10, t: 0 });
    expect(c.invalidate(['A'])).toBe(1);
    expect(c.quote('A')).toMatchObject({ price: 10, stale: true });
    c.put({ s: 'A', p: 9, t: -5 });
    expect(c.quote('A')).toMatchObject({ price: 10, stale: true });
    c.put({ s: 'A', p: 11, t: 1 });
    expect(c.quote('A')).toMatchObject({ price: 11, stale: false });
    c.load('A', 5, 0); // an older store row does not replace a newer tick
    expect(c.quote('A')?.price).toBe(11);
  });
});
