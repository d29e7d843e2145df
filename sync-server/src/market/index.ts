// The market price hub feature (issue 5): provider adapters → ingest pipeline (coalesced, batched SQLite writes)
// → latest-price cache + subscription-filtered ws stream; HTTP prices/history; retention; FX rates.
// `marketFeature(options)` builds it with injected securities/provider/clock (tests, benches);
// `createMarketFeature` is the server's default (demo universe, simulated provider in demo mode).
// `createPriceLookup(ctx)` gives other features (valuation, rebalancing, execution) batched latest prices and FX.
import type { PriceMatrix, Security } from '@aw/domain';
import type { Feature, FeatureFactory, ServerContext } from '../context.ts';
import { defaultMarketOptions } from './default-options.ts';
import { createFxRates, TOP_PAIRS, type FxRates } from './fx-rates.ts';
import { createIngestPipeline, type IngestPipeline } from './ingest-pipeline.ts';
import { createIngestRoute } from './ingest-route.ts';
import { createSymbolTable } from './ingest-batch.ts';
import { createInlineIngestParser, createWorkerIngestParser } from './ingest-parser.ts';
import { createMarketRouter } from './http-routes.ts';
import { createMarketMetrics } from './market-metrics.ts';
import { createPriceCache, type PriceCache } from './price-cache.ts';
import { createCachedPriceLookup, type PriceLookup } from './price-lookup.ts';
import { createPriceStore, type DailyRow, type PriceStore } from './price-store.ts';
import { createRetentionJob, type RetentionJob, type RetentionOptions } from './retention.ts';
import { createStreamHub, type StreamHub } from './stream-hub.ts';
import { createStreamRoute } from './stream-route.ts';
import { systemClock, type Clock, type LatencyProbe, type PriceProvider, type Tick } from './types.ts';
import type { WsSessionOptions } from './ws-session.ts';

export type { Quote, Tick, PriceProvider, Clock, LatencyProbe } from './types.ts';
export type { PriceLookup } from './price-lookup.ts';
export type { FxRates } from './fx-rates.ts';
export { FxRateUnavailableError, TOP_PAIRS } from './fx-rates.ts';
export { createSimulatedProvider } from './providers/simulated.ts';
export { createReplayProvider, readLongPricesCsv } from './providers/replay.ts';
export { createHttpPollProvider } from './providers/http-poll.ts';
export { isMarketOpen, tradingDayMs } from './market-hours.ts';

export interface MarketOptions {
  /** The security master (symbols accepted by ingest and subscribe). */
  securities: Array<Pick<Security, 'symbol'>> | string[];
  /** FX pairs also accepted as symbols, e.g. 'EURUSD'. */
  fxPairs?: string[];
  /** A provider, or a factory given the start prices (latest stored closes) — null for none (ws ingest only). */
  provider?: PriceProvider | null | ((startPrices: Map<string, number>) => PriceProvider | null);
  clock?: Clock;
  /** Stream batching window per connection (default 50 ms; a client may ask for 10..maxWindowMs). */
  batchWindowMs?: number;
  maxWindowMs?: number;
  /** Shortest wait between ingest flushes (default 100 ms); see ingest-pipeline.ts for the cadence. */
  flushIntervalMs?: number;
  /** Longest wait between ingest flushes (default 1,000 ms): at high tick rates flushes stretch up to this. */
  maxFlushIntervalMs?: number;
  /** Symbols to load into the cache at start (held symbols); default: every security. */
  heldSymbols?: string[] | (() => Promise<string[]>);
  /** Daily closes to store at first start (demo history) when the daily table is empty; a function is only called then. */
  dailyHistory?: PriceMatrix | PriceMatrix[] | (() => PriceMatrix | PriceMatrix[]);
  /** Live additions to the security master (e.g. securities added to the book); returns an unsubscribe. */
  watchSecurities?: (add: (symbols: string[]) => void) => () => void;
  cache?: { capacity?: number; openTtlMs?: number; closedTtlMs?: number };
  marketOpen?: (ms: number) => boolean;
  stream?: WsSessionOptions & { maxSymbols?: number; maxBufferedBytes?: number };
  /** ws ingest endpoint; `parseInWorker` (default false) parses its messages on a worker thread: it frees about 40% of
   * ingest's main-thread CPU, but on 2 cores the extra thread cost delivery latency (p99 121 ms against 109), so it is opt-in. */
  ingest?: WsSessionOptions & { parseInWorker?: boolean };
  retention?: Partial<Omit<RetentionOptions, 'sql' | 'clock' | 'log'>> & { enabled?: boolean };
  fxTtlMs?: number;
  /** Latency probe (benches): wall-clock stamps at ingest, hand-off to the hub and socket write. */
  probe?: LatencyProbe;
}

export interface MarketFeature extends Feature {
  lookup: PriceLookup;
  fx: FxRates;
  pipeline: IngestPipeline;
  hub: StreamHub;
  store: PriceStore;
  cache: PriceCache;
  retention: RetentionJob;
  provider: PriceProvider | null;
  /** Resolves when the first-start history import finished. */
  historyLoaded(): Promise<number>;
  /** Closes every stream connection (clients reconnect); e.g. before maintenance. */
  disconnectStreams(code?: number, reason?: string): number;
  /** Bytes buffered on each open stream socket (the back-pressure bound is observable here). */
  streamBufferedBytes(): number[];
  stats(): { streamConnections: number; ingestConnections: number; ingestInWorker: boolean; pipeline: ReturnType<IngestPipeline['stats']>; hub: ReturnType<StreamHub['stats']>; cacheSize: number };
}

const features = new WeakMap<ServerContext, MarketFeature>();

/** Daily rows of a price matrix for some symbols, newest dates first, in chunks of about `chunkRows`. */
function* historyChunks(m: PriceMatrix, symbols: Set<string>, chunkRows: number): Generator<DailyRow[]> {
  const cols = m.symbols.map((s, i) => [s, i] as const).filter(([s]) => symbols.has(s));
  let chunk: DailyRow[] = [];
  for (let d = m.dates.length - 1; d >= 0; d--) {
    const t = Date.parse(`${m.dates[d]}T00:00:00Z`);
    for (const [s, i] of cols) {
      const c = m.closes[d * m.symbols.length + i];
      if (Number.isFinite(c) && c > 0) chunk.push([s, t, c, c, c, c, 0]);
    }
    if (chunk.length >= chunkRows) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

/** The server's market feature with its default set-up (see default-options.ts). */
export const createMarketFeature: FeatureFactory = async (ctx) => marketFeature(await defaultMarketOptions(ctx))(ctx);

export function marketFeature(opts: MarketOptions): FeatureFactory {
  return (ctx) => {
    const clock = opts.clock ?? systemClock;
    const symbols = opts.securities.map((s) => (typeof s === 'string' ? s : s.symbol));
    const fxPairs = opts.fxPairs ?? [];
    const master = new Set([...symbols, ...fxPairs]);
    const isKnown = (s: string) => master.has(s);
    // Ids of the master's symbols, shared with the ingest worker (column batches carry ids, not strings).
    const symbolTable = createSymbolTable(master);
    const store = createPriceStore(ctx.sql);
    const cache = createPriceCache({ clock, marketOpen: opts.marketOpen, ...opts.cache });
    const lookup = createCachedPriceLookup(cache, store, clock);
    let streamCount = () => 0;
    let ingestCount = () => 0;
    const breakerOpen = () => {
      const b = (provider as { breaker?: { state(): string } } | null)?.breaker;
      return b && b.state() !== 'closed' ? 1 : 0;
    };
    const sent = { messages: 0, ticks: 0 };
    const metrics = createMarketMetrics(ctx.metrics, { cacheSize: () => cache.size(), streamConnections: () => streamCount(), ingestConnections: () => ingestCount(), breakerOpen, streamSent: () => sent });
    const hub = createStreamHub({
      maxBufferedBytes: opts.stream?.maxBufferedBytes,
      probe: opts.probe,
      onSend: (ticks) => {
        sent.messages++;
        sent.ticks += ticks;
      },
    });
    const pipeline = createIngestPipeline({
      isKnown, store, cache, hub, log: ctx.log, flushIntervalMs: opts.flushIntervalMs, maxFlushIntervalMs: opts.maxFlushIntervalMs, symbols: symbolTable,
      // The ingest worker keeps the bars of ws ingest ticks; each flush takes them (after stop: its last ones).
      externalBars: async () => (workerParser ? workerParser.lastBars() ?? workerParser.takeBars() : null),
      onAccepted: (n) => metrics.ticksAccepted.inc(n),
      onDropped: (reason, n) => metrics.ticksDropped.inc({ reason }, n),
      onFlush: (rows, seconds) => {
        metrics.flushRows.inc(rows);
        metrics.flushSeconds.observe(seconds);
      },
    });
    const stream = createStreamRoute({
      ...opts.stream, hub, isKnown, log: ctx.log, clock, verifyToken: ctx.auth.verifyToken,
      windowMs: opts.batchWindowMs, maxWindowMs: opts.maxWindowMs,
      snapshot: (list) => {
        const out: Tick[] = [];
        for (const s of list) {
          const e = cache.peek(s);
          if (e) out.push({ s, p: e.price, t: e.t });
        }
        return out;
      },
    });
    const workerParser = opts.ingest?.parseInWorker !== true ? null : createWorkerIngestParser(symbolTable, ctx.log);
    const parser = workerParser ?? createInlineIngestParser(symbolTable);
    const ingest = createIngestRoute({ ...opts.ingest, sink: pipeline, parser, verifyToken: ctx.auth.verifyToken, log: ctx.log, clock, probe: opts.probe });
    streamCount = () => stream.count();
    ingestCount = () => ingest.count();
    const retention = createRetentionJob({ ...opts.retention, sql: ctx.sql, clock, log: ctx.log });
    let provider: PriceProvider | null = null;

    const fxSource = async (pairs: string[]): Promise<Map<string, Tick>> => {
      if (provider?.fetchFx) {
        try {
          const got = await provider.fetchFx(pairs);
          if (got.size) return got;
        } catch {
          // fall back to the latest ingested FX ticks
        }
      }
      const quotes = await lookup.getPrices(pairs);
      return new Map([...quotes].map(([s, q]) => [s, { s, p: q.price, t: q.t }]));
    };
    const fx = createFxRates({ source: fxSource, clock, ttlMs: opts.fxTtlMs, knownPairs: fxPairs.length ? fxPairs : undefined });

    let historyDone: Promise<number> = Promise.resolve(0);
    let stopped = false;
    let unwatch: (() => void) | null = null;

    const feature: MarketFeature = {
      name: 'market',
      router: createMarketRouter({ ctx, lookup, store, isKnown, clock }),
      wsRoutes: { '/api/v1/market/stream': stream.route, '/api/v1/market/ingest': ingest.route },
      lookup, fx, pipeline, hub, store, cache, retention,
      get provider() {
        return provider;
      },
      historyLoaded: () => historyDone,
      disconnectStreams: (code = 1012, reason = 'service restart: reconnect') => {
        let n = 0;
        for (const sess of stream.sessions()) {
          sess.ws.close(code, reason);
          n++;
        }
        return n;
      },
      streamBufferedBytes: () => [...stream.sessions()].map((s) => s.ws.bufferedAmount),
      stats: () => ({ streamConnections: stream.count(), ingestConnections: ingest.count(), ingestInWorker: parser.inWorker(), pipeline: pipeline.stats(), hub: hub.stats(), cacheSize: cache.size() }),
      async start() {
        await store.init();
        unwatch = opts.watchSecurities?.((added) => {
          for (const s of added) if (s) master.add(s);
          const ids = symbolTable.add(added.filter(Boolean));
          workerParser?.symbolsAdded(ids);
        }) ?? null;
        const held = new Set(typeof opts.heldSymbols === 'function' ? await opts.heldSymbols() : opts.heldSymbols ?? symbols);
        if (opts.dailyHistory && (await store.countDaily()) === 0) {
          // The newest chunk of each matrix (latest closes) is written before start returns so the cache warms
          // with prices; older years follow in the background in small transactions.
          const given = typeof opts.dailyHistory === 'function' ? opts.dailyHistory() : opts.dailyHistory;
          const matrices = Array.isArray(given) ? given : [given];
          const wanted = new Set([...held, ...fxPairs]);
          const gens = matrices.map((m) => historyChunks(m, wanted, 20_000));
          let rows = 0;
          for (const gen of gens) {
            const first = gen.next();
            if (!first.done) {
              await store.replaceDaily(first.value);
              rows += first.value.length;
            }
          }
          historyDone = (async () => {
            for (const gen of gens) {
              for (const chunk of gen) {
                if (stopped) return rows;
                await store.replaceDaily(chunk);
                rows += chunk.length;
                await new Promise((r) => setTimeout(r, 5));
              }
            }
            ctx.log.info({ rows }, 'market daily history imported');
            return rows;
          })().catch((err) => {
            ctx.log.error({ err }, 'market history import failed');
            return 0;
          });
        }
        const warmed = await lookup.warm([...held, ...fxPairs]);
        const start = new Map<string, number>();
        for (const s of master) {
          const e = cache.peek(s);
          if (e) start.set(s, e.price);
        }
        provider = typeof opts.provider === 'function' ? opts.provider(start) : opts.provider ?? null;
        pipeline.start();
        if (provider) await provider.start(pipeline);
        const fxWarm = await fx.warm(TOP_PAIRS.filter((p) => master.has(p)));
        if (opts.retention?.enabled !== false) retention.start();
        features.set(ctx, feature);
        ctx.log.info({ symbols: symbols.length, fxPairs: fxPairs.length, warmed, fxWarm, provider: provider?.name ?? 'none' }, 'market hub started');
      },
      async stop() {
        stopped = true;
        unwatch?.();
        stream.stop();
        ingest.stop();
        await parser.stop();
        await provider?.stop();
        await retention.stop();
        await historyDone;
        await pipeline.stop();
        hub.stop();
        features.delete(ctx);
      },
    };
    return feature;
  };
}

export interface PriceService extends PriceLookup {
  fxRate(pair: string): Promise<number>;
  convert(amount: number, from: string, to: string): Promise<number>;
}

/**
 * Batched latest prices (and FX) for other features. Uses the running market feature of this server when there
 * is one; otherwise reads the same SQLite tables through its own small cache.
 */
export function createPriceLookup(ctx: ServerContext, clock: Clock = systemClock): PriceService {
  const live = () => features.get(ctx);
  let own: { lookup: PriceLookup; fx: FxRates } | null = null;
  const fallback = () => {
    if (!own) {
      const store = createPriceStore(ctx.sql);
      const lookup = createCachedPriceLookup(createPriceCache({ clock }), store, clock);
      const fx = createFxRates({
        clock,
        source: async (pairs) => new Map([...(await lookup.getPrices(pairs))].map(([s, q]) => [s, { s, p: q.price, t: q.t }])),
      });
      own = { lookup, fx };
    }
    return own;
  };
  const pick = () => live() ?? fallback();
  return {
    getPrices: (symbols) => pick().lookup.getPrices(symbols),
    warm: (symbols) => pick().lookup.warm(symbols),
    fxRate: (pair) => pick().fx.fxRate(pair),
    convert: (amount, from, to) => pick().fx.convert(amount, from, to),
  };
}

