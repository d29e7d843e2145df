// Runtime-neutral job layer for bulk work in worker pools (Comlink Web Workers in the desktop, worker_threads in
// Node): chunking that keeps households together, a concurrency-limited runner with progress, ETA, streaming
// results and cancellation, a worker pool over any PoolWorker, and the rebalance job's wire format.
//
// How a host wires it (the bench's Node version is bench/rebalance/node-pool.ts + worker.ts):
//   worker side:  const ctx = prepareJobContext(context);  on each chunk → rebalanceChunk(ctx, chunk)
//                 (in a Comlink worker: expose({ init(c) { ctx = prepareJobContext(c) }, run(chunk) { return rebalanceChunk(ctx, chunk) } }))
//   main side:    const pool = createWorkerPool((slot) => ({ run: (t) => remote[slot].run(transfer(t.chunk, t.transfer)),
//                   terminate: () => workers[slot].terminate() }), navigator.hardwareConcurrency);
//                 const ranges = chunkByGroup(accounts.map((a) => a.householdId), 1000);
//                 await runJob({ chunks: ranges, sizeOf: (r) => r.end - r.start, concurrency: pool.size, signal,
//                   execute: (r) => pool.run(packChunk(households(r), accounts.slice(r.start, r.end), lotsOf)),
//                   onResult: (out, i, progress) => { /* write out.proposals in one batch; update progress/ETA */ } });
// Errors: JobCancelledError (abort), ChunkFailedError (a chunk threw; its message is the worker's {code,message}).
export { chunkByGroup, chunkEvenly, ChunkingError, type ChunkRange } from './chunks.ts';
export { ChunkFailedError, JobCancelledError, runJob, type JobProgress, type JobSummary, type RunJobOptions } from './job.ts';
export { createWorkerPool, PoolClosedError, type PoolWorker, type WorkerPool } from './pool.ts';
export {
  packChunk, prepareJobContext, rebalanceChunk, unpackLots,
  type ChunkOutput, type ChunkProposal, type PackedLots, type PreparedJobContext, type RebalanceChunk, type RebalanceJobContext,
} from './rebalance-chunk.ts';
