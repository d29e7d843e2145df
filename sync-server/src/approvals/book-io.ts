// Storage-level reads and writes of the server book for the approvals feature. Writes go through each collection's
// (validated) storage instance with the stored previous state, so a concurrent change (e.g. a client push landing
// between our read and our write) is detected as a 409 conflict instead of being overwritten. Writes are chunked
// (CHUNK documents per bulk write) and their latency is recorded for the circuit breaker.
import type { RxCollection, RxDatabase } from 'rxdb';
import type { WriteQueue } from './write-queue.ts';

/** Documents per storage bulk write. */
export const CHUNK = 200;
/** Context string of our writes: the submit listener ignores change events carrying it. */
export const WRITE_CONTEXT = 'approvals-feature';

/** A stored document: the domain fields plus RxDB's _rev, _meta, _deleted, _attachments. */
export type Stored<T> = T & { _rev: string; _deleted: boolean; _meta: { lwt: number }; _attachments: Record<string, unknown> };

export interface WriteRow<T> {
  previous?: Stored<T>;
  document: T & { _deleted?: boolean };
}

export interface WriteOutcome {
  written: Set<string>;
  /** Ids whose stored state changed since it was read (or that already existed on insert). */
  conflicts: Set<string>;
}

export class BookWriteError extends Error {
  constructor(collection: string, detail: string) {
    super(`approvals: writing ${collection} failed: ${detail}`);
    this.name = 'BookWriteError';
  }
}

export function coll(db: RxDatabase<any>, name: string): RxCollection {
  const c = (db.collections as Record<string, RxCollection>)[name];
  if (!c) throw new Error(`the server book has no ${name} collection`);
  return c;
}

export async function findStored<T>(c: RxCollection, ids: string[]): Promise<Map<string, Stored<T>>> {
  const out = new Map<string, Stored<T>>();
  const key = c.schema.primaryPath as string;
  for (let i = 0; i < ids.length; i += 5000) {
    const docs = (await c.storageInstance.findDocumentsById(ids.slice(i, i + 5000), false)) as unknown as Stored<T>[];
    for (const d of docs) out.set(String((d as Record<string, unknown>)[key]), d);
  }
  return out;
}

/** Stored documents matching a Mango selector (not deleted), through the collection's query planner and indexes. */
export async function queryStored<T>(c: RxCollection, selector: Record<string, unknown>, sort?: Record<string, 'asc' | 'desc'>[], limit?: number): Promise<Stored<T>[]> {
  const docs = await c.find({ selector, ...(sort ? { sort } : {}), ...(limit ? { limit } : {}) } as any).exec();
  return (docs as { toMutableJSON(withMeta: boolean): unknown }[]).map((d) => d.toMutableJSON(true) as Stored<T>);
}

export async function writeChunked<T>(c: RxCollection, rows: WriteRow<T>[], queue: Pick<WriteQueue, 'recordWriteMs'>): Promise<WriteOutcome> {
  const key = c.schema.primaryPath as string;
  const out: WriteOutcome = { written: new Set(), conflicts: new Set() };
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((r) => ({
      previous: r.previous,
      document: { _attachments: {}, ...r.document, _deleted: r.document._deleted ?? false, _meta: { lwt: 0 }, _rev: '' } as any,
    }));
    const started = performance.now();
    const res = await c.storageInstance.bulkWrite(chunk, WRITE_CONTEXT);
    queue.recordWriteMs(performance.now() - started);
    const failed = new Set<string>();
    for (const e of res.error) {
      if (e.status === 409) {
        out.conflicts.add(e.documentId);
        failed.add(e.documentId);
      } else {
        throw new BookWriteError(c.name, JSON.stringify(e).slice(0, 500));
      }
    }
    for (const r of chunk) {
      const id = String(r.document[key]);
      if (!failed.has(id)) out.written.add(id);
    }
  }
  return out;
}

/** The domain fields of a stored document (without RxDB's bookkeeping). */
export function plain<T>(d: Stored<T>): T {
  const { _rev: _r, _meta: _m, _deleted: _d, _attachments: _a, ...rest } = d as Record<string, unknown>;
  return rest as T;
}
