// Ingest pipeline: every provider's ticks pass here. Each valid tick updates the latest-price cache and the
// stream hub at once; for storage, ticks are coalesced per symbol (latest price, the open 1-minute bar, the open
// daily bar) and written every `flushIntervalMs` (default 100 ms) as one SQLite transaction of three multi-row
// upserts (rows built as JSON text straight from reused per-symbol bars: no allocation per tick). Unknown symbols
// and out-of-order ticks (older than the symbol's last accepted tick) are dropped and counted. Memory is bounded by
// the universe: at most one pending entry per symbol and bar.
// Prices decimal, times epoch milliseconds.
import type { Logger } from 'pino';
import { tradingDayMs } from './market-hours.ts';
import type { PriceCache } from './price-cache.ts';
import type { PriceStore } from './price-store.ts';
import type { StreamHub } from './stream-hub.ts';
import type { Tick, TickSink } from './types.ts';

/** The open bar since the last flush (a delta merged into the stored row); t = NaN before the first tick. */
interface OpenBar { t: number; o: number; h: number; l: number; c: number; v: number }
const newBar = (): OpenBar => ({ t: Number.NaN, o: 0, h: Number.NEGATIVE_INFINITY, l: Number.POSITIVE_INFINITY, c: 0, v: 0 });
/** Folds a tick into the open bar of bucket `t` in place; false when the bar belongs to another bucket. */
function foldTick(bar: OpenBar, t: number, p: number, v: number): boolean {
  if (bar.t !== t) return false;
  if (p > bar.h) bar.h = p;
  if (p < bar.l) bar.l = p;
  bar.c = p;
  bar.v += v;
  return true;
}
/** Starts bucket `t` at price p in place. */
function openBar(bar: OpenBar, t: number, p: number, v: number): void {
  bar.t = t;
  bar.o = bar.h = bar.l = bar.c = p;
  bar.v = v;
}
/** After a flush the open bar restarts as an empty delta (h = −∞ until the next tick), keeping its bucket. */
function restartBar(bar: OpenBar): void {
  bar.o = bar.c;
  bar.h = Number.NEGATIVE_INFINITY;
  bar.l = Number.POSITIVE_INFINITY;
  bar.v = 0;
}
/** A delta that saw no tick (h = −∞) is never written. */
const hasTicks = (bar: OpenBar): boolean => bar.h !== Number.NEGATIVE_INFINITY;

interface SymbolState {
  /** The symbol as a JSON string (built once). */
  json: string;
  /** The source that delivered the latest tick (its disconnect marks the price stale). */
  source: string;
  lastT: number;
  /** In the dirty list (has something to write). */
  dirty: boolean;
  p: number;
  minute: OpenBar;
  day: OpenBar;
}

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
  flushIntervalMs?: number;
  onAccepted?: (n: number) => void;
  onDropped?: (reason: 'unknown' | 'invalid' | 'out_of_order', n: number) => void;
  onFlush?: (rows: number, seconds: number) => void;
}

export interface IngestPipeline extends TickSink {
  start(): void;
  /** Writes everything pending now (also used by tests and at shutdown). */
  flush(): Promise<void>;
  stop(): Promise<void>;
  stats(): PipelineStats;
  /** Sources currently connected (provider names / ingest connections). */
  connectedSources(): string[];
}

const MAX_UNKNOWN_REPORTED = 10;

export function createIngestPipeline(opts: IngestPipelineOptions): IngestPipeline {
  const flushIntervalMs = opts.flushIntervalMs ?? 100;
  const state = new Map<string, SymbolState>();
  /** Symbols with something to write: the first `dirtyCount` entries (the array is reused, not reallocated). */
  const dirty: SymbolState[] = [];
  let dirtyCount = 0;
  // Bars closed by a later minute/day before they were flushed, as JSON rows joined by commas (see price-store.ts).
  let closedMinutes = '';
  let closedMinuteRows = 0;
  let closedDays = '';
  let closedDayRows = 0;
  const sources = new Set<string>();
  const stats: PipelineStats = { accepted: 0, droppedUnknown: 0, droppedInvalid: 0, droppedOutOfOrder: 0, flushes: 0, flushedRows: 0, flushErrors: 0, lastFlushMs: 0 };
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> | null = null;

  // Rows as JSON text built straight from the bars: no row arrays, no JSON.stringify of a big array per flush.
  const minuteJson = (st: SymbolState, b: OpenBar): string => `[${st.json},${b.t},${tradingDayMs(b.t)},${b.o},${b.h},${b.l},${b.c},${b.v}]`;
  const dayJson = (st: SymbolState, b: OpenBar): string => `[${st.json},${b.t},${b.o},${b.h},${b.l},${b.c},${b.v}]`;
  const join = (list: string, row: string): string => (list ? `${list},${row}` : row);

  function accept(tick: Tick, source: string): 'ok' | 'unknown' | 'invalid' | 'out_of_order' {
    const { s, p, t } = tick;
    if (typeof s !== 'string' || typeof p !== 'number' || !(p > 0) || p === Infinity || typeof t !== 'number' || !Number.isFinite(t)) return 'invalid';
    if (!opts.isKnown(s)) return 'unknown';
    const v = typeof tick.v === 'number' && tick.v >= 0 && Number.isFinite(tick.v) ? tick.v : 0;
    let st = state.get(s);
    if (!st) state.set(s, (st = { json: JSON.stringify(s), source, lastT: -Infinity, dirty: false, p, minute: newBar(), day: newBar() }));
    if (t < st.lastT) return 'out_of_order';
    st.lastT = t;
    st.p = p;
    st.source = source;
    const minuteT = t - (t % 60_000);
    if (!foldTick(st.minute, minuteT, p, v)) {
      if (hasTicks(st.minute)) {
        closedMinutes = join(closedMinutes, minuteJson(st, st.minute));
        closedMinuteRows++;
      }
      openBar(st.minute, minuteT, p, v);
    }
    const dayT = tradingDayMs(t);
    if (!foldTick(st.day, dayT, p, v)) {
      if (hasTicks(st.day)) {
        closedDays = join(closedDays, dayJson(st, st.day));
        closedDayRows++;
      }
      openBar(st.day, dayT, p, v);
    }
    if (!st.dirty) {
      st.dirty = true;
      dirty[dirtyCount++] = st;
    }
    // The parsed tick itself goes on: the cache and the hub copy its fields (no object per tick here).
    opts.cache.put(tick);
    opts.hub.publish(tick);
    return 'ok';
  }

  async function writePending(): Promise<void> {
    if (!dirtyCount && !closedMinuteRows && !closedDayRows) return;
    let latest = '';
    let minute = closedMinutes;
    let daily = closedDays;
    let rows = closedMinuteRows + closedDayRows;
    closedMinutes = closedDays = '';
    closedMinuteRows = closedDayRows = 0;
    for (let i = 0; i < dirtyCount; i++) {
      const st = dirty[i];
      st.dirty = false;
      latest = join(latest, `[${st.json},${st.p},${st.lastT}]`);
      rows++;
      // The open bars are written as deltas since the last flush and restarted, so upserts merge exactly.
      if (hasTicks(st.minute)) {
        minute = join(minute, minuteJson(st, st.minute));
        rows++;
      }
      restartBar(st.minute);
      if (hasTicks(st.day)) {
        daily = join(daily, dayJson(st, st.day));
        rows++;
      }
      restartBar(st.day);
    }
    dirtyCount = 0;
    const started = performance.now();
    try {
      await opts.store.writeFlush({ latest, minute, daily });
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
      if (accepted) sources.add(source);
      stats.accepted += accepted;
      stats.droppedUnknown += unknownCount;
      stats.droppedInvalid += invalid;
      stats.droppedOutOfOrder += outOfOrder;
      if (accepted) opts.onAccepted?.(accepted);
      if (unknownCount) opts.onDropped?.('unknown', unknownCount);
      if (invalid) opts.onDropped?.('invalid', invalid);
      if (outOfOrder) opts.onDropped?.('out_of_order', outOfOrder);
      return { accepted, unknown };
    },
    connected(source) {
      sources.add(source);
    },
    disconnected(source, reason) {
      sources.delete(source);
      // O(universe) on a rare event keeps the per-tick path free of bookkeeping.
      const symbols: string[] = [];
      for (const [s, st] of state) if (st.source === source) symbols.push(s);
      const n = opts.cache.invalidate(symbols);
      opts.log.warn({ source, reason, stalePrices: n }, 'price source disconnected; its prices are marked stale');
    },
    start() {
      if (timer) return;
      timer = setInterval(() => void flush(), flushIntervalMs);
      timer.unref();
    },
    flush,
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await flush();
    },
    stats: () => ({ ...stats }),
    connectedSources: () => [...sources],
  };
}
