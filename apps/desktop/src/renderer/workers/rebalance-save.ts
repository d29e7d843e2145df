// Saving a bulk job's drafts inside the rebalance worker that computed them, straight into the book's RxDB storage
// (the same IndexedDB database the UI's RxDB reads), so the UI thread neither builds nor receives the full proposals
// (~3 KB each with trades and reasons) nor runs RxDB's write path for them: measured with the Long Animation Frames
// API during the ui bench, that path's IndexedDB callbacks on the UI thread were 50–106 ms tasks while the grid
// scrolled. They are saved as draft packs (db/draft-packs.ts: a chunk's drafts in a few documents, not one
// document each). The packs' storage instance is opened with multiInstance, so each write is broadcast
// (BroadcastChannel) like a write from another tab: the UI's RxDB collection emits it as change events, which bring
// the rows to the review grid.
// The documents are what RxDB's own bulkInsert writes: filled by RxDB's fillObjectDataBeforeInsert (defaults,
// `_deleted` false, no attachments), then `_meta.lwt` now and a first revision `1-<token>` of this writer, as RxDB's
// wrapped storage sets them. Money in integer cents; times ms.
// A chunk's drafts are written as their bodies first, without a broadcast (nothing on the UI thread waits for them),
// then their packs with one: see db/draft-packs.ts.
import {
  createRxSchema, defaultHashSha256, fillObjectDataBeforeInsert, now as rxNow, type RxDocumentData, type RxJsonSchema, type RxStorage, type RxStorageInstance,
} from 'rxdb';
import type { Proposal } from '@aw/domain';
import type { ChunkProposal } from '@aw/engine/workers';
import { packDrafts, type DraftBody, type DraftPack, type PackedDrafts } from '../db/draft-packs.ts';

/** Where a collection of the book is stored: the RxDB database name, the collection and its (filled) schema. */
export interface StoreRef<T> {
  databaseName: string;
  collectionName: string;
  schema: RxJsonSchema<RxDocumentData<T>>;
}

/** What a job's drafts are made with: their ids, author, time, and how many go in one pack. */
export interface DraftJob {
  /** Prefix of the drafts' ids (`<jobId>-<accountId>`). */
  jobId: string;
  authorId: string;
  /** The drafts' createdAt (ms): the job's start. */
  createdAt: number;
  /** Drafts per pack (a chunk's packs are saved in one IndexedDB transaction). */
  writeBatch: number;
}

/** Where and how a job's drafts are saved by the worker that computes them. */
export interface ProposalSaveRef extends DraftJob {
  /** The book's draft packs and their bodies. */
  packs: StoreRef<DraftPack>;
  bodies: StoreRef<DraftBody>;
}

/** A computed proposal as the draft document saved for review. */
export function proposalDoc(p: ChunkProposal, id: string, authorId: string, now: number): Proposal {
  return {
    id, teamId: p.teamId, householdId: p.householdId, accountId: p.accountId, modelId: p.modelId, authorId, status: 'draft',
    reason: p.reason.slice(0, 2000), trades: p.trades.map((t) => ({ ...t, reason: t.reason.slice(0, 1000) })), accountRevision: p.accountRevision,
    driftBefore: p.driftBefore, driftAfter: p.driftAfter, buyCents: p.buyCents, sellCents: p.sellCents, estGainCents: p.estGainCents,
    estTaxCents: p.estTaxCents, warnings: p.warnings.slice(0, 200).map((w) => w.slice(0, 1000)), approverId: '', decidedAt: 0, executedAt: 0, batchId: '',
    createdAt: now, updatedAt: now,
  };
}

/** The drafts of a chunk's proposals: only accounts that need trades. */
export function draftsOf(proposals: readonly ChunkProposal[], jobId: string, authorId: string, now: number): Proposal[] {
  return proposals.filter((p) => p.trades.length > 0).map((p) => proposalDoc(p, `${jobId}-${p.accountId}`.slice(0, 64), authorId, now));
}

/** A chunk's drafts as they are saved, whoever saves them: its packs and bodies, and how many drafts they hold. */
export function chunkPacks(proposals: readonly ChunkProposal[], job: DraftJob): PackedDrafts & { drafts: number } {
  const drafts = draftsOf(proposals, job.jobId, job.authorId, job.createdAt);
  return { ...packDrafts(drafts, job.jobId, job.createdAt, job.writeBatch), drafts: drafts.length };
}

export class ProposalSaveError extends Error {
  override name = 'ProposalSaveError';
}

export interface DocWriter<T> {
  /** Inserts `docs` in one write; throws ProposalSaveError if any is refused. */
  insert(docs: readonly T[]): Promise<void>;
  close(): Promise<void>;
}

/** RxDB writes this context for bulkInsert; replication and hooks see the same. */
const INSERT_CONTEXT = 'rx-collection-bulk-insert';

/** `broadcast`: whether other instances of the database (the UI's RxDB) hear the writes as change events. */
export async function openDocWriter<T extends { id: string }>(storage: RxStorage<any, any>, ref: StoreRef<T>, broadcast = true): Promise<DocWriter<T>> {
  // A token of this writer (RxDB revisions are `<height>-<token>`; no '-' inside).
  const token = `rbw${Math.random().toString(36).slice(2, 12)}`;
  const instance: RxStorageInstance<T, any, any> = await storage.createStorageInstance<T>({
    databaseInstanceToken: token, databaseName: ref.databaseName, collectionName: ref.collectionName,
    schema: ref.schema, options: {}, multiInstance: broadcast, devMode: false,
  });
  // The collection's schema as RxDB fills it (filling a filled schema again gives the same one; the pre-create
  // checks are for schemas as written, and refuse RxDB's own fields).
  const schema = createRxSchema(ref.schema as unknown as RxJsonSchema<T>, defaultHashSha256, false);
  return {
    async insert(docs) {
      if (docs.length === 0) return;
      const lwt = rxNow();
      const rows = docs.map((d) => {
        const document: RxDocumentData<T> = fillObjectDataBeforeInsert(schema, d);
        document._meta = { lwt };
        document._rev = `1-${token}`;
        return { document };
      });
      const res = await instance.bulkWrite(rows, INSERT_CONTEXT);
      if (res.error.length > 0) {
        const e = res.error[0]!;
        throw new ProposalSaveError(`could not save ${res.error.length} ${ref.collectionName} documents: ${e.status}${e.status === 409 ? ` (${e.documentId} exists)` : ''}`);
      }
    },
    close: () => instance.close(),
  };
}
