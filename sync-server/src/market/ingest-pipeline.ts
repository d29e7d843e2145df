// Ingest pipeline: every provider's ticks pass here. Each valid tick updates the latest-price cache and the
// stream hub at once; for storage, ticks are coalesced per symbol (latest price, the open 1-minute bar, the open
// daily bar) and written as one SQLite transaction of three multi-row upserts per flush (rows built as JSON text
// straight from reused per-symbol bars: no allocation per tick). Flush cadence: every `flushIntervalMs` (default
// 100 ms) while little is pending; a flush of many rows stretches the wait before the next one (rows ÷
// `flushRowsPerSec`, default 10,000/s) up to `maxFlushIntervalMs` (default 1 s). A flush's cost is per changed
// symbol, not per tick, so at high tick rates (50k ticks/s over 5,000 symbols: ~95k rows/s at a fixed 100 ms, ~15k
// at 1 s) the longer wait coalesces several ticks per symbol into one row and keeps the write cost per second
// bounded by the universe rather than by the tick rate; at most `maxFlushIntervalMs` of ticks are in memory only.
// The rows are built in slices of FLUSH_SLICE_SYMBOLS symbols with the event loop free in between (ingest and the
// stream go on), then written in one transaction. Unknown symbols and out-of-order ticks (older than the symbol's
// last accepted tick) are dropped and counted. Memory is bounded by the universe: at most one pending entry per
// symbol and bar. Prices decimal, times epoch milliseconds.
import type { Logger } from 'pino';
import { createBarBook, type BarRows } from './bar-book.ts';
import type { PriceCache } from './price-cache.ts';
import type { PriceStore } from './price-store.ts';
import type { StreamHub } from './stream-hub.ts';
import type { Tick, TickSink } from './types.ts';
import type { ParsedIngest, SymbolTable } from './ingest-batch.ts';

export interface PipelineStats {
  accepted: number;
  droppedUnknown: number;
  droppedInvalid: number;
  droppedOutOfOrder: number;
  flushes: number;
  flushedRows: number;
  flushErrors: number;
  lastFlushMs: number;
}

export interface IngestPipelineOptions {
  isKnown: (symbol: string) => boolean;
  store: PriceStore;
  cache: PriceCache;
  hub: StreamHub;
  log: Logger;
  /** Shortest wait between flushes (default 100 ms). */
  flushIntervalMs?: number;
  /** Longest wait between flushes (default 1,000 ms; equal to flushIntervalMs for a fixed cadence). */
  maxFlushIntervalMs?: number;
  /** Rows a second the flush cadence aims at: after a flush of n rows the next waits n / flushRowsPerSec s (clamped). */
  flushRowsPerSec?: number;
  onAccepted?: (n: number) => void;
  onDropped?: (reason: 'unknown' | 'invalid' | 'out_of_order', n: number) => void;
  onFlush?: (rows: number, seconds: number) => void;
  /** The symbol table (ingest-batch.ts): its ids key the per-symbol state, and column batches carry them. */
  symbols: SymbolTable;
  /** Pending bar rows kept outside the pipeline (the ingest worker's), fetched at each flush. */
  externalBars?: () => Promise<BarRows | null>;
}

export interface IngestPipeline extends TickSink {
  /**
   * Accepts a parsed ingest batch (valid ticks of known symbols, by symbol-table id; its invalid and unknown ticks
   * are only counted). Same rules and counters as `ticks`.
   */
  acceptColumns(batch: Pick<ParsedIngest, 'cols' | 'invalid' | 'unknownCount' | 'unknown' | 'folded'>, source: string): { accepted: number; unknown: string[] };
  start(): void;
  /** Writes everything pending now (also used by tests and at shutdown). */
  flush(): Promise<void>;
  stop(): Promise<void>;
  stats(): PipelineStats;
  /** Sources currently connected (provider names / ingest connections). */
  connectedSources(): string[];
}

const MAX_UNKNOWN_REPORTED = 10;
/** Symbols whose rows a flush builds before it lets the event loop run (about 1 ms of work). */
const FLUSH_SLICE_SYMBOLS = 256;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createIngestPipeline(opts: IngestPipelineOptions): IngestPipeline {
  const flushIntervalMs = opts.flushIntervalMs ?? 100;
  const maxFlushIntervalMs = Math.max(flushIntervalMs, opts.maxFlushIntervalMs ?? 1_000);
  const flushRowsPerSec = opts.flushRowsPerSec ?? 10_000;
  const symbols = opts.symbols;
  const book = createBarBook((id) => symbols.symbolOf(id));
  const sources = new Set<string>();
  const stats: PipelineStats = { accepted: 0, droppedUnknown: 0, droppedInvalid: 0, droppedOutOfOrder: 0, flushes: 0, flushedRows: 0, flushErrors: 0, lastFlushMs: 0 };
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let flushing: Promise<void> | null = null;

  // Per symbol-table id: the latest price, the source that delivered it (its disconnect marks the price stale) and
  // the stream hub's id of the symbol (−1 until the symbol's first tick).
  let latestP = new Float64Array(0);
  let hubIdOf = new Int32Array(0);
  const sourceOf: string[] = [];
  /** Makes room for `id` and gives the symbol its hub id on its first tick. */
  function ensure(id: number): void {
    if (id >= hubIdOf.length) {
      const n = Math.max(id + 1, 2 * hubIdOf.length, 64);
      const p = new Float64Array(n);
      p.set(latestP);
      latestP = p;
      const h = new Int32Array(n).fill(-1);
      h.set(hubIdOf);
      hubIdOf = h;
    }
    if (hubIdOf[id] < 0) hubIdOf[id] = opts.hub.symbolId(symbols.symbolOf(id));
  }

  function accept(tick: Tick, source: string): 'ok' | 'unknown' | 'invalid' | 'out_of_order' {
    const { s, p, t } = tick;
    if (typeof s !== 'string' || typeof p !== 'number' || !(p > 0) || p === Infinity || typeof t !== 'number' || !Number.isFinite(t)) return 'invalid';
    if (!opts.isKnown(s)) return 'unknown';
    const id = symbols.idOf(s);
    if (id < 0) return 'unknown';
    const v = typeof tick.v === 'number' && tick.v >= 0 && Number.isFinite(tick.v) ? tick.v : 0;
    ensure(id);
    if (!book.fold(id, p, t, v)) return 'out_of_order';
    latestP[id] = p;
    if (sourceOf[id] !== source) sourceOf[id] = source;
    // The parsed tick itself goes to the cache, which copies its fields (no object per tick here).
    opts.cache.put(tick);
    opts.hub.publishId(hubIdOf[id], p, t);
    return 'ok';
  }

  /** One reused tick handed to the cache (it copies the fields). */
  const scratch: Tick = { s: '', p: 0, t: 0 };

  function count(accepted: number, unknownCount: number, invalid: number, outOfOrder: number, source: string): void {
    if (accepted) sources.add(source);
    stats.accepted += accepted;
    stats.droppedUnknown += unknownCount;
    stats.droppedInvalid += invalid;
    stats.droppedOutOfOrder += outOfOrder;
    if (accepted) opts.onAccepted?.(accepted);
    if (unknownCount) opts.onDropped?.('unknown', unknownCount);
    if (invalid) opts.onDropped?.('invalid', invalid);
    if (outOfOrder) opts.onDropped?.('out_of_order', outOfOrder);
  }

  /** Rows written by the last flush (sets the wait before the next timed one). */
  let lastRows = 0;

  async function writePending(): Promise<void> {
    lastRows = 0;
    // Bars kept elsewhere (the ingest worker's) are fetched first, so this flush carries them too.
    const extra: BarRows | null = opts.externalBars ? await opts.externalBars() : null;
    if (!book.dirty() && !extra?.rows) return;
    const latest: string[] = [];
    const minute: string[] = [];
    const daily: string[] = [];
    const addLatest = (id: number) => {
      latest.push(`[${book.symbolJson(id)},${latestP[id]},${book.lastT(id)}]`);
    };
    let rows = 0;
    book.begin();
    do {
      const part = book.takeSome(FLUSH_SLICE_SYMBOLS, addLatest);
      if (part.minute) minute.push(part.minute);
      if (part.daily) daily.push(part.daily);
      rows += part.rows;
      // Building rows costs about 4 µs per symbol: let waiting ingest messages and stream sends run in between.
      if (book.left() > 0) await yieldToLoop();
    } while (book.left() > 0);
    if (extra?.minute) minute.push(extra.minute);
    if (extra?.daily) daily.push(extra.daily);
    rows += latest.length + (extra?.rows ?? 0);
    lastRows = rows;
    const started = performance.now();
    try {
      await opts.store.writeFlush({ latest: latest.join(','), minute: minute.join(','), daily: daily.join(',') });
      stats.flushes++;
      stats.flushedRows += rows;
    } catch (err) {
      stats.flushErrors++;
      opts.log.error({ err }, 'market flush failed; the batch is dropped, prices stay in memory');
    }
    const seconds = (performance.now() - started) / 1000;
    stats.lastFlushMs = seconds * 1000;
    opts.onFlush?.(rows, seconds);
  }

  /** The wait before the next timed flush: longer after a large one (see the header). */
  const nextWaitMs = () => Math.min(maxFlushIntervalMs, Math.max(flushIntervalMs, (lastRows / flushRowsPerSec) * 1000));
  function scheduleFlush(ms: number): void {
    if (!running) return;
    timer = setTimeout(() => {
      timer = null;
      flush()
        .catch((err: unknown) => opts.log.error({ err }, 'market flush failed'))
        .then(() => scheduleFlush(nextWaitMs()), () => undefined);
    }, ms);
    timer.unref();
  }

  const flush = (): Promise<void> => {
    // One flush at a time: ticks arriving meanwhile keep coalescing into the next one.
    if (flushing) return flushing.then(() => flush());
    flushing = writePending().finally(() => {
      flushing = null;
    });
    return flushing;
  };

  return {
    ticks(ticks, source) {
      const unknown: string[] = [];
      let accepted = 0;
      let invalid = 0;
      let outOfOrder = 0;
      let unknownCount = 0;
      for (const tick of ticks) {
        const r = tick && typeof tick === 'object' ? accept(tick, source) : 'invalid';
        if (r === 'ok') accepted++;
        else if (r === 'unknown') {
          unknownCount++;
          if (unknown.length < MAX_UNKNOWN_REPORTED && !unknown.includes(tick.s)) unknown.push(tick.s);
        } else if (r === 'invalid') invalid++;
        else outOfOrder++;
      }
      count(accepted, unknownCount, invalid, outOfOrder, source);
      return { accepted, unknown };
    },
    acceptColumns(batch, source) {
      const { cols } = batch;
      const { sym, p, t, v } = cols;
      const folded = batch.folded === true;
      let accepted = 0;
      for (let i = 0; i < cols.n; i++) {
        const id = sym[i];
        ensure(id);
        // Folded: its bars are already in the ingest worker's book, only the latest price is kept here.
        if (!(folded ? book.touch(id, t[i]) : book.fold(id, p[i], t[i], v[i]))) continue;
        latestP[id] = p[i];
        if (sourceOf[id] !== source) sourceOf[id] = source;
        accepted++;
        scratch.s = symbols.symbolOf(id);
        scratch.p = p[i];
        scratch.t = t[i];
        opts.cache.put(scratch);
        opts.hub.publishId(hubIdOf[id], p[i], t[i]);
      }
      count(accepted, batch.unknownCount, batch.invalid, cols.n - accepted, source);
      return { accepted, unknown: batch.unknown };
    },
    connected(source) {
      sources.add(source);
    },
    disconnected(source, reason) {
      sources.delete(source);
      // O(universe) on a rare event keeps the per-tick path free of bookkeeping.
      const stale: string[] = [];
      for (let id = 0; id < sourceOf.length; id++) if (sourceOf[id] === source) stale.push(symbols.symbolOf(id));
      const n = opts.cache.invalidate(stale);
      opts.log.warn({ source, reason, stalePrices: n }, 'price source disconnected; its prices are marked stale');
    },
    start() {
      if (running) return;
      running = true;
      scheduleFlush(flushIntervalMs);
    },
    flush,
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await flush();
    },
    stats: () => ({ ...stats }),
    connectedSources: () => [...sources],
  };
}
