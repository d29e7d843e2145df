import { describe, expect, it } from 'vitest';
import { createStreamHub } from './stream-hub.ts';

describe('stream hub', () => {
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
    expect(conns.filter((c) => c.pending?.size).map((c) => conns.indexOf(c))).toEqual([7, 9]);
    hub.remove(conns[7]);
    expect(hub.subscriberCount('HOT')).toBe(1);
    hub.stop();
  });

  it('keeps only the latest pending tick per symbol', () => {
    const hub = createStreamHub();
    const c = hub.newConn(() => undefined, () => 0, 50);
    hub.subscribe(c, ['A', 'B']);
    for (let i = 0; i < 100; i++) hub.publish({ s: i % 2 ? 'A' : 'B', p: i, t: i });
    expect(c.pending?.size).toBe(2);
    expect(c.pending?.get('A')?.p).toBe(99);
    expect(hub.stats().ticksSuperseded).toBe(98);
    hub.stop();
  });
});
