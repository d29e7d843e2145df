// A rebalance worker saving draft packs and their bodies into the book's Dexie storage (fake-indexeddb, the app's
// layout) through storage instances of its own: the UI's RxDB collections read the same documents as their own
// bulkInsert would store; the UI hears each pack write as change events (the multi-instance broadcast that brings
// rows to the review grid) and never a body write (the full drafts stay out of the UI thread); an id that is
// already taken is refused without overwriting what is stored.
import 'fake-indexeddb/auto';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { Proposal } from '@aw/domain';
import type { ChunkProposal } from '@aw/engine/workers';
import { openBookDb, type BookDatabase } from '../db/book-db.ts';
import { DRAFT_BODIES, DRAFT_PACKS, draftBodiesOf, draftPacksOf, draftsOfBody, insertPackedDrafts, packDrafts, type DraftBody, type DraftPack } from '../db/draft-packs.ts';
import { draftsOf, openDocWriter, ProposalSaveError, type StoreRef } from './rebalance-save.ts';

const storage = () => getRxStorageDexie({ indexedDB, IDBKeyRange });
let n = 0;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => { for (const c of cleanups.splice(0)) await c(); });

const computed = (k: number, trades: number): ChunkProposal => ({
  teamId: 'north', householdId: `h${k}`, accountId: `a${k}`, modelId: 'm1', reason: 'Drift outside bands.', accountRevision: 3,
  trades: Array.from({ length: trades }, (_, i) => ({ symbol: 'AAPL', side: i % 2 ? 'sell' as const : 'buy' as const, quantity: 2, price: 101.25,
    amountCents: 20250, lotIds: i % 2 ? ['l1'] : [], estGainCents: i % 2 ? 1234 : 0, reason: 'Underweight.' })),
  driftBefore: 0.12, driftAfter: 0.01, buyCents: 20250, sellCents: 0, estGainCents: 1234, estTaxCents: 185, warnings: k % 2 ? ['Held away.'] : [],
}) as ChunkProposal;

const packStore = (db: BookDatabase): StoreRef<DraftPack> => ({ databaseName: db.name, collectionName: DRAFT_PACKS, schema: draftPacksOf(db).schema.jsonSchema });
const bodyStore = (db: BookDatabase): StoreRef<DraftBody> => ({ databaseName: db.name, collectionName: DRAFT_BODIES, schema: draftBodiesOf(db).schema.jsonSchema });

describe('drafts saved by a rebalance worker', () => {
  it('stores what RxDB stores; the UI\'s collection hears every pack and no body', async () => {
    const db = await openBookDb(storage(), { name: `save-test-${Date.now()}-${n++}`, multiInstance: true });
    cleanups.push(() => db.remove());
    const heard: string[] = [];
    const heardBodies: string[] = [];
    const subs = [draftPacksOf(db).eventBulks$.subscribe((b) => { for (const e of b.events) if (e.operation === 'INSERT') heard.push(e.documentId); }),
      draftBodiesOf(db).eventBulks$.subscribe((b) => { for (const e of b.events) heardBodies.push(e.documentId); })];
    cleanups.unshift(async () => { for (const s of subs) s.unsubscribe(); });

    // Accounts without trades get no draft.
    const drafts = draftsOf([computed(1, 2), computed(2, 0), computed(3, 1), computed(4, 3), computed(5, 1)], 'rbjob', 'u-alice', 1_800_000_000_000);
    expect(drafts.map((d) => d.id)).toEqual(['rbjob-a1', 'rbjob-a3', 'rbjob-a4', 'rbjob-a5']);
    const { packs, bodies } = packDrafts(drafts, 'rbjob', 1_800_000_000_000, 3);
    expect(bodies.map((b) => [b.id, draftsOfBody(b).map((d) => d.id)])).toEqual([['rbjob-a1', ['rbjob-a1', 'rbjob-a3', 'rbjob-a4']], ['rbjob-a5', ['rbjob-a5']]]);
    // As the worker saves: bodies unheard, then packs.
    const bodyWriter = await openDocWriter(storage(), bodyStore(db), false);
    const packWriter = await openDocWriter(storage(), packStore(db));
    cleanups.unshift(() => bodyWriter.close(), () => packWriter.close());
    await bodyWriter.insert(bodies);
    await packWriter.insert(packs);

    // The same documents the UI thread's own bulkInserts store (a second copy under other ids, for comparison).
    const ui = (id: string) => `ui-${id}`;
    await insertPackedDrafts(db, { packs: packs.map((p) => ({ ...p, id: ui(p.id) })), bodies: bodies.map((b) => ({ ...b, id: ui(b.id) })) });
    const storedPacks = new Map((await draftPacksOf(db).find().exec()).map((d) => [d.primary, d.toJSON() as DraftPack]));
    const storedBodies = new Map((await draftBodiesOf(db).find().exec()).map((d) => [d.primary, d.toJSON() as DraftBody]));
    for (const [i, p] of packs.entries()) {
      expect(storedPacks.get(p.id)).toEqual(p);
      expect({ ...storedPacks.get(ui(p.id))!, id: p.id }).toEqual(storedPacks.get(p.id));
      expect(storedBodies.get(p.id)).toEqual(bodies[i]);
      expect({ ...storedBodies.get(ui(p.id))!, id: p.id }).toEqual(storedBodies.get(p.id));
      expect(draftsOfBody(storedBodies.get(p.id)!).every((d: Proposal) => d.status === 'draft')).toBe(true);
    }
    for (const c of [draftPacksOf(db), draftBodiesOf(db)] as const) {
      const raw = await c.internalStorageInstance.findDocumentsById(packs.map((p) => p.id), false);
      expect(raw.length).toBe(packs.length);
      expect(raw.every((r) => r._rev.startsWith('1-') && r._meta.lwt > 0 && r._deleted === false)).toBe(true);
    }

    await expect.poll(() => heard.filter((id) => id.startsWith('rbjob-')).sort(), { timeout: 5000 }).toEqual(packs.map((p) => p.id).sort());
    // The UI's own body writes are heard (its own instance); the worker's never are.
    await expect.poll(() => heardBodies.length, { timeout: 5000 }).toBe(bodies.length);
    expect(heardBodies.sort()).toEqual(bodies.map((b) => ui(b.id)).sort());
  });

  it('refuses an id already stored and leaves the stored draft as it was', async () => {
    const db = await openBookDb(storage(), { name: `save-test-${Date.now()}-${n++}`, multiInstance: false });
    cleanups.push(() => db.remove());
    const { bodies: [first] } = packDrafts(draftsOf([computed(1, 1)], 'rbjob', 'u-alice', 1), 'rbjob', 1, 100);
    const writer = await openDocWriter(storage(), bodyStore(db), false);
    cleanups.unshift(() => writer.close());
    await writer.insert([first!]);
    const other = { ...first!, draftsJson: JSON.stringify(draftsOfBody(first!).map((d) => ({ ...d, reason: 'other' }))) };
    await expect(writer.insert([other])).rejects.toThrow(ProposalSaveError);
    await expect(writer.insert([other])).rejects.toThrow(/409 \(rbjob-a1 exists\)/);
    expect(draftsOfBody((await draftBodiesOf(db).findOne('rbjob-a1').exec())!)[0]?.reason).toBe('Drift outside bands.');
  });
});
