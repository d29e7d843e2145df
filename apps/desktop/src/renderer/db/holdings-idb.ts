// The holdings view's reference reads straight from IndexedDB when the book's RxDB storage is Dexie (the app):
// RxDB's `$or` latest-price lookup cannot use an index (it scans every stored price, history included). Here the
// latest closes are ONE read-only transaction of a few requests (the newest date's rows in one `getAll`, plus a
// skip-scan of the FX pairs: one batched lookup, never one query per holding), and the security master rows ONE
// `getAll` over a primary-key range. Layout helpers are the rebalance workers' (workers/rebalance-idb.ts). Every function returns null when the storage is not Dexie (memory in tests) and the
// caller falls back to RxDB queries. Rows are fresh objects without RxDB's meta fields.
import type { RxCollection } from 'rxdb';
import type { DailyPrice, Security } from '@aw/domain';
import { dexieBackend, getAllRanges, isLive, prefixRange, schemaIndex, withoutMeta } from '../workers/rebalance-idb.ts';

type Stored<T> = T & { _deleted?: unknown; _meta?: unknown; _rev?: unknown; _attachments?: unknown };

/** The Dexie index of a collection whose fields after `_deleted` start with `fields`; null if the schema has none. */
export function indexOf(collection: RxCollection<any>, fields: readonly string[]): string | null {
  return schemaIndex(collection.schema.jsonSchema, fields);
}

const live = <T>(docs: readonly Stored<T>[]): T[] => {
  const out: T[] = [];
  for (const d of docs) if (isLive(d)) out.push(withoutMeta<T>(d));
  return out;
};

/**
 * The live security master rows of `symbols` (missing ones left out): ONE `getAll` over the primary-key range
 * from the least to the greatest symbol (at most the whole master, a few thousand rows); null: not Dexie.
 */
export async function readSecuritiesIdb(securities: RxCollection<Security>, symbols: readonly string[]): Promise<Security[] | null> {
  const idb = await dexieBackend(securities.internalStorageInstance);
  if (!idb) return null;
  if (symbols.length === 0) return [];
  const sorted = [...symbols].sort();
  const wanted = new Set(symbols);
  const [docs] = await getAllRanges<Stored<Security>>(idb, null, [IDBKeyRange.bound(sorted[0]!, sorted[sorted.length - 1]!)]);
  return live(docs!.filter((d) => wanted.has(d.symbol)));
}

/**
 * The latest close of each of `symbols` plus the latest rate of every FX pair, in ONE read-only transaction of a
 * few requests; null: not Dexie (or the schema lacks the indexes). (1) a one-step 'prev' cursor on
 * `[_deleted+date+symbol+id]` finds the newest date D, then one `getAll` of every row dated D (the daily closes of
 * all symbols: a few thousand rows however long the history); (2) a symbol with no close on D gets a one-step
 * 'prev' cursor on its `[_deleted+symbol+date+id]` range (usually none); (3) a skip-scan backwards over
 * `[_deleted+kind+symbol+date+id]` in the 'fx' range lands once on the newest row of each FX pair (a few pairs).
 * Deleted rows (tombstones) are indexed under _deleted '1': the '0' ranges only see live rows.
 */
export async function readLatestPricesIdb(prices: RxCollection<DailyPrice>, symbols: readonly string[]): Promise<DailyPrice[] | null> {
  const idb = await dexieBackend(prices.internalStorageInstance);
  const bySymbol = indexOf(prices, ['symbol', 'date']);
  const byDate = indexOf(prices, ['date', 'symbol']);
  const byKind = indexOf(prices, ['kind', 'symbol', 'date']);
  if (!idb || !bySymbol || !byDate || !byKind) return null;
  const wanted = new Set(symbols);
  return new Promise((resolve, reject) => {
    const tx = idb.transaction('docs', 'readonly');
    const store = tx.objectStore('docs');
    const latest = new Map<string, DailyPrice>();
    const keep = (d: Stored<DailyPrice>) => {
      const prev = latest.get(d.symbol);
      if (!prev || d.date > prev.date) latest.set(d.symbol, withoutMeta<DailyPrice>(d));
    };
    const newest = wanted.size ? store.index(byDate).openCursor(prefixRange(['0']), 'prev') : null;
    if (newest) newest.onsuccess = () => {
      const c = newest.result;
      if (!c) return; // no live prices at all
      const day = store.index(byDate).getAll(prefixRange(['0', (c.value as DailyPrice).date]));
      day.onsuccess = () => {
        for (const d of day.result as Stored<DailyPrice>[]) if (d.kind === 'security' && wanted.has(d.symbol)) keep(d);
        for (const s of wanted) {
          if (latest.has(s)) continue;
          const req = store.index(bySymbol).openCursor(prefixRange(['0', s]), 'prev');
          req.onsuccess = () => { if (req.result) keep(req.result.value as Stored<DailyPrice>); };
        }
      };
    };
    const fx = store.index(byKind).openCursor(prefixRange(['0', 'fx']), 'prev');
    fx.onsuccess = () => {
      const c = fx.result;
      if (!c) return;
      const d = c.value as Stored<DailyPrice>;
      keep(d);
      // Every key of this pair is greater than ['0','fx',symbol]: continuing 'prev' to it lands on the previous pair's newest row.
      c.continue(['0', 'fx', d.symbol]);
    };
    tx.oncomplete = () => resolve([...latest.values()]);
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB read failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB read aborted'));
  });
}
