import pino from 'pino';
import { createIngestPipeline } from '../sync-server/src/market/ingest-pipeline.ts';
import { createPriceCache } from '../sync-server/src/market/price-cache.ts';
import { createStreamHub } from '../sync-server/src/market/stream-hub.ts';
const syms = Array.from({ length: 5000 }, (_, i) => `S${i}`);
const set = new Set(syms);
const cache = createPriceCache({ clock: { now: () => Date.now() } });
const hub = createStreamHub();
const p = createIngestPipeline({ isKnown: (s) => set.has(s), store: { writeFlush: async () => {} } as any, cache, hub, log: pino({ level: 'silent' }) });
const mk = (base: number) => { const msgs: string[] = [];
for (let m = 0; m < 100; m++) {
  const now = base;
  msgs.push(JSON.stringify({ type: 'ticks', ticks: Array.from({ length: 2000 }, (_, k) => ({ s: syms[(m * 2000 + k * 7) % 5000], p: 100 + k / 1000, t: now + m })) }));
} return msgs; };
for (const pass of [0, 1, 2, 3, 4]) {
  const msgs = mk(Date.now() + pass * 1000);
  let c0 = process.cpuUsage(); let t0 = performance.now();
  for (const m of msgs) JSON.parse(m);
  let c1 = process.cpuUsage(c0);
  console.log('parse only per tick µs', (c1.user + c1.system) / 200000, 'wall', (performance.now() - t0) * 1000 / 200000);
  c0 = process.cpuUsage(); t0 = performance.now();
  for (const m of msgs) { const x = JSON.parse(m); p.ticks(x.ticks, 'a'); }
  c1 = process.cpuUsage(c0);
  console.log('parse+pipeline per tick µs', (c1.user + c1.system) / 200000, 'wall', (performance.now() - t0) * 1000 / 200000, p.stats().droppedOutOfOrder);
  await p.flush();
}
