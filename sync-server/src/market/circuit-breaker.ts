// Circuit breaker for calls to an external market-data vendor (seed 11): after `failureThreshold` (5)
// consecutive failures the circuit opens and calls are refused without touching the network; after `openMs`
// (60 s) one trial call is let through (half-open): success closes the circuit, failure opens it for another
// `openMs`. Time comes from an injectable clock (epoch milliseconds).
import type { Clock } from './types.ts';

export type BreakerState = 'closed' | 'open' | 'half-open';

export class CircuitOpenError extends Error {
  constructor(readonly retryAt: number) {
    super(`circuit open: the vendor failed repeatedly; next trial at ${new Date(retryAt).toISOString()}`);
    this.name = 'CircuitOpenError';
  }
}

export interface CircuitBreaker {
  state(): BreakerState;
  failures(): number;
  /** Runs `fn` unless the circuit is open (then throws CircuitOpenError). */
  call<T>(fn: () => Promise<T>): Promise<T>;
}

export function createCircuitBreaker(opts: { clock: Clock; failureThreshold?: number; openMs?: number; onStateChange?: (s: BreakerState) => void }): CircuitBreaker {
  const threshold = opts.failureThreshold ?? 5;
  const openMs = opts.openMs ?? 60_000;
  let state: BreakerState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let trialInFlight = false;

  const setState = (s: BreakerState) => {
    if (s !== state) {
      state = s;
      opts.onStateChange?.(s);
    }
  };
  const current = (): BreakerState => {
    if (state === 'open' && opts.clock.now() - openedAt >= openMs) setState('half-open');
    return state;
  };

  return {
    state: current,
    failures: () => failures,
    async call(fn) {
      const s = current();
      if (s === 'open' || (s === 'half-open' && trialInFlight)) throw new CircuitOpenError(openedAt + openMs);
      const trial = s === 'half-open';
      if (trial) trialInFlight = true;
      try {
        const result = await fn();
        failures = 0;
        setState('closed');
        return result;
      } catch (err) {
        failures++;
        if (trial || failures >= threshold) {
          openedAt = opts.clock.now();
          setState('open');
        }
        throw err;
      } finally {
        if (trial) trialInFlight = false;
      }
    },
  };
}
