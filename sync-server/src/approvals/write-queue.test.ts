import { describe, expect, it } from 'vitest';
import { createLoadBreaker, createWriteQueue } from './write-queue.ts';

describe('write queue', () => {
  it('runs tasks one at a time in order and counts its depth', async () => {
    const q = createWriteQueue();
    const log: string[] = [];
    let release!: () => void;
    const first = q.run(() => new Promise<void>((r) => (release = () => (log.push('a'), r()))));
    const second = q.run(async () => void log.push('b'));
    const failing = q.run(async () => {
      throw new Error('boom');
    });
    const after = q.run(async () => void log.push('c'));
    expect(q.depth()).toBe(4);
    await Promise.resolve();
    release();
    await Promise.all([first, second, after]);
    await expect(failing).rejects.toThrow('boom');
    expect(log).toEqual(['a', 'b', 'c']);
    expect(q.depth()).toBe(0);
  });
});

describe('load breaker', () => {
  it('opens on queue depth or write latency, pauses for the cooldown, then closes after a good trial', () => {
    let now = 0;
    let depth = 0;
    let latency = 10;
    const states: string[] = [];
    const b = createLoadBreaker({ depth: () => depth, writeLatencyMs: () => latency }, {
      now: () => now, maxQueueDepth: 5, maxWriteLatencyMs: 500, cooldownMs: 1000, onStateChange: (s) => states.push(s),
    });
    expect(b.allow()).toBe(true);
    depth = 6;
    expect(b.allow()).toBe(false);
    expect(b.state()).toBe('open');
    expect(b.lastReason()).toMatch(/queue depth 6 > 5/);
    depth = 0;
    now = 999;
    expect(b.allow()).toBe(false); // still cooling down
    now = 1000;
    expect(b.allow()).toBe(true); // trial
    expect(b.state()).toBe('half-open');
    latency = 800; // the trial was slow
    expect(b.allow()).toBe(false);
    expect(b.lastReason()).toMatch(/latency 800 ms > 500 ms/);
    now = 2500;
    expect(b.allow()).toBe(true);
    latency = 20;
    expect(b.allow()).toBe(true);
    expect(b.state()).toBe('closed');
    expect(b.trips()).toBe(2);
    expect(states).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  it('keeps a moving average of write latency', () => {
    const q = createWriteQueue({ alpha: 0.5 });
    expect(q.writeLatencyMs()).toBe(0);
    q.recordWriteMs(100);
    q.recordWriteMs(300);
    expect(q.writeLatencyMs()).toBe(200);
  });
});
