// Node glue for the engine's runtime-neutral worker pool: one worker_threads Worker per slot running worker.ts,
// chunks posted with their typed-array columns transferred (not copied), replies matched by id.
import { Worker } from 'node:worker_threads';
import { createWorkerPool, type ChunkOutput, type PoolWorker, type RebalanceChunk, type RebalanceJobContext, type WorkerPool } from '@aw/engine/workers';

export interface ChunkTask { chunk: RebalanceChunk; transfer: ArrayBuffer[] }
export interface ChunkReply { out: ChunkOutput; computeMs: number }

export class WorkerChunkError extends Error {
  override name = 'WorkerChunkError';
  constructor(readonly code: string, message: string) { super(message); }
}

function spawn(context: RebalanceJobContext): Worker {
  // Node 20 workers do not apply the parent's tsx hooks to a .ts entry: register tsx inside the worker, then import it.
  const entry = new URL('./worker.ts', import.meta.url).href;
  const boot = `(async () => { const { register } = await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}); register(); await import(${JSON.stringify(entry)}); })()`;
  return new Worker(boot, { eval: true, workerData: { context } });
}

function nodeWorker(context: RebalanceJobContext): PoolWorker<ChunkTask, ChunkReply> {
  const worker = spawn(context);
  const pending = new Map<number, { resolve: (r: ChunkReply) => void; reject: (e: Error) => void }>();
  let seq = 0;
  worker.on('message', (m: { id: number; ok: boolean; out?: ChunkOutput; computeMs?: number; error?: { code: string; message: string } }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve({ out: m.out!, computeMs: m.computeMs! }); else p.reject(new WorkerChunkError(m.error!.code, m.error!.message));
  });
  const failAll = (e: Error): void => { for (const p of pending.values()) p.reject(e); pending.clear(); };
  worker.on('error', failAll);
  worker.on('exit', (code) => { if (pending.size) failAll(new WorkerChunkError('WorkerExit', `worker exited with code ${code}`)); });
  return {
    run: (task) => new Promise<ChunkReply>((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, chunk: task.chunk }, task.transfer);
    }),
    terminate: async () => { await worker.terminate(); },
  };
}

export function createNodeRebalancePool(context: RebalanceJobContext, size: number): WorkerPool<ChunkTask, ChunkReply> {
  return createWorkerPool(() => nodeWorker(context), size);
}

/** Single-account latencies measured in a fresh worker holding only `task`'s households (the desktop's case). */
export function measureLatencyInWorker(context: RebalanceJobContext, task: ChunkTask, accountIds: string[]): Promise<number[]> {
  const worker = spawn(context);
  return new Promise<number[]>((resolve, reject) => {
    worker.once('message', (m: { ok: boolean; latenciesMs?: number[]; error?: { code: string; message: string } }) => {
      if (m.ok) resolve(m.latenciesMs!); else reject(new WorkerChunkError(m.error!.code, m.error!.message));
    });
    worker.once('error', reject);
    worker.postMessage({ id: 1, chunk: task.chunk, latencyOf: accountIds }, task.transfer);
  }).finally(() => worker.terminate());
}
