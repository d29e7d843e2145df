// Subscription fan-out of the price stream (seed 7). A symbol → subscribers index makes a tick cost
// O(subscribers of that symbol); each connection keeps only the latest pending tick per subscribed symbol
// (at most `maxSymbols` entries, never a queue) and receives at most one message per batching window.
// Back-pressure: while a socket's buffered bytes exceed `maxBufferedBytes` nothing more is written to it; newer
// ticks overwrite the pending ones (counted as superseded), so a slow consumer costs a bounded amount of memory.
// Times are milliseconds.
import type { Tick } from './types.ts';

/** A tick shared by every subscriber; its JSON fragment is built once, on the first send. */
interface PendingTick {
  s: string;
  p: number;
  t: number;
  json: string | null;
}

export interface StreamConn {
  send(data: string): void;
  bufferedAmount(): number;
  /** Subscribed symbols (a short array: at most maxSymbols). */
  symbols: string[];
  pending: Map<string, PendingTick> | null;
  windowMs: number;
  lastSentAt: number;
  dirty: boolean;
  closed: boolean;
}

export interface HubStats {
  ticksPublished: number;
  ticksQueued: number;
  ticksSuperseded: number;
  messagesSent: number;
  backpressureSkips: number;
}

export interface StreamHubOptions {
  /** Bytes a socket may have buffered before the hub stops writing to it. */
  maxBufferedBytes?: number;
  now?: () => number;
  onSend?: (ticks: number, bytes: number) => void;
}

export interface StreamHub {
  newConn(send: (data: string) => void, bufferedAmount: () => number, windowMs: number): StreamConn;
  subscribe(conn: StreamConn, symbols: string[]): void;
  unsubscribe(conn: StreamConn, symbols: string[]): void;
  remove(conn: StreamConn): void;
  publish(tick: Tick): void;
  /** Queues ticks for one connection only (the snapshot after a subscribe). */
  prime(conn: StreamConn, ticks: Tick[]): void;
  subscriberCount(symbol: string): number;
  stats(): HubStats;
  stop(): void;
}

export function createStreamHub(opts: StreamHubOptions = {}): StreamHub {
  const maxBufferedBytes = opts.maxBufferedBytes ?? 64 * 1024;
  const now = opts.now ?? (() => performance.now());
  // Arrays (swap-remove) rather than Sets: ~8 bytes per subscription instead of ~40, and faster to iterate.
  const index = new Map<string, StreamConn[]>();
  /** Dirty connections per batching window length, each drained by one shared timer. */
  const lanes = new Map<number, { dirty: Set<StreamConn>; timer: NodeJS.Timeout; soon: boolean }>();
  const stats: HubStats = { ticksPublished: 0, ticksQueued: 0, ticksSuperseded: 0, messagesSent: 0, backpressureSkips: 0 };

  const lane = (windowMs: number) => {
    let l = lanes.get(windowMs);
    if (!l) {
      const dirty = new Set<StreamConn>();
      // Ticking at a fifth of the window adds at most ~0.2 window of delay while never sending twice in one window.
      const timer = setInterval(() => drain(dirty, windowMs), Math.max(1, Math.floor(windowMs / 5)));
      timer.unref();
      l = { dirty, timer, soon: false };
      lanes.set(windowMs, l);
    }
    return l;
  };

  function drain(dirty: Set<StreamConn>, windowMs: number): void {
    if (!dirty.size) return;
    const t = now();
    for (const conn of dirty) {
      if (conn.closed || !conn.pending || conn.pending.size === 0) {
        conn.dirty = false;
        dirty.delete(conn);
        continue;
      }
      if (t - conn.lastSentAt < windowMs) continue;
      if (conn.bufferedAmount() > maxBufferedBytes) {
        stats.backpressureSkips++;
        continue;
      }
      let body = '';
      let n = 0;
      for (const rec of conn.pending.values()) {
        rec.json ??= `{"s":${JSON.stringify(rec.s)},"p":${rec.p},"t":${rec.t}}`;
        body += n++ ? `,${rec.json}` : rec.json;
      }
      conn.pending.clear();
      const msg = `{"type":"prices","ticks":[${body}]}`;
      conn.lastSentAt = t;
      conn.dirty = false;
      dirty.delete(conn);
      stats.messagesSent++;
      opts.onSend?.(n, msg.length);
      conn.send(msg);
    }
  }

  const enqueue = (conn: StreamConn, rec: PendingTick): void => {
    if (conn.closed) return;
    const pending = (conn.pending ??= new Map());
    if (pending.has(rec.s)) stats.ticksSuperseded++;
    pending.set(rec.s, rec);
    stats.ticksQueued++;
    if (!conn.dirty) {
      conn.dirty = true;
      const l = lane(conn.windowMs);
      l.dirty.add(conn);
      // Leading edge: a connection that sent nothing for a whole window gets this tick right after the current
      // ingest message is processed, instead of at the next timer tick.
      if (!l.soon && now() - conn.lastSentAt >= conn.windowMs) {
        l.soon = true;
        setImmediate(() => {
          l.soon = false;
          drain(l.dirty, conn.windowMs);
        });
      }
    }
  };

  return {
    newConn: (send, bufferedAmount, windowMs) => ({
      send, bufferedAmount, symbols: [], pending: null, windowMs, lastSentAt: -Infinity, dirty: false, closed: false,
    }),
    subscribe(conn, symbols) {
      for (const s of symbols) {
        if (conn.symbols.includes(s)) continue;
        conn.symbols.push(s);
        let subs = index.get(s);
        if (!subs) index.set(s, (subs = []));
        subs.push(conn);
      }
    },
    unsubscribe(conn, symbols) {
      for (const s of symbols) {
        const i = conn.symbols.indexOf(s);
        if (i < 0) continue;
        conn.symbols.splice(i, 1);
        conn.pending?.delete(s);
        const subs = index.get(s);
        if (!subs) continue;
        const j = subs.indexOf(conn);
        if (j >= 0) {
          subs[j] = subs[subs.length - 1];
          subs.pop();
        }
        if (subs.length === 0) index.delete(s);
      }
    },
    remove(conn) {
      conn.closed = true;
      this.unsubscribe(conn, [...conn.symbols]);
      conn.pending = null;
      for (const l of lanes.values()) l.dirty.delete(conn);
    },
    publish(tick) {
      stats.ticksPublished++;
      const subs = index.get(tick.s);
      if (!subs) return;
      const rec: PendingTick = { s: tick.s, p: tick.p, t: tick.t, json: null };
      for (const conn of subs) enqueue(conn, rec);
    },
    prime(conn, ticks) {
      for (const tick of ticks) if (conn.symbols.includes(tick.s)) enqueue(conn, { s: tick.s, p: tick.p, t: tick.t, json: null });
    },
    subscriberCount: (symbol) => index.get(symbol)?.length ?? 0,
    stats: () => ({ ...stats }),
    stop() {
      for (const l of lanes.values()) clearInterval(l.timer);
      lanes.clear();
    },
  };
}
