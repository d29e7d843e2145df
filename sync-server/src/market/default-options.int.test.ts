// The server's default market set-up in demo mode: the demo book's security master, held symbols warmed, daily
// history of held symbols imported, FX warmed, the simulated provider ticking, and createPriceLookup for others.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type RunningServer } from '../app.ts';
import { createMarketFeature, createPriceLookup, type MarketFeature } from './index.ts';

describe('default market feature (demo mode)', () => {
  let server: RunningServer;
  let market: MarketFeature;
  let dir: string;
  let token: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aw-market-demo-'));
    process.env.AW_MARKET_TICKS_PER_SEC = '2000';
    server = await createServer(
      { port: 0, host: '127.0.0.1', dataDir: dir, demo: true, bodyLimitBytes: 1 << 20 },
      {
        logger: pino({ level: 'silent' }),
        demoHouseholds: 3,
        features: [async (ctx) => (market = (await createMarketFeature(ctx)) as MarketFeature)],
      } as Parameters<typeof createServer>[1],
    );
    const r = await fetch(`${server.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice', password: 'demo' }) });
    token = ((await r.json()) as { token: string }).token;
  }, 120_000);
  afterAll(async () => {
    delete process.env.AW_MARKET_TICKS_PER_SEC;
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves prices of held symbols at once and daily history once imported', async () => {
    const lots = await server.ctx.book.collections.lots.find().exec();
    const held = [...new Set(lots.map((l: { symbol: string }) => l.symbol))] as string[];
    expect(held.length).toBeGreaterThan(0);
    const body = await (await fetch(`${server.url}/api/v1/market/prices?symbols=${held.slice(0, 20).join(',')}`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(Object.keys(body.prices).sort()).toEqual(held.slice(0, 20).sort());
    expect(body.unknown).toEqual([]);
    await market.historyLoaded();
    const hist = await (await fetch(`${server.url}/api/v1/market/history/${held[0]}?start_date=2025-11-20&end_date=2026-11-20`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(hist.pagination.total).toBeGreaterThan(240);
  });

  it('ingests ticks from the simulated provider', async () => {
    const stats = market.stats().pipeline;
    await new Promise((r) => setTimeout(r, 300));
    expect(market.stats().pipeline.accepted).toBeGreaterThan(stats.accepted);
  });

  it('accepts ticks for a security added to the book after start', async () => {
    const c = server.ctx.book.collections.securities;
    const doc = (await c.findOne().exec()).toJSON();
    expect(market.pipeline.ticks([{ s: 'NEWCO', p: 10, t: Date.now() }], 'test').accepted).toBe(0);
    await c.insert({ ...doc, symbol: 'NEWCO', name: 'New Co' });
    await new Promise((r) => setTimeout(r, 50));
    expect(market.pipeline.ticks([{ s: 'NEWCO', p: 10, t: Date.now() }], 'test').accepted).toBe(1);
  });

  it('gives other features batched prices and FX conversion', async () => {
    const lookup = createPriceLookup(server.ctx);
    const lots = await server.ctx.book.collections.lots.find().exec();
    const symbols = [...new Set(lots.map((l: { symbol: string }) => l.symbol))] as string[];
    const quotes = await lookup.getPrices(symbols);
    expect(quotes.size).toBe(symbols.length);
    for (const q of quotes.values()) expect(q.price).toBeGreaterThan(0);
    const eur = await lookup.fxRate('EURUSD');
    expect(eur).toBeGreaterThan(0.5);
    expect(await lookup.convert(100, 'EUR', 'USD')).toBeCloseTo(100 * eur, 8);
    expect(await lookup.convert(100, 'USD', 'JPY')).toBeGreaterThan(1_000);
  });
});
