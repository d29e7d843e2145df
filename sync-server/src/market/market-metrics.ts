// Prometheus metrics of the price hub (registered on the server's registry): ingest and drop counters, flush
// latency, stream connections, messages and back-pressure, cache size, vendor circuit state.
import { Counter, Gauge, Histogram, type Metric, type Registry } from 'prom-client';

export interface MarketMetricSources {
  cacheSize: () => number;
  streamConnections: () => number;
  ingestConnections: () => number;
  breakerOpen: () => number;
  /** Stream messages and ticks sent so far (plain counters on the hot path; the Prometheus counters catch up on scrape). */
  streamSent: () => { messages: number; ticks: number };
}

export function createMarketMetrics(registry: Registry, sources: MarketMetricSources) {
  // A second market feature on the same registry (tests) reuses the metrics instead of failing to register.
  for (const name of ['market_ticks_accepted_total', 'market_ticks_dropped_total', 'market_flush_duration_seconds', 'market_flush_rows_total',
    'market_stream_messages_total', 'market_stream_ticks_total', 'market_vendor_circuit_open', 'market_cache_symbols',
    'market_stream_connections', 'market_ingest_connections']) {
    if (registry.getSingleMetric(name) as Metric | undefined) registry.removeSingleMetric(name);
  }
  const registers = [registry];
  // Counted on scrape: the stream sends ~20k messages/s, too many for a Counter.inc each on the main thread.
  const reported = { messages: 0, ticks: 0 };
  const catchUp = (key: 'messages' | 'ticks', c: Counter) => {
    const now = sources.streamSent()[key];
    if (now > reported[key]) c.inc(now - reported[key]);
    reported[key] = now;
  };
  return {
    ticksAccepted: new Counter({ name: 'market_ticks_accepted_total', help: 'Ticks accepted by the ingest pipeline', registers }),
    ticksDropped: new Counter({ name: 'market_ticks_dropped_total', help: 'Ticks dropped, by reason (unknown symbol, invalid, out of order)', labelNames: ['reason'], registers }),
    flushSeconds: new Histogram({ name: 'market_flush_duration_seconds', help: 'Duration of one batched SQLite flush', buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1], registers }),
    flushRows: new Counter({ name: 'market_flush_rows_total', help: 'Rows written by flushes (latest, minute and daily bars)', registers }),
    streamMessages: new Counter({ name: 'market_stream_messages_total', help: 'Price messages sent on the stream', registers, collect() { catchUp('messages', this); } }),
    streamTicks: new Counter({ name: 'market_stream_ticks_total', help: 'Ticks delivered on the stream', registers, collect() { catchUp('ticks', this); } }),
    breakerState: new Gauge({ name: 'market_vendor_circuit_open', help: '1 while the vendor circuit breaker is open or half-open', registers, collect() { this.set(sources.breakerOpen()); } }),
    cacheSize: new Gauge({ name: 'market_cache_symbols', help: 'Symbols in the latest-price cache', registers, collect() { this.set(sources.cacheSize()); } }),
    streamConnections: new Gauge({ name: 'market_stream_connections', help: 'Open price stream connections', registers, collect() { this.set(sources.streamConnections()); } }),
    ingestConnections: new Gauge({ name: 'market_ingest_connections', help: 'Open ingest connections', registers, collect() { this.set(sources.ingestConnections()); } }),
  };
}
