// One RxStorageInstance = one collection table (see table-layout.ts) on a shared connection pair (connection.ts).
// Writes: one BEGIN IMMEDIATE transaction per bulkWrite on the writer; RxDB's categorizeBulkWriteRows decides
// inserts/updates/409 conflicts against the rows read inside that transaction; change events are emitted after
// COMMIT and before bulkWrite resolves. Reads (query/count/findDocumentsById/changes) run on the reader.
// Times: `_meta.lwt` and minimumDeletedTime in epoch milliseconds.
import { Subject, type Observable } from 'rxjs';
import {
  categorizeBulkWriteRows,
  getQueryMatcher,
  getSortComparator,
  now,
} from 'rxdb';
import type {
  BulkWriteRow,
  EventBulk,
  PreparedQuery,
  RxDocumentData,
  RxJsonSchema,
  RxStorageBulkWriteResponse,
  RxStorageChangeEvent,
  RxStorageCountResult,
  RxStorageDefaultCheckpoint,
  RxStorageInstance,
  RxStorageQueryResult,
} from 'rxdb';
import type sqlite3 from 'sqlite3';
import { releaseConnection, sqlAll, sqlExec, sqlRun, writeTransaction, type SharedConnection } from './connection.ts';
import { SqliteStorageError } from './errors.ts';
import { ident, rowValues, upsertSql, dropTableSql, type TableLayout } from './table-layout.ts';

export interface SqliteStorageInternals {
  filePath: string;
  table: string;
}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SqliteInstanceCreationOptions {}

type ChangeBulk<T> = EventBulk<RxStorageChangeEvent<RxDocumentData<T>>, RxStorageDefaultCheckpoint>;
type DocRow = { data: string };

/** Rows per upsert statement (keeps the JSON parameter of one statement to a few MB). */
const UPSERT_CHUNK = 2000;
/** Rows fetched per step when a range scan must be filtered by the query matcher in JS. */
const SCAN_CHUNK = 500;

export class SqliteStorageInstance<RxDocType>
  implements RxStorageInstance<RxDocType, SqliteStorageInternals, SqliteInstanceCreationOptions, RxStorageDefaultCheckpoint>
{
  readonly primaryPath: string;
  readonly internals: SqliteStorageInternals;
  closed = false;
  private readonly changes$: Subject<ChangeBulk<RxDocType>>;
  private readonly upsert: string;
  private readonly t: string;

  constructor(
    readonly databaseName: string,
    readonly collectionName: string,
    readonly schema: Readonly<RxJsonSchema<RxDocumentData<RxDocType>>>,
    readonly options: Readonly<SqliteInstanceCreationOptions>,
    private readonly conn: SharedConnection,
    private readonly layout: TableLayout,
  ) {
    this.primaryPath = layout.primaryPath;
    this.internals = { filePath: conn.filePath, table: layout.table };
    this.upsert = upsertSql(layout);
    this.t = ident(layout.table);
    let shared = conn.changeSubjects.get(layout.table);
    if (!shared) {
      shared = { subject: new Subject<unknown>(), refs: 0 };
      conn.changeSubjects.set(layout.table, shared);
    }
    shared.refs++;
    this.changes$ = shared.subject as Subject<ChangeBulk<RxDocType>>;
  }

  private ensureOpen(op: string): void {
    if (this.closed) {
      // A plain Error (with a code), as RxDB's own storages throw: RxDB's suite checks the error type exactly.
      throw Object.assign(
        new Error(`SQLite storage instance ${this.databaseName}/${this.collectionName} is closed (${op})`),
        { code: 'INSTANCE_CLOSED' as const },
      );
    }
  }

  async bulkWrite(rows: BulkWriteRow<RxDocType>[], context: string): Promise<RxStorageBulkWriteResponse<RxDocType>> {
    this.ensureOpen('bulkWrite');
    const attachmentBytes = this.schema.attachments ? await readAttachmentBytes(rows) : undefined;
    const categorized = await writeTransaction(this.conn, async (db) => {
      this.ensureOpen('bulkWrite');
      const ids = rows.map((r) => (r.document as Record<string, unknown>)[this.primaryPath] as string);
      const inDb = await this.readDocs(db, ids, true);
      const docsInDb = new Map<string, RxDocumentData<RxDocType>>();
      for (const doc of inDb) docsInDb.set((doc as Record<string, unknown>)[this.primaryPath] as string, doc);
      const result = categorizeBulkWriteRows<RxDocType>(this, this.primaryPath as never, docsInDb, rows, context);
      const writes = [...result.bulkInsertDocs, ...result.bulkUpdateDocs];
      for (let i = 0; i < writes.length; i += UPSERT_CHUNK) {
        const chunk = writes.slice(i, i + UPSERT_CHUNK).map((w) => rowValues(this.layout, w.document as never));
        await sqlRun(db, this.upsert, [JSON.stringify(chunk)]);
      }
      if (attachmentBytes) await this.writeAttachments(db, result, attachmentBytes);
      return result;
    });
    if (categorized.eventBulk.events.length > 0 && categorized.newestRow) {
      const last = categorized.newestRow.document as RxDocumentData<RxDocType>;
      categorized.eventBulk.checkpoint = {
        id: (last as Record<string, unknown>)[this.primaryPath] as string,
        lwt: last._meta.lwt,
      };
      this.changes$.next(categorized.eventBulk);
    }
    return { error: categorized.errors };
  }

  private async writeAttachments(
    db: sqlite3.Database,
    result: ReturnType<typeof categorizeBulkWriteRows<RxDocType>>,
    bytes: Map<unknown, Buffer | string>,
  ): Promise<void> {
    const at = ident(this.layout.attachmentsTable);
    for (const a of [...result.attachmentsAdd, ...result.attachmentsUpdate]) {
      const data = bytes.get(a.attachmentData.data);
      if (data === undefined) throw new Error(`attachment data of ${a.documentId}/${a.attachmentId} was not read`);
      await sqlRun(db, `INSERT OR REPLACE INTO ${at} (doc_id, att_id, digest, type, data) VALUES (?, ?, ?, ?, ?)`, [
        a.documentId,
        a.attachmentId,
        a.digest,
        a.attachmentData.type,
        data,
      ]);
    }
    for (const a of result.attachmentsRemove) {
      await sqlRun(db, `DELETE FROM ${at} WHERE doc_id = ? AND att_id = ?`, [a.documentId, a.attachmentId]);
    }
  }

  private async readDocs(db: sqlite3.Database, ids: string[], withDeleted: boolean): Promise<RxDocumentData<RxDocType>[]> {
    if (ids.length === 0) return [];
    const rows = await sqlAll<DocRow>(
      db,
      `SELECT data FROM ${this.t} WHERE id IN (SELECT value FROM json_each(?))${withDeleted ? '' : ' AND deleted = 0'}`,
      [JSON.stringify(ids)],
    );
    return rows.map((r) => JSON.parse(r.data) as RxDocumentData<RxDocType>);
  }

  async findDocumentsById(ids: string[], withDeleted: boolean): Promise<RxDocumentData<RxDocType>[]> {
    this.ensureOpen('findDocumentsById');
    const docs = await this.readDocs(this.conn.reader, ids, withDeleted);
    const byId = new Map(docs.map((d) => [(d as Record<string, unknown>)[this.primaryPath] as string, d]));
    const out: RxDocumentData<RxDocType>[] = [];
    for (const id of ids) {
      const doc = byId.get(id);
      if (doc) {
        out.push(doc);
        byId.delete(id);
      }
    }
    return out;
  }

  /** The SQL range of the query plan: key column and WHERE clause with its two parameters. */
  private planRange(prepared: PreparedQuery<RxDocType>): { col: string; where: string; params: string[] } | undefined {
    const plan = prepared.queryPlan;
    const col = this.layout.keyColumnByIndex.get(plan.index.join(','));
    if (!col) return undefined;
    const key = this.layout.keys[Number(col.slice(1))];
    const lower = key.lowerBound(plan.startKeys);
    const upper = key.upperBound(plan.endKeys);
    const where = `${col} ${plan.inclusiveStart ? '>=' : '>'} ? AND ${col} ${plan.inclusiveEnd ? '<=' : '<'} ?`;
    return { col, where, params: [lower, upper] };
  }

  async query(prepared: PreparedQuery<RxDocType>): Promise<RxStorageQueryResult<RxDocType>> {
    this.ensureOpen('query');
    const query = prepared.query;
    const plan = prepared.queryPlan;
    const skip = query.skip ? query.skip : 0;
    const limit = typeof query.limit === 'number' ? query.limit : Infinity;
    const skipPlusLimit = skip + limit;
    const range = this.planRange(prepared);
    const db = this.conn.reader;

    if (!range) {
      // Index not materialized (e.g. a custom `index` not in the schema): full scan, RxDB semantics in JS.
      const rows = await sqlAll<DocRow>(db, `SELECT data FROM ${this.t}`);
      const matcher = getQueryMatcher(this.schema, query);
      const docs = rows.map((r) => JSON.parse(r.data) as RxDocumentData<RxDocType>).filter((d) => matcher(d));
      docs.sort(getSortComparator(this.schema, query));
      return { documents: docs.slice(skip, skipPlusLimit) };
    }

    const mustResort = !plan.sortSatisfiedByIndex;
    if (plan.selectorSatisfiedByIndex) {
      // The index range is exactly the result set.
      if (!mustResort) {
        if (limit === 0) return { documents: [] };
        const sql =
          `SELECT data FROM ${this.t} WHERE ${range.where} ORDER BY ${range.col}` +
          (Number.isFinite(limit) ? ` LIMIT ${limit} OFFSET ${skip}` : skip ? ` LIMIT -1 OFFSET ${skip}` : '');
        const rows = await sqlAll<DocRow>(db, sql, range.params);
        return { documents: rows.map((r) => JSON.parse(r.data) as RxDocumentData<RxDocType>) };
      }
      const rows = await sqlAll<DocRow>(db, `SELECT data FROM ${this.t} WHERE ${range.where}`, range.params);
      const docs = rows.map((r) => JSON.parse(r.data) as RxDocumentData<RxDocType>);
      docs.sort(getSortComparator(this.schema, query));
      return { documents: docs.slice(skip, skipPlusLimit) };
    }

    const matcher = getQueryMatcher(this.schema, query);
    if (mustResort) {
      const rows = await sqlAll<DocRow>(db, `SELECT data FROM ${this.t} WHERE ${range.where}`, range.params);
      const docs = rows.map((r) => JSON.parse(r.data) as RxDocumentData<RxDocType>).filter((d) => matcher(d));
      docs.sort(getSortComparator(this.schema, query));
      return { documents: docs.slice(skip, skipPlusLimit) };
    }
    // Index order is the result order: walk the range in chunks until skip+limit documents matched.
    const found: RxDocumentData<RxDocType>[] = [];
    let after: [string, number] | undefined;
    while (found.length < skipPlusLimit) {
      const cursor = after ? ` AND (${range.col}, rowid) > (?, ?)` : '';
      const rows = await sqlAll<DocRow & { k: string; r: number }>(
        db,
        `SELECT data, ${range.col} AS k, rowid AS r FROM ${this.t} WHERE ${range.where}${cursor} ` +
          `ORDER BY ${range.col}, rowid LIMIT ${SCAN_CHUNK}`,
        after ? [...range.params, ...after] : range.params,
      );
      for (const row of rows) {
        const doc = JSON.parse(row.data) as RxDocumentData<RxDocType>;
        if (matcher(doc)) found.push(doc);
        if (found.length >= skipPlusLimit) break;
      }
      if (rows.length < SCAN_CHUNK) break;
      const last = rows[rows.length - 1];
      after = [last.k, last.r];
    }
    return { documents: found.slice(skip, skipPlusLimit) };
  }

  async count(prepared: PreparedQuery<RxDocType>): Promise<RxStorageCountResult> {
    this.ensureOpen('count');
    const range = this.planRange(prepared);
    if (range && prepared.queryPlan.selectorSatisfiedByIndex) {
      const [{ n }] = await sqlAll<{ n: number }>(
        this.conn.reader,
        `SELECT count(*) AS n FROM ${this.t} WHERE ${range.where}`,
        range.params,
      );
      return { count: n, mode: 'fast' };
    }
    // Like RxDB's memory storage: only the plan's index range is scanned (then matched in JS), so 'fast'.
    const result = await this.query({
      ...prepared,
      query: { ...prepared.query, skip: 0, limit: undefined },
    });
    return { count: result.documents.length, mode: 'fast' };
  }

  async getChangedDocumentsSince(
    limit: number,
    checkpoint?: RxStorageDefaultCheckpoint,
  ): Promise<{ documents: RxDocumentData<RxDocType>[]; checkpoint: RxStorageDefaultCheckpoint }> {
    this.ensureOpen('getChangedDocumentsSince');
    const db = this.conn.reader;
    const changes = this.layout.changes;
    let rows: DocRow[];
    if (changes) {
      // The key column of RxDB's ['_meta.lwt', primaryKey] index: one index range scan from the checkpoint.
      const from = checkpoint
        ? changes.key.ofDoc({ _meta: { lwt: checkpoint.lwt }, [this.primaryPath]: checkpoint.id } as never)
        : '';
      rows = await sqlAll<DocRow>(
        db,
        `SELECT data FROM ${this.t} WHERE ${changes.col} > ? ORDER BY ${changes.col} LIMIT ?`,
        [from, limit],
      );
    } else {
      rows = checkpoint
        ? await sqlAll<DocRow>(db, `SELECT data FROM ${this.t} WHERE (lwt, id) > (?, ?) ORDER BY lwt, id LIMIT ?`, [
            checkpoint.lwt,
            checkpoint.id,
            limit,
          ])
        : await sqlAll<DocRow>(db, `SELECT data FROM ${this.t} ORDER BY lwt, id LIMIT ?`, [limit]);
    }
    const documents = rows.map((r) => JSON.parse(r.data) as RxDocumentData<RxDocType>);
    const last = documents[documents.length - 1];
    return {
      documents,
      checkpoint: last
        ? { id: (last as Record<string, unknown>)[this.primaryPath] as string, lwt: last._meta.lwt }
        : (checkpoint ?? { id: '', lwt: 0 }),
    };
  }

  changeStream(): Observable<ChangeBulk<RxDocType>> {
    this.ensureOpen('changeStream');
    return this.changes$.asObservable();
  }

  async cleanup(minimumDeletedTime: number): Promise<boolean> {
    this.ensureOpen('cleanup');
    const maxDeletionTime = now() - minimumDeletedTime;
    await writeTransaction(this.conn, async (db) => {
      if (this.schema.attachments) {
        await sqlRun(
          db,
          `DELETE FROM ${ident(this.layout.attachmentsTable)} WHERE doc_id IN ` +
            `(SELECT id FROM ${this.t} WHERE deleted = 1 AND lwt <= ?)`,
          [maxDeletionTime],
        );
      }
      await sqlRun(db, `DELETE FROM ${this.t} WHERE deleted = 1 AND lwt <= ?`, [maxDeletionTime]);
    });
    return true;
  }

  async getAttachmentData(documentId: string, attachmentId: string, digest: string): Promise<Blob> {
    this.ensureOpen('getAttachmentData');
    const rows = await sqlAll<{ data: Buffer | string; type: string; digest: string }>(
      this.conn.reader,
      `SELECT data, type, digest FROM ${ident(this.layout.attachmentsTable)} WHERE doc_id = ? AND att_id = ?`,
      [documentId, attachmentId],
    );
    const row = rows[0];
    if (!row || !digest || row.digest !== digest) {
      throw new SqliteStorageError(
        'ATTACHMENT_MISSING',
        `attachment does not exist: ${documentId}/${attachmentId} (digest ${digest})`,
      );
    }
    // Like RxDB's memory storage, hand back what was written: a Blob (rxdb 17) or a base64 string (older callers).
    if (typeof row.data === 'string') return row.data as unknown as Blob;
    return new Blob([new Uint8Array(row.data)], { type: row.type });
  }

  async remove(): Promise<void> {
    this.ensureOpen('remove');
    // Through the write queue: two DROP TABLEs sent concurrently on one connection fail with SQLITE_LOCKED.
    await this.conn.writes.run(async () => {
      await sqlExec(this.conn.writer, dropTableSql(this.layout));
      await sqlRun(this.conn.writer, 'DELETE FROM rx_tables WHERE name = ?', [this.layout.table]);
    });
    await this.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const shared = this.conn.changeSubjects.get(this.layout.table);
    if (shared && --shared.refs === 0) {
      this.conn.changeSubjects.delete(this.layout.table);
      shared.subject.complete();
    }
    await releaseConnection(this.conn);
  }
}

/**
 * Reads the bytes of every attachment Blob being written (async, so done before the write transaction starts).
 * A base64 string (the pre-17 attachment format some callers still pass) is kept as it is, stored as TEXT and
 * returned as the same string, exactly like RxDB's memory storage passes data through.
 */
async function readAttachmentBytes<T>(rows: BulkWriteRow<T>[]): Promise<Map<unknown, Buffer | string>> {
  const out = new Map<unknown, Buffer | string>();
  for (const row of rows) {
    for (const att of Object.values(row.document._attachments ?? {})) {
      const data = (att as { data?: Blob | string }).data;
      if (data === undefined || out.has(data)) continue;
      out.set(data, typeof data === 'string' ? data : Buffer.from(await data.arrayBuffer()));
    }
  }
  return out;
}
