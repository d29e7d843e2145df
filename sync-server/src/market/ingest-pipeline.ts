// Ingest pipeline: every provider's ticks pass here. Each valid tick updates the latest-price cache and the
// stream hub at once; for storage, ticks are coalesced per symbol (latest price, the open 1-minute bar, the open
// daily bar) and written every `flushIntervalMs` (default 100 ms) as one SQLite transaction of three multi-row
// upserts (rows built as JSON text straight from reused per-symbol bars: no allocation per tick). Unknown symbols
// and out-of-order ticks (older than the symbol's last accepted tick) are dropped and counted. Memory is bounded by
// the universe: at most one pending entry per symbol and bar.
// Prices decimal, times epoch milliseconds.
import type { Logger } from 'pino';
import { createBarBook, newSymbolBars, type BarRows, type SymbolBars } from './bar-book.ts';
import type { PriceCache } from './price-cache.ts';
import type { PriceStore } from './price-store.ts';
import type { StreamHub } from './stream-hub.ts';
import type { Tick, TickSink } from './types.ts';
import type { ParsedIngest, SymbolTable } from './ingest-batch.ts';

interface SymbolState extends SymbolBars {
  /** The source that delivered the latest tick (its disconnect marks the price stale). */
  source: string;
  p: number;
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
  /** The symbol table whose ids column batches use (ingest-batch.ts); needed by acceptColumns only. */
  symbols?: SymbolTable;
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

export function createIngestPipeline(opts: IngestPipelineOptions): IngestPipeline {
  const flushIntervalMs = opts.flushIntervalMs ?? 100;
  const state = new Map<string, SymbolState>();
  const book = createBarBook<SymbolState>();
  const sources = new Set<string>();
  const stats: PipelineStats = { accepted: 0, droppedUnknown: 0, droppedInvalid: 0, droppedOutOfOrder: 0, flushes: 0, flushedRows: 0, flushErrors: 0, lastFlushMs: 0 };
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> | null = null;

  function accept(tick: Tick, source: string): 'ok' | 'unknown' | 'invalid' | 'out_of_order' {
    const { s, p, t } = tick;
    if (typeof s !== 'string' || typeof p !== 'number' || !(p > 0) || p === Infinity || typeof t !== 'number' || !Number.isFinite(t)) return 'invalid';
    if (!opts.isKnown(s)) return 'unknown';
    const v = typeof tick.v === 'number' && tick.v >= 0 && Number.isFinite(tick.v) ? tick.v : 0;
    let st = state.get(s);
    if (!st) state.set(s, (st = newState(s, source, p)));
    if (!fold(st, p, t, v, source)) return 'out_of_order';
    // The parsed tick itself goes on: the cache and the hub copy its fields (no object per tick here).
    opts.cache.put(tick);
    opts.hub.publish(tick);
    return 'ok';
  }

  const newState = (s: string, source: string, p: number): SymbolState => ({ ...newSymbolBars(s), source, p });

  /** Folds a valid tick of a known symbol into its state and open bars; false (nothing changed) when out of order. */
  function fold(st: SymbolState, p: number, t: number, v: number, source: string): boolean {
    if (!book.fold(st, p, t, v)) return false;
    st.p = p;
    st.source = source;
    return true;
  }

  /** State by symbol-table id (the column path: no string hashing per tick). */
  const stateById: Array<SymbolState | undefined> = [];
  /** One reused tick handed to the cache and the hub (both copy its fields). */
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

  async function writePending(): Promise<void> {
    // Bars kept elsewhere (the ingest worker's) are fetched first, so this flush carries them too.
    const extra: BarRows | null = opts.externalBars ? await opts.externalBars() : null;
    if (!book.dirty() && !extra?.rows) return;
    let latest = '';
    let latestRows = 0;
    const own = book.take((st) => {
      latest = latest ? `${latest},[${st.json},${st.p},${st.lastT}]` : `[${st.json},${st.p},${st.lastT}]`;
      latestRows++;
    });
    const both = (a: string, b = '') => (a && b ? `${a},${b}` : a || b);
    const minute = both(own.minute, extra?.minute);
    const daily = both(own.daily, extra?.daily);
    const rows = latestRows + own.rows + (extra?.rows ?? 0);
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
      count(accepted, unknownCount, invalid, outOfOrder, source);
      return { accepted, unknown };
    },
    acceptColumns(batch, source) {
      const { cols } = batch;
      const { sym, p, t, v } = cols;
      const folded = batch.folded === true;
      const symbols = opts.symbols;
      if (!symbols) throw new Error('acceptColumns needs the symbol table (IngestPipelineOptions.symbols)');
      let accepted = 0;
      for (let i = 0; i < cols.n; i++) {
        const id = sym[i];
        let st = stateById[id];
        if (!st) {
          const s = symbols.symbolOf(id);
          st = state.get(s);
          if (!st) state.set(s, (st = newState(s, source, p[i])));
          stateById[id] = st;
        }
        if (folded) {
          // Its bars are already in the ingest worker's book: only the latest price is kept here.
          if (!book.touch(st, t[i])) continue;
          st.p = p[i];
          st.source = source;
        } else if (!fold(st, p[i], t[i], v[i], source)) continue;
        accepted++;
        scratch.s = symbols.symbolOf(id);
        scratch.p = p[i];
        scratch.t = t[i];
        opts.cache.put(scratch);
        opts.hub.publish(scratch);
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
