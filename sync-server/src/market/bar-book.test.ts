// Bar coalescing (bar-book.ts): whatever the flush pattern — one take, or slices with ticks folded between them —
// the rows written, merged the way the store's upserts merge them, give exactly the bars of all ticks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBarBook, type BarRows } from './bar-book.ts';
import { tradingDayMs } from './market-hours.ts';

interface Row { o: number; h: number; l: number; c: number; v: number }
/** The upsert rule of price-store.ts: the open stays, high/low widen, the newer close wins, volumes add up. */
function merge(store: Map<string, Row>, key: string, r: Row): void {
  const old = store.get(key);
  store.set(key, old ? { o: old.o, h: Math.max(old.h, r.h), l: Math.min(old.l, r.l), c: r.c, v: old.v + r.v } : r);
}
function apply(rows: BarRows, minutes: Map<string, Row>, days: Map<string, Row>): void {
  for (const [s, t, d, o, h, l, c, v] of JSON.parse(`[${rows.minute}]`) as Array<[string, number, number, number, number, number, number, number]>) {
    expect(d).toBe(tradingDayMs(t));
    merge(minutes, `${s}@${t}`, { o, h, l, c, v });
  }
  for (const [s, t, o, h, l, c, v] of JSON.parse(`[${rows.daily}]`) as Array<[string, number, number, number, number, number, number]>) merge(days, `${s}@${t}`, { o, h, l, c, v });
}

const SYMBOLS = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE'];
type Op = { kind: 'tick'; s: number; p: number; dt: number; v: number } | { kind: 'take' } | { kind: 'begin' } | { kind: 'slice'; n: number };
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('tick' as const), s: fc.nat(SYMBOLS.length - 1), p: fc.integer({ min: 1, max: 100_000 }).map((x) => x / 100), dt: fc.oneof(fc.nat(5_000), fc.constant(61_000), fc.constant(23 * 3_600_000)), v: fc.nat(1_000) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'take' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'begin' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('slice' as const), n: fc.integer({ min: 1, max: 3 }) }) },
);

describe('bar book', () => {
  it('writes bars that merge into exactly the bars of all ticks, for any pattern of whole and sliced takes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const book = createBarBook((id) => SYMBOLS[id]);
        const minutes = new Map<string, Row>();
        const days = new Map<string, Row>();
        const expectMinutes = new Map<string, Row>();
        const expectDays = new Map<string, Row>();
        const latest = new Map<string, number>();
        const lastTick = new Map<string, number>();
        const seen = (id: number) => latest.set(book.symbolJson(id), book.lastT(id));
        let t = Date.UTC(2026, 2, 6, 14, 0);
        for (const o of ops) {
          if (o.kind === 'tick') {
            t += o.dt;
            expect(book.fold(o.s, o.p, t, o.v)).toBe(true);
            const s = SYMBOLS[o.s];
            const one = { o: o.p, h: o.p, l: o.p, c: o.p, v: o.v };
            merge(expectMinutes, `${s}@${t - (t % 60_000)}`, one);
            merge(expectDays, `${s}@${tradingDayMs(t)}`, one);
            lastTick.set(JSON.stringify(s), t);
          } else if (o.kind === 'take') apply(book.take(seen), minutes, days);
          else if (o.kind === 'begin') book.begin();
          else apply(book.takeSome(o.n, seen), minutes, days);
        }
        // An older tick is refused and changes nothing.
        if (book.lastT(0) > Number.NEGATIVE_INFINITY) expect(book.fold(0, 1, book.lastT(0) - 1, 1)).toBe(false);
        apply(book.take(seen), minutes, days);
        expect(book.dirty()).toBe(false);
        expect(book.take()).toEqual({ minute: '', daily: '', rows: 0 });
        expect(minutes).toEqual(expectMinutes);
        expect(days).toEqual(expectDays);
        // Every symbol that ticked was reported with its latest tick time.
        expect(latest).toEqual(lastTick);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps ticks folded between slices: untaken symbols in this flush, taken ones in the next', () => {
    const book = createBarBook((id) => ['A', 'B'][id]);
    const [a, b] = [0, 1];
    const t = Date.UTC(2026, 2, 6, 15, 0);
    book.fold(a, 10, t, 1);
    book.fold(b, 20, t, 1);
    book.begin();
    const first = book.takeSome(1);
    expect(JSON.parse(`[${first.minute}]`).map((r: unknown[]) => r[0])).toEqual(['A']);
    expect(book.left()).toBe(1);
    book.fold(a, 11, t + 1, 1); // A was taken: next flush
    book.fold(b, 21, t + 1, 1); // B was not: this flush
    const second = book.takeSome(10);
    expect(JSON.parse(`[${second.minute}]`)).toEqual([['B', t, tradingDayMs(t), 20, 21, 20, 21, 2]]);
    expect(book.left()).toBe(0);
    expect(JSON.parse(`[${book.take().minute}]`)).toEqual([['A', t, tradingDayMs(t), 10, 11, 11, 11, 1]]);
  });
});
