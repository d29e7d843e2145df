// Reading a chunk's tax lots inside the rebalance worker, straight from the book's RxDB storage (the same
// IndexedDB database the UI's RxDB writes, opened read-only through RxDB's public storage interface), so the UI
// thread never reads or copies the ~40 lots per account a bulk job needs. One indexed query per household (the
// lots index on [householdId, symbol]), all of a chunk's households at once; on Dexie (the app) one IndexedDB
// getAll per household over that index in one transaction, not a cursor round trip per lot (rebalance-idb.ts).
// Read-only: writes stay with the UI's RxDB so its change events and caches stay right.
import { normalizeMangoQuery, prepareQuery, type RxDocumentData, type RxJsonSchema, type RxStorage, type RxStorageInstance } from 'rxdb';
import type { TaxLot } from '@aw/domain';
import { dexieBackend, dexieIndexName, getAllRanges, isLive, prefixRange } from './rebalance-idb.ts';

/** Where the book's lots live: the RxDB database name and the lots collection's (filled) schema. */
export interface LotStoreRef {
  databaseName: string;
  collectionName: string;
  schema: RxJsonSchema<RxDocumentData<TaxLot>>;
}

export interface LotReader {
  /** The lots of these households that belong to `accountIds`, without RxDB's meta fields. */
  read(householdIds: readonly string[], accountIds: ReadonlySet<string>): Promise<TaxLot[]>;
  close(): Promise<void>;
}

export async function openLotReader(storage: RxStorage<any, any>, ref: LotStoreRef): Promise<LotReader> {
  const instance: RxStorageInstance<TaxLot, any, any> = await storage.createStorageInstance<TaxLot>({
    databaseInstanceToken: `rebalance-worker-${ref.databaseName}`, databaseName: ref.databaseName, collectionName: ref.collectionName,
    schema: ref.schema, options: {}, multiInstance: false, devMode: false,
  });
  const byHousehold = (householdId: string) => {
    const q = normalizeMangoQuery<RxDocumentData<TaxLot>>(ref.schema, {
      selector: { householdId, _deleted: { $eq: false } } as never, sort: [{ householdId: 'asc' }, { symbol: 'asc' }] as never,
    });
    return prepareQuery<RxDocumentData<TaxLot>>(ref.schema, q);
  };
  const idb = await dexieBackend(instance);
  const index = (ref.schema.indexes ?? []).map((i) => (Array.isArray(i) ? i : [i]) as string[])
    .find((i) => i[0] === '_deleted' && i[1] === 'householdId');
  const fast = idb && index ? { idb, index: dexieIndexName(index) } : null;
  return {
    async read(householdIds, accountIds) {
      const results = fast
        ? await getAllRanges<RxDocumentData<TaxLot>>(fast.idb, fast.index, householdIds.map((id) => prefixRange(['0', id])))
        : (await Promise.all(householdIds.map((id) => instance.query(byHousehold(id))))).map((r) => r.documents);
      const out: TaxLot[] = [];
      for (const docs of results) {
        for (const d of docs) {
          if (!accountIds.has(d.accountId) || !isLive(d)) continue;
          out.push({ id: d.id, teamId: d.teamId, householdId: d.householdId, accountId: d.accountId, symbol: d.symbol, quantity: d.quantity,
            costBasisCents: d.costBasisCents, acquiredDate: d.acquiredDate, holdingPeriodStart: d.holdingPeriodStart,
            washSaleAdjustmentCents: d.washSaleAdjustmentCents, updatedAt: d.updatedAt });
        }
      }
      return out;
    },
    close: () => instance.close(),
  };
}
