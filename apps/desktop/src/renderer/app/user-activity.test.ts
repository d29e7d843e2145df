import { describe, expect, it } from 'vitest';
import { QUIET_MS, watchUserActivity } from './user-activity.ts';

describe('user activity', () => {
  it('is busy for QUIET_MS after a scroll, wheel, key or pointer press, and quiet otherwise', () => {
    const target = new EventTarget();
    const clock = { t: 1000 };
    const activity = watchUserActivity(target, { now: () => clock.t });
    expect(activity.busy()).toBe(false);
    for (const type of ['scroll', 'wheel', 'keydown', 'pointerdown', 'touchmove']) {
      target.dispatchEvent(new Event(type));
      expect(activity.busy()).toBe(true);
      clock.t += QUIET_MS - 1;
      expect(activity.busy()).toBe(true);
      clock.t += 1;
      expect(activity.busy()).toBe(false);
    }
    target.dispatchEvent(new Event('pointermove'));
    expect(activity.busy()).toBe(false);
    activity.stop();
  });

  it('stops listening when stopped', () => {
    const target = new EventTarget();
    const activity = watchUserActivity(target, { now: () => 0 });
    activity.stop();
    target.dispatchEvent(new Event('scroll'));
    expect(activity.busy()).toBe(false);
  });
});
