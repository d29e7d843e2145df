// Ingest pipeline: every provider's ticks pass here. Each valid tick updates the latest-price cache and the
// stream hub at once; for storage, ticks are coalesced per symbol (latest price, the open 1-minute bar, the open
// daily bar) and written every `flushIntervalMs` (default 100 ms) as one SQLite transaction of three multi-row
// upserts. Unknown symbols and out-of-order ticks (older than the symbol's last accepted tick) are dropped and
// counted. Memory is bounded by the universe: at most one pending entry per symbol and bar.
// Prices decimal, times epoch milliseconds.
import type { Logger } from 'pino';
import { tradingDayMs } from './market-hours.ts';
import type { PriceCache } from './price-cache.ts';
import type { DailyRow, LatestRow, MinuteRow, PriceStore } from './price-store.ts';
import type { StreamHub } from './stream-hub.ts';
import type { Tick, TickSink } from './types.ts';

interface OpenBar { t: number; o: number; h: number; l: number; c: number; v: number }
/** Folds a tick into the open bar, or opens a bar at bucket start `t`. */
function foldTick(bar: OpenBar | null, t: number, p: number, v: number): OpenBar {
  if (!bar) return { t, o: p, h: p, l: p, c: p, v };
  if (p > bar.h) bar.h = p;
  if (p < bar.l) bar.l = p;
  bar.c = p;
  bar.v += v;
  return bar;
}

interface SymbolState {
  /** The source that delivered the latest tick (its disconnect marks the price stale). */
  source: string;
  lastT: number;
  latestDirty: boolean;
  p: number;
  minute: OpenBar | null;
  day: OpenBar | null;
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
  /** Symbols with something to write. */
  const dirty = new Set<string>();
  /** Bars closed by a later minute/day before they were flushed. */
  let closedMinutes: MinuteRow[] = [];
  let closedDays: DailyRow[] = [];
  const sources = new Set<string>();
  const stats: PipelineStats = { accepted: 0, droppedUnknown: 0, droppedInvalid: 0, droppedOutOfOrder: 0, flushes: 0, flushedRows: 0, flushErrors: 0, lastFlushMs: 0 };
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> | null = null;

  const minuteRow = (s: string, b: OpenBar): MinuteRow => [s, b.t, tradingDayMs(b.t), b.o, b.h, b.l, b.c, b.v];
  const dayRow = (s: string, b: OpenBar): DailyRow => [s, b.t, b.o, b.h, b.l, b.c, b.v];

  function accept(tick: Tick, source: string): 'ok' | 'unknown' | 'invalid' | 'out_of_order' {
    const { s, p, t } = tick;
    if (typeof s !== 'string' || typeof p !== 'number' || !(p > 0) || p === Infinity || typeof t !== 'number' || !Number.isFinite(t)) return 'invalid';
    if (!opts.isKnown(s)) return 'unknown';
    const v = typeof tick.v === 'number' && tick.v >= 0 && Number.isFinite(tick.v) ? tick.v : 0;
    let st = state.get(s);
    if (!st) state.set(s, (st = { source, lastT: -Infinity, latestDirty: false, p, minute: null, day: null }));
    if (t < st.lastT) return 'out_of_order';
    st.lastT = t;
    st.p = p;
    st.source = source;
    st.latestDirty = true;
    const minuteT = t - (t % 60_000);
    if (st.minute && st.minute.t !== minuteT) {
      closedMinutes.push(minuteRow(s, st.minute));
      st.minute = null;
    }
    st.minute = foldTick(st.minute, minuteT, p, v);
    const dayT = tradingDayMs(t);
    if (st.day && st.day.t !== dayT) {
      closedDays.push(dayRow(s, st.day));
      st.day = null;
    }
    st.day = foldTick(st.day, dayT, p, v);
    dirty.add(s);
    const clean: Tick = { s, p, t };
    opts.cache.put(clean);
    opts.hub.publish(clean);
    return 'ok';
  }

  async function writePending(): Promise<void> {
    if (!dirty.size && !closedMinutes.length && !closedDays.length) return;
    const latest: LatestRow[] = [];
    const minute = closedMinutes;
    const daily = closedDays;
    closedMinutes = [];
    closedDays = [];
    for (const s of dirty) {
      const st = state.get(s)!;
      if (st.latestDirty) latest.push([s, st.p, st.lastT]);
      st.latestDirty = false;
      // The open bars are written as deltas since the last flush and restarted, so upserts merge exactly.
      if (st.minute) {
        minute.push(minuteRow(s, st.minute));
        st.minute = { t: st.minute.t, o: st.minute.c, h: -Infinity, l: Infinity, c: st.minute.c, v: 0 };
      }
      if (st.day) {
        daily.push(dayRow(s, st.day));
        st.day = { t: st.day.t, o: st.day.c, h: -Infinity, l: Infinity, c: st.day.c, v: 0 };
      }
    }
    dirty.clear();
    // A restarted bar that saw no tick has h = −∞; such a delta is never written (only dirty symbols are).
    const started = performance.now();
    try {
      await opts.store.writeFlush(latest, minute.filter(validBar), daily.filter(validDayBar));
      stats.flushes++;
      stats.flushedRows += latest.length + minute.length + daily.length;
    } catch (err) {
      stats.flushErrors++;
      opts.log.error({ err }, 'market flush failed; the batch is dropped, prices stay in memory');
    }
    const seconds = (performance.now() - started) / 1000;
    stats.lastFlushMs = seconds * 1000;
    opts.onFlush?.(latest.length + minute.length + daily.length, seconds);
  }

  const validBar = (r: MinuteRow) => Number.isFinite(r[4]) && Number.isFinite(r[5]);
  const validDayBar = (r: DailyRow) => Number.isFinite(r[3]) && Number.isFinite(r[4]);

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
