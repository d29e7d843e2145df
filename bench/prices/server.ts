// Bench server process: the real sync server (createServer + the market feature) on 127.0.0.1 with a generated
// universe (@aw/demo generateMarket, fixed seed), no provider (ticks come through the ws ingest endpoint) and a
// GET /bench/stats route reporting this process's memory (after a GC when ?gc=1), CPU time, uptime (ms, the clock of
// --trace-gc lines), event-loop delay since the last ?resetLoop=1, and the hub's counters.
// Prints one JSON line {url, tokens} on stdout when ready; stops on SIGTERM.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Router } from 'express';
import { generateMarket } from '@aw/demo';
import { startHarness } from '../../sync-server/src/market/test-harness.ts';
import type { FeatureFactory } from '../../sync-server/src/context.ts';
import type { MarketFeature } from '../../sync-server/src/market/index.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const universe = arg('universe', 5000);
const seed = arg('seed', 7);
const windowMs = arg('window-ms', 50);

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
    res.json({ rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, ...s, cpu: process.cpuUsage(), loop, uptimeMs: performance.now() });
  });
  return { name: 'bench-stats', router };
};

const h = await startHarness(
  {
    securities: market.securities,
    provider: null,
    batchWindowMs: windowMs,
    retention: { enabled: false },
    // A client reading slower than the stream is normal under bench load; keep the production defaults otherwise.
  },
  { extraFeatures: [statsFeature] },
);
feature = h.market;
process.stdout.write(`${JSON.stringify({ url: h.url, tokens: h.tokens, pid: process.pid })}\n`);
const stop = () => void h.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
