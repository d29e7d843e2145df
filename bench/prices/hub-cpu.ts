// Bench phase 4: the server's own CPU cost of the price path, free of socket and scheduler noise. The real ingest
// pipeline, latest-price cache, stream hub and price store (its SQL calls are no-ops) run in this process on a
// virtual clock (timers, performance.now and Date.now are replaced), fed `ticksPerSec` ticks (a parsed JSON batch
// every 5 ms; parsed and folded into storage bars as the ingest worker does, that CPU reported apart) for `seconds` of virtual time, with `clients` connections × `symbolsPerClient` of `universe` symbols
// whose send takes the message buffer (the hub writes the UTF-8 payload itself). Reports CPU seconds used per virtual
// second (= the share of one core the server's main-thread JavaScript needs at that rate; kernel socket writes come on
// top) and, apart, the CPU of the ingest worker thread's share (parsing, storage bars).
// Usage: node --import tsx hub-cpu.ts '{"clients":1000,...}' → one JSON line on stdout.
import { createIngestPipeline } from '../../sync-server/src/market/ingest-pipeline.ts';
import { createPriceCache } from '../../sync-server/src/market/price-cache.ts';
import { createPriceStore } from '../../sync-server/src/market/price-store.ts';
import { createStreamHub } from '../../sync-server/src/market/stream-hub.ts';
import { createFastIngestParser, createSymbolTable, parseIngest } from '../../sync-server/src/market/ingest-batch.ts';
import { createBarBook } from '../../sync-server/src/market/bar-book.ts';
import type { SqlDb } from '../../sync-server/src/context.ts';
import type { Logger } from 'pino';

interface Cfg { clients: number; symbolsPerClient: number; universe: number; ticksPerSec: number; seconds: number; windowMs: number }
const cfg = JSON.parse(process.argv[2] ?? '{}') as Cfg;

// ---- virtual clock ----
interface VTimer { at: number; every: number; fn: () => void; dead: boolean; seq: number }
let vt = 0;
let seq = 0;
let timers: VTimer[] = [];
let immediates: Array<() => void> = [];
const handle = (t: VTimer) => Object.assign(t, { unref: () => t, ref: () => t, hasRef: () => false, refresh: () => t });
const g = globalThis as unknown as Record<string, unknown>;
const addTimer = (fn: () => void, ms: number, repeat: boolean) => {
  const step = Math.max(1, Math.ceil(ms));
  const t: VTimer = { at: vt + step, every: repeat ? step : 0, fn, dead: false, seq: seq++ };
  timers.push(t);
  return handle(t);
};
g.setTimeout = (fn: () => void, ms = 0) => addTimer(fn, ms, false);
g.setInterval = (fn: () => void, ms = 0) => addTimer(fn, ms, true);
g.clearTimeout = g.clearInterval = (t: VTimer | undefined) => {
  if (t) t.dead = true;
};
g.setImmediate = (fn: () => void) => {
  immediates.push(fn);
  return { unref() {}, ref() {} };
};
const DATE0 = Date.UTC(2026, 10, 20, 15, 0);
performance.now = () => vt;
Date.now = () => DATE0 + vt;
function runDue(): void {
  for (let round = 0; round < 10; round++) {
    const imm = immediates;
    immediates = [];
    for (const f of imm) f();
    const due = timers.filter((t) => !t.dead && t.at <= vt).sort((a, b) => a.at - b.at || a.seq - b.seq);
    for (const t of due) {
      if (t.dead) continue;
      if (t.every) t.at += t.every;
      else t.dead = true;
      t.fn();
    }
    if (!immediates.length) break;
  }
  if (timers.some((t) => t.dead)) timers = timers.filter((t) => !t.dead);
}

// ---- the server's price path ----
const noop = () => undefined;
const log = { error: noop, warn: noop, info: noop, debug: noop } as unknown as Logger;
const sql = {
  exec: async () => undefined,
  transaction: async (fn: (tx: { run: () => Promise<void> }) => Promise<unknown>) => fn({ run: async () => undefined }),
} as unknown as SqlDb;
const symbols = Array.from({ length: cfg.universe }, (_, i) => `S${String(i).padStart(5, '0')}`);
const known = new Set(symbols);
let messages = 0;
let bytes = 0;
const hub = createStreamHub();
const cache = createPriceCache({ clock: { now: () => Date.now() }, marketOpen: () => true });
const table = createSymbolTable(symbols);
const fast = createFastIngestParser(table);
// The ingest worker's share, run here and timed apart: parsing, and the storage bars of the parsed ticks.
const workerBook = createBarBook((id) => symbols[id]);
/** CPU spent on the worker's share (taken out of the main thread's figure). */
let parseUs = 0;
const timed = <T>(f: () => T): T => {
  const c0 = process.cpuUsage();
  const out = f();
  const c1 = process.cpuUsage(c0);
  parseUs += c1.user + c1.system;
  return out;
};
const pipeline = createIngestPipeline({
  isKnown: (s) => known.has(s), store: createPriceStore(sql), cache, hub, log, symbols: table,
  externalBars: async () => timed(() => workerBook.take()),
});
pipeline.start();
let state = 7;
const rand = () => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
for (let i = 0; i < cfg.clients; i++) {
  const conn = hub.newConn((frame, payloadAt) => {
    messages++;
    bytes += frame.length - payloadAt;
  }, () => 0, cfg.windowMs);
  const set = new Set<string>();
  while (set.size < Math.min(cfg.symbolsPerClient, cfg.universe)) set.add(symbols[Math.floor(rand() * cfg.universe)]);
  hub.subscribe(conn, [...set]);
}
// Ingest payloads are pre-built (the feeder's work is not the server's); parsing them is measured.
const perBatch = Math.max(1, Math.round(cfg.ticksPerSec / 200));
const price = new Float64Array(cfg.universe).fill(100);
const payloads = Array.from({ length: 64 }, () => Array.from({ length: perBatch }, () => {
  const i = Math.floor(rand() * cfg.universe);
  price[i] *= 1 + (rand() - 0.5) * 0.002;
  return `{"s":"${symbols[i]}","p":${price[i].toFixed(4)},"t":`;
}));
let ticks = 0;
async function run(ms: number): Promise<void> {
  const end = vt + ms;
  while (vt < end) {
    vt++;
    if (vt % 5 === 0) {
      const now = Date.now();
      const parts = payloads[(vt / 5) % payloads.length];
      const raw = Buffer.from(`{"type":"ticks","ticks":[${parts.join(`${now}},`)}${now}}]}`);
      const batch = timed(() => {
        const r = fast(raw) ?? parseIngest(raw.toString('utf8'), table.idOf);
        if (!r.ok) throw new Error(r.error);
        const { sym, p, t, v } = r.cols;
        for (let i = 0; i < r.cols.n; i++) workerBook.fold(sym[i], p[i], t[i], v[i]);
        return { ...r, folded: true };
      });
      pipeline.acceptColumns(batch, 'bench');
      ticks += batch.cols.n;
    }
    runDue();
    await null; // let the flush's promises settle
  }
}
await run(2_000); // warm-up: JIT, symbol ids, open bars
messages = bytes = ticks = parseUs = 0;
const cpu0 = process.cpuUsage();
await run(cfg.seconds * 1000);
const cpu = process.cpuUsage(cpu0);
const cpuSec = (cpu.user + cpu.system - parseUs) / 1e6;
process.stdout.write(`${JSON.stringify({ ticks, messages, bytes, cpuSec, parseCpuSec: parseUs / 1e6, virtualSec: cfg.seconds })}\n`);
process.exit(0);
