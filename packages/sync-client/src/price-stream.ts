// Browser-safe client of the server's live price stream (WS /api/v1/market/stream, CONTRACTS section 4).
// Keeps the wanted symbol set across reconnects: every (re)connection authenticates with the first message, then
// re-subscribes. Reconnects with exponential backoff and jitter (250 ms doubling to 10 s, reset once the server says
// `ready`); an auth failure (close 4001/4003) stops until `reconnect()` (e.g. after a new login).
// Exposes rxjs observables: every tick, the latest price per symbol, the connection state and server errors.
// Works with the browser WebSocket and with Node's `ws` (pass it as `WebSocketImpl`). Times are epoch ms.
import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import type { WebSocketCtor, WebSocketLike } from './replication-stream.ts';

export interface PriceTick {
  s: string;
  p: number;
  /** Provider tick time, epoch ms. */
  t: number;
}

export type PriceStreamState = 'connecting' | 'open' | 'reconnecting' | 'auth_failed' | 'closed';

export interface PriceStreamError { code: string; message: string; symbols?: string[] }

export interface PriceStreamOptions {
  /** Server base URL (http(s)://host:port) or the full ws(s):// stream URL. */
  url: string;
  getToken(): string | Promise<string>;
  WebSocketImpl?: WebSocketCtor;
  /** Batching window to ask the server for (10–100 ms; default the server's 50 ms). */
  windowMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface PriceStream {
  readonly ticks$: Observable<PriceTick>;
  /** Latest tick per subscribed symbol (a new Map after every server message). */
  readonly prices$: Observable<ReadonlyMap<string, PriceTick>>;
  readonly state$: Observable<PriceStreamState>;
  readonly errors$: Observable<PriceStreamError>;
  subscribe(symbols: string[]): void;
  unsubscribe(symbols: string[]): void;
  /** Symbols this client wants (sent again after every reconnect). */
  symbols(): string[];
  /** Reconnects now (after an auth failure, or to skip the backoff wait). */
  reconnect(): void;
  close(): void;
}

/** Close codes after which retrying with the same token cannot succeed. */
const AUTH_CLOSE_CODES = new Set([4001, 4003]);

export function streamUrl(url: string): string {
  if (/^wss?:\/\//.test(url)) return url;
  return `${url.replace(/^http/, 'ws').replace(/\/$/, '')}/api/v1/market/stream`;
}

export function openPriceStream(o: PriceStreamOptions): PriceStream {
  const Impl = o.WebSocketImpl ?? (globalThis as unknown as { WebSocket: WebSocketCtor }).WebSocket;
  if (!Impl) throw new Error('no WebSocket implementation: pass WebSocketImpl (e.g. the ws package in Node)');
  const minBackoff = o.minBackoffMs ?? 250;
  const maxBackoff = o.maxBackoffMs ?? 10_000;
  const wanted = new Set<string>();
  const latest = new Map<string, PriceTick>();
  const ticks$ = new Subject<PriceTick>();
  const prices$ = new BehaviorSubject<ReadonlyMap<string, PriceTick>>(new Map());
  const state$ = new BehaviorSubject<PriceStreamState>('connecting');
  const errors$ = new Subject<PriceStreamError>();
  let ws: WebSocketLike | null = null;
  let ready = false;
  let closed = false;
  let backoff = minBackoff;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const send = (msg: object) => {
    if (ws && ready) ws.send(JSON.stringify(msg));
  };

  const schedule = () => {
    if (closed || timer || state$.value === 'auth_failed') return;
    state$.next('reconnecting');
    const delay = backoff * (0.75 + Math.random() * 0.5);
    backoff = Math.min(backoff * 2, maxBackoff);
    timer = setTimeout(() => {
      timer = null;
      connect();
    }, delay);
  };

  function onMessage(raw: unknown) {
    let msg: { type?: string; ticks?: PriceTick[]; code?: string; message?: string; symbols?: string[] };
    try {
      msg = JSON.parse(typeof raw === 'string' ? raw : String(raw));
    } catch {
      return;
    }
    if (msg.type === 'prices' && Array.isArray(msg.ticks)) {
      let changed = false;
      for (const t of msg.ticks) {
        if (!wanted.has(t.s)) continue; // an unsubscribe in flight: drop late ticks
        latest.set(t.s, t);
        ticks$.next(t);
        changed = true;
      }
      if (changed) prices$.next(new Map(latest));
    } else if (msg.type === 'ready') {
      ready = true;
      backoff = minBackoff;
      state$.next('open');
      if (wanted.size) send({ type: 'subscribe', symbols: [...wanted] });
    } else if (msg.type === 'error') {
      // Unknown symbols can never be served: forget them. A too_many_symbols refusal is left to the caller.
      if (msg.code === 'unknown_symbol') for (const s of msg.symbols ?? []) wanted.delete(s);
      errors$.next({ code: msg.code ?? 'error', message: msg.message ?? '', symbols: msg.symbols });
    }
  }

  function connect() {
    if (closed) return;
    ready = false;
    if (state$.value !== 'reconnecting') state$.next('connecting');
    let sock: WebSocketLike;
    try {
      sock = new Impl(streamUrl(o.url));
    } catch (err) {
      errors$.next({ code: 'connect_failed', message: (err as Error).message });
      return schedule();
    }
    ws = sock;
    sock.onopen = () => {
      void Promise.resolve(o.getToken()).then((token) => {
        if (ws === sock) sock.send(JSON.stringify({ type: 'auth', token, ...(o.windowMs ? { windowMs: o.windowMs } : {}) }));
      });
    };
    sock.onmessage = (ev) => {
      if (ws === sock) onMessage(ev.data);
    };
    sock.onerror = () => undefined;
    sock.onclose = (ev) => {
      if (ws !== sock) return;
      ws = null;
      ready = false;
      if (closed) return;
      if (AUTH_CLOSE_CODES.has(ev.code)) {
        errors$.next({ code: ev.code === 4003 ? 'forbidden' : 'unauthorized', message: ev.reason || 'authentication failed' });
        state$.next('auth_failed');
        return;
      }
      schedule();
    };
  }

  connect();

  return {
    ticks$: ticks$.asObservable(),
    prices$: prices$.asObservable(),
    state$: state$.asObservable(),
    errors$: errors$.asObservable(),
    subscribe(symbols) {
      const added = symbols.filter((s) => !wanted.has(s));
      for (const s of added) wanted.add(s);
      if (added.length) send({ type: 'subscribe', symbols: added });
    },
    unsubscribe(symbols) {
      const removed = symbols.filter((s) => wanted.delete(s));
      for (const s of removed) latest.delete(s);
      if (removed.length) {
        send({ type: 'unsubscribe', symbols: removed });
        prices$.next(new Map(latest));
      }
    },
    symbols: () => [...wanted],
    reconnect() {
      if (closed) return;
      if (timer) clearTimeout(timer);
      timer = null;
      backoff = minBackoff;
      const old = ws;
      ws = null;
      old?.close(1000, 'reconnect');
      state$.next('connecting');
      connect();
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      ws?.close(1000, 'client closed');
      ws = null;
      state$.next('closed');
      ticks$.complete();
      prices$.complete();
      state$.complete();
      errors$.complete();
    },
  };
}
