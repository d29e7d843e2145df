// The approvals feature's single writer: every proposal transition and execution step runs through one serialized
// queue (so a proposal is never decided twice at once, and writes to proposals/accounts/lots/transactions of this
// feature never interleave). Its depth and the measured DB write latency feed the execution circuit breaker.
// Units: latency milliseconds (an exponentially weighted moving average of this feature's bulk writes).

export interface WriteQueue {
  /** Runs `fn` after every earlier task has finished. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Tasks waiting or running. */
  depth(): number;
  /** Records one DB write's duration (ms) into the moving average. */
  recordWriteMs(ms: number): void;
  /** Moving average of DB write latency, ms (0 before the first write). */
  writeLatencyMs(): number;
  /** Resolves when the queue is empty. */
  idle(): Promise<void>;
}

export function createWriteQueue(opts: { alpha?: number } = {}): WriteQueue {
  const alpha = opts.alpha ?? 0.5;
  let tail: Promise<unknown> = Promise.resolve();
  let depth = 0;
  let ewma = 0;
  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      depth++;
      const task = tail.then(fn, fn).finally(() => {
        depth--;
      });
      tail = task.catch(() => undefined);
      return task;
    },
    depth: () => depth,
    recordWriteMs(ms) {
      ewma = ewma === 0 ? ms : alpha * ms + (1 - alpha) * ewma;
    },
    writeLatencyMs: () => ewma,
    idle: () => tail.then(() => undefined),
  };
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface LoadBreakerOptions {
  /** Open when more tasks than this wait in the write queue (default 50). */
  maxQueueDepth?: number;
  /** Open when the moving average of DB write latency exceeds this (ms, default 2000). */
  maxWriteLatencyMs?: number;
  /** How long the breaker stays open before one trial chunk (ms, default 5000). */
  cooldownMs?: number;
  now: () => number;
  onStateChange?: (s: BreakerState, reason: string) => void;
}

/**
 * Circuit breaker of the execution job (seed 6): before each chunk the job asks `allow()`. Over a threshold the
 * breaker opens and the job pauses for `cooldownMs`; then one trial chunk runs (half-open) and, if the load is
 * back under the thresholds, the breaker closes.
 */
export interface LoadBreaker {
  state(): BreakerState;
  allow(): boolean;
  /** Times the breaker opened. */
  trips(): number;
  lastReason(): string;
}

export function createLoadBreaker(queue: Pick<WriteQueue, 'depth' | 'writeLatencyMs'>, opts: LoadBreakerOptions): LoadBreaker {
  const maxDepth = opts.maxQueueDepth ?? 50;
  const maxLatency = opts.maxWriteLatencyMs ?? 2000;
  const cooldownMs = opts.cooldownMs ?? 5000;
  let state: BreakerState = 'closed';
  let openedAt = 0;
  let trips = 0;
  let reason = '';
  const set = (s: BreakerState, why: string) => {
    if (s === state) return;
    state = s;
    reason = why;
    opts.onStateChange?.(s, why);
  };
  const overload = (): string | null => {
    const d = queue.depth();
    if (d > maxDepth) return `write queue depth ${d} > ${maxDepth}`;
    const l = queue.writeLatencyMs();
    if (l > maxLatency) return `DB write latency ${Math.round(l)} ms > ${maxLatency} ms`;
    return null;
  };
  return {
    state: () => state,
    trips: () => trips,
    lastReason: () => reason,
    allow() {
      if (state === 'open') {
        if (opts.now() - openedAt < cooldownMs) return false;
        // The trial chunk runs whatever the (now old) latency average says; the next call judges its effect.
        set('half-open', 'cooldown over: one trial chunk');
        return true;
      }
      const why = overload();
      if (why) {
        openedAt = opts.now();
        trips++;
        set('open', why);
        return false;
      }
      if (state === 'half-open') set('closed', 'load back under the thresholds');
      return true;
    },
  };
}
