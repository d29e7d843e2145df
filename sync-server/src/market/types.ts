// Shared shapes of the market price hub. Units: prices are decimal numbers per share (or per unit of the base
// currency for FX pairs such as 'EURUSD' = USD per 1 EUR); times are epoch milliseconds; volumes are shares.

/** One price observation from a provider: symbol, price, provider's tick time, optional traded volume. */
export interface Tick {
  s: string;
  p: number;
  t: number;
  v?: number;
}

/** A latest price as served to callers: the last good price with its age, never blocking on a provider. */
export interface Quote {
  symbol: string;
  price: number;
  /** Provider tick time of the price. */
  t: number;
  /** now − t at lookup time. */
  ageMs: number;
  /** True when the provider disconnected since this price arrived, or it is older than the market-hours TTL. */
  stale: boolean;
}

/** One OHLCV bar; `t` = bar start (minute bars: the minute; daily bars: UTC midnight of the New York trading date). */
export interface Bar {
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

/** Where a provider delivers ticks and reports its connection state. */
export interface TickSink {
  /** Accepts a batch of ticks; returns how many were accepted (unknown symbols and out-of-order ticks are dropped). */
  ticks(ticks: Tick[], source: string): { accepted: number; unknown: string[] };
  connected(source: string): void;
  /** Marks every price this source delivered as stale (seed 5: invalidate on provider disconnect). */
  disconnected(source: string, reason: string): void;
}

/** A market-data source (simulated walk, file replay, HTTP vendor poller). The ws ingest endpoint is the fourth kind. */
export interface PriceProvider {
  readonly name: string;
  start(sink: TickSink): Promise<void> | void;
  stop(): Promise<void> | void;
  /** Latest FX rates for pairs like 'EURUSD' (USD per 1 EUR); absent when the provider has none. */
  fetchFx?(pairs: string[]): Promise<Map<string, Tick>>;
}

/**
 * Optional latency probe (benches, diagnostics): wall-clock (Date.now()) stamps along a tick's way through the
 * server, to split delivery latency into its stages. Unset in production; each hook costs nothing when absent.
 */
export interface LatencyProbe {
  /** An ingest message's ticks, parsed (their times: `count` of them in `times`), before the pipeline sees them. */
  ingested?(times: Float64Array, count: number, wallMs: number): void;
  /** The same ticks after the pipeline handed them to the cache and the stream hub (queued per connection). */
  published?(times: Float64Array, count: number, wallMs: number): void;
  /** One stream message handed to the socket: the tick times it carries (`count` of them in `times`), and the wall time. */
  written?(times: Float64Array, count: number, wallMs: number): void;
}

/** Injectable time source (tests advance it by hand). */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
