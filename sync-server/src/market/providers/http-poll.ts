// HTTP polling adapter for a market-data vendor: GET `${url}?symbols=A,B,…` (chunks of `symbolsPerRequest`)
// answering `{"ticks":[{"s","p","t"}]}` (or `{"prices":{"A":{"p","t"}}}`, the shape of our own prices endpoint).
// Every request has a connect timeout (2 s), a read timeout (5 s without bytes) and a total timeout (10 s), and runs
// through a circuit breaker (open after 5 failures, half-open after 60 s, seed 11). Failures never reach users:
// the poller only stops feeding ticks, and when the circuit opens its prices are marked stale.
// FX pairs are polled the same way (`fetchFx`). Times are milliseconds.
import http from 'node:http';
import https from 'node:https';
import { createCircuitBreaker, type BreakerState, type CircuitBreaker } from '../circuit-breaker.ts';
import type { Clock, PriceProvider, Tick, TickSink } from '../types.ts';

export class VendorError extends Error {
  constructor(
    readonly kind: 'connect_timeout' | 'read_timeout' | 'total_timeout' | 'http_status' | 'bad_body' | 'network',
    message: string,
  ) {
    super(message);
    this.name = 'VendorError';
  }
}

export interface HttpTimeouts {
  connectMs: number;
  readMs: number;
  totalMs: number;
}

export const DEFAULT_TIMEOUTS: HttpTimeouts = { connectMs: 2_000, readMs: 5_000, totalMs: 10_000 };

/** GET a JSON document with the three timeouts; rejects with VendorError. */
export function getJson(url: string, t: HttpTimeouts = DEFAULT_TIMEOUTS, headers: Record<string, string> = {}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const lib = url.startsWith('https:') ? https : http;
    let done = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (err: Error | null, value?: unknown) => {
      if (done) return;
      done = true;
      for (const x of timers) clearTimeout(x);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(value);
    };
    const req = lib.get(url, { headers: { accept: 'application/json', ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => finish(new VendorError('network', `vendor response failed: ${e.message}`)));
      res.on('end', () => {
        if ((res.statusCode ?? 0) >= 400) return finish(new VendorError('http_status', `vendor answered HTTP ${res.statusCode}`));
        try {
          finish(null, JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          finish(new VendorError('bad_body', 'vendor answered with a body that is not JSON'));
        }
      });
    });
    timers.push(setTimeout(() => finish(new VendorError('total_timeout', `vendor request took longer than ${t.totalMs} ms`)), t.totalMs));
    req.on('socket', (socket) => {
      const connectTimer = setTimeout(() => finish(new VendorError('connect_timeout', `no connection to the vendor within ${t.connectMs} ms`)), t.connectMs);
      timers.push(connectTimer);
      const connected = () => {
        clearTimeout(connectTimer);
        // Read timeout: no bytes for readMs once connected (request sent, waiting for or reading the answer).
        socket.setTimeout(t.readMs, () => finish(new VendorError('read_timeout', `vendor sent nothing for ${t.readMs} ms`)));
      };
      if ((socket as { connecting?: boolean }).connecting) socket.once('connect', connected);
      else connected();
    });
    req.on('error', (e) => finish(new VendorError('network', `vendor request failed: ${e.message}`)));
  });
}

/** Accepts `{"ticks":[…]}` or `{"prices":{"SYM":{"p","t"}}}`. */
export function parseVendorBody(body: unknown): Tick[] {
  const b = body as { ticks?: unknown; prices?: unknown };
  if (b && Array.isArray(b.ticks)) return b.ticks as Tick[];
  if (b && b.prices && typeof b.prices === 'object') {
    return Object.entries(b.prices as Record<string, { p: number; t: number }>).map(([s, q]) => ({ s, p: q?.p, t: q?.t }));
  }
  throw new VendorError('bad_body', 'vendor body has neither "ticks" nor "prices"');
}

export interface HttpPollOptions {
  url: string;
  symbols: string[];
  pollIntervalMs?: number;
  symbolsPerRequest?: number;
  timeouts?: Partial<HttpTimeouts>;
  headers?: Record<string, string>;
  clock: Clock;
  failureThreshold?: number;
  openMs?: number;
  onBreakerState?: (s: BreakerState) => void;
}

export interface HttpPollProvider extends PriceProvider {
  /** One polling round (every chunk); the timer calls it, tests call it directly. */
  pollOnce(): Promise<{ ticks: number; failures: number; skipped: number }>;
  breaker: CircuitBreaker;
}

export function createHttpPollProvider(o: HttpPollOptions): HttpPollProvider {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...o.timeouts };
  const per = o.symbolsPerRequest ?? 200;
  const source = `http:${new URL(o.url).host}`;
  let sink: TickSink | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  const breaker = createCircuitBreaker({
    clock: o.clock, failureThreshold: o.failureThreshold, openMs: o.openMs,
    onStateChange: (s) => {
      o.onBreakerState?.(s);
      if (s === 'open') sink?.disconnected(source, 'vendor circuit open');
      if (s === 'closed') sink?.connected(source);
    },
  });
  const urlFor = (symbols: string[]) => `${o.url}${o.url.includes('?') ? '&' : '?'}symbols=${encodeURIComponent(symbols.join(','))}`;
  const fetchTicks = (symbols: string[]) => breaker.call(async () => parseVendorBody(await getJson(urlFor(symbols), timeouts, o.headers)));

  async function pollOnce() {
    let ticks = 0;
    let failures = 0;
    let skipped = 0;
    for (let i = 0; i < o.symbols.length; i += per) {
      try {
        const got = await fetchTicks(o.symbols.slice(i, i + per));
        ticks += sink ? sink.ticks(got, source).accepted : got.length;
      } catch (err) {
        if ((err as Error).name === 'CircuitOpenError') skipped++;
        else failures++;
      }
    }
    return { ticks, failures, skipped };
  }

  return {
    name: source,
    breaker,
    pollOnce,
    start(s) {
      sink = s;
      const every = o.pollIntervalMs ?? 1_000;
      const loop = () => {
        // Never overlap rounds: a hanging vendor delays only the poller, not user requests.
        if (!running) running = pollOnce().finally(() => (running = null));
      };
      loop();
      timer = setInterval(loop, every);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
    async fetchFx(pairs) {
      const out = new Map<string, Tick>();
      for (const t of await fetchTicks(pairs)) if (t && typeof t.p === 'number' && t.p > 0) out.set(t.s, t);
      return out;
    },
  };
}
