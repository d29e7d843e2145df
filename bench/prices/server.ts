// Bench server process: the real sync server (createServer + the market feature) on 127.0.0.1 with a generated
// universe (@aw/demo generateMarket, fixed seed), no provider (ticks come through the ws ingest endpoint) and a
// GET /bench/stats route reporting this process's memory (after a GC when ?gc=1), CPU time, uptime (ms, the clock of
// --trace-gc lines), event-loop delay since the last ?resetLoop=1, and the hub's counters.
// Latency split (?latency=1 reports, ?resetLatency=1 clears): 1 ms histograms of wall time − tick time per tick when
// the ingest message was parsed, when the pipeline had handed it to the hub, and when the message carrying it was
// handed to the socket; plus per message its newest tick's age at the write (the server's share of pathP*Ms).
// Prints one JSON line {url, tokens} on stdout when ready; stops on SIGTERM.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Router } from 'express';
import { generateMarket } from '@aw/demo';
import { startHarness } from '../../sync-server/src/market/test-harness.ts';
import type { FeatureFactory } from '../../sync-server/src/context.ts';
import type { LatencyProbe, MarketFeature } from '../../sync-server/src/market/index.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const universe = arg('universe', 5000);
const seed = arg('seed', 7);
const windowMs = arg('window-ms', 50);
/** --ingest-worker: parse ws ingest on the server's ingest worker thread instead of its main thread, to compare. */
const ingestWorker = process.argv.includes('--ingest-worker');

const HIST_MAX = 10_000;
const newHists = () => ({ ingested: new Uint32Array(HIST_MAX + 1), published: new Uint32Array(HIST_MAX + 1), written: new Uint32Array(HIST_MAX + 1), writtenNewest: new Uint32Array(HIST_MAX + 1) });
let hists = newHists();
const bucket = (ms: number) => (ms < 0 ? 0 : ms > HIST_MAX ? HIST_MAX : Math.round(ms));
const probe: LatencyProbe = {
  ingested(times, count, wall) {
    const h = hists.ingested;
    for (let i = 0; i < count; i++) h[bucket(wall - times[i])]++;
  },
  published(times, count, wall) {
    const h = hists.published;
    for (let i = 0; i < count; i++) h[bucket(wall - times[i])]++;
  },
  written(times, count, wall) {
    const h = hists.written;
    let newest = 0;
    for (let i = 0; i < count; i++) {
      h[bucket(wall - times[i])]++;
      if (times[i] > newest) newest = times[i];
    }
    hists.writtenNewest[bucket(wall - newest)]++;
  },
};
const sparse = (h: Uint32Array) => {
  const out: Array<[number, number]> = [];
  h.forEach((n, ms) => n && out.push([ms, n]));
  return out;
};

const market = generateMarket({ seed, securities: universe, years: 1 });
let feature: MarketFeature | null = null;
// Event-loop delay: how long a ready callback (a socket read, the hub's timer) waited for the busy loop, in ns.
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
const statsFeature: FeatureFactory = () => {
  const router = Router();
  router.get('/bench/stats', (req, res) => {
    if (req.query.gc === '1' && typeof globalThis.gc === 'function') {
      globalThis.gc();
      globalThis.gc();
    }
    const m = process.memoryUsage();
    const s = feature!.stats();
    const loop = { p50Ms: loopDelay.percentile(50) / 1e6, p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6 };
    if (req.query.resetLoop === '1') loopDelay.reset();
    const latency = req.query.latency === '1' ? Object.fromEntries(Object.entries(hists).map(([k, h]) => [k, sparse(h)])) : undefined;
    if (req.query.resetLatency === '1') hists = newHists();
    res.json({ latency,  rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, ...s, cpu: process.cpuUsage(), loop, uptimeMs: performance.now() });
  });
  return { name: 'bench-stats', router };
};

const h = await startHarness(
  {
    securities: market.securities,
    provider: null,
    batchWindowMs: windowMs,
    retention: { enabled: false },
    ingest: { parseInWorker: ingestWorker },
    probe,
    // A client reading slower than the stream is normal under bench load; keep the production defaults otherwise.
  },
  { extraFeatures: [statsFeature] },
);
feature = h.market;
process.stdout.write(`${JSON.stringify({ url: h.url, tokens: h.tokens, pid: process.pid })}\n`);
const stop = () => void h.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
