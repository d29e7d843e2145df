// How one RxDB collection (at one schema version) is laid out in SQLite.
//
// Table "<db>__<collection>__v<version>": id (primary key value), deleted (0/1), lwt (_meta.lwt, epoch ms with
// 2 decimals), data (the whole document as JSON) and one key column k0..kN per schema index. A key column holds an
// order-preserving key of the document for that index (index-key.ts: sorts exactly like RxDB's own indexable
// string), so a plain SQL index on it turns RxDB's query plan (index + start/end keys) into one index range scan:
// `WHERE kN >= lower AND kN <= upper ORDER BY kN`. RxDB always adds the index ['_meta.lwt', primaryKey]; its key
// column is the (lwt, id) checkpoint index of getChangedDocumentsSince. A partial index on lwt WHERE deleted = 1
// serves cleanup. Attachments live in "<table>__att" (doc_id, att_id, digest, type, data BLOB).
import { getPrimaryFieldOfPrimaryKey } from 'rxdb';
import type { RxDocumentData, RxJsonSchema } from 'rxdb';
import { indexKey, type IndexKey } from './index-key.ts';

export interface TableLayout {
  table: string;
  attachmentsTable: string;
  primaryPath: string;
  /** Schema indexes in schema order; index i is stored in column `k${i}`. */
  indexes: string[][];
  /** index.join(',') → key column name. */
  keyColumnByIndex: Map<string, string>;
  keys: IndexKey[];
  /** Key column and key of the ['_meta.lwt', primaryPath] index (always present in filled RxDB schemas). */
  changes: { col: string; key: IndexKey } | undefined;
}

/** Double-quotes an SQL identifier. */
export function ident(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

export function tableLayout(
  databaseName: string,
  collectionName: string,
  schema: RxJsonSchema<RxDocumentData<unknown>>,
): TableLayout {
  const table = `${databaseName}__${collectionName}__v${schema.version}`;
  const primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as string;
  const indexes = (schema.indexes ?? []).map((ix) => (Array.isArray(ix) ? [...ix] : [ix as string]));
  const keyColumnByIndex = new Map<string, string>();
  indexes.forEach((ix, i) => keyColumnByIndex.set(ix.join(','), `k${i}`));
  const keys = indexes.map((ix) => indexKey(schema, ix));
  const changesIdx = indexes.findIndex((ix) => ix.length === 2 && ix[0] === '_meta.lwt' && ix[1] === primaryPath);
  return {
    table,
    attachmentsTable: `${table}__att`,
    primaryPath,
    indexes,
    keyColumnByIndex,
    keys,
    changes: changesIdx >= 0 ? { col: `k${changesIdx}`, key: keys[changesIdx] } : undefined,
  };
}

export function createTableSql(layout: TableLayout, withAttachments: boolean): string {
  const t = ident(layout.table);
  const keyCols = layout.indexes.map((_, i) => `, k${i} TEXT NOT NULL`).join('');
  const stmts = [
    `CREATE TABLE IF NOT EXISTS ${t} (id TEXT PRIMARY KEY NOT NULL, deleted INTEGER NOT NULL, lwt REAL NOT NULL, ` +
      `data TEXT NOT NULL${keyCols})`,
    ...layout.indexes.map((_, i) => `CREATE INDEX IF NOT EXISTS ${ident(`${layout.table}__k${i}`)} ON ${t}(k${i})`),
    `CREATE INDEX IF NOT EXISTS ${ident(`${layout.table}__cleanup`)} ON ${t}(lwt) WHERE deleted = 1`,
  ];
  if (withAttachments) {
    stmts.push(
      `CREATE TABLE IF NOT EXISTS ${ident(layout.attachmentsTable)} (doc_id TEXT NOT NULL, att_id TEXT NOT NULL, ` +
        'digest TEXT NOT NULL, type TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (doc_id, att_id))',
    );
  }
  return stmts.join(';\n') + ';';
}

/** One upsert row: [document, k0..kN] (the document stays an object: SQLite stores its JSON text as is). */
export function rowValues(layout: TableLayout, doc: RxDocumentData<unknown>): unknown[] {
  const row: unknown[] = [doc];
  for (const key of layout.keys) row.push(key.ofDoc(doc));
  return row;
}

/**
 * One upsert for a whole batch: the rows travel as one JSON array parameter and json_each spreads them
 * (one statement instead of one per row; conflicts were already checked by categorizeBulkWriteRows).
 */
export function upsertSql(layout: TableLayout): string {
  const keyCols = layout.indexes.map((_, i) => `k${i}`);
  const cols = ['id', 'deleted', 'lwt', 'data', ...keyCols];
  const pk = ('$.' + JSON.stringify(layout.primaryPath)).replace(/'/g, "''");
  const select = [
    `value->>'$[0]${pk.slice(1)}'`,
    `value->>'$[0]._deleted'`,
    `value->>'$[0]._meta.lwt'`,
    'value->0',
    ...keyCols.map((_, i) => `value->>${i + 1}`),
  ].join(', ');
  const update = cols
    .slice(1)
    .map((c) => `${c}=excluded.${c}`)
    .join(', ');
  return (
    `INSERT INTO ${ident(layout.table)} (${cols.join(', ')}) SELECT ${select} FROM json_each(?) WHERE true ` +
    `ON CONFLICT(id) DO UPDATE SET ${update}`
  );
}

export function dropTableSql(layout: TableLayout): string {
  return `DROP TABLE IF EXISTS ${ident(layout.table)}; DROP TABLE IF EXISTS ${ident(layout.attachmentsTable)};`;
}
