// The market-watch list against a real RxDB book (memory storage): default symbols, adding with readable refusals,
// last local closes, saved lists, and live ticks appended to a sparkline.
import { afterEach, describe, expect, it } from 'vitest';
import type { BookDatabase } from '../../db/book-db.ts';
import { writeBook } from '../../db/seed.ts';
import { openTestDb, smallBook } from '../../test-support.ts';
import { addToWatch, lastCloses, loadWatchList, mostHeldSymbols, saveWatchList, withLiveTick } from './market-watch.ts';
import { planSubscriptions, subscriptionDiff } from './price-feed.ts';

let db: BookDatabase | undefined;
afterEach(async () => { await db?.close(); db = undefined; });

describe('market watch', () => {
  it('defaults to the most widely held symbols and refuses unknown, duplicate or malformed symbols readably', async () => {
    const book = smallBook(2);
    db = await openTestDb();
    await writeBook(db, book);
    const held = await mostHeldSymbols(db, 5);
    const count = (s: string) => book.lots.filter((l) => l.symbol === s).length;
    expect(held).toHaveLength(5);
    const maxCount = Math.max(...book.lots.map((l) => count(l.symbol)));
    expect(count(held[0]!)).toBe(maxCount);
    for (let i = 1; i < held.length; i++) expect(count(held[i]!)).toBeLessThanOrEqual(count(held[i - 1]!));

    expect(await addToWatch(db, held, 'NOPE9')).toEqual({ ok: false, message: 'Unknown symbol NOPE9: it is not in the security master.' });
    expect(await addToWatch(db, held, held[0]!.toLowerCase())).toEqual({ ok: false, message: `${held[0]} is already on the list.` });
    expect((await addToWatch(db, held, 'a b')).ok).toBe(false);
    expect((await addToWatch(db, held, '  ')).ok).toBe(false);
    const other = book.securities.find((s) => !held.includes(s.symbol))!.symbol;
    expect(await addToWatch(db, held, ` ${other.toLowerCase()} `)).toEqual({ ok: true, symbol: other, list: [...held, other] });

    const closes = await lastCloses(db, [other]);
    const latest = book.prices.filter((p) => p.symbol === other).sort((a, b) => (a.date < b.date ? 1 : -1))[0]!;
    expect(closes.get(other)?.closePrice).toBe(latest.closePrice);
  });

  it('keeps a saved list per server and ignores a corrupt one', () => {
    const m = new Map<string, string>();
    const kv = { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
    saveWatchList(kv, 'http://a', ['AAA', 'BBB']);
    expect(loadWatchList(kv, 'http://a')).toEqual(['AAA', 'BBB']);
    expect(loadWatchList(kv, 'http://b')).toBeNull();
    m.set('aw-market-watch|http://b', '{not json');
    expect(loadWatchList(kv, 'http://b')).toBeNull();
  });

  it('appends only newer live ticks to a sparkline, bounded', () => {
    const pts = [{ t: 1, c: 10 }, { t: 2, c: 11 }];
    expect(withLiveTick(pts, { p: 12, t: 3 })).toEqual([...pts, { t: 3, c: 12 }]);
    expect(withLiveTick(pts, { p: 12, t: 2 })).toBe(pts);
    expect(withLiveTick(pts, undefined)).toBe(pts);
    expect(withLiveTick(pts, { p: 12, t: 3 }, 2)).toEqual([{ t: 2, c: 11 }, { t: 3, c: 12 }]);
  });
});

describe('price feed subscriptions', () => {
  it('streams the union of what views show, first come first served up to the cap, and polls the rest', () => {
    const plan = planSubscriptions([['A', 'B', 'C'], ['C', 'D'], ['E']], 4);
    expect(plan).toEqual({ stream: ['A', 'B', 'C', 'D'], poll: ['E'] });
    const many = Array.from({ length: 60 }, (_, i) => `S${i}`);
    expect(planSubscriptions([many]).stream).toHaveLength(50);
  });

  it('subscribes what appeared and unsubscribes what left the screen', () => {
    expect(subscriptionDiff(new Set(['A', 'B', 'C']), ['B', 'C', 'D'])).toEqual({ add: ['D'], remove: ['A'] });
    expect(subscriptionDiff(new Set(['A']), [])).toEqual({ add: [], remove: ['A'] });
  });
});
