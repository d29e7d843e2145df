// HTTP prices and history endpoints against a real server and SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, testSymbols, type Harness } from './test-harness.ts';
import type { DailyRow } from './price-store.ts';

const DAY = 86_400_000;

describe('market HTTP', () => {
  let h: Harness;
  const get = (path: string, token: string | null = h.tokens.alice) =>
    fetch(`${h.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    h = await startHarness({ securities: testSymbols(10), provider: null, retention: { enabled: false } });
    // Eight years of daily closes for S0001 (every calendar day, so counts are easy to check).
    const rows: DailyRow[] = [];
    for (let t = Date.UTC(2018, 0, 1); t <= Date.UTC(2025, 11, 31); t += DAY) rows.push(['S0001', t, 1, 2, 0.5, 1.5, 100]);
    await h.market.store.replaceDaily(rows);
    // Ten days of minute bars for S0002 (10 per day).
    const minutes = [];
    for (let d = 0; d < 10; d++) for (let m = 0; m < 10; m++) {
      const t = Date.UTC(2025, 5, 2 + d, 14, 30 + m);
      minutes.push(['S0002', t, Date.UTC(2025, 5, 2 + d), 1, 1, 1, 1, 1]);
    }
    await h.server.ctx.sql.run(
      'INSERT INTO market_bars_1m (symbol, t, d, o, h, l, c, v) SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7 FROM json_each(?)',
      [JSON.stringify(minutes)]);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('requires a token and a reading role', async () => {
    expect((await get('/api/v1/market/prices?symbols=S0001', null)).status).toBe(401);
    const r = await get('/api/v1/market/prices?symbols=S0001', h.tokens.feed);
    expect(r.status).toBe(403);
    expect((await r.json()).error.code).toBe('forbidden');
  });

  it('answers many symbols in one batched lookup, listing unknown and missing ones', async () => {
    h.market.pipeline.ticks([{ s: 'S0003', p: 33.25, t: Date.now() - 1_000 }], 'test');
    const r = await get('/api/v1/market/prices?symbols=S0003,S0001,NOPE,S0004');
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body.prices.S0003).toMatchObject({ p: 33.25 });
    expect(body.prices.S0003.ageMs).toBeGreaterThanOrEqual(1_000);
    // No tick yet: the last daily close, timed at that day's 16:00 New York close.
    expect(body.prices.S0001).toMatchObject({ p: 1.5, t: Date.UTC(2025, 11, 31, 21) });
    expect(body.unknown).toEqual(['NOPE']);
    expect(body.missing).toEqual(['S0004']);
    expect((await get('/api/v1/market/prices')).status).toBe(400);
  });

  it('pages daily history with X-Total-Count and a pagination object', async () => {
    const r = await get('/api/v1/market/history/S0001?start_date=2023-01-01&end_date=2025-12-31&interval=1d');
    expect(r.status).toBe(200);
    const total = (Date.UTC(2025, 11, 31) - Date.UTC(2023, 0, 1)) / DAY + 1;
    expect(r.headers.get('x-total-count')).toBe(String(total));
    const page1 = await r.json();
    expect(page1.data).toHaveLength(1000);
    expect(page1.pagination).toEqual({ total, limit: 1000, offset: 0, has_next: true });
    expect(page1.data[0]).toEqual({ t: Date.UTC(2023, 0, 1), o: 1, h: 2, l: 0.5, c: 1.5, v: 100 });
    const last = await (await get(`/api/v1/market/history/S0001?start_date=2023-01-01&end_date=2025-12-31&limit=100&offset=${total - 50}`)).json();
    expect(last.data).toHaveLength(50);
    expect(last.pagination).toEqual({ total, limit: 100, offset: total - 50, has_next: false });
    expect(last.data.at(-1).t).toBe(Date.UTC(2025, 11, 31));
  });

  it('caps daily ranges at 5 years and minute ranges at 7 days with a clear 400', async () => {
    const tooLong = await get('/api/v1/market/history/S0001?start_date=2019-01-01&end_date=2025-12-31');
    expect(tooLong.status).toBe(400);
    const body = await tooLong.json();
    expect(body.error.code).toBe('range_too_large');
    expect(body.error.message).toMatch(/5 years/);
    expect((await get('/api/v1/market/history/S0001?start_date=2020-12-31&end_date=2025-12-31')).status).toBe(200);

    const week = await get('/api/v1/market/history/S0002?interval=1m&start_date=2025-06-02&end_date=2025-06-08');
    expect(week.status).toBe(200);
    expect((await week.json()).pagination.total).toBe(70);
    const eight = await get('/api/v1/market/history/S0002?interval=1m&start_date=2025-06-02&end_date=2025-06-09');
    expect(eight.status).toBe(400);
    expect((await eight.json()).error.message).toMatch(/7 days/);
  });

  it('rejects bad dates, limits, intervals and unknown symbols', async () => {
    const cases: Array<[string, number, string]> = [
      ['/api/v1/market/history/S0001?start_date=2025-02-30', 400, 'invalid_date'],
      ['/api/v1/market/history/S0001?end_date=yesterday', 400, 'invalid_date'],
      ['/api/v1/market/history/S0001?start_date=2025-05-02&end_date=2025-05-01', 400, 'invalid_range'],
      ['/api/v1/market/history/S0001?limit=1001', 400, 'invalid_limit'],
      ['/api/v1/market/history/S0001?limit=0', 400, 'invalid_limit'],
      ['/api/v1/market/history/S0001?offset=-1', 400, 'invalid_offset'],
      ['/api/v1/market/history/S0001?interval=5m', 400, 'invalid_interval'],
      ['/api/v1/market/history/NOPE', 404, 'unknown_symbol'],
    ];
    for (const [path, status, code] of cases) {
      const r = await get(path);
      expect(r.status, path).toBe(status);
      expect((await r.json()).error.code, path).toBe(code);
    }
  });
});
