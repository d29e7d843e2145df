// Simulated provider (the default in demo mode): a correlated random walk. Each symbol's log price is its start
// price plus beta × a shared market factor plus its own idiosyncratic walk, so symbols move together the way
// equities do. Emits `ticksPerSec` ticks (spread over batches every `batchMs`) to random symbols while the US
// market is open; outside the session equities are quiet and only FX pairs tick (at a tenth of the rate).
// Prices decimal (rounded to 4 places), times epoch milliseconds; volatilities are annualized.
import { isMarketOpen } from '../market-hours.ts';
import type { Clock, PriceProvider, Tick, TickSink } from '../types.ts';

export interface SimulatedOptions {
  /** Start prices per symbol (e.g. the last demo closes). */
  start: Map<string, number>;
  /** FX pairs with start rates, e.g. EURUSD → 1.08. */
  fxStart?: Map<string, number>;
  ticksPerSec?: number;
  batchMs?: number;
  seed?: number;
  clock: Clock;
  marketOpen?: (ms: number) => boolean;
  marketVol?: number;
  idioVol?: number;
}

export interface SimulatedProvider extends PriceProvider {
  /** Produces one batch of `n` ticks at time `now` (the timer calls it; tests call it directly). */
  step(n: number, now: number): Tick[];
  current(symbol: string): number | undefined;
}

/** mulberry32: a small deterministic PRNG, uniform in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const YEAR_MS = 252 * 6.5 * 3_600_000; // trading time in a year

export function createSimulatedProvider(o: SimulatedOptions): SimulatedProvider {
  const rand = prng(o.seed ?? 42);
  const gauss = () => {
    const u = 1 - rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const marketOpen = o.marketOpen ?? isMarketOpen;
  const symbols = [...o.start.keys()];
  const fx = [...(o.fxStart?.keys() ?? [])];
  const base = new Float64Array(symbols.length + fx.length);
  const beta = new Float64Array(base.length);
  const idio = new Float64Array(base.length);
  const lastT = new Float64Array(base.length);
  const all = [...symbols, ...fx];
  all.forEach((s, i) => {
    base[i] = Math.log(i < symbols.length ? o.start.get(s)! : o.fxStart!.get(s)!);
    beta[i] = i < symbols.length ? 0.5 + rand() : 0.2;
  });
  const indexOf = new Map(all.map((s, i) => [s, i]));
  const marketVol = o.marketVol ?? 0.18;
  const idioVol = o.idioVol ?? 0.3;
  let factor = 0;
  let factorT = -1;
  let timer: NodeJS.Timeout | null = null;
  const price = (i: number) => Math.round(Math.exp(base[i] + beta[i] * factor + idio[i]) * 10_000) / 10_000;

  function step(n: number, now: number): Tick[] {
    const open = marketOpen(now);
    const pool = open ? all.length : fx.length;
    const offset = open ? 0 : symbols.length;
    if (!pool) return [];
    if (factorT >= 0 && now > factorT) factor += gauss() * marketVol * Math.sqrt((now - factorT) / YEAR_MS);
    factorT = now;
    const out: Tick[] = [];
    for (let k = 0; k < n; k++) {
      const i = offset + Math.floor(rand() * pool);
      const dt = lastT[i] ? Math.max(0, now - lastT[i]) : 1_000;
      idio[i] += gauss() * idioVol * Math.sqrt(dt / YEAR_MS);
      lastT[i] = now;
      out.push({ s: all[i], p: price(i), t: now });
    }
    return out;
  }

  return {
    name: 'simulated',
    step,
    current: (s) => (indexOf.has(s) ? price(indexOf.get(s)!) : undefined),
    start(sink: TickSink) {
      const batchMs = o.batchMs ?? 50;
      const rate = o.ticksPerSec ?? 500;
      let carry = 0;
      sink.connected('simulated');
      timer = setInterval(() => {
        const now = o.clock.now();
        const wanted = (rate * batchMs) / 1000 * (marketOpen(now) ? 1 : 0.1) + carry;
        const n = Math.floor(wanted);
        carry = wanted - n;
        if (n > 0) sink.ticks(step(n, now), 'simulated');
      }, batchMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    async fetchFx(pairs) {
      const now = o.clock.now();
      const out = new Map<string, Tick>();
      for (const p of pairs) if (indexOf.has(p)) out.set(p, { s: p, p: price(indexOf.get(p)!), t: now });
      return out;
    },
  };
}
