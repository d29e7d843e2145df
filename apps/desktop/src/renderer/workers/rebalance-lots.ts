// Reading a chunk's tax lots inside the rebalance worker, straight from the book's RxDB storage (the same
// IndexedDB database the UI's RxDB writes, opened read-only through RxDB's public storage interface), so the UI
// thread never reads or copies the ~40 lots per account a bulk job needs. One indexed query per household (the
// lots index on [householdId, symbol]), all of a chunk's households at once; on Dexie (the app) one IndexedDB
// getAll per household over that index in one transaction, not a cursor round trip per lot (rebalance-idb.ts).
// Faster still, the book's lot packs (db/holdings-packs.ts: one columnar record per account, plus the lot changes
// since their build): Chromium pays ~30–40 µs per IndexedDB record in its browser process, so a 10,000-account
// bulk job read 400,000 lot records (over a minute of the browser's CPU, competing with the UI thread on 2 cores)
// where packs are 10,000 records. `ready()` builds the packs here, off the UI thread, when they are missing, stale
// or far behind (the review screen asks a worker for it once it has loaded; a job asks again before its first
// chunk); a read the packs cannot answer falls back to the lot documents.
// Read-only on the lots: writes stay with the UI's RxDB so its change events and caches stay right.
import { normalizeMangoQuery, prepareQuery, type RxDocumentData, type RxJsonSchema, type RxStorage, type RxStorageInstance } from 'rxdb';
import type { TaxLot } from '@aw/domain';
import { openPackedLots, type PackedLots } from '../db/holdings-packs.ts';
import { dexieBackend, dexieFactory, getAllRanges, isLive, prefixRange, schemaIndex } from './rebalance-idb.ts';

/** Where the book's lots live: the RxDB database name and the lots collection's (filled) schema. */
export interface LotStoreRef {
  databaseName: string;
  collectionName: string;
  schema: RxJsonSchema<RxDocumentData<TaxLot>>;
  /** The book's lot packs database (holdings-packs.ts `lotPacksName`); absent: read the lot documents only. */
  packsName?: string;
}

export interface LotReader {
  /**
   * The lots of these households that belong to `accountIds`, without RxDB's meta fields. `lotChanges`: the UI's
   * count of lot change events (see PackedLots.read); absent: always catch up.
   */
  read(householdIds: readonly string[], accountIds: ReadonlySet<string>, lotChanges?: number): Promise<TaxLot[]>;
  /** Builds the lot packs if they are missing or stale (no-op without packs). */
  ready(): Promise<void>;
  /** Reads so far, by source: packs, or lot documents. */
  readonly reads: { packed: number; documents: number };
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
  const index = schemaIndex(ref.schema, ['householdId']);
  const fast = idb && index ? { idb, index } : null;
  const byAccount = schemaIndex(ref.schema, ['accountId', 'symbol']);
  const factory = await dexieFactory(instance);
  const packs: PackedLots | null = idb && factory && ref.packsName && byAccount
    ? await openPackedLots(idb, factory, ref.packsName, byAccount).catch(() => null) : null;
  const reads = { packed: 0, documents: 0 };
  return {
    reads,
    ready: async () => { await packs?.ready(); },
    async read(householdIds, accountIds, lotChanges) {
      const packed = await packs?.read(householdIds, lotChanges).catch(() => null);
      if (packed) {
        reads.packed++;
        return packed.filter((l) => accountIds.has(l.accountId));
      }
      reads.documents++;
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
    close: () => {
      packs?.close();
      return instance.close();
    },
  };
}
