// Market price hub benchmark (issue 5). Everything on 127.0.0.1, the server in its own process, clients and the
// provider in other processes:
//   1. max ingest: one provider pushes acknowledged batches as fast as the server takes them, no clients;
//   2. delivery: `clients` stream connections × `symbols-per-client` symbols over a universe of `universe`,
//      `ticks-per-sec` through the ws ingest endpoint for `warmup-seconds` + `seconds`; latency = receipt − tick time
//      over the last `seconds`. Server RSS: a forced GC after the max-ingest run (its garbage is not the delivery
//      run's), then samples every 500 ms over the measured window only (after the warm-up); baseline = the median
//      sample; rssDriftPct = the largest deviation of any sample from it ("flat within ±10%"), rssSpreadPct =
//      (max − min) / min. CPU: server, client processes and feeder share the machine's cores with whatever else
//      runs; the table splits the machine's busy time (from /proc/stat) between them and "others";
//   3. idle: a fresh server, `idle-connections` authenticated connections each subscribed to 50 symbols; server
//      memory per connection = (RSS after − RSS before) / connections, both after a GC;
//   4. hub CPU: the server's ingest → cache → hub → message path in one process on a virtual clock
//      (prices/hub-cpu.ts), same clients × symbols and tick rate: CPU per second of load, no sockets, no scheduler;
//      the ingest worker thread's share (parsing, storage bars) is timed apart from the main thread's.
// Scheduling: in production the clients are other machines; here they and the feeder share the server's cores. So
// the client processes and (in the delivery phase) the feeder run at a lower priority (niceness --client-nice, default 10, via
// os.setPriority): when both cores are wanted, the server's threads run first, and a client reads a frame after
// the server is done with its burst. A receipt is still timed when the client's socket read fires (before parsing),
// so any wait of a client process for a core counts in the delivery latency; --client-nice 0 gives everyone equal
// priority. The latency split (ingest parsed → handed to the hub → frame written → client receipt, per percentile),
// the server's CPU by thread and the event-loop delay of the server and of the client processes show where the
// time goes.
// Options: --clients N --symbols-per-client K --universe U --ticks-per-sec R --seconds S --max-ingest-seconds S
//          --idle-connections N --warmup-seconds S --client-nice N --profile-dir DIR (server CPU profiles) --gc-log FILE
//          --ingest-worker (parse ws ingest on the server's ingest worker thread, not its main thread) --smoke.
//          --gc-log FILE appends the server's --trace-gc lines (with GC reasons); env AW_BENCH_SERVER_FLAGS adds node
//          flags to the server process (e.g. --trace-pretenuring).
// Progress on stderr, a table and the JSON line on stdout.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, setPriority } from 'node:os';
import { generateMarket } from '@aw/demo';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const smoke = argv.includes('--smoke');
const num = (name: string, full: number, small: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : smoke ? small : full;
};
const cfg = {
  clients: num('clients', 1000, 20),
  symbolsPerClient: num('symbols-per-client', 50, 50),
  universe: num('universe', 5000, 500),
  ticksPerSec: num('ticks-per-sec', 50_000, 2_000),
  seconds: num('seconds', 30, 2),
  maxIngestSeconds: num('max-ingest-seconds', 10, 2),
  idleConnections: num('idle-connections', 10_000, 200),
  warmupSeconds: num('warmup-seconds', 5, 1),
  /** Niceness of the client processes and the feeder (0 = same priority as the server). */
  clientNice: num('client-nice', 10, 10),
  seed: 7,
  /** Writes a V8 CPU profile of each server process into this folder (node --cpu-prof). */
  profileDir: (() => { const i = argv.indexOf('--profile-dir'); return i >= 0 ? argv[i + 1] : ''; })(),
  /** Appends the server's --trace-gc lines (with their reasons) to this file. */
  gcLog: (() => { const i = argv.indexOf('--gc-log'); return i >= 0 ? argv[i + 1] : ''; })(),
  /** Parse ws ingest on the server's main thread instead of its ingest worker (to compare). */
  ingestWorker: argv.includes('--ingest-worker'),
};
const log = (msg: string) => process.stderr.write(`[prices] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});
process.on('unhandledRejection', (err) => {
  log(`failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
process.on('uncaughtException', (err) => {
  log(`failed: ${err.stack ?? err.message}`);
  process.exit(1);
});

/** One GC of the server (from --trace-gc): when (ms since the process started), kind, pause in ms. */
interface GcEvent { at: number; kind: 'scavenge' | 'mark'; pauseMs: number }
interface ServerProc { url: string; pid: number; tokens: { alice: string; feed: string }; child: ChildProcess; gc: GcEvent[] }
const GC_LINE = /^\[\d+:0x[0-9a-f]+\]\s+(\d+) ms: (Scavenge|Mark-Compact|Mark-sweep)[^,]*, ([\d.]+) \/ ([\d.]+) ms/;

async function startServer(): Promise<ServerProc> {
  // Same V8 flags as `npm run server` and the desktop's server process (32 MB young generation: flat RSS).
  const cmd = `ulimit -n 65536 2>/dev/null || ulimit -n 20000 2>/dev/null; exec "${process.execPath}" --expose-gc --max-semi-space-size=32 --trace-gc${process.env.AW_BENCH_SERVER_FLAGS ? ` ${process.env.AW_BENCH_SERVER_FLAGS}` : ''}${cfg.profileDir ? ` --cpu-prof --cpu-prof-dir "${cfg.profileDir}"` : ''} --import tsx "${join(here, 'prices', 'server.ts')}" --universe ${cfg.universe} --seed ${cfg.seed}${cfg.ingestWorker ? ' --ingest-worker' : ''}`;
  const child = spawn('bash', ['-c', cmd], { stdio: ['ignore', 'pipe', 'inherit'], cwd: join(here, '..') });
  children.add(child);
  const rl = createInterface({ input: child.stdout! });
  // Stdout carries the server's GC log (--trace-gc, one line per collection) and, once, its ready line (JSON).
  const gc: GcEvent[] = [];
  const line = await new Promise<string>((resolve, reject) => {
    rl.on('line', (l) => {
      if (cfg.gcLog) appendFileSync(cfg.gcLog, `${l}\n`);
      const m = GC_LINE.exec(l);
      if (m) gc.push({ at: Number(m[1]), kind: m[2] === 'Scavenge' ? 'scavenge' : 'mark', pauseMs: Number(m[3]) });
      else if (l.startsWith('{')) resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`bench server exited early (${code})`)));
  });
  return { ...JSON.parse(line), child, gc };
}

async function stopServer(s: ServerProc) {
  s.child.kill('SIGTERM');
  await new Promise((r) => s.child.once('exit', r));
}

/** The server's memory and counters; retried because a loaded server may reset a reused keep-alive socket. */
async function stats(s: ServerProc, gc = false, resetLoop = false, extra = ''): Promise<Record<string, any>> {
  const q = [gc ? 'gc=1' : '', resetLoop ? 'resetLoop=1&resetLatency=1' : '', extra].filter(Boolean).join('&');
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await fetch(`${s.url}/bench/stats${q ? `?${q}` : ''}`, { headers: { connection: 'close' } });
      return (await r.json()) as Record<string, any>;
    } catch (err) {
      if (attempt >= 5) throw err;
      await sleep(200 * attempt);
    }
  }
}

/** Measuring side below the server (see the header): on a shared machine the server's threads get a core first. */
function lowerPriority(child: ChildProcess, what: string): void {
  if (!cfg.clientNice || !child.pid) return;
  try {
    setPriority(child.pid, cfg.clientNice);
  } catch (err) {
    log(`could not lower the priority of ${what}: ${(err as Error).message}`);
  }
}

/** A forked helper process and a way to await its next message matching a key. */
function helper(file: string) {
  const child = fork(join(here, 'prices', file), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  if (file === 'clients.ts') lowerPriority(child, file);
  const queue: any[] = [];
  const waiters: Array<{ key: string; resolve: (m: any) => void }> = [];
  child.on('message', (m: any) => {
    const w = waiters.findIndex((x) => x.key in m);
    if (w >= 0) waiters.splice(w, 1)[0].resolve(m);
    else queue.push(m);
  });
  const next = (key: string): Promise<any> => {
    const i = queue.findIndex((m) => key in m);
    if (i >= 0) return Promise.resolve(queue.splice(i, 1)[0]);
    return new Promise((resolve) => waiters.push({ key, resolve }));
  };
  return { child, next, send: (m: object) => child.send(m) };
}

/** Busy and total CPU time of the whole machine (all cores, /proc/stat jiffies): what every process got. */
function machineCpu(): { busy: number; total: number } {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

/** CPU time (ms) of each thread of a process, summed per thread name (utime + stime from /proc/PID/task/TID/stat). */
function threadCpu(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields 14 and 15 (utime, stime) are the 12th and 13th after the name; clock ticks of 10 ms.
      const ms = (Number(f[11]) + Number(f[12])) * 10;
      const key = tid === String(pid) ? 'main' : name.replace(/\d+$/, '').trim();
      out.set(key, (out.get(key) ?? 0) + ms);
    }
  } catch {
    // Not Linux or the process is gone: no per-thread split.
  }
  return out;
}

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function subscriptions(n: number, universe: string[], k: number, seed: number): string[][] {
  const rand = prng(seed);
  return Array.from({ length: n }, () => {
    const set = new Set<string>();
    while (set.size < Math.min(k, universe.length)) set.add(universe[Math.floor(rand() * universe.length)]);
    return [...set];
  });
}

async function openClients(s: ServerProc, subs: string[][], perProc: number) {
  const procs = [];
  for (let i = 0; i < subs.length; i += perProc) {
    const h = helper('clients.ts');
    await h.next('up');
    h.send({ cmd: 'start', url: s.url, token: s.tokens.alice, subs: subs.slice(i, i + perProc) });
    procs.push(h);
  }
  let ready = 0;
  let failed = 0;
  for (const p of procs) {
    const r = await p.next('ready');
    ready += r.ready;
    failed += r.failed;
    if (r.failed) log(`client process: ${r.failed} connections failed (${r.firstError})`);
  }
  return { procs, ready, failed };
}

const percentile = (hist: Map<number, number>, q: number): number => {
  const total = [...hist.values()].reduce((a, b) => a + b, 0);
  if (!total) return NaN;
  let seen = 0;
  for (const ms of [...hist.keys()].sort((a, b) => a - b)) {
    seen += hist.get(ms)!;
    if (seen >= q * total) return ms;
  }
  return NaN;
};

const symbols = generateMarket({ seed: cfg.seed, securities: cfg.universe, years: 1 }).securities.map((s) => s.symbol);
log(`universe ${symbols.length} symbols; config ${JSON.stringify(cfg)}`);

// 1 + 2: one server for max ingest, then delivery.
const server = await startServer();
const feeder = helper('feeder.ts');
await feeder.next('up');
log(`max ingest for ${cfg.maxIngestSeconds} s, no clients`);
const before = await stats(server);
feeder.send({ cmd: 'run', url: server.url, token: server.tokens.feed, symbols, mode: 'max', ticksPerSec: 0, seconds: cfg.maxIngestSeconds, batch: 5000, inflight: 4 });
const maxRun = await feeder.next('sent');
const afterMax = await stats(server);
const maxIngestTicksPerSec = Math.round(maxRun.accepted / maxRun.seconds);
const cpuSec = (a: Record<string, any>, b: Record<string, any>) => (b.cpu.user + b.cpu.system - a.cpu.user - a.cpu.system) / 1e6;
const maxIngestServerCpuPct = Math.round((cpuSec(before, afterMax) / maxRun.seconds) * 100);
// Ticks per second of server CPU (all its threads, SQLite included): the capacity when the server owns a core,
// independent of how much of the shared machine the server process was given during the run.
const maxIngestTicksPerCpuSec = Math.round((afterMax.pipeline.accepted - before.pipeline.accepted) / Math.max(1e-6, cpuSec(before, afterMax)));
log(`max ingest: ${maxRun.accepted} ticks accepted in ${maxRun.seconds.toFixed(1)} s = ${maxIngestTicksPerSec}/s (server counted ${afterMax.pipeline.accepted - before.pipeline.accepted}, server CPU ${maxIngestServerCpuPct}%)`);

// The max-ingest run leaves garbage (parsed batches, flush strings) that V8 would free during the delivery run and
// read as an RSS drop: collect it before the delivery phase starts.
await stats(server, true);
log(`opening ${cfg.clients} stream clients × ${cfg.symbolsPerClient} symbols`);
const subs = subscriptions(cfg.clients, symbols, cfg.symbolsPerClient, cfg.seed);
// Two client processes at most (500 connections each at the default size): every process wakes up for its own
// sockets, so fewer processes on the two shared cores mean fewer wake-ups and less scheduler contention with the
// server (a receipt measured late because its process waited for a core reads as delivery latency).
const perProc = Math.max(1, Math.ceil(cfg.clients / Math.min(2, Math.ceil(cfg.clients / 200))));
const delivery = await openClients(server, subs, perProc);
log(`${delivery.ready} clients ready in ${delivery.procs.length} processes; streaming ${cfg.ticksPerSec} ticks/s for ${cfg.warmupSeconds}+${cfg.seconds} s`);
// The feeder too, for the delivery phase only (the max-ingest phase measures the server at full speed).
lowerPriority(feeder.child, 'the feeder');
feeder.send({ cmd: 'run', url: server.url, token: server.tokens.feed, symbols, mode: 'paced', ticksPerSec: cfg.ticksPerSec, seconds: cfg.warmupSeconds + cfg.seconds, batch: 0, inflight: 0 });
await sleep(cfg.warmupSeconds * 1000);
for (const p of delivery.procs) p.send({ cmd: 'measure' });
for (const p of delivery.procs) await p.next('measuring');
// RSS is sampled every 500 ms over the measured window only: the warm-up (clients connected, stream running for
// warmupSeconds) is when the heap grows to its working size, so its samples are not the steady state.
const rssSamples: number[] = [];
const heapSamples: number[] = [];
const hubBefore = await stats(server, false, true);
const machineBefore = machineCpu();
const threadsBefore = threadCpu(server.pid);
const measureStart = performance.now();
const sampler = setInterval(() => void stats(server).then((s) => {
  rssSamples.push(s.rss);
  heapSamples.push(s.heapUsed);
}, (e: Error) => log(`RSS sample failed: ${e.message}`)), 500);
const paced = await feeder.next('sent');
clearInterval(sampler);
const measuredSec = (performance.now() - measureStart) / 1000;
const machineAfter = machineCpu();
const threadsAfter = threadCpu(server.pid);
// Server CPU by thread over the measured window, in % of one core: the main thread (JS, socket writes) against
// libuv's pool (SQLite flushes) and V8's helpers (GC, compiler).
const serverThreadsPct = Object.fromEntries([...threadsAfter].map(([k, ms]) => [k, Math.round(((ms - (threadsBefore.get(k) ?? 0)) / 1000 / ((performance.now() - measureStart) / 1000)) * 100)]).filter(([, v]) => (v as number) > 0));
const hubAfter = await stats(server, false, false, 'latency=1');
await sleep(300);
const hist = new Map<number, number>();
const freshHist = new Map<number, number>();
let delivered = 0;
let messages = 0;
let clientCpuSec = 0;
let clientLoopP99Ms = 0;
let clientLoopMaxMs = 0;
for (const p of delivery.procs) {
  p.send({ cmd: 'report' });
  const r = await p.next('hist');
  for (const [ms, n] of r.hist as Array<[number, number]>) hist.set(ms, (hist.get(ms) ?? 0) + n);
  for (const [ms, n] of r.fresh as Array<[number, number]>) freshHist.set(ms, (freshHist.get(ms) ?? 0) + n);
  delivered += r.ticks;
  messages += r.messages;
  clientCpuSec += r.cpuSec;
  clientLoopP99Ms = Math.max(clientLoopP99Ms, r.loop.p99Ms);
  clientLoopMaxMs = Math.max(clientLoopMaxMs, r.loop.maxMs);
}
// Where the delivery latency accrues (per tick, wall time − tick time): ingest message parsed, handed to the hub,
// its message handed to the socket, client receipt; per message (newest tick): at the write and at the client.
const toMap = (pairs: Array<[number, number]>) => new Map(pairs);
const stages: Array<[string, Map<number, number>]> = [
  ['ingest parsed (per tick)', toMap(hubAfter.latency.ingested)],
  ['handed to hub (per tick)', toMap(hubAfter.latency.published)],
  ['frame written (per tick)', toMap(hubAfter.latency.written)],
  ['client receipt (per tick)', hist],
  ['frame written (newest tick per message)', toMap(hubAfter.latency.writtenNewest)],
  ['client receipt (newest tick per message)', freshHist],
];
const QS = [0.5, 0.9, 0.99, 0.999];
const split = stages.map(([name, h]) => [name, ...QS.map((q) => percentile(h, q))] as const);
for (const p of delivery.procs) p.send({ cmd: 'exit' });
// Server GCs during the measured window (--trace-gc; times are ms since the server started, like uptimeMs).
const gcs = server.gc.filter((g) => g.at >= hubBefore.uptimeMs && g.at <= hubAfter.uptimeMs);
const serverIngested = (hubAfter.pipeline.accepted - hubBefore.pipeline.accepted) / measuredSec;
const rssMb = rssSamples.map((r) => r / 2 ** 20);
const rssFirst = rssMb[0] ?? NaN;
const rssLast = rssMb.at(-1) ?? NaN;
// "Flat within ±10%": every steady-state sample within ±rssDriftPct of the baseline, the median sample.
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const rssBaselineMb = median(rssMb);
const rssDriftPct = (Math.max(...rssMb.map((r) => Math.abs(r - rssBaselineMb))) / rssBaselineMb) * 100;
const rssSpreadPct = ((Math.max(...rssMb) - Math.min(...rssMb)) / Math.min(...rssMb)) * 100;
const heapMb = heapSamples.map((r) => r / 2 ** 20);
const serverCpuSec = cpuSec(hubBefore, hubAfter);
const deliveryServerCpuPct = Math.round((serverCpuSec / measuredSec) * 100);
// The kernel's share (socket writes and everything they trigger on loopback, incl. waking the reader).
const deliveryServerSysCpuPct = Math.round(((hubAfter.cpu.system - hubBefore.cpu.system) / 1e6 / measuredSec) * 100);
const cores = cpus().length;
// Whole machine during the measured window (all processes, other users' included), in % of one core.
const machineBusyPct = Math.round(((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * cores * 100);
const clientsCpuPct = Math.round((clientCpuSec / measuredSec) * 100);
const feederCpuPct = Math.round((paced.cpuSec / paced.seconds) * 100);
const othersCpuPct = Math.max(0, machineBusyPct - deliveryServerCpuPct - clientsCpuPct - feederCpuPct);
log(`delivery: ${delivered} ticks in ${messages} messages; feeder sent ${paced.sent} (max buffered ${paced.maxBuffered} B); server CPU ${deliveryServerCpuPct}%`);
if (paced.errors || paced.closedWith) log(`feeder: ${paced.errors} error messages (${paced.firstError || 'none'}); ingest connection closed during the run: ${paced.closedWith || 'no'}`);
feeder.send({ cmd: 'exit' });

// 4: the server's JavaScript cost of the same load on a virtual clock (no sockets, no scheduler): load-independent.
// It runs alongside phase 3 (it measures CPU time, not wall time) to keep the bench short.
log(`hub CPU on a virtual clock: ${cfg.clients} connections, ${cfg.ticksPerSec} ticks/s, ${smoke ? 1 : 5} s`);
const hubCpuRun = new Promise<{ ticks: number; messages: number; cpuSec: number; parseCpuSec: number; virtualSec: number }>((resolve, reject) => {
  const args = JSON.stringify({ clients: cfg.clients, symbolsPerClient: cfg.symbolsPerClient, universe: cfg.universe, ticksPerSec: cfg.ticksPerSec, seconds: smoke ? 1 : 5, windowMs: 50 });
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'prices', 'hub-cpu.ts'), args], { stdio: ['ignore', 'pipe', 'inherit'], cwd: join(here, '..') });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`hub-cpu exited with ${code}`))));
});
// 3: idle connections, on a fresh server (the smoke size reuses the first one to stay short).
if (!smoke) await stopServer(server);
const idleServer = smoke ? server : await startServer();
await sleep(smoke ? 300 : 2000);
const idleBefore = await stats(idleServer, true);
log(`opening ${cfg.idleConnections} idle connections × 50 symbols`);
const idle = await openClients(idleServer, subscriptions(cfg.idleConnections, symbols, 50, cfg.seed + 1), 2500);
await sleep(2000);
const idleAfter = await stats(idleServer, true);
const bytesPerIdleConnection = Math.round((idleAfter.rss - idleBefore.rss) / Math.max(1, idle.ready));
const heapPerIdleConnection = Math.round((idleAfter.heapUsed - idleBefore.heapUsed) / Math.max(1, idle.ready));
for (const p of idle.procs) p.send({ cmd: 'exit' });
await stopServer(idleServer);

const hubCpu = await hubCpuRun;
const hubCpuPct = Math.round((hubCpu.cpuSec / hubCpu.virtualSec) * 1000) / 10;
const hubWorkerCpuPct = Math.round((hubCpu.parseCpuSec / hubCpu.virtualSec) * 1000) / 10;

const result = {
  bench: 'prices',
  clients: delivery.ready,
  symbolsPerClient: cfg.symbolsPerClient,
  universe: symbols.length,
  ticksPerSec: Math.round(serverIngested),
  targetTicksPerSec: cfg.ticksPerSec,
  seconds: cfg.seconds,
  ingestInWorker: cfg.ingestWorker,
  maxIngestTicksPerSec,
  maxIngestServerCpuPct,
  maxIngestTicksPerCpuSec,
  deliveryP50Ms: percentile(hist, 0.5),
  deliveryP99Ms: percentile(hist, 0.99),
  deliveryMaxMs: Math.max(...hist.keys()),
  // Per message, receipt − its newest tick's time: the feeder → server → client path without the window wait.
  pathP50Ms: percentile(freshHist, 0.5),
  pathP99Ms: percentile(freshHist, 0.99),
  deliveredTicksPerSec: Math.round(delivered / measuredSec),
  messagesPerSec: Math.round(messages / measuredSec),
  deliveryServerCpuPct,
  deliveryServerSysCpuPct,
  clientNice: cfg.clientNice,
  clientsCpuPct,
  // Client processes' CPU per received message (µs): what the measuring side costs the shared cores.
  clientCpuUsPerMessage: Math.round((clientCpuSec / Math.max(1, messages)) * 1e7) / 10,
  feederCpuPct,
  machineBusyPct,
  othersCpuPct,
  cores,
  loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
  // CPU-normalized: what one server CPU-second delivers (comparable between a loaded and a quiet machine).
  deliveredTicksPerServerCpuSec: Math.round(delivered / Math.max(1e-6, serverCpuSec)),
  messagesPerServerCpuSec: Math.round(messages / Math.max(1e-6, serverCpuSec)),
  serverGcPerSec: Math.round((gcs.length / measuredSec) * 10) / 10,
  serverGcPauseMaxMs: Math.round(Math.max(0, ...gcs.map((g) => g.pauseMs)) * 10) / 10,
  serverGcPausePct: Math.round((gcs.reduce((a, g) => a + g.pauseMs, 0) / (measuredSec * 1000)) * 1000) / 10,
  serverMarkCompacts: gcs.filter((g) => g.kind === 'mark').length,
  serverLoopDelayP99Ms: Math.round(hubAfter.loop.p99Ms * 10) / 10,
  serverLoopDelayMaxMs: Math.round(hubAfter.loop.maxMs * 10) / 10,
  serverMainThreadCpuPct: serverThreadsPct.main ?? NaN,
  serverThreadsCpuPct: serverThreadsPct,
  clientLoopDelayP99Ms: Math.round(clientLoopP99Ms * 10) / 10,
  clientLoopDelayMaxMs: Math.round(clientLoopMaxMs * 10) / 10,
  // Latency split, p99 per tick (ms since the tick's time): ingest parsed, handed to the hub, frame written.
  ingestP99Ms: split[0][3],
  hubP99Ms: split[1][3],
  writtenP50Ms: split[2][1],
  writtenP99Ms: split[2][3],
  writtenPathP99Ms: split[4][3],
  // Phase 4: CPU of the ingest → cache → hub → message path per second of load, in % of one core (JS only).
  hubCpuPct,
  hubCpuUsPerTick: Math.round((hubCpu.cpuSec / Math.max(1, hubCpu.ticks)) * 1e7) / 10,
  // The ingest worker thread's share of the same load (parsing, storage bars), off the main thread.
  hubWorkerCpuPct,
  hubMessagesPerSec: Math.round(hubCpu.messages / hubCpu.virtualSec),
  superseded: hubAfter.hub.ticksSuperseded - hubBefore.hub.ticksSuperseded,
  backpressureSkips: hubAfter.hub.backpressureSkips - hubBefore.hub.backpressureSkips,
  serverRssMb: Math.round(rssLast),
  serverRssStartMb: Math.round(rssFirst),
  serverRssBaselineMb: Math.round(rssBaselineMb),
  serverRssMinMb: Math.round(Math.min(...rssMb)),
  serverRssMaxMb: Math.round(Math.max(...rssMb)),
  rssDriftPct: Math.round(rssDriftPct * 10) / 10,
  rssSpreadPct: Math.round(rssSpreadPct * 10) / 10,
  heapMinMb: Math.round(Math.min(...heapMb)),
  heapMaxMb: Math.round(Math.max(...heapMb)),
  rssSamples: rssMb.length,
  idleConnections: idle.ready,
  bytesPerIdleConnection,
  heapBytesPerIdleConnection: heapPerIdleConnection,
};

const rows: Array<[string, string, string]> = [
  ['max ingest (no clients)', `${maxIngestTicksPerSec.toLocaleString('en-US')} ticks/s (server CPU ${maxIngestServerCpuPct}%)`, '≥ 250,000'],
  ['ingest per server CPU second', `${maxIngestTicksPerCpuSec.toLocaleString('en-US')} ticks`, ''],
  ['ingest during delivery', `${result.ticksPerSec.toLocaleString('en-US')} ticks/s (server CPU ${deliveryServerCpuPct}%)`, `${cfg.ticksPerSec.toLocaleString('en-US')} offered`],
  ['clients × symbols', `${result.clients} × ${cfg.symbolsPerClient}`, `${cfg.clients} × ${cfg.symbolsPerClient}`],
  ['delivery p50 / p99 / max', `${result.deliveryP50Ms} / ${result.deliveryP99Ms} / ${result.deliveryMaxMs} ms`, 'p99 < 100 ms'],
  ['path delay p50 / p99 (newest tick of each message)', `${result.pathP50Ms} / ${result.pathP99Ms} ms`, 'no window wait'],
  ['delivered', `${result.deliveredTicksPerSec.toLocaleString('en-US')} ticks/s in ${result.messagesPerSec.toLocaleString('en-US')} msgs/s`, ''],
  ['delivered per server CPU second', `${result.deliveredTicksPerServerCpuSec.toLocaleString('en-US')} ticks in ${result.messagesPerServerCpuSec.toLocaleString('en-US')} msgs`, ''],
  ['server GC (measured window)', `${result.serverGcPerSec}/s, longest pause ${result.serverGcPauseMaxMs} ms, ${result.serverGcPausePct}% of the time, ${result.serverMarkCompacts} mark-compacts`, ''],
  ['server event-loop delay p99 / max', `${result.serverLoopDelayP99Ms} / ${result.serverLoopDelayMaxMs} ms`, ''],
  [`CPU (${cores} cores = ${cores * 100}%)`, `server ${deliveryServerCpuPct}% + ${delivery.procs.length} client procs (nice ${cfg.clientNice}) ${clientsCpuPct}% (${result.clientCpuUsPerMessage} µs/msg) + feeder ${feederCpuPct}% + others ${othersCpuPct}% = ${machineBusyPct}%`, `load avg ${result.loadAverage1m}`],
  ['server RSS over the measured window', `median ${result.serverRssBaselineMb} MB, min ${result.serverRssMinMb}, max ${result.serverRssMaxMb} (${rssMb.length} samples)`, ''],
  ['server RSS drift from the median', `±${result.rssDriftPct}% (spread ${result.rssSpreadPct}%; heap ${result.heapMinMb}–${result.heapMaxMb} MB)`, '±10%'],
  ['server JS on a virtual clock (phase 4)', `main thread ${hubCpuPct}% + ingest worker ${hubWorkerCpuPct}% of a core at ${cfg.ticksPerSec.toLocaleString('en-US')} ticks/s (${result.hubCpuUsPerTick} µs/tick, ${result.hubMessagesPerSec.toLocaleString('en-US')} msgs/s)`, 'no sockets'],
  ['idle connections', `${result.idleConnections}`, `${cfg.idleConnections}`],
  ['memory per idle connection', `${(bytesPerIdleConnection / 1024).toFixed(1)} KB RSS (${(heapPerIdleConnection / 1024).toFixed(1)} KB heap)`, '< 20 KB'],
];
const w0 = Math.max(...rows.map((r) => r[0].length));
const w1 = Math.max(...rows.map((r) => r[1].length));
console.log(`${'measure'.padEnd(w0)}  ${'result'.padEnd(w1)}  target`);
for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
console.log('');
const sw = Math.max(...split.map((r) => r[0].length));
console.log(`${'latency since tick time (ms)'.padEnd(sw)}  ${QS.map((q) => `p${q * 100}`.padStart(6)).join('')}`);
for (const [name, ...v] of split) console.log(`${name.padEnd(sw)}  ${v.map((x) => String(x).padStart(6)).join('')}`);
console.log(`server CPU by thread (% of a core; system time ${deliveryServerSysCpuPct}% of the ${deliveryServerCpuPct}%): ${Object.entries(serverThreadsPct).map(([k, v]) => `${k} ${v}`).join(', ')}`);
console.log(`event-loop delay p99 / max: server ${result.serverLoopDelayP99Ms} / ${result.serverLoopDelayMaxMs} ms, client processes ${result.clientLoopDelayP99Ms} / ${result.clientLoopDelayMaxMs} ms`);
console.log(JSON.stringify(result));
process.exit(0);
