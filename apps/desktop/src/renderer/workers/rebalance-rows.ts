// Reading the review grid's proposal listings inside a rebalance worker, straight from the book's RxDB storage
// (the same IndexedDB database the UI's RxDB writes, opened read-only through RxDB's public storage interface), page
// by page in primary-key order. IndexedDB queries run a cursor (one event-loop turn per document): on the UI thread
// 100,000 of them queue behind every render task, here they run back to back. Only the listing fields cross back
// (no trades, no reasons), so the UI thread deserializes ~200 bytes per proposal instead of ~3 KB. On Dexie (the
// app) a page is one IndexedDB getAll over a primary-key range (rebalance-idb.ts): a cursor costs one round trip
// per document. Money in cents.
import { normalizeMangoQuery, prepareQuery, type RxDocumentData, type RxJsonSchema, type RxStorage, type RxStorageInstance } from 'rxdb';
import type { Proposal } from '@aw/domain';
import { dexieBackend, getAllRanges, isLive } from './rebalance-idb.ts';
import type { StoreRef } from './rebalance-save.ts';
import { proposalListing, type ProposalListing } from '../db/proposal-listing.ts';

/** Where the book's proposals live: the RxDB database name and the proposals collection's (filled) schema. */
export type ProposalStoreRef = StoreRef<Proposal>;

export interface ProposalPage {
  listings: ProposalListing[];
  /** Where the next page starts (pass as `afterId`); null when this was the last page. */
  next: string | null;
}

export interface ProposalReader {
  /** Live proposals among the next `limit` stored after `afterId` ('' = from the start), in id order. */
  page(afterId: string, limit: number): Promise<ProposalPage>;
  close(): Promise<void>;
}

export async function openProposalReader(storage: RxStorage<any, any>, ref: ProposalStoreRef): Promise<ProposalReader> {
  const instance: RxStorageInstance<Proposal, any, any> = await storage.createStorageInstance<Proposal>({
    databaseInstanceToken: `rebalance-rows-${ref.databaseName}`, databaseName: ref.databaseName, collectionName: ref.collectionName,
    schema: ref.schema, options: {}, multiInstance: false, devMode: false,
  });
  return { ...(await proposalReaderOf(instance, ref.schema)), close: () => instance.close() };
}

/** A reader over an open storage instance (the UI thread's own, for the first page); `close` leaves it open. */
export async function proposalReaderOf(instance: RxStorageInstance<Proposal, any, any>, schema: RxJsonSchema<RxDocumentData<Proposal>>): Promise<ProposalReader> {
  const idb = await dexieBackend(instance);
  return {
    async page(afterId, limit) {
      if (idb) {
        const range = afterId ? IDBKeyRange.lowerBound(afterId, true) : IDBKeyRange.lowerBound('');
        const [docs] = await getAllRanges<RxDocumentData<Proposal>>(idb, null, [range], limit);
        return { listings: docs!.filter(isLive).map(proposalListing), next: docs!.length === limit ? docs![limit - 1]!.id : null };
      }
      const selector = afterId ? { id: { $gt: afterId }, _deleted: { $eq: false } } : { _deleted: { $eq: false } };
      const q = normalizeMangoQuery<RxDocumentData<Proposal>>(schema, { selector: selector as never, sort: [{ id: 'asc' }] as never, limit });
      const docs = (await instance.query(prepareQuery<RxDocumentData<Proposal>>(schema, q))).documents;
      return { listings: docs.map(proposalListing), next: docs.length === limit ? docs[limit - 1]!.id : null };
    },
    close: () => Promise.resolve(),
  };
}
