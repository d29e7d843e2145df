// A rebalance worker saving draft packs into the book's Dexie storage (fake-indexeddb, the app's layout) through a
// storage instance of its own: the UI's RxDB collection reads the same documents as its own bulkInsert would store,
// hears each write as change events (the multi-instance broadcast that brings rows to the review grid), and an id
// that is already taken is refused without overwriting what is stored.
import 'fake-indexeddb/auto';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { Proposal } from '@aw/domain';
import type { ChunkProposal } from '@aw/engine/workers';
import { openBookDb, type BookDatabase } from '../db/book-db.ts';
import { DRAFT_PACKS, draftPacksOf, draftsOfPack, packDrafts, type DraftPack } from '../db/draft-packs.ts';
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

describe('drafts saved by a rebalance worker', () => {
  it('stores what RxDB stores, and the UI\'s collection hears every one', async () => {
    const db = await openBookDb(storage(), { name: `save-test-${Date.now()}-${n++}`, multiInstance: true });
    cleanups.push(() => db.remove());
    const heard: string[] = [];
    const sub = draftPacksOf(db).eventBulks$.subscribe((b) => { for (const e of b.events) if (e.operation === 'INSERT') heard.push(e.documentId); });
    cleanups.unshift(async () => sub.unsubscribe());

    // Accounts without trades get no draft.
    const drafts = draftsOf([computed(1, 2), computed(2, 0), computed(3, 1), computed(4, 3), computed(5, 1)], 'rbjob', 'u-alice', 1_800_000_000_000);
    expect(drafts.map((d) => d.id)).toEqual(['rbjob-a1', 'rbjob-a3', 'rbjob-a4', 'rbjob-a5']);
    const packs = packDrafts(drafts, 'rbjob', 1_800_000_000_000, 3);
    expect(packs.map((p) => [p.id, draftsOfPack(p).map((d) => d.id)])).toEqual([['rbjob-a1', ['rbjob-a1', 'rbjob-a3', 'rbjob-a4']], ['rbjob-a5', ['rbjob-a5']]]);
    const writer = await openDocWriter(storage(), packStore(db));
    cleanups.unshift(() => writer.close());
    await writer.insert(packs);

    // The same documents the UI thread's own bulkInsert stores (a second copy under other ids, for comparison).
    await draftPacksOf(db).bulkInsert(packs.map((p) => ({ ...p, id: `ui-${p.id}` })));
    const stored = new Map((await draftPacksOf(db).find().exec()).map((d) => [d.primary, d.toJSON() as DraftPack]));
    for (const p of packs) {
      expect(stored.get(p.id)).toEqual(p);
      expect({ ...stored.get(`ui-${p.id}`)!, id: p.id }).toEqual(stored.get(p.id));
      expect(draftsOfPack(stored.get(p.id)!).every((d: Proposal) => d.status === 'draft')).toBe(true);
    }
    const raw = await draftPacksOf(db).internalStorageInstance.findDocumentsById(packs.map((p) => p.id), false);
    expect(raw.every((r) => r._rev.startsWith('1-') && r._meta.lwt > 0 && r._deleted === false)).toBe(true);

    await expect.poll(() => heard.filter((id) => id.startsWith('rbjob-')).sort(), { timeout: 5000 }).toEqual(packs.map((p) => p.id).sort());
  });

  it('refuses an id already stored and leaves the stored draft as it was', async () => {
    const db = await openBookDb(storage(), { name: `save-test-${Date.now()}-${n++}`, multiInstance: false });
    cleanups.push(() => db.remove());
    const [first] = packDrafts(draftsOf([computed(1, 1)], 'rbjob', 'u-alice', 1), 'rbjob', 1, 100);
    const writer = await openDocWriter(storage(), packStore(db));
    cleanups.unshift(() => writer.close());
    await writer.insert([first!]);
    const other = { ...first!, draftsJson: JSON.stringify(draftsOfPack(first!).map((d) => ({ ...d, reason: 'other' }))) };
    await expect(writer.insert([other])).rejects.toThrow(ProposalSaveError);
    await expect(writer.insert([other])).rejects.toThrow(/409 \(rbjob-a1 exists\)/);
    expect(draftsOfPack((await draftPacksOf(db).findOne('rbjob-a1').exec())!)[0]?.reason).toBe('Drift outside bands.');
  });
});
