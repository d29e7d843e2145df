// Running chunks of a job with bounded concurrency, streaming each chunk's result as it finishes, with progress
// (items done, elapsed, ETA) and cancellation through an AbortSignal. Runtime-neutral: the caller's `execute`
// sends a chunk to a Comlink Web Worker, a Node worker thread, or runs it inline.
// Units: milliseconds from the injected clock (default: performance.now()).

export interface JobProgress {
  chunksDone: number;
  chunksTotal: number;
  itemsDone: number;
  itemsTotal: number;
  elapsedMs: number;
  /** Estimated time left from the items/ms rate so far; NaN before the first chunk finishes. */
  etaMs: number;
}

export interface JobSummary extends JobProgress {
  failed: Array<{ chunkIndex: number; message: string }>;
}

export interface RunJobOptions<C, R> {
  chunks: readonly C[];
  /** Items in a chunk (for progress and ETA). */
  sizeOf: (chunk: C) => number;
  concurrency: number;
  execute: (chunk: C, index: number) => Promise<R>;
  /** Called once per chunk, in completion order. */
  onResult?: (result: R, index: number, progress: JobProgress) => void;
  onProgress?: (progress: JobProgress) => void;
  signal?: AbortSignal;
  /** 'abort' (default): the first failed chunk fails the job; 'continue': failures are collected in the summary. */
  onChunkError?: 'abort' | 'continue';
  now?: () => number;
}

export class JobCancelledError extends Error {
  override name = 'JobCancelledError';
  constructor(readonly progress: JobProgress) {
    super(`job cancelled after ${progress.chunksDone} of ${progress.chunksTotal} chunks`);
  }
}

export class ChunkFailedError extends Error {
  override name = 'ChunkFailedError';
  constructor(readonly chunkIndex: number, readonly causeMessage: string) {
    super(`chunk ${chunkIndex} failed: ${causeMessage}`);
  }
}

const defaultNow = (): number => globalThis.performance.now();
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : typeof e === 'object' && e && 'message' in e ? String((e as { message: unknown }).message) : String(e));

export function runJob<C, R>(opts: RunJobOptions<C, R>): Promise<JobSummary> {
  const { chunks, sizeOf, execute, signal } = opts;
  const now = opts.now ?? defaultNow;
  const concurrency = Math.max(1, Math.floor(opts.concurrency) || 1);
  const itemsTotal = chunks.reduce((s, c) => s + sizeOf(c), 0);
  const t0 = now();
  let next = 0, running = 0, chunksDone = 0, itemsDone = 0;
  let settled = false;
  const failed: JobSummary['failed'] = [];
  const progress = (): JobProgress => {
    const elapsedMs = now() - t0;
    const etaMs = itemsDone > 0 ? (elapsedMs / itemsDone) * (itemsTotal - itemsDone) : NaN;
    return { chunksDone, chunksTotal: chunks.length, itemsDone, itemsTotal, elapsedMs, etaMs };
  };
  return new Promise<JobSummary>((resolve, reject) => {
    const finish = (err?: Error): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err); else resolve({ ...progress(), failed });
    };
    const onAbort = (): void => finish(new JobCancelledError(progress()));
    if (signal?.aborted) { onAbort(); return; }
    signal?.addEventListener('abort', onAbort);
    const pump = (): void => {
      while (!settled && running < concurrency && next < chunks.length) {
        const index = next++;
        const chunk = chunks[index]!;
        running++;
        let p: Promise<R>;
        try { p = execute(chunk, index); } catch (e) { p = Promise.reject(e); }
        p.then((result) => {
          running--;
          if (settled) return;
          chunksDone++;
          itemsDone += sizeOf(chunk);
          const pr = progress();
          try {
            opts.onResult?.(result, index, pr);
            opts.onProgress?.(pr);
          } catch (e) { finish(e instanceof Error ? e : new Error(messageOf(e))); return; }
          pump();
        }, (e: unknown) => {
          running--;
          if (settled) return;
          if (opts.onChunkError === 'continue') {
            failed.push({ chunkIndex: index, message: messageOf(e) });
            chunksDone++;
            itemsDone += sizeOf(chunk);
            opts.onProgress?.(progress());
            pump();
          } else finish(new ChunkFailedError(index, messageOf(e)));
        });
      }
      if (!settled && running === 0 && next >= chunks.length) finish();
    };
    pump();
  });
}
