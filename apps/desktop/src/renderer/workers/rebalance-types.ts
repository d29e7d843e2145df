// Types of the bulk rebalance worker boundary, re-exported for the UI (which may not import the engine itself).
import type { Account, Household } from '@aw/domain';
import type { ChunkOutput, ChunkProposal, JobProgress, RebalanceChunk, RebalanceJobContext } from '@aw/engine/workers';
import type { LotStoreRef } from './rebalance-lots.ts';
import type { ProposalListing } from '../db/proposal-listing.ts';
import type { ProposalPage, ProposalStoreRef } from './rebalance-rows.ts';
import type { ProposalSaveRef } from './rebalance-save.ts';

export type { ChunkOutput, ChunkProposal, JobProgress, RebalanceChunk, RebalanceJobContext, LotStoreRef, ProposalListing, ProposalPage, ProposalStoreRef, ProposalSaveRef };

/** A chunk's output; `saved`: drafts the worker saved itself (then `proposals` is empty: they stay in the worker). */
export type SavedChunkOutput = ChunkOutput & { saved?: number };

/** A chunk whose lots the worker reads itself (from the book's storage given to init). */
export interface AccountsChunk {
  households: Array<Pick<Household, 'id' | 'taxBracket'>>;
  /** Each household's accounts contiguous. */
  accounts: Account[];
  /** The UI's count of lot change events when the chunk was sent: the worker reads lot changes only when it moved. */
  lotChanges?: number;
}

export interface RebalanceWorkerApi {
  /** Once per job: the context, and where to read lots (optional: without it only `run` works). */
  init(context: RebalanceJobContext, lots?: LotStoreRef): Promise<void>;
  /** A chunk with its lots packed by the caller. */
  run(chunk: RebalanceChunk): ChunkOutput;
  /**
   * A chunk of accounts: lots read in the worker (one indexed query per household), then rebalanced; with `save`
   * the drafts are saved here too and only their count comes back.
   */
  runAccounts(chunk: AccountsChunk, save?: ProposalSaveRef): Promise<SavedChunkOutput>;
  /** The live proposals among the next `limit` after `afterId` ('' = first page) in id order, as review listings. */
  readProposals(ref: ProposalStoreRef, afterId: string, limit: number): Promise<ProposalPage>;
  /** Closes the proposals reader (end of the review's first load). */
  closeProposals(): Promise<void>;
  /** Builds the book's lot packs if they are missing, stale or far behind (rebalance-lots.ts `ready`). */
  prepareLots(lots: LotStoreRef): Promise<void>;
}
