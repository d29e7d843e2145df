// The ws ingest endpoint and the batched write pipeline against a real server and SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, connectAuthed, startHarness, testSymbols, type Harness } from './test-harness.ts';
import { tradingDayMs } from './market-hours.ts';

describe.each([false, true])('market ingest (parsed on a worker thread: %s)', (parseInWorker) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ securities: testSymbols(50), fxPairs: ['EURUSD'], provider: null, flushIntervalMs: 50, retention: { enabled: false }, ingest: { parseInWorker } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('only providers and admins may ingest', async () => {
    const c = await connect(h.wsUrl, '/api/v1/market/ingest');
    c.send({ type: 'auth', token: h.tokens.alice });
    expect((await c.closed).code).toBe(4003);
    const admin = await connectAuthed(h, '/api/v1/market/ingest', h.tokens.root);
    admin.ws.close();
  });

  it('drops ticks for unknown symbols, counts them and names some to the provider', async () => {
    const feed = await connectAuthed(h, '/api/v1/market/ingest', h.tokens.feed);
    const before = h.market.pipeline.stats().droppedUnknown;
    const t = Date.now();
    feed.send({ type: 'ticks', id: 1, ticks: [{ s: 'S0001', p: 10, t }, { s: 'ZZZ1', p: 1, t }, { s: 'ZZZ2', p: 1, t }, { s: 'ZZZ1', p: 2, t }] });
    const err = await feed.waitFor((m) => m.type === 'error');
    expect(err.code).toBe('unknown_symbol');
    expect(err.message).toMatch(/ZZZ1/);
    expect(err.symbols).toEqual(['ZZZ1', 'ZZZ2']);
    expect(await feed.waitFor((m) => m.type === 'ack')).toMatchObject({ id: 1, accepted: 1, dropped: 3 });
    expect(h.market.pipeline.stats().droppedUnknown - before).toBe(3);
    expect(h.market.stats().ingestInWorker).toBe(parseInWorker);
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/market_ticks_dropped_total\{reason="unknown"\} 3/);
    feed.ws.close();
  });

  it('rejects malformed ingest messages without closing', async () => {
    const feed = await connectAuthed(h, '/api/v1/market/ingest', h.tokens.feed);
    feed.send({ type: 'ticks', ticks: 'lots' });
    expect(await feed.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'bad_message' });
    feed.send({ type: 'ticks', id: 2, ticks: [{ s: 'S0002', p: -1, t: 1 }, { s: 'S0002', p: 5 }] });
    expect(await feed.waitFor((m) => m.type === 'ack')).toMatchObject({ id: 2, accepted: 0, dropped: 2 });
    feed.ws.close();
  });

  it('writes latest prices, minute and daily bars in one transaction per flush', async () => {
    const sql = h.server.ctx.sql;
    let transactions = 0;
    const realTx = sql.transaction.bind(sql);
    sql.transaction = (fn) => {
      transactions++;
      return realTx(fn);
    };
    try {
      await h.market.pipeline.flush();
      transactions = 0;
      // Two minutes of ticks for 20 symbols: 20 × 60 ticks, coalesced into bars.
      const t0 = Date.UTC(2026, 10, 20, 15, 0, 0); // 10:00 New York
      const feed = await connectAuthed(h, '/api/v1/market/ingest', h.tokens.feed);
      const ticks = [];
      for (let k = 0; k < 60; k++) for (let i = 10; i < 30; i++) ticks.push({ s: `S00${i}`, p: 100 + i + (k % 7) - (k === 30 ? 20 : 0), t: t0 + k * 2_000, v: 10 });
      feed.send({ type: 'ticks', id: 3, ticks });
      await feed.waitFor((m) => m.type === 'ack');
      await h.market.pipeline.flush();
      expect(transactions).toBe(1);

      const minutes = await sql.all<{ t: number; o: number; h: number; l: number; c: number; v: number }>(
        "SELECT t, o, h, l, c, v FROM market_bars_1m WHERE symbol = 'S0010' ORDER BY t");
      expect(minutes).toEqual([
        { t: t0, o: 110, h: 116, l: 110, c: 110 + (29 % 7), v: 300 },
        { t: t0 + 60_000, o: 110 + (30 % 7) - 20, h: 116, l: 90 + (30 % 7), c: 110 + (59 % 7), v: 300 },
      ]);
      const day = await sql.get("SELECT t, o, h, l, c, v FROM market_bars_1d WHERE symbol = 'S0010'");
      expect(day).toEqual({ t: tradingDayMs(t0), o: 110, h: 116, l: 92, c: 113, v: 600 });
      expect(await sql.get("SELECT p, t FROM market_latest WHERE symbol = 'S0010'")).toEqual({ p: 113, t: t0 + 59 * 2_000 });

      // Later ticks of the same minute merge into the stored bar.
      feed.send({ type: 'ticks', id: 4, ticks: [{ s: 'S0010', p: 200, t: t0 + 119_000, v: 1 }, { s: 'S0010', p: 50, t: t0 + 119_500, v: 1 }] });
      await feed.waitFor((m) => m.type === 'ack' && m.id === 4);
      await h.market.pipeline.flush();
      expect(await sql.get("SELECT o, h, l, c, v FROM market_bars_1m WHERE symbol = 'S0010' AND t = ?", [t0 + 60_000]))
        .toEqual({ o: 92, h: 200, l: 50, c: 50, v: 302 });
      // Out-of-order ticks are dropped, not written over newer data.
      feed.send({ type: 'ticks', id: 5, ticks: [{ s: 'S0010', p: 1, t: t0 }] });
      expect(await feed.waitFor((m) => m.type === 'ack' && m.id === 5)).toMatchObject({ accepted: 0, dropped: 1 });
      feed.ws.close();
    } finally {
      sql.transaction = realTx;
    }
  });

  it('marks the prices of a disconnected provider stale', async () => {
    const feed = await connectAuthed(h, '/api/v1/market/ingest', h.tokens.feed);
    feed.send({ type: 'ticks', id: 9, ticks: [{ s: 'S0040', p: 40, t: Date.now() }] });
    await feed.waitFor((m) => m.type === 'ack');
    expect(h.market.cache.peek('S0040')?.invalidated).toBe(false);
    feed.ws.close();
    await feed.closed;
    await new Promise((r) => setTimeout(r, 50));
    expect(h.market.cache.peek('S0040')?.invalidated).toBe(true);
    const q = (await h.market.lookup.getPrices(['S0040'])).get('S0040');
    expect(q).toMatchObject({ price: 40, stale: true });
  });
});
