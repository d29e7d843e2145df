// A reusable pool of Comlink Web Workers for engine work off the UI thread (valuation now; bulk rebalancing and
// optimization later). Sized to the hardware (cores − 1, at least 1, at most `maxSize`), workers created lazily,
// tasks queued FIFO. A task gets the worker's Comlink proxy and a proxied progress callback. Cancellation with an
// AbortSignal: a queued task is dropped; a running task's worker is terminated (the only way to stop CPU-bound
// work) and replaced on demand. `terminate()` ends every worker (call it in effect cleanups).
import * as Comlink from 'comlink';

/** What the pool needs of a worker: a Comlink endpoint that can be terminated (a Web Worker is one). */
export type PoolEndpoint = Comlink.Endpoint & { terminate(): void };

export class TaskAbortedError extends Error {
  override name = 'TaskAbortedError';
  readonly code = 'aborted';
}
export class PoolTerminatedError extends Error {
  override name = 'PoolTerminatedError';
  readonly code = 'pool_terminated';
}

/**
 * Resolves or rejects with `p`, or rejects at once with `aborted()` when `signal` aborts (a terminated or busy
 * worker may never answer; its late answer is then dropped). Default error: TaskAbortedError.
 */
export function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined,
  aborted: () => Error = () => new TaskAbortedError('task cancelled')): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then((v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); });
  });
}

export type ProgressCallback<P> = ((progress: P) => void) & Comlink.ProxyMarked;

export interface TaskOptions<P> {
  signal?: AbortSignal;
  onProgress?: (progress: P) => void;
}

export interface WorkerPool<Api> {
  readonly size: number;
  /** Runs `task` on the next free worker. `progress` is undefined unless `onProgress` was given. */
  run<R, P = unknown>(task: (api: Comlink.Remote<Api>, progress: ProgressCallback<P> | undefined) => Promise<R>,
    options?: TaskOptions<P>): Promise<R>;
  /** Workers currently alive (for tests and diagnostics). */
  liveWorkers(): number;
  terminate(): void;
}

export interface PoolOptions {
  /** Upper bound on the pool size (default 4). */
  maxSize?: number;
  /** Explicit size; default cores − 1 clamped to 1..maxSize. */
  size?: number;
  /** Logical cores (default navigator.hardwareConcurrency). */
  cores?: number;
}

export function poolSize(opts: PoolOptions = {}): number {
  if (opts.size !== undefined) return Math.max(1, Math.floor(opts.size));
  const cores = opts.cores ?? (typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 2) ?? 2;
  return Math.max(1, Math.min(opts.maxSize ?? 4, cores - 1));
}

interface Slot<Api> { endpoint: PoolEndpoint; api: Comlink.Remote<Api>; busy: boolean }

export function createWorkerPool<Api>(create: () => PoolEndpoint, options: PoolOptions = {}): WorkerPool<Api> {
  const size = poolSize(options);
  const slots: (Slot<Api> | null)[] = Array.from({ length: size }, () => null);
  const waiting: { start: (slotIndex: number) => void; reject: (e: Error) => void }[] = [];
  const running = new Set<(e: Error) => void>();
  let terminated = false;

  const slot = (i: number): Slot<Api> => {
    let s = slots[i];
    if (!s) {
      const endpoint = create();
      s = { endpoint, api: Comlink.wrap<Api>(endpoint), busy: false };
      slots[i] = s;
    }
    return s;
  };
  const kill = (i: number) => {
    const s = slots[i];
    if (!s) return;
    s.api[Comlink.releaseProxy]();
    s.endpoint.terminate();
    slots[i] = null;
  };
  const freeIndex = (): number => {
    const idle = slots.findIndex((s) => s !== null && !s.busy);
    return idle >= 0 ? idle : slots.findIndex((s) => s === null);
  };
  const release = (i: number) => {
    const s = slots[i];
    if (s) s.busy = false;
    const next = waiting.shift();
    if (next) next.start(freeIndex());
  };

  return {
    size,
    liveWorkers: () => slots.filter((s) => s !== null).length,
    run(task, opts = {}) {
      if (terminated) return Promise.reject(new PoolTerminatedError('the worker pool was terminated'));
      const { signal, onProgress } = opts;
      if (signal?.aborted) return Promise.reject(new TaskAbortedError('task cancelled'));
      return new Promise((resolve, reject) => {
        let index = -1;
        let done = false;
        const finish = (fn: () => void) => {
          if (done) return;
          done = true;
          running.delete(cancelOnTerminate);
          signal?.removeEventListener('abort', onAbort);
          fn();
        };
        const cancelOnTerminate = (e: Error) => finish(() => reject(e));
        const onAbort = () => {
          const q = waiting.findIndex((w) => w.start === start);
          if (q >= 0) waiting.splice(q, 1);
          if (index >= 0 && !done) {
            kill(index); // stop the CPU-bound work; a fresh worker replaces it on demand
            finish(() => reject(new TaskAbortedError('task cancelled')));
            release(index);
            return;
          }
          finish(() => reject(new TaskAbortedError('task cancelled')));
        };
        const start = (i: number) => {
          index = i;
          const s = slot(i);
          s.busy = true;
          running.add(cancelOnTerminate);
          const progress = onProgress ? Comlink.proxy(onProgress) : undefined;
          task(s.api, progress as ProgressCallback<any> | undefined).then(
            (value) => {
              if (done) return;
              finish(() => resolve(value));
              release(i);
            },
            (err: unknown) => {
              if (done) return;
              finish(() => reject(err instanceof Error ? err : new Error(String(err))));
              release(i);
            },
          );
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        const i = freeIndex();
        if (i >= 0) start(i);
        else waiting.push({ start, reject: (e) => finish(() => reject(e)) });
      });
    },
    terminate() {
      if (terminated) return;
      terminated = true;
      for (const w of waiting.splice(0)) w.reject(new PoolTerminatedError('the worker pool was terminated'));
      for (const r of [...running]) r(new PoolTerminatedError('the worker pool was terminated'));
      for (let i = 0; i < slots.length; i++) kill(i);
    },
  };
}
