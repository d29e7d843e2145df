// Property test: for random documents and random Mango queries (every operator, sorts, skip/limit, forced indexes),
// the SQLite storage returns exactly what RxDB's own memory storage returns, in the same order, and the same counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fillWithDefaultSettings,
  normalizeMangoQuery,
  prepareQuery,
  type MangoQuery,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorage,
  type RxStorageInstance,
} from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { getRxStorageSqlite } from './index.ts';

interface Thing {
  id: string;
  name: string;
  age: number;
  score: number;
  active: boolean;
  tags: string[];
  nested: { x: number };
  opt?: string;
}

const schema: RxJsonSchema<RxDocumentData<Thing>> = fillWithDefaultSettings<Thing>({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 20 },
    name: { type: 'string', maxLength: 12 },
    age: { type: 'integer', minimum: 0, maximum: 100, multipleOf: 1 },
    score: { type: 'number', minimum: 0, maximum: 1000, multipleOf: 0.01 },
    active: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
    nested: { type: 'object', properties: { x: { type: 'integer', minimum: 0, maximum: 10, multipleOf: 1 } }, required: ['x'] },
    opt: { type: 'string', maxLength: 10 },
  },
  required: ['id', 'name', 'age', 'score', 'active', 'tags', 'nested'],
  indexes: ['name', ['age', 'name'], ['active', 'score'], 'nested.x'],
});
const INDEXES = (schema.indexes as string[][]).map((ix) => [...ix]);

// Characters chosen to stress ordering: below space, space, ASCII, Latin-1, U+E000 (private use), astral emoji.
const CHARS = ['a', 'b', 'B', 'z', ' ', '\t', 'ä', '\uE000', '😀', '0'];
const TAGS = ['red', 'green', 'blue', 'x'];

const nameArb = fc.array(fc.constantFrom(...CHARS), { maxLength: 5 }).map((cs) => cs.join('').slice(0, 12));
const docArb = (id: string) =>
  fc.record({
    name: nameArb,
    age: fc.integer({ min: 0, max: 100 }),
    score: fc.integer({ min: 0, max: 100_000 }).map((c) => c / 100),
    active: fc.boolean(),
    tags: fc.uniqueArray(fc.constantFrom(...TAGS), { maxLength: 3 }),
    x: fc.integer({ min: 0, max: 10 }),
    opt: fc.option(fc.constantFrom('p', 'q', 'pq'), { nil: undefined }),
    deleted: fc.boolean().map((b) => b && Math.random() < 0.3),
    lwt: fc.integer({ min: 1, max: 1000 }),
  }).map((r): RxDocumentData<Thing> => ({
    id,
    name: r.name,
    age: r.age,
    score: r.score,
    active: r.active,
    tags: r.tags,
    nested: { x: r.x },
    ...(r.opt === undefined ? {} : { opt: r.opt }),
    _deleted: r.deleted,
    _attachments: {},
    _rev: '1-abc',
    _meta: { lwt: 1_700_000_000_000 + r.lwt },
  }));

const idArb = fc.stringMatching(/^[a-zA-Z0-9_-]{1,8}$/);
const docsArb = fc.uniqueArray(idArb, { minLength: 0, maxLength: 40 }).chain((ids) => fc.tuple(...ids.map((id) => docArb(id))));

const cond = fc.oneof(
  fc.record({ f: fc.constant('name'), v: fc.oneof(
    nameArb.map((v) => ({ $eq: v })), nameArb.map((v) => ({ $ne: v })), nameArb.map((v) => ({ $gt: v })),
    nameArb.map((v) => ({ $gte: v })), nameArb.map((v) => ({ $lt: v })), nameArb.map((v) => ({ $lte: v })),
    fc.array(nameArb, { maxLength: 3 }).map((v) => ({ $in: v })), fc.array(nameArb, { maxLength: 3 }).map((v) => ({ $nin: v })),
    fc.constantFrom('^a', 'b$', 'ä', '\\s', '^$', 'B|z').map((v) => ({ $regex: v })),
  ) }),
  fc.record({ f: fc.constantFrom('age', 'score', 'nested.x'), v: fc.oneof(
    fc.integer({ min: -5, max: 105 }).map((v) => ({ $eq: v })), fc.integer({ min: 0, max: 100 }).map((v) => ({ $ne: v })),
    fc.integer({ min: -5, max: 105 }).map((v) => ({ $gt: v })), fc.integer({ min: 0, max: 100 }).map((v) => ({ $gte: v })),
    fc.integer({ min: 0, max: 105 }).map((v) => ({ $lt: v })), fc.integer({ min: 0, max: 100 }).map((v) => ({ $lte: v })),
    fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 60 })).map(([a, b]) => ({ $gte: Math.min(a, b), $lt: Math.max(a, b) })),
    fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 3 }).map((v) => ({ $in: v })),
    fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 3 }).map((v) => ({ $nin: v })),
    fc.tuple(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 0, max: 1 })).map((m) => ({ $mod: m })),
    fc.integer({ min: 0, max: 100 }).map((v) => ({ $not: { $gt: v } })),
  ) }),
  fc.record({ f: fc.constant('active'), v: fc.boolean().map((v) => ({ $eq: v })) }),
  fc.record({ f: fc.constant('opt'), v: fc.oneof(fc.boolean().map((v) => ({ $exists: v })), fc.constantFrom('p', 'q').map((v) => ({ $eq: v }))) }),
  fc.record({ f: fc.constant('tags'), v: fc.oneof(
    fc.integer({ min: 0, max: 3 }).map((v) => ({ $size: v })),
    fc.constantFrom(...TAGS).map((v) => ({ $elemMatch: { $eq: v } })),
    fc.array(fc.constantFrom(...TAGS), { maxLength: 2 }).map((v) => ({ $in: v })),
  ) }),
  fc.record({ f: fc.constant('_deleted'), v: fc.boolean().map((v) => ({ $eq: v })) }),
);
const selectorPart = fc.array(cond, { maxLength: 3 }).map((cs) => {
  const sel: Record<string, unknown> = {};
  for (const c of cs) sel[c.f] = c.v;
  return sel;
});
const selectorArb = fc.oneof(
  { weight: 4, arbitrary: selectorPart },
  { weight: 1, arbitrary: fc.array(selectorPart, { minLength: 1, maxLength: 3 }).map((ss) => ({ $or: ss })) },
  { weight: 1, arbitrary: fc.array(selectorPart, { minLength: 1, maxLength: 3 }).map((ss) => ({ $and: ss })) },
);
const sortArb = fc.uniqueArray(fc.constantFrom('name', 'age', 'score', 'active', 'nested.x', 'id'), { maxLength: 2 }).chain((fields) =>
  fc.tuple(...fields.map((f) => fc.constantFrom('asc', 'desc').map((d) => ({ [f]: d })))),
);
const queryArb = fc.record({
  selector: selectorArb,
  sort: sortArb,
  skip: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
  limit: fc.option(fc.integer({ min: 0, max: 15 }), { nil: undefined }),
  index: fc.option(fc.constantFrom(...INDEXES), { nil: undefined, freq: 4 }),
});

let dir: string;
let dbCounter = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aw-sqlite-q-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function load(storage: RxStorage<unknown, unknown>, name: string, docs: RxDocumentData<Thing>[]) {
  const inst = (await storage.createStorageInstance<Thing>({
    databaseInstanceToken: name,
    databaseName: name,
    collectionName: 'things',
    schema,
    options: {},
    multiInstance: false,
    devMode: false,
  })) as RxStorageInstance<Thing, unknown, unknown>;
  if (docs.length) {
    const res = await inst.bulkWrite(docs.map((d) => ({ document: structuredClone(d) })), 'load');
    expect(res.error).toEqual([]);
  }
  return inst;
}

describe('query results equal RxDB memory storage', () => {
  it('for random documents and random queries (ids in order, and counts)', async () => {
    const sqlite = getRxStorageSqlite({ directory: dir, synchronous: 'NORMAL' });
    const memory = getRxStorageMemory();
    await fc.assert(
      fc.asyncProperty(docsArb, fc.array(queryArb, { minLength: 1, maxLength: 12 }), async (docs, queries) => {
        const name = `db${++dbCounter}`;
        const [a, b] = await Promise.all([load(sqlite as never, name, docs), load(memory as never, name, docs)]);
        try {
          for (const q of queries) {
            const mango = { ...q } as MangoQuery<RxDocumentData<Thing>>;
            if (mango.skip === undefined) delete mango.skip;
            if (mango.limit === undefined) delete mango.limit;
            if (mango.index === undefined) delete mango.index;
            const prepared = prepareQuery(schema, normalizeMangoQuery(schema, mango));
            const [got, want] = await Promise.all([a.query(prepared), b.query(prepared)]);
            expect(got.documents.map((d) => d.id), JSON.stringify(mango)).toEqual(want.documents.map((d) => d.id));
            expect(got.documents).toEqual(want.documents);
            const countQuery = prepareQuery(schema, normalizeMangoQuery(schema, { ...mango, skip: undefined, limit: undefined }));
            const [gc, wc] = await Promise.all([a.count(countQuery), b.count(countQuery)]);
            expect(gc.count, `count ${JSON.stringify(mango)}`).toBe(wc.count);
          }
        } finally {
          await a.remove();
          await b.remove();
        }
      }),
      { numRuns: 60, seed: 20261125 },
    );
  });
});
