// `npm run bench -- rebalance [--households N] [--workers N] [--chunk N] [--smoke]`
// Bulk rebalance of the demo book (default 25,000 households ≈ 100,000 accounts, ~4M lots; --smoke: 250) through
// the engine's worker pool on Node worker_threads (concurrency = os.availableParallelism(), chunks of 1,000
// accounts that never split a household). Timed from the book in memory to all proposals produced; the book's
// generation is timed apart. Chunks are packed on the main thread (lots as typed-array columns, transferred) while
// the workers compute. Then the single-account latency (p50/p95/p99) of rebalanceAccount in a fresh worker that
// holds only the sampled households, as the desktop runs "rebalance this account".
// Last stdout line: {"bench":"rebalance","accounts","lots","seconds","accountsPerSec","singleAccountP95Ms",...}.
import { availableParallelism, loadavg } from 'node:os';
import { generateBook, latestCloses } from '@aw/demo';
import type { TaxLot } from '@aw/domain';
import { chunkByGroup, packChunk, runJob, type RebalanceJobContext } from '@aw/engine/workers';
import { createNodeRebalancePool, measureLatencyInWorker } from './rebalance/node-pool.ts';

const SEED = 20261120;
const argv = process.argv.slice(2);
const log = (m: string): void => { process.stderr.write(`[rebalance bench] ${m}\n`); };
function num(flag: string, fallback: number): number {
  const i = argv.indexOf(flag);
  if (i < 0) return fallback;
  const v = Number(argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) { process.stderr.write(`${flag} needs a positive integer\n`); process.exit(2); }
  return v;
}
const smoke = argv.includes('--smoke');
const households = num('--households', smoke ? 250 : 25_000);
const workers = num('--workers', availableParallelism());
const chunkSize = num('--chunk', 1000);
const latencySamples = num('--samples', smoke ? 200 : 2000);
const mb = (): number => Math.round(process.memoryUsage().rss / 2 ** 20);

// 1. The book (not timed in the result).
let t = performance.now();
const book = generateBook({ households, seed: SEED, history: false });
const generateSec = (performance.now() - t) / 1000;
log(`generated ${book.households.length} households, ${book.accounts.length} accounts, ${book.lots.length} lots in ${generateSec.toFixed(1)} s (rss ${mb()} MB)`);
const asOf = book.prices.dates[book.prices.dates.length - 1]!;
const closes = latestCloses(book.prices);
const fxCloses = latestCloses(book.fx);
const context: RebalanceJobContext = {
  asOf, securities: book.securities, models: book.models,
  priceSymbols: [...closes.keys()], prices: Float64Array.from(closes.values()),
  fx: [...fxCloses].map(([pair, rate]) => [pair.slice(0, 3), rate] as [string, number]),
  options: { minTradeCents: 100_00, gainsBudgetCents: 25_000_00 },
};

// 2. The bulk run: index lots by account, chunk by household, pack + post, collect.
const pool = createNodeRebalancePool(context, workers);
await Promise.all(Array.from({ length: workers }, () => pool.run({ chunk: { households: [], accounts: [], symbols: [], lots: packChunk([], [], () => []).chunk.lots }, transfer: [] })));
log(`${workers} workers ready`);
t = performance.now();
const cpu0 = process.cpuUsage();
const lotRange = new Map<string, [number, number]>();
{
  const lots = book.lots;
  let s = 0;
  for (let i = 1; i <= lots.length; i++) {
    if (i === lots.length || lots[i]!.accountId !== lots[s]!.accountId) { lotRange.set(lots[s]!.accountId, [s, i]); s = i; }
  }
}
const lotsOf = (id: string): TaxLot[] => { const r = lotRange.get(id); return r ? book.lots.slice(r[0], r[1]) : []; };
const bracket = new Map(book.households.map((h) => [h.id, h.taxBracket]));
const ranges = chunkByGroup(book.accounts.map((a) => a.householdId), chunkSize);
const indexMs = performance.now() - t;
let packMs = 0, computeMs = 0, proposals = 0, withTrades = 0, trades = 0, lotsDone = 0, buyCents = 0, sellCents = 0, warned = 0;
let lastLog = 0;
const summary = await runJob({
  chunks: ranges, sizeOf: (r) => r.end - r.start, concurrency: workers,
  execute: (r) => {
    const p0 = performance.now();
    const accounts = book.accounts.slice(r.start, r.end);
    const hh = [...new Set(accounts.map((a) => a.householdId))].map((id) => ({ id, taxBracket: bracket.get(id)! }));
    const task = packChunk(hh, accounts, lotsOf);
    packMs += performance.now() - p0;
    return pool.run(task);
  },
  onResult: ({ out, computeMs: ms }, _i, progress) => {
    computeMs += ms;
    proposals += out.proposals.length;
    lotsDone += out.lots;
    trades += out.trades;
    for (const p of out.proposals) {
      if (p.trades.length) withTrades++;
      if (p.warnings.length) warned++;
      buyCents += p.buyCents;
      sellCents += p.sellCents;
    }
    if (progress.elapsedMs - lastLog > 2000 || progress.chunksDone === progress.chunksTotal) {
      lastLog = progress.elapsedMs;
      log(`${progress.itemsDone}/${progress.itemsTotal} accounts, ${(progress.elapsedMs / 1000).toFixed(1)} s, eta ${(progress.etaMs / 1000).toFixed(1)} s (rss ${mb()} MB)`);
    }
  },
});
const seconds = (performance.now() - t) / 1000;
const cpuUsed = process.cpuUsage(cpu0);
const cpuSec = (cpuUsed.user + cpuUsed.system) / 1e6;
await pool.terminate();
if (proposals !== book.accounts.length) throw new Error(`expected ${book.accounts.length} proposals, got ${proposals}`);

// 3. Single-account latency: rebalanceAccount in a fresh worker that holds the sampled households (as the
// desktop's worker does for "rebalance this account"), wall-clock per call after a warm-up.
const step = Math.max(1, Math.floor(book.accounts.length / latencySamples));
const sample = book.accounts.filter((_, i) => i % step === 0).slice(0, latencySamples);
const sampleHouseholds = new Set(sample.map((a) => a.householdId));
const sampleAccounts = book.accounts.filter((a) => sampleHouseholds.has(a.householdId));
const latencyTask = packChunk([...sampleHouseholds].map((id) => ({ id, taxBracket: bracket.get(id)! })), sampleAccounts, lotsOf);
const lat = (await measureLatencyInWorker(context, latencyTask, sample.map((a) => a.id))).sort((a, b) => a - b);
const pct = (q: number): number => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))]!;

const accountsPerSec = Math.round(book.accounts.length / seconds);
const rows: Array<[string, string]> = [
  ['households', String(book.households.length)], ['accounts', String(book.accounts.length)], ['lots', String(book.lots.length)],
  ['book generation (not timed)', `${generateSec.toFixed(2)} s`], ['workers × chunk size', `${workers} × ${chunkSize} (${ranges.length} chunks)`],
  ['bulk rebalance wall time', `${seconds.toFixed(2)} s`], ['accounts / s', String(accountsPerSec)],
  ['  CPU time, all threads of the process', `${cpuSec.toFixed(1)} s (≈ ${(cpuSec / Math.min(workers, availableParallelism())).toFixed(1)} s wall on ${Math.min(workers, availableParallelism())} idle cores)`],
  ['  machine load average (1 min) at the end', loadavg()[0]!.toFixed(1)],
  ['  index lots + chunk plan (main)', `${indexMs.toFixed(0)} ms`], ['  pack chunks (main)', `${packMs.toFixed(0)} ms`],
  ['  engine compute (sum over workers)', `${computeMs.toFixed(0)} ms`],
  ['proposals / with trades / with warnings', `${proposals} / ${withTrades} / ${warned}`], ['trades', String(trades)],
  ['buys / sells', `$${(buyCents / 100).toFixed(0)} / $${(sellCents / 100).toFixed(0)}`],
  ['single account p50 / p95 / p99 / max', `${pct(0.5).toFixed(2)} / ${pct(0.95).toFixed(2)} / ${pct(0.99).toFixed(2)} / ${lat[lat.length - 1]!.toFixed(2)} ms (${lat.length} accounts, in a worker)`],
  ['rss at the end', `${mb()} MB`],
];
const w = Math.max(...rows.map((r) => r[0].length));
console.log(`rebalance bench${smoke ? ' (smoke)' : ''}`);
for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
console.log(JSON.stringify({
  bench: 'rebalance', accounts: book.accounts.length, lots: lotsDone, seconds: Number(seconds.toFixed(3)), accountsPerSec,
  singleAccountP95Ms: Number(pct(0.95).toFixed(3)), singleAccountP50Ms: Number(pct(0.5).toFixed(3)), singleAccountP99Ms: Number(pct(0.99).toFixed(3)), households: book.households.length,
  workers, chunks: summary.chunksTotal, generateSec: Number(generateSec.toFixed(2)), packMs: Math.round(packMs), workerComputeMs: Math.round(computeMs),
  trades, proposalsWithTrades: withTrades, cpuSec: Number(cpuSec.toFixed(2)), loadAvg1m: Number(loadavg()[0]!.toFixed(2)),
}));
