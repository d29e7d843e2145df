import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPacer, REST_RATIO } from './pacer.ts';

/** A pacer on a fake clock: sleeping moves the clock; `busyUntil` is when the user stops. */
function fakePacer(busyUntil = Infinity, ratio?: number) {
  const clock = { t: 0 };
  const pacer = createPacer({ busy: () => clock.t < busyUntil, ratio, now: () => clock.t, sleep: async (ms) => { clock.t += ms; } });
  return { clock, pacer };
}

describe('pacer: a bulk job yielding to the user', () => {
  it('never holds back a worker\'s first chunk', async () => {
    const { clock, pacer } = fakePacer();
    await pacer.rest({});
    expect(clock.t).toBe(0);
    expect(pacer.restedMs).toBe(0);
  });

  it('while the user is busy, rests after a chunk as long as it ran, counting the time already gone by', async () => {
    const { clock, pacer } = fakePacer();
    const w = {};
    pacer.ran(w, 170);
    clock.t += 30; // the UI thread's share of the chunk's result
    await pacer.rest(w);
    expect(clock.t).toBe(170 * REST_RATIO);
    expect(pacer.restedMs).toBe(170 * REST_RATIO - 30);
  });

  it('ends a rest soon after the user stops, and does not rest at all for an idle user', async () => {
    const { clock, pacer } = fakePacer(120);
    const w = {};
    pacer.ran(w, 1000);
    await pacer.rest(w);
    expect(clock.t).toBeGreaterThanOrEqual(120);
    expect(clock.t).toBeLessThan(200);
    pacer.ran(w, 1000);
    const t = clock.t;
    await pacer.rest(w);
    expect(clock.t).toBe(t);
  });

  it('paces each worker by its own chunks', async () => {
    const { clock, pacer } = fakePacer();
    const a = {};
    const b = {};
    pacer.ran(a, 400);
    await pacer.rest(b); // b has run nothing yet
    expect(clock.t).toBe(0);
    pacer.ran(b, 100);
    await pacer.rest(b);
    expect(clock.t).toBe(100);
    await pacer.rest(a);
    expect(clock.t).toBe(400);
  });

  it('over any run of chunks, rests at most ratio × the time run, and only while the user is busy', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.record({ ran: fc.integer({ min: 0, max: 2000 }), gap: fc.integer({ min: 0, max: 300 }) }), { minLength: 1, maxLength: 20 }),
      fc.integer({ min: 0, max: 20_000 }), fc.constantFrom(0.5, 1, 2),
      async (chunks, busyUntil, ratio) => {
        const { clock, pacer } = fakePacer(busyUntil, ratio);
        const w = {};
        let ran = 0;
        for (const c of chunks) {
          const before = clock.t;
          await pacer.rest(w);
          // A rest never starts after the user stopped, nor outlasts the user by more than one check.
          if (before >= busyUntil) expect(clock.t).toBe(before);
          else expect(clock.t).toBeLessThan(Math.max(before, busyUntil) + 50);
          clock.t += c.ran;
          ran += c.ran;
          pacer.ran(w, c.ran);
          clock.t += c.gap;
        }
        expect(pacer.restedMs).toBeLessThanOrEqual(ran * ratio);
      }));
  });
});
