// Types of the bulk rebalance worker boundary, re-exported for the UI (which may not import the engine itself).
import type { ChunkOutput, ChunkProposal, JobProgress, RebalanceChunk, RebalanceJobContext } from '@aw/engine/workers';

export type { ChunkOutput, ChunkProposal, JobProgress, RebalanceChunk, RebalanceJobContext };

export interface RebalanceWorkerApi {
  init(context: RebalanceJobContext): void;
  run(chunk: RebalanceChunk): ChunkOutput;
}
