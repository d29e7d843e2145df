// Draft packs: a job's drafts split into packs (listings) and bodies (the full drafts) and read back whole (every
// draft once, in order), by id, by job and page by page, on a real RxDB book (memory storage, schema-validated
// writes); a book stored by an earlier version (drafts as objects in the pack) migrates with every draft kept.
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { createRxDatabase, type RxJsonSchema } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { proposalSchema, type Proposal } from '@aw/domain';
import { openTestDb } from '../test-support.ts';
import { openBookDb } from './book-db.ts';
import { countDrafts, draftBodiesOf, draftPacksOf, draftsOfBody, insertPackedDrafts, jobOfDraft, packDrafts, readAllPacks, readDrafts } from './draft-packs.ts';
import { proposalListing } from './proposal-listing.ts';

const draft = (jobId: string, k: number): Proposal => ({
  id: `${jobId}-acc-${String(k).padStart(4, '0')}`, teamId: 'north', householdId: `h${k}`, accountId: `acc-${k}`, modelId: 'm1', authorId: 'u-alice',
  status: 'draft', reason: 'Drift outside bands.', accountRevision: 1,
  trades: [{ symbol: 'AAPL', side: 'buy', quantity: 2, price: 100, amountCents: 20000, lotIds: [], estGainCents: 0, reason: 'Underweight.' }],
  driftBefore: 0.1, driftAfter: 0.01, buyCents: 20000, sellCents: 0, estGainCents: 0, estTaxCents: 0, warnings: [], approverId: '', decidedAt: 0,
  executedAt: 0, batchId: '', createdAt: 5, updatedAt: 5,
});

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => { for (const c of cleanups.splice(0)) await c(); });

describe('draft packs', () => {
  it('packs keep every draft once, in order, at most perPack each, named by their first draft', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 25 }), (n, perPack) => {
      const drafts = Array.from({ length: n }, (_, k) => draft('rbj', k));
      const { packs, bodies } = packDrafts(drafts, 'rbj', 5, perPack);
      expect(bodies.flatMap(draftsOfBody)).toEqual(drafts);
      // Each pack lists exactly the drafts of its body (same id, same job).
      expect(packs.flatMap((p) => p.listings)).toEqual(drafts.map(proposalListing));
      expect(bodies.map((b) => [b.id, b.jobId])).toEqual(packs.map((p) => [p.id, p.jobId]));
      expect(packs.every((p, i) => p.listings.map((l) => l.id).join() === draftsOfBody(bodies[i]!).map((d) => d.id).join())).toBe(true);
      expect(packs.every((p) => p.listings.length >= 1 && p.listings.length <= perPack && p.id === p.listings[0]!.id && p.jobId === 'rbj')).toBe(true);
      expect(packs.length).toBe(Math.ceil(n / perPack));
    }));
  });

  it('names the job of a draft id', () => {
    expect(jobOfDraft('rbm3x9-acc-7')).toBe('rbm3x9');
    expect(jobOfDraft('nodash')).toBe('');
  });

  it('reads drafts back by id, counts a job, and pages through every pack', async () => {
    const db = await openTestDb();
    cleanups.push(() => db.remove());
    const a = Array.from({ length: 7 }, (_, k) => draft('rba', k));
    const b = Array.from({ length: 5 }, (_, k) => draft('rbb', k));
    await insertPackedDrafts(db, packDrafts(a, 'rba', 5, 3));
    await insertPackedDrafts(db, packDrafts(b, 'rbb', 5, 2));

    const found = await readDrafts(db, [a[6]!.id, b[0]!.id, 'rbc-acc-1', 'nodash']);
    expect([...found.keys()].sort()).toEqual([a[6]!.id, b[0]!.id].sort());
    expect(found.get(a[6]!.id)).toEqual(a[6]);
    expect(await countDrafts(db, 'rba')).toBe(7);
    expect(await countDrafts(db, 'rbb')).toBe(5);
    expect(await countDrafts(db, 'rbc')).toBe(0);
    // A job of more packs than one read holds (4): counted over every page.
    await insertPackedDrafts(db, packDrafts(Array.from({ length: 11 }, (_, k) => draft('rbd', k)), 'rbd', 5, 2));
    expect(await countDrafts(db, 'rbd')).toBe(11);
    // Named packs are read by id: a wrong name finds nothing, the right one finds the draft.
    expect((await readDrafts(db, [a[4]!.id], () => b[0]!.id)).size).toBe(0);
    expect((await readDrafts(db, [a[4]!.id], () => a[3]!.id)).get(a[4]!.id)).toEqual(a[4]);

    const reads: string[][] = [];
    await readAllPacks(db, (pack) => reads.push(pack.listings.map((d) => d.id)), undefined, 2);
    expect(reads.flat().length).toBe(7 + 5 + 11);
    expect(new Set(reads.flat())).toEqual(new Set([...a, ...b].map((d) => d.id).concat(Array.from({ length: 11 }, (_, k) => draft('rbd', k).id))));
    expect(reads.length).toBe(3 + 3 + 6);

    const ctrl = new AbortController();
    const some: string[] = [];
    await readAllPacks(db, (pack) => { some.push(...pack.listings.map((d) => d.id)); ctrl.abort(); }, ctrl.signal, 2);
    // The read in flight is delivered whole (a page of 2 packs), then nothing more.
    expect(some.length).toBeLessThanOrEqual(6);
    expect(some.length).toBeGreaterThan(0);
  });

  it('the UI thread keeps no packs in memory: idle pack queries leave the cache, change events only the last write\'s', async () => {
    const db = await openTestDb();
    cleanups.push(() => db.remove());
    const packs = draftPacksOf(db);
    const bodies = draftBodiesOf(db);
    for (let j = 0; j < 6; j++) await insertPackedDrafts(db, packDrafts(Array.from({ length: 4 }, (_, k) => draft(`rb${j}`, k)), `rb${j}`, 5, 2));
    // A first load, a cancel's count, a drawer's read: queries whose results hold whole packs.
    let read = 0;
    await readAllPacks(db, () => { read++; }, undefined, 2);
    expect(read).toBe(12);
    expect(await countDrafts(db, 'rb1')).toBe(4);
    expect((await readDrafts(db, [draft('rb2', 1).id])).size).toBe(1);
    await expect.poll(() => packs._queryCache._map.size + bodies._queryCache._map.size, { timeout: 5000 }).toBe(0);
    // Six writes of two packs each were heard; only the last write's events are kept (of the bodies too).
    expect(packs._changeEventBuffer.getBuffer().map((e) => e.documentId)).toEqual([draft('rb5', 0).id, draft('rb5', 2).id]);
    expect(bodies._changeEventBuffer.getBuffer().map((e) => e.documentId)).toEqual([draft('rb5', 0).id, draft('rb5', 2).id]);
  });

  it('a book stored by the previous version (packs of draft objects, schema 0) keeps every unsubmitted draft', async () => {
    const v0: RxJsonSchema<{ id: string; jobId: string; createdAt: number; drafts: Proposal[] }> = {
      version: 0, primaryKey: 'id', type: 'object', additionalProperties: false, indexes: ['jobId'],
      properties: {
        id: { type: 'string', maxLength: 100 }, jobId: { type: 'string', maxLength: 40 },
        createdAt: { type: 'integer', minimum: 0, maximum: 8.64e15, multipleOf: 1 },
        drafts: { type: 'array', items: { type: 'object', properties: proposalSchema.properties, required: proposalSchema.required as string[] } },
      },
      required: ['id', 'jobId', 'createdAt', 'drafts'],
    };
    const name = `draft-packs-v0-${Date.now()}`;
    const drafts = Array.from({ length: 5 }, (_, k) => draft('rbold', k));
    // Validated: dev mode (on since openTestDb) refuses an unvalidated storage.
    const old = await createRxDatabase({ name, storage: wrappedValidateAjvStorage({ storage: getRxStorageDexie() }), multiInstance: false });
    await old.addCollections({ draftpacks: { schema: v0 } });
    await old.draftpacks.bulkInsert([{ id: drafts[0]!.id, jobId: 'rbold', createdAt: 5, drafts: drafts.slice(0, 3) },
      { id: drafts[3]!.id, jobId: 'rbold', createdAt: 5, drafts: drafts.slice(3) }]);
    await old.close();

    const db = await openBookDb(getRxStorageDexie(), { name, multiInstance: false });
    cleanups.push(() => db.remove());
    const listed: string[] = [];
    await readAllPacks(db, (pack) => listed.push(...pack.listings.map((l) => l.id)));
    expect(listed).toEqual(drafts.map((d) => d.id));
    expect(await countDrafts(db, 'rbold')).toBe(5);
    const back = await readDrafts(db, drafts.map((d) => d.id));
    expect(drafts.map((d) => back.get(d.id))).toEqual(drafts);
    // The packs hold listings only; each pack's drafts are in its body.
    const packs = (await draftPacksOf(db).find().exec()).map((d) => d.toJSON());
    expect(packs.map((p) => Object.keys(p).sort())).toEqual(packs.map(() => ['createdAt', 'id', 'jobId', 'listings']));
    const bodies = await draftBodiesOf(db).findByIds(packs.map((p) => p.id)).exec();
    expect(packs.flatMap((p) => draftsOfBody(bodies.get(p.id)!))).toEqual(drafts);
  });
});
