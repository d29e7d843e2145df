// The HTTP vendor adapter against a local fake vendor that answers, errors or hangs: timeouts, circuit breaker
// (open after 5 failures, half-open after 60 s on an injected clock), stale marking, and user requests unaffected.
// The connect timeout runs against a port that blackholes: a listener in a stopped child process whose accept
// queue is full, so the kernel drops new SYNs and the TCP handshake never completes.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { connect as tcpConnect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpPollProvider, getJson, VendorError } from './providers/http-poll.ts';
import { startHarness, type Harness } from './test-harness.ts';

type Mode = 'ok' | 'error' | 'hang' | 'slow-body';

describe('HTTP vendor poller', () => {
  let vendor: Server;
  let vendorUrl: string;
  let mode: Mode = 'ok';
  let hits = 0;
  let price = 100;
  beforeAll(async () => {
    vendor = createServer((req, res) => {
      hits++;
      const symbols = new URL(req.url!, 'http://x').searchParams.get('symbols')!.split(',');
      if (mode === 'error') return res.writeHead(500).end('boom');
      if (mode === 'hang') return; // never answers
      if (mode === 'slow-body') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"ticks":['); // then nothing
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ticks: symbols.map((s) => ({ s, p: price, t: Date.now() })) }));
    });
    await new Promise<void>((r) => vendor.listen(0, '127.0.0.1', r));
    vendorUrl = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}/quotes`;
  });
  afterAll(async () => {
    vendor.closeAllConnections();
    await new Promise((r) => vendor.close(r));
  });

  it('times out reads and whole requests', async () => {
    mode = 'hang';
    const started = Date.now();
    const err = (await getJson(`${vendorUrl}?symbols=A`, { connectMs: 500, readMs: 150, totalMs: 2_000 }).catch((e: unknown) => e)) as VendorError;
    expect(err).toBeInstanceOf(VendorError);
    expect(err.kind).toBe('read_timeout');
    expect(Date.now() - started).toBeLessThan(1_500);
    mode = 'slow-body';
    const err2 = (await getJson(`${vendorUrl}?symbols=A`, { connectMs: 500, readMs: 1_000, totalMs: 200 }).catch((e: unknown) => e)) as VendorError;
    expect(err2.kind).toBe('total_timeout');
    // A port nobody listens on fails fast as a network error (connection refused).
    const err3 = (await getJson('http://127.0.0.1:9/x', { connectMs: 500, readMs: 500, totalMs: 1_000 }).catch((e: unknown) => e)) as VendorError;
    expect(err3.kind).toBe('network');
  });

  describe('a vendor whose TCP handshake never completes', () => {
    let child: ChildProcess;
    let port = 0;
    const fillers: Socket[] = [];
    beforeAll(async () => {
      // Listen with a backlog of 1, then stop the process (SIGSTOP): nothing ever accepts.
      const script = "const s=require('net').createServer().listen({port:0,host:'127.0.0.1',backlog:1},()=>{process.stdout.write(s.address().port+'\\n');process.kill(process.pid,'SIGSTOP')})";
      child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      port = await new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
      // Fill the accept queue: connections complete until it is full, then SYNs are dropped.
      for (let i = 0; i < 16; i++) {
        const s = tcpConnect(port, '127.0.0.1');
        s.on('error', () => undefined);
        fillers.push(s);
        const connected = await new Promise<boolean>((resolve) => {
          const t = setTimeout(() => resolve(false), 300);
          s.once('connect', () => {
            clearTimeout(t);
            resolve(true);
          });
        });
        if (!connected) return;
      }
      throw new Error('the accept queue never filled: cannot make a blackholing port here');
    });
    afterAll(() => {
      for (const s of fillers) s.destroy();
      child?.kill('SIGKILL');
    });

    it('gives up after the connect timeout, not the read or total timeout', async () => {
      const started = Date.now();
      const err = (await getJson(`http://127.0.0.1:${port}/quotes?symbols=A`, { connectMs: 300, readMs: 20_000, totalMs: 30_000 }).catch((e: unknown) => e)) as VendorError;
      expect(err).toBeInstanceOf(VendorError);
      expect(err.kind).toBe('connect_timeout');
      expect(err.message).toContain('300 ms');
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('counts connect timeouts as failures: the breaker opens after 5 and the poller stops dialing', async () => {
      let now = Date.UTC(2026, 10, 20, 16, 0);
      const p = createHttpPollProvider({
        url: `http://127.0.0.1:${port}/quotes`, symbols: ['AAA'], clock: { now: () => now }, pollIntervalMs: 3_600_000,
        timeouts: { connectMs: 100, readMs: 20_000, totalMs: 30_000 },
      });
      for (let i = 0; i < 5; i++) expect((await p.pollOnce()).failures).toBe(1);
      expect(p.breaker.state()).toBe('open');
      expect(await p.pollOnce()).toEqual({ ticks: 0, failures: 0, skipped: 1 });
      now += 60_000;
      expect(p.breaker.state()).toBe('half-open');
      await p.stop();
    });
  });

  describe('inside the server', () => {
    let h: Harness;
    let now = Date.UTC(2026, 10, 20, 16, 0);
    const clock = { now: () => now };
    let poller: ReturnType<typeof createHttpPollProvider>;
    beforeAll(async () => {
      poller = createHttpPollProvider({
        url: vendorUrl, symbols: ['AAA', 'BBB'], clock, pollIntervalMs: 3_600_000,
        timeouts: { connectMs: 200, readMs: 100, totalMs: 300 },
      });
      mode = 'ok';
      h = await startHarness({ securities: ['AAA', 'BBB'], provider: poller, clock, retention: { enabled: false }, cache: { openTtlMs: 3_600_000 } });
      await new Promise((r) => setTimeout(r, 100)); // the first round runs at start
    });
    afterAll(async () => {
      await h?.close();
    });
    const prices = async () => (await fetch(`${h.url}/api/v1/market/prices?symbols=AAA,BBB`, { headers: { authorization: `Bearer ${h.tokens.alice}` } })).json();

    it('feeds ticks while the vendor answers', async () => {
      price = 101;
      expect(await poller.pollOnce()).toEqual({ ticks: 2, failures: 0, skipped: 0 });
      expect((await prices()).prices.AAA).toMatchObject({ p: 101, stale: false });
    });

    it('opens after 5 failures, stops calling the vendor, serves the last good price marked stale', async () => {
      mode = 'hang';
      // One request per round (both symbols fit one chunk): one failure per round.
      for (let i = 0; i < 2; i++) await poller.pollOnce();
      expect(poller.breaker.state()).toBe('closed');
      await poller.pollOnce();
      await poller.pollOnce();
      const fifth = await poller.pollOnce();
      expect(fifth.failures).toBe(1);
      expect(poller.breaker.state()).toBe('open');
      const hitsWhenOpen = hits;
      const started = Date.now();
      expect(await poller.pollOnce()).toEqual({ ticks: 0, failures: 0, skipped: 1 });
      expect(Date.now() - started).toBeLessThan(50); // refused without touching the network
      expect(hits).toBe(hitsWhenOpen);
      const body = await prices();
      expect(body.prices.AAA).toMatchObject({ p: 101, stale: true });
    });

    it('half-opens after 60 s: a failed trial reopens, a good trial closes and clears staleness', async () => {
      now += 59_000;
      expect(poller.breaker.state()).toBe('open');
      now += 1_000;
      expect(poller.breaker.state()).toBe('half-open');
      mode = 'error';
      expect((await poller.pollOnce()).failures).toBe(1);
      expect(poller.breaker.state()).toBe('open');
      now += 60_000;
      mode = 'ok';
      price = 102;
      expect(await poller.pollOnce()).toEqual({ ticks: 2, failures: 0, skipped: 0 });
      expect(poller.breaker.state()).toBe('closed');
      expect((await prices()).prices.AAA).toMatchObject({ p: 102, stale: false });
    });
  });
});
