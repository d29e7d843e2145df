// Bulk reads for the rebalance workers straight from IndexedDB when the book's RxDB storage is Dexie (the app):
// RxDB's Dexie queries walk a cursor, one IndexedDB round trip per document (~0.05–1 ms each, so 100,000 review
// rows or 400,000 lots cost minutes on a busy machine), while `getAll` returns a whole key range in one request.
// The layout read here is the Dexie storage's own: one object store 'docs' per collection, keyed by the primary
// key, compound indexes named `[a+b+…]` after the schema's indexes, booleans in indexes stored as '1' / '0'.
// Other storages (memory in tests) get null and the callers use RxDB's storage queries instead.
import type { RxStorageInstance } from 'rxdb';

const DOCS = 'docs';

interface DexieDb { backendDB(): IDBDatabase; _options?: { indexedDB?: IDBFactory } }

async function dexieDb(instance: RxStorageInstance<any, any, any>): Promise<DexieDb | null> {
  if ((instance as { storage?: { name?: string } }).storage?.name !== 'dexie') return null;
  const internals = await (instance as unknown as { internals: Promise<{ dexieDb?: DexieDb }> }).internals;
  return internals?.dexieDb ?? null;
}

/** The native IndexedDB database behind a Dexie storage instance; null for any other storage. */
export async function dexieBackend(instance: RxStorageInstance<any, any, any>): Promise<IDBDatabase | null> {
  return (await dexieDb(instance))?.backendDB?.() ?? null;
}

/** The IndexedDB factory a Dexie storage instance opened its database with (fake-indexeddb in tests); null for other storages. */
export async function dexieFactory(instance: RxStorageInstance<any, any, any>): Promise<IDBFactory | null> {
  const d = await dexieDb(instance);
  return d ? d._options?.indexedDB ?? globalThis.indexedDB ?? null : null;
}

/** The Dexie index name of a schema index (`['_deleted', 'householdId']` → `[_deleted+householdId]`). */
export const dexieIndexName = (fields: readonly string[]): string => (fields.length === 1 ? fields[0]! : `[${fields.join('+')}]`);

/** The Dexie name of a (filled) schema's first index whose fields after `_deleted` start with `fields`; null if none. */
export function schemaIndex(schema: { indexes?: ReadonlyArray<string | readonly string[]> }, fields: readonly string[]): string | null {
  const all = (schema.indexes ?? []).map((i) => (typeof i === 'string' ? [i] : i));
  const hit = all.find((i) => i[0] === '_deleted' && fields.every((f, k) => i[k + 1] === f));
  return hit ? dexieIndexName(hit) : null;
}

/** A stored document is live (RxDB keeps deleted documents as tombstones with `_deleted` '1'). */
export const isLive = (doc: { _deleted?: unknown }): boolean => doc._deleted !== '1' && doc._deleted !== true;

/**
 * One `getAll` per range, all in one read-only transaction: `index` null reads by primary key. Results in the
 * order of `ranges`, each in key order, at most `count` documents per range.
 */
export function getAllRanges<T>(db: IDBDatabase, index: string | null, ranges: readonly IDBKeyRange[], count?: number): Promise<T[][]> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(DOCS, 'readonly');
    const store = tx.objectStore(DOCS);
    const source = index ? store.index(index) : store;
    const out: T[][] = new Array(ranges.length);
    ranges.forEach((range, i) => {
      const req = source.getAll(range, count);
      req.onsuccess = () => { out[i] = req.result as T[]; };
    });
    tx.oncomplete = () => resolve(out);
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB read failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB read aborted'));
  });
}

/** Every key of an index whose first fields equal `prefix` (IndexedDB orders arrays after strings and numbers). */
export const prefixRange = (prefix: readonly IDBValidKey[]): IDBKeyRange => IDBKeyRange.bound([...prefix], [...prefix, []]);

/** A stored document without RxDB's bookkeeping fields (`_deleted`, `_meta`, `_rev`, `_attachments`). */
export function withoutMeta<T>(doc: T & { _deleted?: unknown; _meta?: unknown; _rev?: unknown; _attachments?: unknown }): T {
  const { _deleted, _meta, _rev, _attachments, ...rest } = doc;
  return rest as T;
}

/** Every live document of a Dexie storage instance (one getAll over the whole primary key range), or null for other storages. */
export async function readAllLive<T>(instance: RxStorageInstance<T, any, any>): Promise<T[] | null> {
  const idb = await dexieBackend(instance);
  if (!idb) return null;
  const [docs] = await getAllRanges<T & { _deleted?: unknown }>(idb, null, [IDBKeyRange.lowerBound('')]);
  return docs!.filter(isLive).map((d) => withoutMeta<T>(d));
}
