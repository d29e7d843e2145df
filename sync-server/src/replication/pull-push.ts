// The two HTTP replication operations with access control (rxdb-server's route shapes, rxdb's replication protocol):
// - pull: documents changed since a checkpoint that the caller may read, in checkpoint order, `limit` of them
//   unless the collection is exhausted (RxDB stops pulling on a short page), plus the checkpoint of the last one;
// - push: validates the WHOLE batch (shape, schema, access rules) before writing anything, then hands it to
//   rxdb's masterWrite; answers the conflicting master documents the caller may read.
import { docStateToWriteDoc, getChangedDocumentsSince, writeDocToDocState } from 'rxdb';
import type { AuthUser } from '../context.ts';
import { HttpError, badRequest } from '../http/errors.ts';
import { canRead, pushViolation, type Doc, type PushRow } from './access.ts';
import type { Checkpoint, ReplicatedCollection } from './book-collections.ts';

/** Largest pull page: the client's initial sync asks for big pages (fewer round trips and client-side index merges). */
export const MAX_PULL_LIMIT = 20_000;
export const MAX_PUSH_ROWS = 2000;

/** Checkpoint of a stored document: its last-write time and id. */
const checkpointOf = (rc: ReplicatedCollection, doc: any): Checkpoint => ({ id: String(doc[rc.primaryPath]), lwt: doc._meta.lwt });

/**
 * The document as the replication protocol sends it: without `_meta`, `_rev`, `_attachments` (what rxdb's
 * writeDocToDocState does, but built by a rest copy: deleting keys would turn every page's objects into slow
 * dictionary objects for JSON.stringify).
 */
function pulledState(stored: any): Doc {
  const { _meta: _m, _rev: _r, _attachments: _a, ...doc } = stored;
  return doc as Doc;
}

export async function pullChanges(
  rc: ReplicatedCollection,
  user: AuthUser,
  since: Checkpoint | undefined,
  limit: number,
): Promise<{ documents: Doc[]; checkpoint: Checkpoint | null }> {
  const documents: Doc[] = [];
  let cursor = since;
  let checkpoint: Checkpoint | null = since ?? null;
  // Scan in checkpoint order, skipping what the caller may not read, until `limit` readable documents or the end.
  while (documents.length < limit) {
    const scanSize = Math.max(limit, 200);
    const page = await getChangedDocumentsSince(rc.storage, scanSize, cursor);
    for (const stored of page.documents) {
      cursor = checkpointOf(rc, stored);
      const doc = pulledState(stored);
      if (!canRead(user, rc.name, doc)) continue;
      documents.push(doc);
      checkpoint = cursor;
      if (documents.length === limit) break;
    }
    if (page.documents.length < scanSize) {
      if (documents.length < limit) checkpoint = cursor ?? checkpoint;
      break;
    }
  }
  return { documents, checkpoint };
}

function parseRows(rc: ReplicatedCollection, body: unknown): { id: string; row: PushRow }[] {
  if (!Array.isArray(body)) throw badRequest('push body must be a JSON array of {"newDocumentState","assumedMasterState"}', 'invalid_body');
  if (body.length > MAX_PUSH_ROWS) throw new HttpError(413, 'too_many_documents', `at most ${MAX_PUSH_ROWS} documents per push (got ${body.length})`);
  const seen = new Set<string>();
  return body.map((raw, i) => {
    const r = raw as Record<string, unknown> | null;
    const isObj = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
    if (!isObj(r) || !isObj(r.newDocumentState)) throw badRequest(`row ${i}: expected {"newDocumentState":{...},"assumedMasterState":{...}|null}`, 'invalid_body');
    if (r.assumedMasterState !== undefined && r.assumedMasterState !== null && !isObj(r.assumedMasterState)) {
      throw badRequest(`row ${i}: assumedMasterState must be an object or null`, 'invalid_body');
    }
    const id = r.newDocumentState[rc.primaryPath];
    if (typeof id !== 'string' || id === '') throw badRequest(`row ${i}: newDocumentState.${rc.primaryPath} must be a non-empty string`, 'invalid_body');
    if (seen.has(id)) throw badRequest(`row ${i}: document ${id} appears twice in one push`, 'invalid_body');
    seen.add(id);
    const { _meta: _m, _rev: _r, _attachments: _a, ...rest } = r.newDocumentState;
    const newDocumentState: Doc = { ...rest, _deleted: rest._deleted ?? false };
    const assumed = r.assumedMasterState ? stripMeta(r.assumedMasterState as Doc) : undefined;
    return { id, row: { newDocumentState, assumedMasterState: assumed } };
  });
}

function stripMeta(d: Doc): Doc {
  const { _meta: _m, _rev: _r, _attachments: _a, ...rest } = d;
  return { ...rest, _deleted: rest._deleted ?? false };
}

export interface PushRejection {
  id: string;
  reason: string;
}

/** A push refused as a whole; `documents` are the current master states of the offending ids the caller may read. */
export class PushForbiddenError extends HttpError {
  constructor(
    readonly rejected: PushRejection[],
    readonly documents: Doc[],
  ) {
    super(
      403,
      'forbidden',
      `push rejected, nothing was stored: ${rejected[0].reason}${rejected.length > 1 ? ` (and ${rejected.length - 1} more)` : ''}`,
      {},
      { rejected, documents },
    );
  }
}

export async function pushChanges(rc: ReplicatedCollection, user: AuthUser, body: unknown): Promise<{ conflicts: Doc[]; written: number }> {
  const rows = parseRows(rc, body);
  if (rows.length === 0) return { conflicts: [], written: 0 };
  return rc.withWriteLock(async () => {
    const masters = new Map<string, any>();
    for (const d of await rc.storage.findDocumentsById(rows.map((r) => r.id), true)) masters.set(String(d[rc.primaryPath]), d);

    const rejected: PushRejection[] = [];
    const offendingMasters: Doc[] = [];
    let conflicting = 0;
    for (const { id, row } of rows) {
      const stored = masters.get(id);
      const master = stored ? (writeDocToDocState(stored, false, false) as Doc) : undefined;
      const isConflict =
        master !== undefined && (!row.assumedMasterState || !rc.collection.conflictHandler.isEqual(master as any, row.assumedMasterState as any, 'push-check'));
      if (isConflict) {
        // Not written; answered with the master state, which must be readable by the caller.
        conflicting++;
        if (!canRead(user, rc.name, master)) rejected.push({ id, reason: `${rc.name} ${id}: belongs to another team` });
        continue;
      }
      const violation = pushViolation(user, rc.name, id, row, master);
      if (violation) {
        rejected.push({ id, reason: violation });
        if (master && canRead(user, rc.name, master)) offendingMasters.push(master);
        continue;
      }
      const writeDoc = docStateToWriteDoc(rc.collection.database.token, false, false, row.newDocumentState as any, stored);
      const errors = rc.validate(writeDoc);
      if (errors.length) {
        const e = errors[0];
        throw new HttpError(400, 'invalid_document', `${rc.name} ${id}: ${e.instancePath || '(document)'} ${e.message ?? 'is invalid'}; nothing was stored`);
      }
    }
    if (rejected.length) throw new PushForbiddenError(rejected, offendingMasters);
    const conflicts = (await rc.handler.masterWrite(rows.map((r) => r.row) as any)) as Doc[];
    const readable = conflicts.filter((d) => canRead(user, rc.name, d));
    return { conflicts: readable, written: rows.length - Math.max(conflicting, conflicts.length) };
  });
}
