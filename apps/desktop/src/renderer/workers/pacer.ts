// A bulk job yielding to the user. On 2 cores a busy rebalance worker (and the IndexedDB work it causes in the
// browser process) stretches every frame of the UI thread; while the user scrolls or types, each worker rests after
// a chunk for as long as the chunk ran (REST_RATIO 1: about half a core instead of a whole one), and the rest ends as
// soon as the user stops. Measured in the ui bench (the grid scrolling the whole time, interleaved with `--no-yield`):
// 2 long tasks over 4 bulk runs instead of 4, the run taking 12–17 s instead of 6–9 s (AG Grid's rows, session 13);
// 14 over 5 runs instead of 22 over 4 (the line body filling all lines at once, session 14). Resting twice as long
// (`--rest-ratio 2`, 18 runs each, session 17): no long task in 14 runs, against 12 at 1:1, and the job 26–34 s
// instead of 17–23 s; not worth it (the worker held 0.2 core; raster and compositor threads, 0.7–0.9).

export const REST_RATIO = 1;
/** How often a rest checks whether the user is still busy (ms). */
const CHECK_MS = 50;

export interface Pacer {
  /** Before a worker's chunk: resolves when the worker may start it (at once unless the user is busy). */
  rest(worker: object): Promise<void>;
  /** After a worker's chunk: it ran `ms`. */
  ran(worker: object, ms: number): void;
  /** Time spent resting so far, summed over workers (ms). */
  readonly restedMs: number;
}

export interface PacerOptions {
  /** Whether the user is working the screen now (app/user-activity.ts). */
  busy(): boolean;
  ratio?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function createPacer(opts: PacerOptions): Pacer {
  const { busy, ratio = REST_RATIO } = opts;
  const now = opts.now ?? (() => performance.now());
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // Per worker: when its last chunk ended and how long it ran.
  const last = new WeakMap<object, { end: number; ran: number }>();
  let restedMs = 0;
  return {
    get restedMs() { return restedMs; },
    async rest(worker) {
      const prev = last.get(worker);
      if (!prev) return;
      const until = prev.end + prev.ran * ratio;
      const start = now();
      let slept = false;
      while (busy()) {
        const left = until - now();
        if (left <= 0) break;
        slept = true;
        await sleep(Math.min(CHECK_MS, left));
      }
      if (slept) restedMs += now() - start;
    },
    ran(worker, ms) {
      last.set(worker, { end: now(), ran: ms });
    },
  };
}
