// Contract tests of the SQLite RxStorage on real files in a temp dir: 409 conflicts, changes paging, change stream
// order, cleanup, attachments, persistence across reopen, multi-instance, close/remove, bad files, validation.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { addRxPlugin, createRxDatabase, fillWithDefaultSettings, now, createBlob } from 'rxdb';
import { RxDBAttachmentsPlugin } from 'rxdb/plugins/attachments';
import type { RxJsonSchema, RxDocumentData, RxStorageWriteErrorConflict } from 'rxdb';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { firstValueFrom, toArray, take, timeout } from 'rxjs';
import { getRxStorageSqlite, SqliteStorageError, type RxStorageSqlite } from './index.ts';
import type { SqliteStorageInstance } from './storage-instance.ts';
import { sqlRun, writeTransaction, type SharedConnection } from './connection.ts';

interface Item {
  id: string;
  group: string;
  n: number;
}

const rawItemSchema = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    group: { type: 'string', maxLength: 20 },
    n: { type: 'integer', minimum: 0, maximum: 1_000_000, multipleOf: 1 },
  },
  required: ['id', 'group', 'n'],
  indexes: [['group', 'n']],
} as const satisfies RxJsonSchema<Item>;

const itemSchema = (attachments = false): RxJsonSchema<RxDocumentData<Item>> =>
  fillWithDefaultSettings<Item>({
    ...(rawItemSchema as unknown as RxJsonSchema<Item>),
    ...(attachments ? { attachments: {} } : {}),
  });

let dir: string;
let storage: RxStorageSqlite;
const open: SqliteStorageInstance<Item>[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aw-sqlite-'));
  storage = getRxStorageSqlite({ directory: dir });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((i) => i.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function createInstance(
  opts: { collection?: string; attachments?: boolean; db?: string; s?: RxStorageSqlite } = {},
): Promise<SqliteStorageInstance<Item>> {
  const inst = (await (opts.s ?? storage).createStorageInstance<Item>({
    databaseInstanceToken: 'tok',
    databaseName: opts.db ?? 'book',
    collectionName: opts.collection ?? 'items',
    schema: itemSchema(opts.attachments),
    options: {},
    multiInstance: false,
    devMode: false,
  })) as SqliteStorageInstance<Item>;
  open.push(inst);
  return inst;
}

let revCounter = 0;
function doc(id: string, group: string, n: number, over: Partial<RxDocumentData<Item>> = {}): RxDocumentData<Item> {
  revCounter++;
  return { id, group, n, _deleted: false, _attachments: {}, _rev: `${revCounter}-r${revCounter}`, _meta: { lwt: now() }, ...over };
}

describe('bulkWrite conflicts (409)', () => {
  it('inserting an existing id without previous is a 409 carrying the stored document; nothing is overwritten', async () => {
    const inst = await createInstance();
    const first = doc('a', 'g', 1);
    expect((await inst.bulkWrite([{ document: first }], 'test')).error).toEqual([]);
    const res = await inst.bulkWrite([{ document: doc('a', 'g', 2) }], 'test');
    expect(res.error).toHaveLength(1);
    expect(res.error[0].status).toBe(409);
    expect(res.error[0].documentId).toBe('a');
    expect((res.error[0] as RxStorageWriteErrorConflict<Item>).documentInDb).toEqual(first);
    expect((await inst.findDocumentsById(['a'], false))[0].n).toBe(1);
  });

  it('an update whose previous._rev is stale is a 409; a correct previous wins', async () => {
    const inst = await createInstance();
    const v1 = doc('a', 'g', 1);
    await inst.bulkWrite([{ document: v1 }], 'test');
    const v2 = doc('a', 'g', 2);
    expect((await inst.bulkWrite([{ previous: v1, document: v2 }], 'test')).error).toEqual([]);
    const stale = await inst.bulkWrite([{ previous: v1, document: doc('a', 'g', 3) }], 'test');
    expect(stale.error.map((e) => e.status)).toEqual([409]);
    expect((stale.error[0] as RxStorageWriteErrorConflict<Item>).documentInDb).toEqual(v2);
    expect((await inst.findDocumentsById(['a'], false))[0]).toEqual(v2);
  });

  it('mixed batch: good rows are written, only the conflicting row is returned as an error', async () => {
    const inst = await createInstance();
    await inst.bulkWrite([{ document: doc('a', 'g', 1) }], 'test');
    const res = await inst.bulkWrite([{ document: doc('a', 'g', 9) }, { document: doc('b', 'g', 2) }], 'test');
    expect(res.error.map((e) => e.documentId)).toEqual(['a']);
    const found = await inst.findDocumentsById(['a', 'b'], false);
    expect(found.map((d) => [d.id, d.n])).toEqual([['a', 1], ['b', 2]]);
  });

  it('two concurrent inserts of one id: exactly one succeeds', async () => {
    const inst = await createInstance();
    const [r1, r2] = await Promise.all([
      inst.bulkWrite([{ document: doc('x', 'g', 1) }], 'test'),
      inst.bulkWrite([{ document: doc('x', 'g', 2) }], 'test'),
    ]);
    expect(r1.error.length + r2.error.length).toBe(1);
  });
});

describe('document round trip', () => {
  it('returns documents exactly as written: floats, big numbers, unicode, NUL, nested values', async () => {
    const schema = fillWithDefaultSettings<{ id: string; x: unknown }>({
      version: 0,
      primaryKey: 'id',
      type: 'object',
      properties: { id: { type: 'string', maxLength: 20 }, x: {} },
      required: ['id'],
    });
    const inst = await storage.createStorageInstance<{ id: string; x: unknown }>({
      databaseInstanceToken: 'tok',
      databaseName: 'book',
      collectionName: 'free',
      schema,
      options: {},
      multiInstance: false,
      devMode: false,
    });
    try {
      const values = [0.1 + 0.2, 1e21, 5e-324, 2 ** 53 + 2, -1.5e-7, 1.7976931348623157e308, 'a"b\\c\u2028\u0000😀', { n: [1, null, true, 'x'] }, null];
      const docs = values.map((x, i) => ({ id: `d${i}`, x, _deleted: false, _attachments: {}, _rev: '1-a', _meta: { lwt: now() } }));
      await inst.bulkWrite(docs.map((document) => ({ document })), 'test');
      expect(await inst.findDocumentsById(docs.map((d) => d.id), false)).toEqual(docs);
    } finally {
      await inst.close();
    }
  });
});

describe('findDocumentsById', () => {
  it('hides deleted documents unless withDeleted, and keeps the order of the ids asked for', async () => {
    const inst = await createInstance();
    const a = doc('a', 'g', 1);
    await inst.bulkWrite([{ document: a }, { document: doc('b', 'g', 2) }, { document: doc('c', 'g', 3) }], 'test');
    await inst.bulkWrite([{ previous: a, document: { ...a, _deleted: true, _rev: '2-x', _meta: { lwt: now() } } }], 'test');
    expect((await inst.findDocumentsById(['c', 'a', 'b'], false)).map((d) => d.id)).toEqual(['c', 'b']);
    expect((await inst.findDocumentsById(['c', 'a', 'b', 'zz'], true)).map((d) => d.id)).toEqual(['c', 'a', 'b']);
  });
});

describe('getChangedDocumentsSince', () => {
  it('pages through every document exactly once in (lwt, id) order, including deletes, then returns nothing', async () => {
    const inst = await createInstance();
    const docs: RxDocumentData<Item>[] = [];
    for (let i = 0; i < 57; i++) docs.push(doc(`d${String(i).padStart(3, '0')}`, 'g', i));
    // Same lwt for a run of documents: the id must break the tie.
    const tie = now();
    for (let i = 0; i < 10; i++) docs.push(doc(`t${i}`, 'g', i, { _meta: { lwt: tie } }));
    await inst.bulkWrite(docs.map((d) => ({ document: d })), 'test');
    const seen: string[] = [];
    let checkpoint: { id: string; lwt: number } | undefined;
    for (;;) {
      const page = await inst.getChangedDocumentsSince(10, checkpoint);
      if (page.documents.length === 0) break;
      seen.push(...page.documents.map((d) => d.id));
      checkpoint = page.checkpoint;
    }
    expect(seen).toHaveLength(67);
    expect(new Set(seen).size).toBe(67);
    const expected = [...docs].sort((x, y) => x._meta.lwt - y._meta.lwt || (x.id < y.id ? -1 : 1)).map((d) => d.id);
    expect(seen).toEqual(expected);

    // A later update moves the document to the end of the change order.
    const updated = doc('d005', 'g', 500);
    await inst.bulkWrite([{ previous: docs[5], document: updated }], 'test');
    const after = await inst.getChangedDocumentsSince(10, checkpoint);
    expect(after.documents.map((d) => d.id)).toEqual(['d005']);
    expect(after.checkpoint).toEqual({ id: 'd005', lwt: updated._meta.lwt });
  });
});

describe('changeStream', () => {
  it('emits one bulk per successful bulkWrite, in write order, before bulkWrite resolves, with the checkpoint', async () => {
    const inst = await createInstance();
    const bulks: { ids: string[]; ops: string[]; checkpoint: unknown }[] = [];
    const sub = inst.changeStream().subscribe((b) =>
      bulks.push({ ids: b.events.map((e) => e.documentId), ops: b.events.map((e) => e.operation), checkpoint: b.checkpoint }),
    );
    const a = doc('a', 'g', 1);
    await inst.bulkWrite([{ document: a }, { document: doc('b', 'g', 2) }], 'ctx');
    expect(bulks).toHaveLength(1); // already there when bulkWrite resolved
    const a2 = doc('a', 'g', 5);
    await inst.bulkWrite([{ previous: a, document: a2 }], 'ctx');
    await inst.bulkWrite([{ previous: a2, document: { ...a2, _deleted: true, _rev: '9-z', _meta: { lwt: now() } } }], 'ctx');
    await inst.bulkWrite([{ document: doc('b', 'g', 3) }], 'ctx'); // conflict only: no event
    sub.unsubscribe();
    expect(bulks.map((b) => b.ops)).toEqual([['INSERT', 'INSERT'], ['UPDATE'], ['DELETE']]);
    expect(bulks[0].ids).toEqual(['a', 'b']);
    expect((bulks[0].checkpoint as { id: string }).id).toBe('b');
  });

  it('instances on the same table see each other’s writes (one process, shared connection)', async () => {
    const a = await createInstance();
    const b = await createInstance();
    const got = firstValueFrom(b.changeStream().pipe(take(1), timeout(5000)));
    await a.bulkWrite([{ document: doc('z', 'g', 1) }], 'x');
    expect((await got).events[0].documentId).toBe('z');
  });
});

describe('cleanup', () => {
  it('purges deleted documents older than minimumDeletedTime and keeps recent deletes and live docs', async () => {
    const inst = await createInstance();
    const old = doc('old', 'g', 1);
    const recent = doc('recent', 'g', 2);
    await inst.bulkWrite([{ document: old }, { document: recent }, { document: doc('live', 'g', 3) }], 'test');
    await inst.bulkWrite(
      [
        { previous: old, document: { ...old, _deleted: true, _rev: '2-o', _meta: { lwt: now() - 60_000 } } },
        { previous: recent, document: { ...recent, _deleted: true, _rev: '2-r', _meta: { lwt: now() } } },
      ],
      'test',
    );
    expect(await inst.cleanup(30_000)).toBe(true);
    expect((await inst.findDocumentsById(['old', 'recent', 'live'], true)).map((d) => d.id)).toEqual(['recent', 'live']);
  });
});

describe('attachments', () => {
  it('stores attachment bytes, returns them as a Blob, replaces and removes them', async () => {
    const inst = await createInstance({ attachments: true });
    const bytes = 'hello attachment';
    const d1: RxDocumentData<Item> = {
      ...doc('a', 'g', 1),
      _attachments: {
        note: { data: createBlob(bytes, 'text/plain'), digest: 'md5-1', length: bytes.length, type: 'text/plain' },
      } as never,
    };
    expect((await inst.bulkWrite([{ document: d1 }], 'test')).error).toEqual([]);
    const stored = (await inst.findDocumentsById(['a'], false))[0];
    expect(stored._attachments.note).toEqual({ digest: 'md5-1', length: bytes.length, type: 'text/plain' });
    const blob = await inst.getAttachmentData('a', 'note', 'md5-1');
    expect(blob).toBeInstanceOf(Blob);
    expect(blob.type).toBe('text/plain');
    expect(await blob.text()).toBe(bytes);
    await expect(inst.getAttachmentData('a', 'note', 'md5-wrong')).rejects.toThrow(/attachment does not exist/);

    const d2: RxDocumentData<Item> = {
      ...doc('a', 'g', 2),
      _attachments: {
        note: { data: createBlob('v2', 'text/plain'), digest: 'md5-2', length: 2, type: 'text/plain' },
      } as never,
    };
    await inst.bulkWrite([{ previous: stored, document: d2 }], 'test');
    expect(await (await inst.getAttachmentData('a', 'note', 'md5-2')).text()).toBe('v2');
    const s2 = (await inst.findDocumentsById(['a'], false))[0];
    await inst.bulkWrite([{ previous: s2, document: { ...doc('a', 'g', 3), _attachments: {} } }], 'test');
    await expect(inst.getAttachmentData('a', 'note', 'md5-2')).rejects.toThrow(/attachment does not exist/);
  });

  it('a new document with attachment metadata but no data is rejected with status 510', async () => {
    const inst = await createInstance({ attachments: true });
    const bad: RxDocumentData<Item> = {
      ...doc('a', 'g', 1),
      _attachments: { note: { digest: 'md5-1', length: 3, type: 'text/plain' } },
    };
    const res = await inst.bulkWrite([{ document: bad }], 'test');
    expect(res.error.map((e) => e.status)).toEqual([510]);
  });
});

describe('persistence and lifecycle', () => {
  it('documents, deletes and attachments survive closing and reopening the file', async () => {
    const inst = await createInstance({ attachments: true });
    const a = doc('a', 'g', 1);
    await inst.bulkWrite(
      [
        { document: a },
        {
          document: {
            ...doc('b', 'g', 2),
            _attachments: { f: { data: createBlob('xyz', 'text/plain'), digest: 'd1', length: 3, type: 'text/plain' } } as never,
          },
        },
      ],
      'test',
    );
    await inst.bulkWrite([{ previous: a, document: { ...a, _deleted: true, _rev: '2-d', _meta: { lwt: now() } } }], 'test');
    await inst.close();

    const reopened = await createInstance({ attachments: true, s: getRxStorageSqlite({ directory: dir }) });
    expect((await reopened.findDocumentsById(['a', 'b'], true)).map((d) => [d.id, d._deleted])).toEqual([
      ['a', true],
      ['b', false],
    ]);
    expect(await (await reopened.getAttachmentData('b', 'f', 'd1')).text()).toBe('xyz');
  });

  it('operations on a closed instance fail with INSTANCE_CLOSED; close is idempotent', async () => {
    const inst = await createInstance();
    await inst.close();
    await inst.close();
    await expect(inst.bulkWrite([{ document: doc('a', 'g', 1) }], 'test')).rejects.toMatchObject({ code: 'INSTANCE_CLOSED' });
    await expect(inst.findDocumentsById(['a'], false)).rejects.toThrow(/closed/);
  });

  it('remove() drops the collection: a new instance on it starts empty, other collections are untouched', async () => {
    const a = await createInstance({ collection: 'one' });
    const b = await createInstance({ collection: 'two' });
    await a.bulkWrite([{ document: doc('a', 'g', 1) }], 'test');
    await b.bulkWrite([{ document: doc('b', 'g', 1) }], 'test');
    // Two removes at once on one shared connection must not collide (SQLITE_LOCKED on concurrent DROP TABLE).
    const c = await createInstance({ collection: 'three' });
    await Promise.all([a.remove(), c.remove()]);
    const again = await createInstance({ collection: 'one' });
    expect(await again.findDocumentsById(['a'], true)).toEqual([]);
    expect((await b.findDocumentsById(['b'], false)).map((d) => d.id)).toEqual(['b']);
  });

  it('many instances opened at once on one database share the file safely', async () => {
    const insts = await Promise.all(Array.from({ length: 12 }, (_, i) => createInstance({ collection: `c${i}` })));
    await Promise.all(insts.map((inst, i) => inst.bulkWrite([{ document: doc(`x${i}`, 'g', i) }], 'test')));
    const found = await Promise.all(insts.map((inst, i) => inst.findDocumentsById([`x${i}`], false)));
    expect(found.map((f) => f.length)).toEqual(Array(12).fill(1));
  });
});

describe('reads during writes', () => {
  it('reads do not wait for an open write transaction and never see its uncommitted rows', async () => {
    const inst = await createInstance();
    await inst.bulkWrite([{ document: doc('before', 'g', 1) }], 'test');
    const conn = (inst as unknown as { conn: SharedConnection }).conn;
    const pending = doc('pending', 'g', 2);
    let commit!: () => void;
    const mayCommit = new Promise<void>((r) => (commit = r));
    let inserted!: () => void;
    const insertedNow = new Promise<void>((r) => (inserted = r));
    // Hold the writer inside BEGIN IMMEDIATE with an uncommitted row until we say so.
    const tx = writeTransaction(conn, async (db) => {
      await sqlRun(db, `INSERT INTO "book__items__v0" (id, deleted, lwt, data, k0, k1) VALUES (?, 0, ?, ?, 'x', 'y')`, [
        pending.id,
        pending._meta.lwt,
        JSON.stringify(pending),
      ]);
      inserted();
      await mayCommit;
    });
    await insertedNow;
    // These would hang (same queue) or see 'pending' (same connection) if reads shared the writer.
    expect((await inst.findDocumentsById(['before', 'pending'], true)).map((d) => d.id)).toEqual(['before']);
    expect((await inst.getChangedDocumentsSince(10)).documents.map((d) => d.id)).toEqual(['before']);
    commit();
    await tx;
    expect((await inst.findDocumentsById(['before', 'pending'], true)).map((d) => d.id)).toEqual(['before', 'pending']);
  });
});

describe('bad database files', () => {
  it('a garbage file gives a clear DB_CORRUPT error on startup and is left untouched', async () => {
    const file = join(dir, 'broken.sqlite');
    writeFileSync(file, Buffer.alloc(8192, 0x5a));
    const s = getRxStorageSqlite({ filePath: file });
    const err = await createInstance({ s }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SqliteStorageError);
    expect((err as SqliteStorageError).code).toBe('DB_CORRUPT');
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).toMatch(/not a valid database/);
  });

  it('a file exclusively locked by another connection gives a clear DB_LOCKED error on startup', async () => {
    const file = join(dir, 'locked.sqlite');
    const holder = await new Promise<sqlite3.Database>((res, rej) => {
      const db = new sqlite3.Database(file, (e) => (e ? rej(e) : res(db)));
    });
    const exec = (sql: string) => new Promise<void>((res, rej) => holder.exec(sql, (e) => (e ? rej(e) : res())));
    await exec('PRAGMA locking_mode=EXCLUSIVE; CREATE TABLE t(x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);');
    try {
      const s = getRxStorageSqlite({ filePath: file, busyTimeoutMs: 200 });
      const err = await createInstance({ s }).catch((e: unknown) => e);
      expect((err as SqliteStorageError).code).toBe('DB_LOCKED');
      expect((err as Error).message).toMatch(/locked by another process/);
    } finally {
      await exec('COMMIT');
      await new Promise<void>((res) => holder.close(() => res()));
    }
  });
});

describe('schema validation on the server', () => {
  it('wrappedValidateAjvStorage rejects schema-invalid documents and stores nothing', async () => {
    const db = await createRxDatabase({
      name: 'validated',
      storage: wrappedValidateAjvStorage({ storage: getRxStorageSqlite({ directory: dir }) }),
    });
    try {
      const cols = await db.addCollections({
        items: {
          schema: rawItemSchema as unknown as RxJsonSchema<Item>,
        },
      });
      await expect(cols.items.insert({ id: 'bad', group: 'g', n: -5 })).rejects.toMatchObject({ code: 'VD2' });
      await expect(cols.items.insert({ id: 'bad2', group: 'g' } as never)).rejects.toMatchObject({ code: 'VD2' });
      await cols.items.insert({ id: 'ok', group: 'g', n: 5 });
      const all = await cols.items.find().exec();
      expect(all.map((d) => d.id)).toEqual(['ok']);
    } finally {
      await db.close();
    }
  });
});

describe('RxDB attachments plugin on the storage', () => {
  it('putAttachment / getData (Blob) / getStringData / remove work end to end and survive a reopen', async () => {
    addRxPlugin(RxDBAttachmentsPlugin);
    const schema = { ...(rawItemSchema as unknown as RxJsonSchema<Item>), attachments: {} };
    const open = async () => {
      const db = await createRxDatabase({ name: 'att', storage: getRxStorageSqlite({ directory: dir }) });
      const { items } = await db.addCollections({ items: { schema } });
      return { db, items };
    };
    const first = await open();
    const d = await first.items.insert({ id: 'a', group: 'g', n: 1 });
    await d.putAttachment({ id: 'statement.pdf', data: createBlob('%PDF-1.7 fake', 'application/pdf'), type: 'application/pdf' });
    await first.db.close();

    const second = await open();
    try {
      const again = await second.items.findOne('a').exec();
      const att = again!.getAttachment('statement.pdf');
      expect(att).not.toBeNull();
      const blob = await att!.getData();
      expect(blob).toBeInstanceOf(Blob);
      expect(await att!.getStringData()).toBe('%PDF-1.7 fake');
      await att!.remove();
      const afterRemove = await second.items.findOne('a').exec();
      expect(afterRemove!.allAttachments()).toEqual([]);
    } finally {
      await second.db.close();
    }
  });
});

describe('RxDatabase on top of the storage', () => {
  it('runs indexed queries, sorted, with live results after writes', async () => {
    const db = await createRxDatabase({ name: 'rx', storage: getRxStorageSqlite({ directory: dir }) });
    try {
      const { items } = await db.addCollections({ items: { schema: rawItemSchema as unknown as RxJsonSchema<Item> } });
      await items.bulkInsert([
        { id: 'a', group: 'x', n: 3 },
        { id: 'b', group: 'x', n: 1 },
        { id: 'c', group: 'y', n: 2 },
      ]);
      const q = items.find({ selector: { group: 'x' }, sort: [{ n: 'asc' }] });
      expect((await q.exec()).map((d) => d.id)).toEqual(['b', 'a']);
      const emissions = firstValueFrom(q.$.pipe(take(2), toArray(), timeout(5000)));
      await items.insert({ id: 'd', group: 'x', n: 0 });
      const last = (await emissions)[1];
      expect(last.map((d) => d.id)).toEqual(['d', 'b', 'a']);
    } finally {
      await db.close();
    }
  });
});
