import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStreamHub, frameText } from './stream-hub.ts';

describe('stream hub', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('costs a tick only its subscribers: other connections are not touched', () => {
    const hub = createStreamHub();
    const conns = Array.from({ length: 1_000 }, (_, i) => {
      const c = hub.newConn(() => undefined, () => 0, 50);
      hub.subscribe(c, [`S${i}`]);
      return c;
    });
    hub.subscribe(conns[7], ['HOT']);
    hub.subscribe(conns[9], ['HOT']);
    hub.publish({ s: 'HOT', p: 1, t: 1 });
    expect(hub.stats().ticksQueued).toBe(2);
    expect(conns.filter((c) => hub.pendingTicks(c).length > 0).map((c) => conns.indexOf(c))).toEqual([7, 9]);
    hub.remove(conns[7]);
    expect(hub.subscriberCount('HOT')).toBe(1);
    hub.stop();
  });

  it('keeps only the latest pending tick per symbol', () => {
    const hub = createStreamHub();
    const c = hub.newConn(() => undefined, () => 0, 50);
    hub.subscribe(c, ['A', 'B']);
    for (let i = 0; i < 100; i++) hub.publish({ s: i % 2 ? 'A' : 'B', p: i, t: i });
    expect(hub.pendingTicks(c)).toEqual([{ s: 'A', p: 99, t: 99 }, { s: 'B', p: 98, t: 98 }]);
    expect(hub.stats().ticksSuperseded).toBe(98);
    hub.stop();
  });

  it('sends at most one message per window, as soon as the window allows, with the latest tick of each symbol', () => {
    vi.useFakeTimers();
    const sent: Array<{ conn: number; at: number; ticks: Array<{ s: string; p: number; t: number }> }> = [];
    const hub = createStreamHub({ now: () => Date.now() });
    const start = Date.now();
    const conns = [50, 50, 20].map((windowMs, i) => {
      const c = hub.newConn((f, at) => sent.push({ conn: i, at: Date.now() - start, ...JSON.parse(frameText(f, at)) }), () => 0, windowMs);
      hub.subscribe(c, i === 1 ? ['B'] : ['A', 'B']);
      return c;
    });
    // A tick every 5 ms for 300 ms: A on even steps, B on odd ones.
    for (let step = 0; step < 60; step++) {
      hub.publish({ s: step % 2 ? 'B' : 'A', p: 100 + step, t: Date.now() });
      vi.advanceTimersByTime(5);
    }
    vi.advanceTimersByTime(200);
    for (const [i, c] of conns.entries()) {
      const mine = sent.filter((m) => m.conn === i);
      // Leading edge: the first tick goes out at once (after the current macrotask).
      expect(mine[0].at).toBeLessThanOrEqual(5);
      for (let k = 1; k < mine.length; k++) {
        const gap = mine[k].at - mine[k - 1].at;
        expect(gap).toBeGreaterThanOrEqual(c.windowMs);
        // Ticks keep arriving, so each message leaves as soon as its window is over (one timer, exact deadlines).
        if (mine[k - 1].at < 290) expect(gap).toBeLessThanOrEqual(c.windowMs + 1);
      }
      for (const m of mine) expect(new Set(m.ticks.map((t) => t.s)).size).toBe(m.ticks.length);
      // The last message carries the last price of each subscribed symbol.
      const last = mine.at(-1)!.ticks;
      expect(last.find((t) => t.s === 'B')?.p).toBe(159);
      if (i !== 1) expect(mine.flatMap((m) => m.ticks).filter((t) => t.s === 'A').at(-1)?.p).toBe(158);
      expect(mine.flatMap((m) => m.ticks).some((t) => t.s !== 'A' && t.s !== 'B')).toBe(false);
      if (i === 1) expect(mine.flatMap((m) => m.ticks).every((t) => t.s === 'B')).toBe(true);
    }
    hub.stop();
  });

  it('lets waiting work run between parts of a long drain, and still sends every due connection', async () => {
    // A clock that advances 1 ms per message sent: 10 due connections take 10 ms, over the 2 ms drain budget.
    let clock = 0;
    const order: string[] = [];
    const hub = createStreamHub({ now: () => clock });
    const conns = Array.from({ length: 10 }, (_, i) => {
      const c = hub.newConn(() => {
        order.push(`send ${i}`);
        // Work that arrives during the drain (in the server: an ingest message on its socket) is queued behind it.
        if (order.length === 1) setImmediate(() => order.push('ingest'));
        clock += 1;
      }, () => 0, 50);
      hub.subscribe(c, ['A']);
      return c;
    });
    hub.publish({ s: 'A', p: 1, t: 1 }); // leading edge: every connection is due now
    await vi.waitFor(() => expect(order.filter((e) => e.startsWith('send'))).toHaveLength(10), { timeout: 5_000, interval: 5 });
    // The drain stopped after its budget (2 sends), the queued work ran, then the drain went on.
    expect(order.indexOf('ingest')).toBe(2);
    expect(conns.every((c) => hub.pendingTicks(c).length === 0)).toBe(true);
    hub.stop();
  });

  it('drops pending ticks of unsubscribed symbols and stops sending to removed connections', () => {
    vi.useFakeTimers();
    const got: string[] = [];
    const hub = createStreamHub({ now: () => Date.now() });
    const a = hub.newConn((f, at) => got.push(`a${frameText(f, at)}`), () => 0, 50);
    const b = hub.newConn((f, at) => got.push(`b${frameText(f, at)}`), () => 0, 50);
    hub.subscribe(a, ['X', 'Y', 'Z']);
    hub.subscribe(b, ['X']);
    for (const s of ['X', 'Y', 'Z']) hub.publish({ s, p: 1, t: 1 });
    hub.unsubscribe(a, ['Y']);
    expect(hub.pendingTicks(a).map((t) => t.s)).toEqual(['X', 'Z']);
    hub.remove(b);
    vi.advanceTimersByTime(100);
    expect(got).toEqual(['a{"type":"prices","ticks":[{"s":"X","p":1,"t":1},{"s":"Z","p":1,"t":1}]}']);
    // A freed slot is reused by the next subscription.
    hub.subscribe(a, ['W']);
    hub.publish({ s: 'W', p: 2.5, t: 2 });
    vi.advanceTimersByTime(100);
    expect(got.at(-1)).toBe('a{"type":"prices","ticks":[{"s":"W","p":2.5,"t":2}]}');
    expect(a.symbols).toEqual(['X', 'Z', 'W']);
    hub.stop();
  });

  it('primes a new subscriber with the snapshot but never with an older price than the last published tick', () => {
    const hub = createStreamHub();
    const a = hub.newConn(() => undefined, () => 0, 50);
    hub.subscribe(a, ['X']);
    hub.publish({ s: 'X', p: 10, t: 200 });
    const b = hub.newConn(() => undefined, () => 0, 50);
    hub.subscribe(b, ['X', 'Y']);
    hub.prime(b, [{ s: 'X', p: 9, t: 100 }, { s: 'Y', p: 3, t: 150 }, { s: 'Q', p: 1, t: 1 }]);
    expect(hub.pendingTicks(b)).toEqual([{ s: 'X', p: 10, t: 200 }, { s: 'Y', p: 3, t: 150 }]);
    hub.stop();
  });

  it('writes nothing to a socket over its buffer limit: newer ticks supersede the waiting ones, then one message', () => {
    vi.useFakeTimers();
    let buffered = 100_000;
    const got: string[] = [];
    const hub = createStreamHub({ now: () => Date.now(), maxBufferedBytes: 64 * 1024 });
    const c = hub.newConn((f, at) => got.push(frameText(f, at)), () => buffered, 50);
    hub.subscribe(c, ['A', 'B']);
    for (let i = 1; i <= 20; i++) {
      hub.publish({ s: 'A', p: i, t: i });
      vi.advanceTimersByTime(25);
    }
    expect(got).toEqual([]);
    expect(hub.stats().backpressureSkips).toBeGreaterThan(5);
    expect(hub.pendingTicks(c)).toEqual([{ s: 'A', p: 20, t: 20 }]);
    buffered = 0;
    hub.publish({ s: 'B', p: 7.25, t: 21 });
    vi.advanceTimersByTime(60);
    expect(got).toEqual(['{"type":"prices","ticks":[{"s":"A","p":20,"t":20},{"s":"B","p":7.25,"t":21}]}']);
    hub.stop();
  });

  it('encodes symbols outside ASCII as UTF-8 in the message bytes', () => {
    vi.useFakeTimers();
    const got: string[] = [];
    const hub = createStreamHub({ now: () => Date.now() });
    const c = hub.newConn((f, at) => got.push(frameText(f, at)), () => 0, 50);
    const long = '€'.repeat(50);
    hub.subscribe(c, ['ÄB€', 'X', long]);
    hub.publish({ s: 'ÄB€', p: 1.5, t: 3 });
    hub.publish({ s: 'X', p: 2, t: 4 });
    hub.publish({ s: long, p: 0.000123, t: 5 });
    vi.advanceTimersByTime(60);
    hub.publish({ s: long, p: 7, t: 6 });
    hub.publish({ s: 'X', p: 2.25, t: 7 });
    vi.advanceTimersByTime(60);
    expect(got.map((m) => JSON.parse(m))).toEqual([
      { type: 'prices', ticks: [{ s: 'ÄB€', p: 1.5, t: 3 }, { s: 'X', p: 2, t: 4 }, { s: long, p: 0.000123, t: 5 }] },
      { type: 'prices', ticks: [{ s: 'X', p: 2.25, t: 7 }, { s: long, p: 7, t: 6 }] },
    ]);
    hub.stop();
  });
  it('for any ticks, subscriptions and slow sockets: at most one message per window, only subscribed symbols, the latest tick wins, nothing is lost', () => {
    const SYMS = ['A', 'B', 'C', 'D', 'E', 'F'];
    type Step =
      | { kind: 'tick'; s: number; dt: number }
      | { kind: 'sub'; c: number; s: number }
      | { kind: 'unsub'; c: number; s: number }
      | { kind: 'slow'; c: number; on: boolean };
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 10, arbitrary: fc.record({ kind: fc.constant('tick' as const), s: fc.nat(SYMS.length - 1), dt: fc.oneof(fc.constant(0), fc.nat(30), fc.constant(120)) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('sub' as const), c: fc.nat(3), s: fc.nat(SYMS.length - 1) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('unsub' as const), c: fc.nat(3), s: fc.nat(SYMS.length - 1) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('slow' as const), c: fc.nat(3), on: fc.boolean() }) },
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 150 }), fc.array(fc.constantFrom(10, 20, 50), { minLength: 4, maxLength: 4 }), (steps, windows) => {
        vi.useFakeTimers();
        try {
          const hub = createStreamHub({ now: () => Date.now(), maxBufferedBytes: 1_000 });
          const latest = new Map<string, { p: number; seq: number }>();
          /** Per connection: the latest price of each symbol published while it was subscribed (since its last subscribe). */
          const owed = windows.map(() => new Map<string, number>());
          const slow = [false, false, false, false];
          const got: Array<Array<{ at: number; ticks: Array<{ s: string; p: number; t: number }> }>> = [[], [], [], []];
          const conns = windows.map((w, i) => hub.newConn((f, at) => {
            const m = JSON.parse(frameText(f, at));
            const ticks = m.ticks as Array<{ s: string; p: number; t: number }>;
            // Only subscribed symbols, each once, each at its latest price at the moment of sending.
            expect(new Set(ticks.map((t) => t.s)).size).toBe(ticks.length);
            for (const t of ticks) {
              expect(conns[i].symbols).toContain(t.s);
              expect(t.p).toBe(latest.get(t.s)!.p);
            }
            got[i].push({ at: Date.now(), ticks });
          }, () => (slow[i] ? 5_000 : 0), w));
          let p = 0;
          for (const st of steps) {
            if (st.kind === 'tick') {
              vi.advanceTimersByTime(st.dt);
              p++;
              latest.set(SYMS[st.s], { p, seq: p });
              for (const [i, c] of conns.entries()) if (c.symbols.includes(SYMS[st.s])) owed[i].set(SYMS[st.s], p);
              hub.publish({ s: SYMS[st.s], p, t: Date.now() });
            } else if (st.kind === 'sub') hub.subscribe(conns[st.c], [SYMS[st.s]]);
            else if (st.kind === 'unsub') {
              hub.unsubscribe(conns[st.c], [SYMS[st.s]]);
              owed[st.c].delete(SYMS[st.s]);
            } else slow[st.c] = st.on;
          }
          // Quiet time with every socket writable: whatever is still pending goes out.
          slow.fill(false);
          vi.advanceTimersByTime(500);
          for (const [i, c] of conns.entries()) {
            const msgs = got[i];
            for (let k = 1; k < msgs.length; k++) expect(msgs[k].at - msgs[k - 1].at).toBeGreaterThanOrEqual(c.windowMs);
            expect(msgs.every((m) => m.ticks.length > 0)).toBe(true);
            expect(hub.pendingTicks(c)).toEqual([]);
            // Every symbol that ticked while subscribed reached the client, the last message with its latest price.
            for (const [s, p] of owed[i]) expect(msgs.flatMap((m) => m.ticks).filter((t) => t.s === s).at(-1)?.p).toBe(p);
          }
          hub.stop();
        } finally {
          vi.useRealTimers();
        }
      }),
      { numRuns: 200 },
    );
  });
});
