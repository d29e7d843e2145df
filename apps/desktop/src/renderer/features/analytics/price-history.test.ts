import { afterEach, describe, expect, it } from 'vitest';
import type { BookDatabase } from '../../db/book-db.ts';
import { openTestDb } from '../../test-support.ts';
import { historyGaps, loadCloseHistory, splitRange } from './price-history.ts';

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

describe('historyGaps', () => {
  it('names the symbols whose closes start after they are first needed, and those without any', () => {
    const required = new Map([['A', '2020-01-02'], ['B', '2020-01-02'], ['C', '2021-05-03']]);
    const gaps = historyGaps([
      { symbol: 'A', dates: ['2019-12-31', '2020-01-02'], closes: [1, 2] },
      { symbol: 'B', dates: ['2024-11-27'], closes: [3] },
      { symbol: 'C', dates: [], closes: [] },
      { symbol: 'BENCH', dates: ['2025-01-02'], closes: [4] },
    ], required);
    expect(gaps).toEqual([{ symbol: 'B', required: '2020-01-02', first: '2024-11-27' }, { symbol: 'C', required: '2021-05-03', first: null }]);
  });
});

// A history route (CONTRACTS §4) over a fixed series of daily bars; `floor` hides older bars, like a server whose
// history import has only reached that date so far.
function historyRoute(bars: Record<string, [string, number][]>, floor: () => string) {
  const calls: string[] = [];
  const fetchFn = (async (input: string | URL) => {
    const url = new URL(String(input));
    const symbol = decodeURIComponent(url.pathname.split('/').at(-1)!);
    calls.push(symbol);
    const start = url.searchParams.get('start_date')!, end = url.searchParams.get('end_date')!;
    const data = (bars[symbol] ?? []).filter(([d]) => d >= start && d <= end && d >= floor())
      .map(([d, c]) => ({ t: Date.parse(`${d}T21:00:00Z`), o: c, h: c, l: c, c, v: 0 }));
    return new Response(JSON.stringify({ data, pagination: { total: data.length, limit: 1000, offset: 0, has_next: false } }), { status: 200 });
  }) as typeof fetch;
  return { fetchFn, calls };
}

describe('loadCloseHistory', () => {
  let db: BookDatabase | undefined;
  afterEach(async () => { await db?.close(); db = undefined; });
  const bars = { X: [['2020-01-02', 10], ['2020-01-03', 11], ['2024-11-27', 30], ['2024-11-29', 31]] as [string, number][] };
  const base = { serverUrl: 'http://127.0.0.1:9', token: 't', symbols: ['X'], from: '2020-01-02', to: '2024-11-29', required: new Map([['X', '2020-01-02']]) };

  it('fetches a symbol again while the server\'s history does not reach back to its first trade', async () => {
    db = await openTestDb();
    let floor = '2024-01-01';
    const route = historyRoute(bars, () => floor);
    const waits: number[] = [];
    const h = await loadCloseHistory({ ...base, db, fetchFn: route.fetchFn,
      retry: { attempts: 5, delayMs: 1, onWait: (_s, attempt) => { waits.push(attempt); if (attempt === 2) floor = '0000'; } } });
    expect(h.problem).toBeNull();
    expect(h.source).toBe('server');
    expect(h.series[0]!.dates).toEqual(['2020-01-02', '2020-01-03', '2024-11-27', '2024-11-29']);
    expect(waits).toEqual([1, 2]);
  });

  it('says which symbol is too short when the server never completes it, and still returns what it has', async () => {
    db = await openTestDb();
    const route = historyRoute(bars, () => '2024-01-01');
    const h = await loadCloseHistory({ ...base, db, fetchFn: route.fetchFn, retry: { attempts: 2, delayMs: 1 } });
    expect(h.problem).toMatch(/too short for 1 symbol \(X starts 2024-11-27, needed from 2020-01-02\)/);
    expect(h.series[0]!.dates).toEqual(['2024-11-27', '2024-11-29']);
    expect(route.calls).toEqual(['X', 'X', 'X']);
  });
});
