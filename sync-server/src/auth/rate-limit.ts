// Fixed-budget sliding-window limiter for login: at most `max` failed attempts per key (username + client IP)
// within `windowMs`; further attempts are refused until the oldest counted failure leaves the window.
// In memory: a restart forgets it, which is acceptable for a brute-force brake. Times are epoch milliseconds.
export interface RateLimiter {
  /** Milliseconds until the key may try again, or 0 when it may try now. */
  retryAfterMs(key: string): number;
  recordFailure(key: string): void;
  reset(key: string): void;
}

export function createRateLimiter(max: number, windowMs: number, now: () => number): RateLimiter {
  const failures = new Map<string, number[]>();
  const recent = (key: string): number[] => {
    const cutoff = now() - windowMs;
    const list = (failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) failures.set(key, list);
    else failures.delete(key);
    return list;
  };
  return {
    retryAfterMs(key) {
      const list = recent(key);
      return list.length < max ? 0 : Math.max(1, list[list.length - max] + windowMs - now());
    },
    recordFailure(key) {
      const list = recent(key);
      list.push(now());
      failures.set(key, list);
      if (failures.size > 100_000) failures.delete(failures.keys().next().value as string);
    },
    reset(key) {
      failures.delete(key);
    },
  };
}
