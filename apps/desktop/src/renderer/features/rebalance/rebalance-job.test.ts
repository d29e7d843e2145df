// The bulk job end to end on a real RxDB book (memory storage, schema-validated writes) with the real rebalance
// service behind real Comlink MessageChannels standing in for Web Workers (reading the lots from and saving the
// drafts to the same memory storage, as the app's workers do in IndexedDB): chunking, drafts saved in packs (one
// write per chunk), drafts with the author, the same proposals whoever reads the lots and saves them, rows streamed
// into the store from RxDB's change events, cancel, and the bulk submit (drafts become proposal documents).
import * as Comlink from 'comlink';
import type { RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import type { Proposal } from '@aw/domain';
import { writeBook } from '../../db/seed.ts';
import type { BookDatabase } from '../../db/book-db.ts';
import { DRAFT_PACKS, draftBodiesOf, draftPacksOf, draftsOfBody, readAllPacks, type DraftPack } from '../../db/draft-packs.ts';
import { createAppStore, type AppStore } from '../../stores/app-store.ts';
import { openTestDb, smallBook } from '../../test-support.ts';
import { createRebalanceRunner, type RebalanceRunner } from '../../workers/rebalance-client.ts';
import type { UserActivity } from '../../app/user-activity.ts';
import { createRebalanceService } from '../../workers/rebalance-service.ts';
import { createRebalanceController } from './rebalance-controller.ts';
import { jobContext, proposalStoreOf, runBulkRebalance, selectAccounts } from './rebalance-job.ts';

/** A write of draft packs: how many packs and how many drafts in them. */
interface PackWrite { packs: number; drafts: number }
const packWrite = (packs: readonly DraftPack[]): PackWrite => ({ packs: packs.length, drafts: packs.reduce((n, p) => n + p.listings.length, 0) });

/** Memory storage whose draft pack writes are recorded in `writes`, and which refuses writes of proposals. */
function recordingStorage(writes: PackWrite[]): RxStorage<any, any> {
  const base = getRxStorageMemory();
  return {
    ...base,
    async createStorageInstance(params) {
      const instance = await base.createStorageInstance(params);
      if (params.collectionName === 'proposals') instance.bulkWrite = () => { throw new Error('a worker wrote proposals'); };
      if (params.collectionName !== DRAFT_PACKS) return instance;
      const bulkWrite = instance.bulkWrite.bind(instance);
      instance.bulkWrite = (rows, context) => { writes.push(packWrite(rows.map((r) => r.document as unknown as DraftPack))); return bulkWrite(rows, context); };
      return instance;
    },
  };
}

/** Every draft the book's packs list, read from their bodies (each pack has its body, listing the same drafts). */
async function storedDrafts(db: BookDatabase): Promise<Proposal[]> {
  const packs: DraftPack[] = [];
  await readAllPacks(db, (pack) => packs.push(pack));
  const bodies = await draftBodiesOf(db).findByIds(packs.map((p) => p.id)).exec();
  return packs.flatMap((p) => {
    const drafts = draftsOfBody(bodies.get(p.id)!);
    expect(drafts.map((d) => d.id)).toEqual(p.listings.map((l) => l.id));
    return drafts;
  });
}

/**
 * `writes`: the workers' writes of draft packs; `userActivity`: whom the workers yield to (none by default in Node);
 * `restRatio`: their rest per ms of chunk while the user is busy.
 */
function inProcessRunner(size = 2, writes: PackWrite[] = [], userActivity?: () => UserActivity, restRatio?: number): RebalanceRunner {
  return createRebalanceRunner({
    size,
    userActivity,
    restRatio,
    createWorker: () => {
      const { port1, port2 } = new MessageChannel();
      Comlink.expose(createRebalanceService({ storage: () => recordingStorage(writes) }), port2);
      return Object.assign(port1, { terminate: () => { port1.close(); port2.close(); } }) as unknown as Worker;
    },
  });
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => { for (const c of cleanups.splice(0)) await c(); });

async function setup(households = 12, multiInstance = true): Promise<{ db: BookDatabase; store: AppStore; book: ReturnType<typeof smallBook> }> {
  const db = await openTestDb({ multiInstance });
  const book = smallBook(households);
  await writeBook(db, book);
  cleanups.push(async () => { await db.remove(); });
  const store = createAppStore();
  store.getState().setHouseholds(book.households);
  store.getState().setAccounts(book.accounts);
  store.getState().setModels(book.models);
  return { db, store, book };
}


/** A book, a runner and the drafts' writes: by the workers (`workerWrites`) and on the UI thread (`uiWrites`). */
async function recorded(households = 12, multiInstance = true) {
  const { db, store, book } = await setup(households, multiInstance);
  const workerWrites: PackWrite[] = [];
  const runner = inProcessRunner(2, workerWrites);
  cleanups.unshift(() => runner.terminate());
  const uiWrites: PackWrite[] = [];
  const packs = draftPacksOf(db);
  const original = packs.bulkInsert.bind(packs);
  packs.bulkInsert = ((docs: DraftPack[]) => { uiWrites.push(packWrite(docs)); return original(docs); }) as typeof packs.bulkInsert;
  return { db, store, book, runner, workerWrites, uiWrites };
}

describe('bulk rebalance job', () => {
  it('rebalances every selected account in chunks, the workers saving the drafts in packs, one write per chunk', async () => {
    const { db, store, book, runner, workerWrites: writes, uiWrites } = await recorded();

    const result = await runBulkRebalance({ db, store, runner, chunkAccounts: 10, now: () => 1_800_000_000_000 }, { kind: 'drifted' }, new AbortController().signal);
    expect(result.status).toBe('done');
    const job = store.getState().rebalance.job;
    expect(job.status).toBe('done');
    expect(job.accountsDone).toBe(book.accounts.filter((a) => a.modelId).length);
    expect(job.chunksTotal).toBeGreaterThan(2);
    const stored = await storedDrafts(db);
    expect(stored.length).toBe(result.proposals);
    expect(stored.length).toBeGreaterThan(0);
    expect(await db.proposals.count().exec()).toBe(0);
    // One bulk write per chunk that produced proposals, never one per account, and none on the UI thread; a chunk
    // of 10 accounts fits one pack of the default size.
    expect(writes.length).toBeLessThanOrEqual(job.chunksTotal);
    expect(writes.every((w) => w.packs === 1)).toBe(true);
    expect(writes.reduce((a, b) => a + b.drafts, 0)).toBe(stored.length);
    expect(uiWrites).toEqual([]);
    expect(stored.every((p) => p.createdAt === 1_800_000_000_000 && p.id.startsWith('rb'))).toBe(true);
    for (const p of stored) {
      expect(p.status).toBe('draft');
      expect(p.authorId).toBe('u-alice');
      expect(p.trades.length).toBeGreaterThan(0);
      expect(p.trades.every((t) => t.reason.length > 0)).toBe(true);
      expect(p.buyCents).toBe(p.trades.filter((t) => t.side === 'buy').reduce((s, t) => s + t.amountCents, 0));
    }
  });

  it('gives the same trades for the same book (deterministic), whatever the chunk size', async () => {
    const { db, store } = await setup(6);
    const runner = inProcessRunner(2);
    cleanups.unshift(() => runner.terminate());
    let t = 1_800_000_000_000;
    await runBulkRebalance({ db, store, runner, chunkAccounts: 4, now: () => t }, { kind: 'drifted' }, new AbortController().signal);
    t += 1000;
    await runBulkRebalance({ db, store, runner, chunkAccounts: 1000, now: () => t }, { kind: 'drifted' }, new AbortController().signal);
    const docs = await storedDrafts(db);
    const byRun = new Map<number, Map<string, string>>();
    for (const p of docs) {
      const m = byRun.get(p.createdAt) ?? new Map<string, string>();
      m.set(p.accountId, JSON.stringify(p.trades));
      byRun.set(p.createdAt, m);
    }
    const [a, b] = [...byRun.values()];
    expect(a!.size).toBeGreaterThan(0);
    expect([...a!.entries()].sort()).toEqual([...b!.entries()].sort());
  });

  it('yields to a busy user: each worker rests between its chunks, the job says so, and the proposals are the same', async () => {
    const { db, store } = await setup(8);
    const watching: boolean[] = [];
    const busyUser = (): UserActivity => {
      const i = watching.push(true) - 1;
      return { busy: () => true, stop: () => { watching[i] = false; } };
    };
    const paced = inProcessRunner(1, [], busyUser);
    const free = inProcessRunner(1);
    const unrested = inProcessRunner(1, [], busyUser, 0); // a busy user, but a rest ratio of 0
    cleanups.unshift(() => { paced.terminate(); free.terminate(); unrested.terminate(); });
    const a = await runBulkRebalance({ db, store, runner: paced, chunkAccounts: 4, now: () => 1 }, { kind: 'drifted' }, new AbortController().signal);
    const b = await runBulkRebalance({ db, store, runner: free, chunkAccounts: 4, now: () => 2 }, { kind: 'drifted' }, new AbortController().signal);
    expect(a.status).toBe('done');
    expect(store.getState().rebalance.job.chunksTotal).toBeGreaterThan(2);
    // A rest after every chunk but the first, as long as the chunk ran (under a millisecond each is possible here).
    expect(a.restedMs).toBeGreaterThan(0);
    expect(b.restedMs).toBe(0);
    expect(watching).toEqual([false]); // watched during its job only
    const z = await runBulkRebalance({ db, store, runner: unrested, chunkAccounts: 4, now: () => 4 }, { kind: 'drifted' }, new AbortController().signal);
    expect(z.status).toBe('done');
    expect(z.restedMs).toBe(0);
    expect(watching).toEqual([false, false]);
    expect(store.getState().rebalance.job.message).not.toContain('yielding');
    const docs = await storedDrafts(db);
    const run = (t: number) => docs.filter((p) => p.createdAt === t).map((p) => [p.accountId, JSON.stringify(p.trades)]).sort();
    expect(run(1).length).toBe(a.proposals);
    expect(run(1)).toEqual(run(2));
    // A job that yielded half a second or more says so when done (per worker: 2 workers resting 6.1 s each).
    const rested: RebalanceRunner = { ...free, size: 2, run: async (input) => ({ ...(await free.run(input)), restedMs: 12_200 }) };
    const c = await runBulkRebalance({ db, store, runner: rested, chunkAccounts: 4, now: () => 3 }, { kind: 'drifted' }, new AbortController().signal);
    expect(c.restedMs).toBe(6100);
    expect(store.getState().rebalance.job.message).toMatch(/^\d+ proposals from \d+ accounts in [\d.]+ s, 6\.1 s of it yielding to your scrolling and typing$/);
  });

  it('makes the same proposals whether the workers or the UI thread read the lots and save them, in batches', async () => {
    const { db, store, runner, workerWrites, uiWrites: writes } = await recorded(10);
    const worker = await runBulkRebalance({ db, store, runner, now: () => 1, writeBatch: 3 }, { kind: 'drifted' }, new AbortController().signal);
    const ui = await runBulkRebalance({ db, store, runner, now: () => 2, lotsReadBy: 'ui' }, { kind: 'drifted' }, new AbortController().signal);
    expect(worker.status).toBe('done');
    expect(ui.status).toBe('done');
    expect(worker.proposals).toBeGreaterThan(3);
    // The first job: one chunk saved by its worker in one write of packs of 3 drafts; the second in one write of
    // packs of the default size on the UI thread.
    expect(workerWrites).toEqual([{ packs: Math.ceil(worker.proposals / 3), drafts: worker.proposals }]);
    expect(writes).toEqual([{ packs: 1, drafts: ui.proposals }]);
    const docs = await storedDrafts(db);
    const run = (t: number) => docs.filter((p) => p.createdAt === t).map((p) => [p.accountId, JSON.stringify(p.trades)]).sort();
    expect(run(1).length).toBe(worker.proposals);
    expect(run(1)).toEqual(run(2));
  });

  it('on a book opened for one instance only, the UI thread saves the drafts the workers compute', async () => {
    // The workers' own writes would reach such a database's collection as no change events (no rows in the grid).
    const { db, store, runner, workerWrites, uiWrites: writes } = await recorded(8, false);
    const result = await runBulkRebalance({ db, store, runner, now: () => 5 }, { kind: 'drifted' }, new AbortController().signal);
    expect(result.status).toBe('done');
    expect(result.proposals).toBeGreaterThan(0);
    expect(workerWrites).toEqual([]);
    expect(writes.reduce((a, b) => a + b.drafts, 0)).toBe(result.proposals);
    expect((await storedDrafts(db)).length).toBe(result.proposals);
  });

  it('cancel stops the job and keeps what was saved', async () => {
    const { db, store } = await setup();
    const runner = inProcessRunner(1);
    cleanups.unshift(() => runner.terminate());
    const ctrl = new AbortController();
    const unsub = store.subscribe((s) => { if (s.rebalance.job.chunksDone >= 1) ctrl.abort(); });
    const result = await runBulkRebalance({ db, store, runner, chunkAccounts: 4 }, { kind: 'drifted' }, ctrl.signal);
    unsub();
    expect(result.status).toBe('cancelled');
    expect(store.getState().rebalance.job.status).toBe('cancelled');
    expect(store.getState().rebalance.job.chunksDone).toBeLessThan(store.getState().rebalance.job.chunksTotal);
    expect(result.proposals).toBeGreaterThan(0);
    expect((await storedDrafts(db)).length).toBe(result.proposals);
  });

  it('selects accounts by model, team and name', async () => {
    const { book } = await setup(10);
    const model = book.accounts[0]!.modelId;
    expect(selectAccounts(book.accounts, book.households, { kind: 'model', modelId: model }).every((a) => a.modelId === model)).toBe(true);
    expect(selectAccounts(book.accounts, book.households, { kind: 'team', teamId: 'north' }).every((a) => a.teamId === 'north')).toBe(true);
    const hh = book.households[1]!;
    const byName = selectAccounts(book.accounts, book.households, { kind: 'search', text: hh.name.toUpperCase() });
    expect(byName.length).toBeGreaterThan(0);
    expect(byName.every((a) => a.householdId === hh.id || a.name.toLowerCase().includes(hh.name.toLowerCase()))).toBe(true);
  });

  it('builds the job context from the latest price per symbol', () => {
    const ctx = jobContext([], [
      { id: 'A|2026-01-01', symbol: 'A', date: '2026-01-01', closePrice: 10, kind: 'security', updatedAt: 0 },
      { id: 'A|2026-01-02', symbol: 'A', date: '2026-01-02', closePrice: 11, kind: 'security', updatedAt: 0 },
      { id: 'EURUSD|2026-01-02', symbol: 'EURUSD', date: '2026-01-02', closePrice: 1.1, kind: 'fx', updatedAt: 0 },
      { id: 'USDJPY|2026-01-02', symbol: 'USDJPY', date: '2026-01-02', closePrice: 150, kind: 'fx', updatedAt: 0 },
    ], []);
    expect(ctx.asOf).toBe('2026-01-02');
    expect(ctx.priceSymbols).toEqual(['A']);
    expect([...ctx.prices]).toEqual([11]);
    expect(ctx.fx).toEqual([['EUR', 1.1], ['JPY', 1 / 150]]);
  });
});

describe('review rows and submit (controller)', () => {
  it('streams job rows into the store from RxDB and submits a selection in one bulk write of proposals', async () => {
    const { db, store } = await setup(8);
    const runner = inProcessRunner(2);
    const controller = createRebalanceController({ db, store, runner });
    cleanups.unshift(() => controller.stop());
    await controller.ensureLoaded();
    expect(store.getState().rebalance.rows).toEqual([]);
    const result = await controller.start({ kind: 'drifted' });
    await new Promise((r) => setTimeout(r, 20));
    const rows = store.getState().rebalance.rows;
    expect(rows.length).toBe(result.proposals);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows.every((r) => r.status === 'draft' && r.household !== r.householdId)).toBe(true);

    const upserts: number[] = [];
    const original = db.proposals.bulkUpsert.bind(db.proposals);
    db.proposals.bulkUpsert = ((docs: Proposal[]) => { upserts.push(docs.length); return original(docs); }) as typeof db.proposals.bulkUpsert;
    const pick = rows.slice(0, Math.max(1, Math.floor(rows.length / 2))).map((r) => r.id);
    expect(await controller.submit(pick)).toBe(pick.length);
    expect(upserts).toEqual([pick.length]);
    // The submitted drafts are proposal documents now (what replicates); the others stay in their packs only.
    expect((await db.proposals.find().exec()).map((d) => d.primary).sort()).toEqual([...pick].sort());
    expect((await storedDrafts(db)).length).toBe(rows.length);
    await new Promise((r) => setTimeout(r, 20));
    const after = new Map(store.getState().rebalance.rows.map((r) => [r.id, r.status]));
    for (const id of pick) expect(after.get(id)).toBe('submitted');
    expect([...after.values()].filter((s) => s === 'draft').length).toBe(rows.length - pick.length);
    // Submitting again changes nothing: only drafts are submitted.
    expect(await controller.submit(pick)).toBe(0);
    const p = await controller.proposal(pick[0]!);
    expect(p?.status).toBe('submitted');
    // The trade drawer reads a draft that is in a pack only.
    const draftRow = store.getState().rebalance.rows.find((r) => r.status === 'draft')!;
    const draft = await controller.proposal(draftRow.id);
    expect(draft?.status).toBe('draft');
    expect(draft?.trades.length).toBe(draftRow.trades);
    expect(await controller.proposal('rbnothing-a1')).toBeNull();
  });

  it('a fresh screen reads existing proposals page by page, then the drafts of the packs (a submitted draft once)', async () => {
    const { db, store } = await setup(8);
    const runner = inProcessRunner(2);
    cleanups.unshift(() => runner.terminate());
    const result = await runBulkRebalance({ db, store, runner }, { kind: 'drifted' }, new AbortController().signal);
    const submitted = (await storedDrafts(db)).slice(0, 2).map((d) => ({ ...d, status: 'submitted' as const }));
    await db.proposals.bulkInsert(submitted);
    const store2 = createAppStore();
    store2.setState({ book: store.getState().book });
    const controller = createRebalanceController({ db, store: store2, runner: inProcessRunner(1) });
    cleanups.unshift(() => controller.stop());
    await controller.ensureLoaded();
    const rows = store2.getState().rebalance.rows;
    expect(rows.length).toBe(result.proposals);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows.filter((r) => r.status === 'submitted').map((r) => r.id).sort()).toEqual(submitted.map((d) => d.id).sort());
  });

  it('a worker streams the proposals after a given id in pages, each once and in id order, until aborted', async () => {
    const { db, store } = await setup(8);
    const runner = inProcessRunner(2);
    cleanups.unshift(() => runner.terminate());
    const result = await runBulkRebalance({ db, store, runner }, { kind: 'drifted' }, new AbortController().signal);
    expect(result.proposals).toBeGreaterThan(12);
    await db.proposals.bulkInsert(await storedDrafts(db));
    const ids = (await db.proposals.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => d.primary);
    const ref = proposalStoreOf(db);
    const pages: string[][] = [];
    const n = await runner.readProposals(ref, ids[1]!, (l) => pages.push(l.map((p) => p.id)), { pageSize: 5 });
    expect(n).toBe(ids.length - 2);
    expect(pages.flat()).toEqual(ids.slice(2));
    expect(pages.slice(0, -1).every((p) => p.length === 5)).toBe(true);
    expect(pages.flat().length).toBe(n);

    const ctrl = new AbortController();
    const seen: string[] = [];
    const partial = await runner.readProposals(ref, '', (l) => { seen.push(...l.map((p) => p.id)); ctrl.abort(); }, { pageSize: 5, signal: ctrl.signal });
    expect(partial).toBe(5);
    expect(seen).toEqual(ids.slice(0, 5));
  });
});
