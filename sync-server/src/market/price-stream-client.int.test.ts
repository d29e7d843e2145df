// The desktop's price-stream client (@aw/sync-client openPriceStream) against the real server.
import WebSocket from 'ws';
import { firstValueFrom, filter, take, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPriceStream, type PriceTick, type WebSocketCtor } from '@aw/sync-client';
import { sleep, startHarness, testSymbols, type Harness } from './test-harness.ts';

describe('price-stream client', () => {
  let h: Harness;
  let pumping = true;
  beforeAll(async () => {
    h = await startHarness({ securities: testSymbols(60), provider: null, retention: { enabled: false } });
    // A provider ticking every symbol every 20 ms.
    void (async () => {
      let p = 100;
      while (pumping) {
        h.market.pipeline.ticks(testSymbols(20).map((s) => ({ s, p, t: Date.now() })), 'test');
        p += 0.01;
        await sleep(20);
      }
    })();
  });
  afterAll(async () => {
    pumping = false;
    await h?.close();
  });

  it('delivers only subscribed symbols and keeps the latest price per symbol', async () => {
    const stream = openPriceStream({ url: h.url, getToken: () => h.tokens.alice, WebSocketImpl: WebSocket as unknown as WebSocketCtor });
    stream.subscribe(['S0001', 'S0002']);
    const ticks = await firstValueFrom(stream.ticks$.pipe(take(20), toArray()));
    expect(new Set(ticks.map((t: PriceTick) => t.s))).toEqual(new Set(['S0001', 'S0002']));
    const latest = await firstValueFrom(stream.prices$.pipe(filter((m) => m.size === 2)));
    expect([...latest.keys()].sort()).toEqual(['S0001', 'S0002']);
    stream.unsubscribe(['S0001']);
    await sleep(200);
    const later = await firstValueFrom(stream.ticks$.pipe(take(10), toArray()));
    expect(new Set(later.map((t) => t.s))).toEqual(new Set(['S0002']));
    stream.close();
  });

  it('reconnects with backoff after the server drops it and re-subscribes', async () => {
    const stream = openPriceStream({ url: h.url, getToken: () => h.tokens.alice, WebSocketImpl: WebSocket as unknown as WebSocketCtor, minBackoffMs: 50 });
    const states: string[] = [];
    stream.state$.subscribe((s) => states.push(s));
    stream.subscribe(['S0005']);
    await firstValueFrom(stream.ticks$);
    expect(h.market.disconnectStreams()).toBeGreaterThan(0);
    await firstValueFrom(stream.state$.pipe(filter((s) => s === 'reconnecting')));
    await firstValueFrom(stream.state$.pipe(filter((s) => s === 'open')));
    const after = await firstValueFrom(stream.ticks$.pipe(take(3), toArray()));
    expect(after.every((t) => t.s === 'S0005')).toBe(true);
    expect(states).toEqual(expect.arrayContaining(['connecting', 'open', 'reconnecting']));
    stream.close();
  });

  it('stops on an auth failure instead of retrying forever', async () => {
    const stream = openPriceStream({ url: h.url, getToken: () => 'not-a-token', WebSocketImpl: WebSocket as unknown as WebSocketCtor, minBackoffMs: 10 });
    const states: string[] = [];
    stream.state$.subscribe((s) => states.push(s));
    const err = await firstValueFrom(stream.errors$);
    expect(err.code).toBe('unauthorized');
    await sleep(300);
    // No reconnect loop: the state stays auth_failed (backoff would have retried many times by now).
    expect(states.slice(states.indexOf('auth_failed'))).toEqual(['auth_failed']);
    stream.close();
  });

  it('reports too_many_symbols from the server', async () => {
    const stream = openPriceStream({ url: h.url, getToken: () => h.tokens.alice, WebSocketImpl: WebSocket as unknown as WebSocketCtor });
    await firstValueFrom(stream.state$.pipe(filter((s) => s === 'open')));
    stream.subscribe(testSymbols(51));
    const err = await firstValueFrom(stream.errors$);
    expect(err.code).toBe('too_many_symbols');
    stream.subscribe(['NOPE']);
    const unknown = await firstValueFrom(stream.errors$);
    expect(unknown).toMatchObject({ code: 'unknown_symbol', symbols: ['NOPE'] });
    expect(stream.symbols()).not.toContain('NOPE');
    stream.close();
  });
});
