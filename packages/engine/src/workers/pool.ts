// A fixed pool of workers behind one `run(task)`: tasks queue FIFO until a worker is idle. Runtime-neutral: a
// PoolWorker wraps a Comlink remote (browser) or a worker_threads Worker (Node); `create` builds one per slot.

export interface PoolWorker<T, R> {
  run(task: T): Promise<R>;
  terminate(): void | Promise<void>;
}

export interface WorkerPool<T, R> {
  readonly size: number;
  run(task: T): Promise<R>;
  /** Rejects queued tasks and terminates every worker. */
  terminate(): Promise<void>;
}

export class PoolClosedError extends Error {
  override name = 'PoolClosedError';
}

export function createWorkerPool<T, R>(create: (slot: number) => PoolWorker<T, R>, size: number): WorkerPool<T, R> {
  const n = Math.max(1, Math.floor(size) || 1);
  const workers = Array.from({ length: n }, (_, i) => create(i));
  const idle = [...workers.keys()];
  const queue: Array<{ task: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  let closed = false;
  const dispatch = (): void => {
    while (!closed && idle.length > 0 && queue.length > 0) {
      const slot = idle.shift()!;
      const job = queue.shift()!;
      workers[slot]!.run(job.task).then(job.resolve, job.reject).finally(() => {
        idle.push(slot);
        dispatch();
      });
    }
  };
  return {
    size: n,
    run(task: T): Promise<R> {
      if (closed) return Promise.reject(new PoolClosedError('worker pool is terminated'));
      return new Promise<R>((resolve, reject) => {
        queue.push({ task, resolve, reject });
        dispatch();
      });
    },
    async terminate(): Promise<void> {
      closed = true;
      for (const q of queue.splice(0)) q.reject(new PoolClosedError('worker pool is terminated'));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
