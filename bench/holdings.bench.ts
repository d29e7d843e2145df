// `npm run bench -- holdings [--smoke] [--runs N] [--path idb|rx] [--attribute] [--keep DIR]`: opening a 500-holding account
// the way the holdings view does, in Debian Chromium on real IndexedDB: `loadHoldingsData` — the account's lots
// (from the book's lot packs: one IndexedDB record per account plus RxDB's lot changes since the packs were built,
// db/holdings-packs.ts; the indexed RxDB query when packs cannot answer), and the security and latest-price rows
// of its symbols from the app's in-memory cache, misses read in one batched IndexedDB lookup (`--path rx`: all as
// uncached RxDB queries, no packs, for comparison) — then the valuation client's `valueHoldings` — on the UI
// thread for views up to UI_THREAD_MAX_LOTS lots (this one: 1,000), on the warm dedicated Comlink worker above
// that (see apps/desktop/src/renderer/workers/valuation-client.ts). The warm-worker valuation of the same data is
// timed too, for comparison. The book is the demo book (seed 42, 25 households) plus 1 + warmup + runs + probes
// accounts each holding all 500 securities (two lots each, bought at generated closes; 1,000 lots per account,
// 221,000 in all at full size; lot ids `<accountId>-l<n>` like the demo generator's). After seeding, the packs are
// built by one pass over the whole book (as the app does in the background from its first holdings open;
// packsBuildS). Every timed open (p50Ms/p95Ms) is of an account not opened before, so its lots are read from
// IndexedDB (nothing from RxDB's query cache or any in-memory cache of lots); the account, security and
// latest-price rows come from the app's in-memory cache (db/holdings-cache.ts), filled by the start-up warming. reopenP50Ms/reopenP95Ms: re-opening one account; firstOpenMs: the very first open (cold
// code and caches); stepsP50Ms: each read alone on fresh accounts (lots from the packs, lots by RxDB query;
// security and latest-price reads by IndexedDB, uncached). `--attribute`: instead of the runs, times the lots
// read of fresh accounts by RxDB query, RxDB storage query, raw IndexedDB cursor / getAll / getAllKeys, and packs.
// Before the timed opens the app's start-up warming runs (`warmHoldingsReads`: lot packs opened and caught up with
// the lot changes, every account row, security row and latest close cached; warmMs). openStepsP50Ms/openStepsP95Ms: the steps of each timed open (lotsMs: the
// lots read, of which packsMs the packs' transaction, changesMs the change-log catch-up when one was needed,
// mergeMs decoding and merging; accountsMs: the account rows, side by side with the lots; refsMs: the security
// and price rows; valueMs: the valuation). `--keep DIR`: the browser profile lives in DIR and a later run with the
// same DIR and sizes reuses the book written there (for quick iterations; seedS is then the first run's).
// Note: every bench account holds the same 500 symbols, which flatters `--path rx` (its one price query is then
// the same each run and RxDB's query cache answers it). p50/p95 over 200 runs (smoke: 20).
// Last stdout line: {"bench":"holdings","holdings":500,"p50Ms":..,"p95Ms":..,"reopenP95Ms":..}.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { mulToCents, type Account, type TaxLot } from '@aw/domain';
import { generateBook } from '@aw/demo';
import { demoService } from '../apps/desktop/src/renderer/workers/demo-service.ts';
import { serveRenderer } from '../apps/desktop/src/main/renderer-server.ts';
import { chromiumArgs, chromiumPath } from '../apps/desktop/src/main/web-chromium.ts';

const { values } = parseArgs({ options: { smoke: { type: 'boolean', default: false }, runs: { type: 'string' }, path: { type: 'string', default: 'idb' }, attribute: { type: 'boolean', default: false }, keep: { type: 'string' } } });
const runs = Number(values.runs ?? (values.smoke ? 20 : 200));
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
const path = values.path === 'rx' ? 'rx' : values.path === 'idb' ? 'idb' : null;
if (!path) throw new Error(`--path must be idb or rx, got ${values.path}`);
const warmup = Math.min(10, runs);
const HOLDINGS = 500;
const SEED = 42;
const log = (m: string) => process.stderr.write(`${m}\n`);
const repoRoot = resolve(import.meta.dirname, '..');

function benchBook() {
  const payload = demoService.generateDemoBook(25, SEED);
  const market = generateBook({ households: 1, seed: SEED, history: false }).prices; // same market for the seed
  const household = payload.households[0]!;
  const account: Account = { ...payload.accounts.find((a) => a.householdId === household.id)!, id: 'bench-500', name: 'Bench 500' };
  const D = market.dates.length;
  const S = market.symbols.length;
  const lots: TaxLot[] = [];
  for (let s = 0; s < Math.min(HOLDINGS, S); s++) {
    for (const d of [(s * 37) % (D - 300), (s * 91 + 500) % (D - 30)]) {
      let day = d;
      while (day < D - 1 && !Number.isFinite(market.closes[day * S + s]!)) day++; // later listings start later
      const close = market.closes[day * S + s]!;
      const quantity = Math.max(1, Math.round(10_000 / close));
      const acquired = market.dates[day]!;
      lots.push({ id: `${account.id}-l${lots.length}`, teamId: account.teamId, householdId: household.id, accountId: account.id, symbol: market.symbols[s]!,
        quantity, costBasisCents: mulToCents(quantity, close), acquiredDate: acquired, holdingPeriodStart: acquired,
        washSaleAdjustmentCents: 0, updatedAt: 1 });
    }
  }
  return { ...payload, accounts: [...payload.accounts, account], lots: [...payload.lots, ...lots] };
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
const r2 = (x: number) => Math.round(x * 100) / 100;

async function main(): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'aw-bench-holdings-'));
  log('holdings: building the bench page…');
  await build({
    configFile: false, logLevel: 'warn', root: join(repoRoot, 'bench/holdings'),
    worker: { format: 'es' },
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 8192, minify: true },
  });
  const book = benchBook();
  const keep = values.keep ? resolve(values.keep) : null;
  interface Kept { name: string; copies: number; path: string; ids: string[]; packsMs: number; seedS: number; port: number }
  const keptFile = keep ? join(keep, 'holdings-bench.json') : null;
  const kept = keptFile && existsSync(keptFile) ? JSON.parse(readFileSync(keptFile, 'utf8')) as Kept : null;
  // A kept book lives in the page's origin: the same port again.
  const server = await serveRenderer({ root: outDir, serverUrl: 'http://127.0.0.1:9', dataDir: '', version: 'bench', port: kept?.port ?? 0 });
  const launch = {
    executablePath: chromiumPath(), args: chromiumArgs(),
  };
  if (keep) mkdirSync(keep, { recursive: true });
  const browser = keep ? null : await chromium.launch(launch);
  const context = keep ? await chromium.launchPersistentContext(join(keep, 'profile'), launch) : await browser!.newContext();
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'log') log(`page: ${m.text()}`); });
    await page.goto(server.url);
    await page.waitForFunction(() => document.title === 'holdings bench ready');
    const probes = Math.min(10, runs);
    const copies = 1 + warmup + runs + probes; // the last `probes`: for the one-by-one read timings
    let ids: string[], packsMs: number, seedS: number, warmMs: number;
    if (keep && kept && kept.copies === copies && kept.path === path) {
      log(`holdings: reusing the book kept in ${keep}…`);
      ({ ids, packsMs, seedS } = kept);
      ({ warmMs } = await page.evaluate(([pth, name]) => (window as any).bench.reopen(pth, name), [path, kept.name] as const) as { warmMs: number });
    } else {
      log(`holdings: writing the book to IndexedDB (${book.lots.length} lots, then ${copies - 1} more 500-holding accounts)…`);
      const name = `bench-${Date.now()}`;
      const s0 = performance.now();
      ({ ids, packsMs, warmMs } = await page.evaluate(([b, c, pth, n]) => (window as any).bench.setup(b, 'bench-500', c, pth, n), [book, copies, path, name] as const) as { ids: string[]; packsMs: number; warmMs: number });
      seedS = (performance.now() - s0) / 1000;
      if (keptFile) writeFileSync(keptFile, JSON.stringify({ name, copies, path: path!, ids, packsMs, seedS, port: Number(new URL(server.url).port) } satisfies Kept));
    }
    log(`holdings: seeded in ${seedS.toFixed(1)} s (lot packs built in ${(packsMs / 1000).toFixed(1)} s, start-up warming ${warmMs.toFixed(0)} ms); ${runs} runs (${path})…`);
    if (values.attribute) {
      const a = await page.evaluate((i) => (window as any).bench.attribute(i), ids.slice(1 + warmup)) as Record<string, number[]>;
      for (const [k, xs] of Object.entries(a)) console.log(`${k.padEnd(24)} n=${xs.length} p50 ${r2(pct(xs, 50))} p95 ${r2(pct(xs, 95))} min ${r2(Math.min(...xs))}`);
      console.log(JSON.stringify({ bench: 'holdings', mode: 'attribute', ...Object.fromEntries(Object.entries(a).map(([k, xs]) => [k, r2(pct(xs, 50))])), loadAvg1m: r2(loadavg()[0]!) }));
      return;
    }
    const uiThreadMaxLots = await page.evaluate(() => (window as any).bench.uiThreadMaxLots) as number;
    const { first, runs: timings } = await page.evaluate(([i, n, w]) => (window as any).bench.run(i, n, w), [ids, runs, warmup] as const) as {
      first: { totalMs: number; readMs: number };
      runs: { totalMs: number; readMs: number; valueMs: number; computeMs: number; lots: number; holdings: number; marketValueCents: number;
        workerValueMs: number; workerComputeMs: number; workerMarketValueCents: number; reopenMs: number; reopenReadMs: number; steps: Record<string, number> }[];
    };
    const stepRuns: Record<string, number>[] = [];
    for (let i = 0; i < probes; i++) {
      stepRuns.push(await page.evaluate((id) => (window as any).bench.steps(id), ids[copies - probes + i]!));
    }
    const stepP50 = Object.fromEntries(Object.keys(stepRuns[0]!).map((k) => [k, r2(pct(stepRuns.map((r) => r[k]!), 50))]));
    const { holdings, lots } = timings[0]!;
    if (holdings !== HOLDINGS) throw new Error(`expected ${HOLDINGS} holdings, valued ${holdings}`);
    if (new Set(timings.map((t) => t.marketValueCents)).size !== 1) throw new Error('runs disagree on the market value');
    if (timings.some((t) => t.workerMarketValueCents !== t.marketValueCents)) throw new Error('the UI-thread and the warm-worker valuations disagree');
    const col = (k: keyof (typeof timings)[number]) => timings.map((t) => t[k] as number);
    const p = (k: keyof (typeof timings)[number], q: number) => r2(pct(col(k), q));
    const valuedOn = lots <= uiThreadMaxLots ? 'ui-thread' : 'worker';
    // Per-step percentiles of the timed opens (a step absent in a run, e.g. a skipped catch-up, counts as 0).
    const stepNames = [...new Set(timings.flatMap((t) => Object.keys(t.steps))), 'valueMs'];
    const stepCol = (k: string) => timings.map((t) => (k === 'valueMs' ? t.valueMs : t.steps[k] ?? 0));
    const openStepsP50Ms = Object.fromEntries(stepNames.map((k) => [k, r2(pct(stepCol(k), 50))]));
    const openStepsP95Ms = Object.fromEntries(stepNames.map((k) => [k, r2(pct(stepCol(k), 95))]));
    const slowest = [...timings].sort((a, b) => b.totalMs - a.totalMs).slice(0, 3)
      .map((t) => `${r2(t.totalMs)} ms = read ${r2(t.readMs)} (${stepNames.filter((k) => k !== 'valueMs').map((k) => `${k.replace(/Ms$/, '')} ${r2(t.steps[k] ?? 0)}`).join(', ')}) + value ${r2(t.valueMs)}`);
    const rows = [
      ['step', 'p50 ms', 'p95 ms'],
      ['read (lots query + batched prices)', p('readMs', 50), p('readMs', 95)],
      [`valuation (${valuedOn === 'ui-thread' ? 'UI thread' : 'warm worker'})`, p('valueMs', 50), p('valueMs', 95)],
      ['  of which computing', p('computeMs', 50), p('computeMs', 95)],
      ['total (each run a different account)', p('totalMs', 50), p('totalMs', 95)],
      ['re-opening one account', p('reopenMs', 50), p('reopenMs', 95)],
      ['  of which reading', p('reopenReadMs', 50), p('reopenReadMs', 95)],
      ['for comparison: warm worker call', p('workerValueMs', 50), p('workerValueMs', 95)],
      ['  of which computing in the worker', p('workerComputeMs', 50), p('workerComputeMs', 95)],
    ];
    console.log(`holdings bench: ${holdings} holdings, ${lots} lots (UI thread up to ${uiThreadMaxLots}), ${runs} runs over ${runs} unopened accounts `
      + `(${copies} accounts, ${copies * lots} bench lots), Chromium + IndexedDB (Dexie), read path ${path}`);
    for (const r of rows) console.log(`${String(r[0]).padEnd(38)}${String(r[1]).padStart(10)}${String(r[2]).padStart(10)}`);
    console.log(`steps of each open (read's own steps side by side: lots ‖ accounts, then refs, then value), p50 / p95 ms:`);
    for (const k of stepNames) console.log(`  ${k.padEnd(36)}${String(openStepsP50Ms[k]).padStart(10)}${String(openStepsP95Ms[k]).padStart(10)}`);
    console.log(`slowest opens:\n  ${slowest.join('\n  ')}`);
    console.log(`first open (cold code): ${r2(first.totalMs)} ms, of which read ${r2(first.readMs)} ms`);
    console.log(`reads one by one, uncached, fresh accounts, p50 ms: ${JSON.stringify(stepP50)}`);
    console.log(`lot packs built (whole book, one pass) in ${r2(packsMs / 1000)} s`);
    const p95 = p('totalMs', 95);
    console.log(`target p95 < 20 ms: ${p95 < 20 ? 'met' : 'MISSED'}`);
    console.log(JSON.stringify({ bench: 'holdings', holdings, lots, runs, accounts: copies, path, p50Ms: p('totalMs', 50), p95Ms: p95,
      reopenP50Ms: p('reopenMs', 50), reopenP95Ms: p('reopenMs', 95),
      readP50Ms: p('readMs', 50), readP95Ms: p('readMs', 95), valueP50Ms: p('valueMs', 50), valueP95Ms: p('valueMs', 95),
      computeP50Ms: p('computeMs', 50), valuedOn, workerValueP50Ms: p('workerValueMs', 50), workerValueP95Ms: p('workerValueMs', 95),
      firstOpenMs: r2(first.totalMs), openStepsP50Ms, openStepsP95Ms, stepsP50Ms: stepP50, seedS: r2(seedS), packsBuildS: r2(packsMs / 1000),
      warmMs: r2(warmMs), loadAvg1m: r2(loadavg()[0]!) }));
  } finally {
    await context.close();
    await browser?.close();
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  log(`holdings: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
