// Browser side of `npm run bench -- ui`: the real review screen (RebalanceScreen, store, controller, Comlink
// rebalance workers) over a real RxDB book in IndexedDB (Dexie). setup() generates the demo book in a worker and
// writes it plus N synthetic proposals (or, in a kept profile that has them, reuses them); mount() renders the
// screen and times the first painted grid row with data and the whole load; scrollOnly(S) scrolls the grid for
// S seconds with no job (the control); bulk() runs a bulk rebalance of every account while scrolling the grid the
// same way. Both watch long tasks with a PerformanceObserver; bulk() also logs the job's phases (status and chunks
// done, with seconds since the start) and every long task. Times in ms (performance.now).
import { createRoot } from 'react-dom/client';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import type { RxCollection, RxStorageInstance } from 'rxdb';
import { bookCollections, type Account, type Household, type Model, type Proposal } from '@aw/domain';
import { openBookDb, type BookDatabase } from '../../apps/desktop/src/renderer/db/book-db.ts';
import { draftBodiesOf, draftPacksOf } from '../../apps/desktop/src/renderer/db/draft-packs.ts';
import type { BookPayload } from '../../apps/desktop/src/renderer/db/book-payload.ts';
import { writeBook } from '../../apps/desktop/src/renderer/db/seed.ts';
import { createAppStore, StoreProvider, type AppStore } from '../../apps/desktop/src/renderer/stores/app-store.ts';
import { createWorkerPool } from '../../apps/desktop/src/renderer/workers/pool.ts';
import { createRebalanceRunner } from '../../apps/desktop/src/renderer/workers/rebalance-client.ts';
import { readAllLive } from '../../apps/desktop/src/renderer/workers/rebalance-idb.ts';
import { proposalReaderOf } from '../../apps/desktop/src/renderer/workers/rebalance-rows.ts';
import type { DemoApi } from '../../apps/desktop/src/renderer/workers/demo-service.ts';
import { RebalanceControllerContext } from '../../apps/desktop/src/renderer/features/rebalance/controller-context.ts';
import { createRebalanceController, type RebalanceController } from '../../apps/desktop/src/renderer/features/rebalance/rebalance-controller.ts';
import { RebalanceScreen } from '../../apps/desktop/src/renderer/features/rebalance/RebalanceScreen.tsx';
import '../../apps/desktop/src/renderer/styles.css';
import '../../apps/desktop/src/renderer/features/rebalance/rebalance.css';

let db: BookDatabase;
let store: AppStore;
let controller: RebalanceController;
let book: BookPayload;

/**
 * What a kept profile (`--keep DIR`) already holds: written after every write of setup() succeeded. `schemas` (the
 * collections' schema versions): a kept book of older versions is written afresh, since opening it would run
 * RxDB's migration of every document (400,000 lots: far slower than writing them).
 */
interface DataMarker { dbName: string; households: number; proposals: number; accounts: number; lots: number; schemas: string }
const MARKER = 'ui-bench-data';
const schemaVersions = () => Object.entries(bookCollections).map(([name, c]) => `${name}@${c.schema.version}`).join(',');

async function setup(households: number, proposals: number, keep: boolean):
  Promise<{ accounts: number; lots: number; proposals: number; reused: boolean; removed: number }> {
  const marker = keep ? JSON.parse(localStorage.getItem(MARKER) ?? 'null') as DataMarker | null : null;
  if (marker && marker.households === households && marker.proposals === proposals && marker.schemas === schemaVersions()) {
    db = await openBookDb(getRxStorageDexie(), { name: marker.dbName });
    // What the screen needs of the book (households, accounts, models), read back in one getAll each.
    const all = async <T,>(c: { internalStorageInstance: RxStorageInstance<any, any, any> }) => {
      const docs = await readAllLive<T>(c.internalStorageInstance);
      if (!docs) throw new Error('the kept profile is not on Dexie');
      return docs;
    };
    const [hh, accounts, models] = await Promise.all([all<Household>(db.households), all<Account>(db.accounts), all<Model>(db.models)]);
    book = { households: hh, accounts, models } as BookPayload;
    // Proposals of earlier bulk runs go, so every run starts from the same N. (Ids of the synthetic proposals are
    // 'old-NNNNNNN', a job's 'rb…': listed after 'old-~' in one IndexedDB getAll; an RxDB query here walks a cursor
    // over every stored proposal.)
    const reader = await proposalReaderOf(db.proposals.internalStorageInstance, db.proposals.schema.jsonSchema);
    const extra = (await reader.page('old-~', 1_000_000)).listings.map((l) => l.id);
    for (let i = 0; i < extra.length; i += 2000) await db.proposals.bulkRemove(extra.slice(i, i + 2000));
    // …and their tombstones too: the review's first load reads the proposals by primary key, tombstones included,
    // so each kept run would add ~10,000 more to read (tens of seconds of IndexedDB work overlapping the next run).
    await db.proposals.internalStorageInstance.cleanup(0);
    // (No RxDB count here: on 100,000 documents it walks a cursor too. The screen's count text checks the rows.)
    if ((await reader.page('old-~', 1)).listings.length > 0) throw new Error('proposals of an earlier run are still in the kept profile');
    // The draft packs of earlier runs go too (a few dozen documents per run), and every body (the bodies of a worker
    // ended mid-chunk have no pack), tombstones included.
    const removeAll = async <T,>(c: RxCollection<T>): Promise<T[]> => {
      const docs = await c.find().exec();
      await c.bulkRemove(docs.map((d) => d.primary));
      await c.internalStorageInstance.cleanup(0);
      return docs.map((d) => d.toJSON() as T);
    };
    const oldDrafts = (await removeAll(draftPacksOf(db))).reduce((n, p) => n + p.listings.length, 0);
    await removeAll(draftBodiesOf(db));
    return { accounts: marker.accounts, lots: marker.lots, proposals: marker.proposals, reused: true, removed: extra.length + oldDrafts };
  }
  const pool = createWorkerPool<DemoApi>(() => new Worker(new URL('../../apps/desktop/src/renderer/workers/demo.worker.ts', import.meta.url), { type: 'module' }), { size: 1 });
  book = await pool.run((api) => api.generateDemoBook(households, 42));
  pool.terminate();
  localStorage.removeItem(MARKER);
  const dbName = `ui-bench-${Date.now()}`;
  db = await openBookDb(getRxStorageDexie(), { name: dbName });
  await writeBook(db, book);
  // Synthetic proposals over the book's accounts (already local when the screen opens).
  const now = Date.now();
  for (let i = 0; i < proposals; i += 5000) {
    const docs: Proposal[] = [];
    for (let k = i; k < Math.min(proposals, i + 5000); k++) {
      const a = book.accounts[k % book.accounts.length]!;
      docs.push({ id: `old-${String(k).padStart(7, '0')}`, teamId: a.teamId, householdId: a.householdId, accountId: a.id, modelId: a.modelId,
        authorId: 'u-alice', status: k % 7 === 0 ? 'submitted' : 'draft', reason: 'Drift outside bands.', accountRevision: 0,
        trades: [{ symbol: 'AAPL', side: 'buy', quantity: 3, price: 100, amountCents: 30000, lotIds: [], estGainCents: 0, reason: 'Underweight.' }],
        driftBefore: (k % 40) / 100, driftAfter: (k % 5) / 100, buyCents: 30000 + k, sellCents: 20000 + k, estGainCents: (k % 11) * 1000 - 5000,
        estTaxCents: (k % 3) * 100, warnings: k % 13 === 0 ? ['Sample warning.'] : [], approverId: '', decidedAt: 0, executedAt: 0, batchId: '',
        createdAt: now, updatedAt: now });
    }
    const res = await db.proposals.bulkInsert(docs);
    if (res.error.length > 0) throw new Error(`could not write ${res.error.length} proposals: ${JSON.stringify(res.error[0]).slice(0, 300)}`);
  }
  const count = await db.proposals.count().exec();
  if (keep) {
    const m: DataMarker = { dbName, households, proposals: count, accounts: book.accounts.length, lots: book.lots.length, schemas: schemaVersions() };
    localStorage.setItem(MARKER, JSON.stringify(m));
  }
  return { accounts: book.accounts.length, lots: book.lots.length, proposals: count, reused: false, removed: 0 };
}

const countText = () => document.querySelector('[data-testid="review-count"]')?.textContent ?? '';

/**
 * Mounts the screen; `workers`: the rebalance pool size (default: the app's); `noYield`: workers never yield to the
 * scrolling; `restRatio`: the workers' rest per ms of chunk while the user scrolls (default: the app's).
 */
async function mount(expected: number, workers?: number, writeBatch?: number, noYield = false, restRatio?: number): Promise<{ firstPaintMs: number; allRowsMs: number }> {
  store = createAppStore();
  store.getState().setHouseholds(book.households);
  store.getState().setAccounts(book.accounts);
  store.getState().setModels(book.models);
  const custom = workers || noYield || restRatio !== undefined;
  controller = createRebalanceController({ db, store, writeBatch, ...(custom
    ? { runner: createRebalanceRunner({ size: workers, restRatio, ...(noYield ? { userActivity: null } : {}) }) } : {}) });
  const t0 = performance.now();
  createRoot(document.getElementById('root')!).render(
    <StoreProvider store={store}>
      <RebalanceControllerContext.Provider value={controller}><RebalanceScreen /></RebalanceControllerContext.Provider>
    </StoreProvider>,
  );
  const firstPaintMs = await new Promise<number>((resolve) => {
    // A row with its data.
    const painted = () => [...document.querySelectorAll('[data-testid="review-grid"] .row-line [col-id="account"]')].some((c) => (c.textContent ?? '').trim() !== '');
    const check = () => (painted() ? resolve(performance.now() - t0) : requestAnimationFrame(check));
    requestAnimationFrame(check);
  });
  await new Promise<void>((resolve) => {
    const want = `${expected.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')}`;
    const check = () => (countText().startsWith(want) ? resolve() : setTimeout(check, 20));
    check();
  });
  return { firstPaintMs, allRowsMs: performance.now() - t0 };
}

/** The review grid's row scroller (grid/line-body.ts). */
const scroller = () => document.querySelector<HTMLElement>('[data-testid="review-grid"] .line-body');

/** A long animation frame (Long Animation Frames API): where its time went, without a trace. */
interface FrameEntry extends PerformanceEntry {
  renderStart: number; styleAndLayoutStart: number; blockingDuration: number;
  scripts: Array<{ invoker: string; invokerType: string; duration: number; forcedStyleAndLayoutDuration: number; sourceFunctionName: string; sourceURL: string }>;
}

/**
 * A long task's frame as a few words: its script time (the heaviest scripts by invoker) and its rendering time
 * (style + layout from styleAndLayoutStart, the rest of the update before it: rAF callbacks and paint prep).
 */
function describeFrame(f: FrameEntry): string {
  const script = f.scripts.reduce((t, s) => t + s.duration, 0);
  const end = f.startTime + f.duration;
  const render = f.renderStart > 0 ? end - f.renderStart : 0;
  const styleLayout = f.styleAndLayoutStart > 0 ? end - f.styleAndLayoutStart : 0;
  const top = [...f.scripts].sort((a, b) => b.duration - a.duration).slice(0, 2)
    .map((s) => `${s.invokerType}:${s.invoker.slice(0, 40)} ${Math.round(s.duration)}`).join('; ');
  return `frame ${Math.round(f.duration)} (script ${Math.round(script)}, render ${Math.round(render)}, style+layout+paint ${Math.round(styleLayout)}${top ? `; ${top}` : ''})`;
}

/** Long tasks (wall time) seen from now until `stop()`, with their start times, and the long animation frames. */
function watchLongTasks(): { stop(): Promise<PerformanceEntry[]>; frames: FrameEntry[] } {
  const tasks: PerformanceEntry[] = [];
  const frames: FrameEntry[] = [];
  const obs = new PerformanceObserver((list) => { tasks.push(...list.getEntries()); });
  obs.observe({ type: 'longtask', buffered: false });
  const frameObs = new PerformanceObserver((list) => { frames.push(...(list.getEntries() as FrameEntry[])); });
  try { frameObs.observe({ type: 'long-animation-frame', buffered: false }); } catch { /* not in this browser */ }
  return {
    frames,
    async stop() {
      await new Promise((r) => setTimeout(r, 200));
      tasks.push(...obs.takeRecords());
      frames.push(...(frameObs.takeRecords() as FrameEntry[]));
      obs.disconnect();
      frameObs.disconnect();
      return tasks;
    },
  };
}

/**
 * Scrolls the grid 600 px every 50 ms (down, then up at the end, …) until `stop()`, which returns the steps; with
 * `byScript` false it does nothing (the bench turns the mouse wheel instead: `--scroll wheel`).
 */
function startScrolling(byScript = true): { stop(): number } {
  if (!byScript) return { stop: () => 0 };
  const el = scroller();
  let scrolls = 0;
  let dir = 1;
  const timer = setInterval(() => {
    if (!el) return;
    if (el.scrollTop + el.clientHeight >= el.scrollHeight - 10) dir = -1; else if (el.scrollTop <= 0) dir = 1;
    el.scrollTop += dir * 600;
    scrolls++;
  }, 50);
  return { stop() { clearInterval(timer); return scrolls; } };
}

const longTaskFigures = (tasks: PerformanceEntry[]) => {
  const durations = tasks.map((e) => e.duration);
  return { longestTaskMs: Math.max(0, ...durations), longTasks: durations.length };
};

/** The control: the same scrolling for `seconds` with no job running (what the grid alone costs on this machine). */
async function scrollOnly(seconds: number, byScript = true): Promise<{ longestTaskMs: number; longTasks: number; scrolls: number }> {
  const watch = watchLongTasks();
  const scrolling = startScrolling(byScript);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const scrolls = scrolling.stop();
  return { ...longTaskFigures(await watch.stop()), scrolls };
}

async function bulk(byScript = true): Promise<{ seconds: number; longestTaskMs: number; longTasks: number; proposals: number; accounts: number;
  status: string; message: string; scrolls: number; phases: string[]; workers: number; restedMs: number; rowLines: number }> {
  const watch = watchLongTasks();
  const scrolling = startScrolling(byScript);
  const t0 = performance.now();
  const phases: string[] = [];
  let lastStatus = '';
  let lastChunks = -1;
  const unsub = store.subscribe((s) => {
    const j = s.rebalance.job;
    if (j.status === lastStatus && j.chunksDone === lastChunks) return;
    lastStatus = j.status;
    lastChunks = j.chunksDone;
    phases.push(`${((performance.now() - t0) / 1000).toFixed(1)} s ${j.status} ${j.chunksDone}/${j.chunksTotal} chunks, ${j.proposalsWritten} proposals`);
  });
  const result = await controller.start({ kind: 'drifted' });
  unsub();
  const seconds = (performance.now() - t0) / 1000;
  const scrolls = scrolling.stop();
  const tasks = await watch.stop();
  // Long tasks per 5 s of the run: where in the job they happen (e.g. the first chunks, or the writes).
  const perSlice: number[] = [];
  for (const { startTime } of tasks) {
    const k = Math.max(0, Math.floor((startTime - t0) / 5000));
    perSlice[k] = (perSlice[k] ?? 0) + 1;
  }
  phases.push(`long tasks (s after the start: ms): ${tasks.map((e) => `${((e.startTime - t0) / 1000).toFixed(2)}: ${Math.round(e.duration)}`).join(', ')}`);
  for (const e of tasks) {
    const f = watch.frames.filter((x) => x.startTime < e.startTime + e.duration && x.startTime + x.duration > e.startTime);
    phases.push(`  ${((e.startTime - t0) / 1000).toFixed(2)} s, ${Math.round(e.duration)} ms: ${f.length ? f.map((x) => `${((x.startTime - t0) / 1000).toFixed(2)} s ${describeFrame(x)}`).join(' | ') : 'no long animation frame'}`);
  }
  phases.push(`long tasks per 5 s: ${Array.from(perSlice, (n) => n ?? 0).join(' ')}; long animation frames: ${watch.frames.length}`);
  return { seconds, ...longTaskFigures(tasks), proposals: result.proposals, accounts: result.accounts, status: result.status, message: result.message,
    scrolls, phases, workers: store.getState().rebalance.job.workers, restedMs: result.restedMs ?? 0,
    rowLines: document.querySelectorAll('[data-testid="review-grid"] .row-line').length };
}

/** Where the mouse goes to turn the wheel over the grid's rows (page pixels). */
function rowsCenter(): { x: number; y: number } | null {
  const r = scroller()?.getBoundingClientRect();
  return r ? { x: r.left + r.width / 2, y: r.top + r.height / 2 } : null;
}

Object.assign(window, { bench: { setup, mount, scrollOnly, bulk, rowsCenter } });
document.title = 'ui bench ready';
