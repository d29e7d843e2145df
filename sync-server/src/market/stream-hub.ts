// Subscription fan-out of the price stream (seed 7). A symbol → subscribers index makes a tick cost at most
// O(subscribers of that symbol); each connection receives at most one message per batching window, holding the
// latest tick of each subscribed symbol that ticked since its last message (never a queue).
//
// Pull, not push: symbols get small integer ids; per symbol id the hub keeps the latest price/time, a tick counter
// (`seq`) and its JSON fragment `{"s":…,"p":…,"t":…}` (built at most once per tick, on the first send, then shared by
// every connection's message). A connection keeps, per slot (a subscribed symbol), the symbol id and the counter
// value it last sent; a message carries the slots whose symbol's counter moved on. So a tick itself touches no
// connection while its subscribers are already waiting for their next window: under load (every connection has
// something every window) a tick costs a few array writes, whatever the number of subscribers. A connection is
// either queued (in the due-time heap) or idle; `idleSubs[id]` counts the idle subscribers of a symbol, and only a
// tick of a symbol with idle subscribers walks its subscriber list to queue them. A connection stays queued after a
// message (due one window later) and goes idle when it falls due with nothing new.
// One timer serves all connections: queued connections sit in a min-heap by due time and the single timer is
// armed for the earliest; a connection idle for a whole window sends on the leading edge (right after the current
// ingest message is processed). A drain sends for at most DRAIN_BUDGET_MS, then lets pending socket reads (ingest)
// run before it continues, so ticks are never held back behind a long burst of sends.
// A message is written straight into one Buffer (no message string, no second encoding pass): the first
// FRAME_HEADROOM bytes are left free so the transport can put its frame header in front of the payload and hand
// the socket a single buffer (see ws-frame.ts).
// Back-pressure: while a socket's buffered bytes exceed `maxBufferedBytes` nothing more is written to it; newer
// ticks overwrite the unsent ones (counted as superseded) and it is retried a window later, so a slow consumer
// costs a bounded amount of memory. Times are milliseconds (performance.now() by default).
import type { LatencyProbe, Tick } from './types.ts';

/** Bytes left free at the start of every message buffer (room for the largest WebSocket frame header). */
export const FRAME_HEADROOM = 10;

/**
 * Receives one message: UTF-8 JSON in `frame[payloadAt..]`; `frame[0..payloadAt)` (FRAME_HEADROOM bytes) is free
 * for the transport's header. The buffer is the receiver's from then on.
 */
export type FrameSink = (frame: Buffer, payloadAt: number) => void;

/** The message text of a frame handed to a FrameSink (tests, diagnostics). */
export const frameText = (frame: Buffer, payloadAt: number): string => frame.toString('utf8', payloadAt);

export interface StreamConn {
  send: FrameSink;
  bufferedAmount(): number;
  readonly windowMs: number;
  /** Subscribed symbols in subscription order (a short array: at most maxSymbols). */
  symbols: string[];
  /** Slots in use or free (see `slots`). */
  cap: number;
  /**
   * [0, cap): slot → symbol id, FREE (−1) for a free slot (slots are stable while subscribed); [cap, 2·cap): the
   * symbol's tick counter as of this connection's last message (a slot is pending while they differ).
   */
  slots: Int32Array;
  lastSentAt: number;
  /** Earliest time of the next message (meaningful while queued). */
  dueAt: number;
  /** Position in the hub's due-time heap; −1 when idle (not queued). */
  heapAt: number;
  closed: boolean;
}

export interface HubStats {
  ticksPublished: number;
  /** Ticks handed to connections (a tick counts once per subscriber, a subscribe snapshot once). */
  ticksQueued: number;
  /** Ticks replaced by a newer tick of the same symbol before a message carried them. */
  ticksSuperseded: number;
  ticksSent: number;
  messagesSent: number;
  backpressureSkips: number;
}

export interface StreamHubOptions {
  /** Bytes a socket may have buffered before the hub stops writing to it. */
  maxBufferedBytes?: number;
  now?: () => number;
  onSend?: (ticks: number, bytes: number) => void;
  /** Reports each message's tick times at the moment it is handed to the socket (benches). */
  probe?: LatencyProbe;
}

export interface StreamHub {
  newConn(send: FrameSink, bufferedAmount: () => number, windowMs: number): StreamConn;
  subscribe(conn: StreamConn, symbols: string[]): void;
  unsubscribe(conn: StreamConn, symbols: string[]): void;
  remove(conn: StreamConn): void;
  /** A new tick (the pipeline only publishes in time order per symbol); fields other than s, p, t are ignored. */
  publish(tick: Tick): void;
  /** The hub's id of a symbol (assigned on first use; stable), for `publishId`. */
  symbolId(symbol: string): number;
  /** `publish` by symbol id (no string lookup: the ingest pipeline's hot path). */
  publishId(id: number, p: number, t: number): void;
  /** Queues ticks for one connection only (the snapshot after a subscribe); never replaces a newer published tick. */
  prime(conn: StreamConn, ticks: Tick[]): void;
  /** The ticks a connection would receive in its next message, in slot order (tests, diagnostics). */
  pendingTicks(conn: StreamConn): Tick[];
  subscriberCount(symbol: string): number;
  stats(): HubStats;
  stop(): void;
}

/**
 * Buffer's own latin1 encoder (present on every Node Buffer, not in its typings): `buf.write(s, off, 'latin1')`
 * checks its arguments and looks the encoding up on every call, which costs as much as the copy of a 40-byte
 * fragment; a message writes ~25 of them. Falls back to `buf.write` where the method is missing.
 */
interface Latin1Writer { latin1Write(s: string, offset: number): number }
const fastLatin1 = typeof (Buffer.prototype as unknown as Partial<Latin1Writer>).latin1Write === 'function';

/**
 * Longest a drain of due connections runs before it lets the event loop read the sockets (ingest) and then goes on
 * (setImmediate), in ms. When many connections are due at once (after a GC pause, or whenever the server is busy)
 * an unbounded drain would hold every arriving tick back until it ends, so those ticks miss the messages of that
 * drain and wait a whole window more.
 */
const DRAIN_BUDGET_MS = 2;
const FREE = -1;
const EMPTY = new Int32Array(0);
const MSG_HEAD = '{"type":"prices","ticks":[';
const MSG_TAIL = ']}';
const COMMA = 0x2c;

/** The slot of symbol id `id`, or −1. */
function slotOf(conn: StreamConn, id: number): number {
  const a = conn.slots;
  for (let k = 0; k < conn.cap; k++) if (a[k] === id) return k;
  return -1;
}

/** Grows the slot table to exactly `need` slots (a subscribe adds all its symbols with one allocation). */
function ensureCap(conn: StreamConn, need: number): void {
  if (need <= conn.cap) return;
  const a = new Int32Array(2 * need);
  a.fill(FREE, 0, need);
  a.set(conn.slots.subarray(0, conn.cap));
  a.set(conn.slots.subarray(conn.cap, 2 * conn.cap), need);
  conn.slots = a;
  conn.cap = need;
}

/** A typed array at least `n` long, keeping `a`'s contents (capacity doubles). */
function grown<T extends Int32Array | Float64Array>(a: T, n: number, make: (len: number) => T): T {
  if (n <= a.length) return a;
  const b = make(Math.max(n, 2 * a.length, 64));
  b.set(a);
  return b;
}

export function createStreamHub(opts: StreamHubOptions = {}): StreamHub {
  const maxBufferedBytes = opts.maxBufferedBytes ?? 64 * 1024;
  const now = opts.now ?? (() => performance.now());
  const written = opts.probe?.written?.bind(opts.probe);
  const probeTimes = new Float64Array(written ? 4096 : 0);
  const stats: HubStats = { ticksPublished: 0, ticksQueued: 0, ticksSuperseded: 0, ticksSent: 0, messagesSent: 0, backpressureSkips: 0 };

  // Per symbol id. Symbols get an id on first subscribe (only known symbols are subscribed: bounded by the master).
  const ids = new Map<string, number>();
  const symbolOf: string[] = [];
  /** `{"s":"AAPL","p":` */
  const prefixOf: string[] = [];
  /** UTF-8 bytes of the prefix beyond its length in chars (0 for the usual ASCII symbol: written as latin1). */
  const extraBytesOf: number[] = [];
  let latestP = new Float64Array(0);
  let latestT = new Float64Array(0);
  /** Ticks published per symbol (wraps around as int32; only compared for equality and differenced). */
  let seq = new Int32Array(0);
  /** Subscribers of the symbol that are idle (not queued): a tick queues them. */
  let idleSubs = new Int32Array(0);
  /** The latest tick's JSON fragment, built on first use; null after a new tick. */
  const latestJson: Array<string | null> = [];
  // The index as parallel arrays (swap-remove): ~8 bytes per subscription, no object per subscription.
  const subConns: StreamConn[][] = [];
  const subSlots: number[][] = [];
  /** Symbol ids of one message's pending slots (scratch, reused). */
  let pendingIds = new Int32Array(64);

  const idOf = (s: string): number => {
    let id = ids.get(s);
    if (id === undefined) {
      id = symbolOf.length;
      ids.set(s, id);
      symbolOf.push(s);
      const prefix = `{"s":${JSON.stringify(s)},"p":`;
      prefixOf.push(prefix);
      extraBytesOf.push(Buffer.byteLength(prefix) - prefix.length);
      latestP = grown(latestP, id + 1, (n) => new Float64Array(n));
      latestT = grown(latestT, id + 1, (n) => new Float64Array(n).fill(Number.NEGATIVE_INFINITY));
      latestT[id] = Number.NEGATIVE_INFINITY;
      seq = grown(seq, id + 1, (n) => new Int32Array(n));
      idleSubs = grown(idleSubs, id + 1, (n) => new Int32Array(n));
      latestJson.push(null);
      subConns.push([]);
      subSlots.push([]);
    }
    return id;
  };

  // ---- due-time min-heap of queued connections, and the one timer ----
  const heap: StreamConn[] = [];
  let timer: NodeJS.Timeout | null = null;
  let timerAt = Number.POSITIVE_INFINITY;
  let soon = false;
  let stopped = false;

  const place = (c: StreamConn, i: number) => {
    heap[i] = c;
    c.heapAt = i;
  };
  const siftUp = (i: number) => {
    const c = heap[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent].dueAt <= c.dueAt) break;
      place(heap[parent], i);
      i = parent;
    }
    place(c, i);
  };
  const siftDown = (i: number) => {
    const c = heap[i];
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && heap[r].dueAt < heap[l].dueAt ? r : l;
      if (heap[m].dueAt >= c.dueAt) break;
      place(heap[m], i);
      i = m;
    }
    place(c, i);
  };
  const heapPush = (c: StreamConn) => {
    heap.push(c);
    siftUp(heap.length - 1);
  };
  const heapRemove = (c: StreamConn) => {
    const i = c.heapAt;
    if (i < 0) return;
    c.heapAt = -1;
    const last = heap.pop()!;
    if (last === c) return;
    place(last, i);
    siftDown(i);
    siftUp(last.heapAt);
  };

  /** Counts (+1) or uncounts (−1) a connection as an idle subscriber of each of its symbols. */
  function countIdle(conn: StreamConn, d: number): void {
    const a = conn.slots;
    for (let k = 0; k < conn.cap; k++) {
      const id = a[k];
      if (id !== FREE) idleSubs[id] += d;
    }
  }

  function onTimer(): void {
    timer = null;
    timerAt = Number.POSITIVE_INFINITY;
    drainDue();
  }
  function onSoon(): void {
    soon = false;
    drainDue();
  }
  /** Drains right after the event loop's pending I/O (ingest reads) has run, once however often it is asked. */
  function drainSoon(): void {
    if (soon || stopped) return;
    soon = true;
    setImmediate(onSoon);
  }
  /** Arms the single timer for the earliest due connection (re-arming only when that moved earlier). */
  function arm(): void {
    if (stopped || heap.length === 0) return;
    const due = heap[0].dueAt;
    if (due >= timerAt) return;
    if (timer) clearTimeout(timer);
    timerAt = due;
    timer = setTimeout(onTimer, Math.max(0, Math.ceil(due - now())));
    timer.unref();
  }

  function drainDue(): void {
    const start = now();
    let t = start;
    while (heap.length && heap[0].dueAt <= t) {
      if (t - start >= DRAIN_BUDGET_MS) {
        // Yield: ingest messages waiting to be read go first (poll phase), the drain goes on right after them.
        drainSoon();
        return;
      }
      const conn = heap[0];
      const n = collectPending(conn);
      if (n === 0) {
        // Nothing new for a whole window: idle until one of its symbols ticks (leading edge then).
        heapRemove(conn);
        countIdle(conn, 1);
        continue;
      }
      if (conn.bufferedAmount() > maxBufferedBytes) {
        stats.backpressureSkips++;
        conn.dueAt = t + conn.windowMs;
        siftDown(conn.heapAt);
        continue;
      }
      sendPending(conn, n);
      t = now();
      // Stays queued: under load the next window has ticks again, and a queued connection costs a tick nothing.
      // (The sink may have removed it: a later dueAt only moves it down the heap.)
      conn.dueAt = conn.lastSentAt + conn.windowMs;
      if (conn.heapAt >= 0) siftDown(conn.heapAt);
    }
    arm();
  }

  /** Puts the pending slots of a connection (its symbols that ticked since its last message) into `pendingIds`; returns how many. */
  function collectPending(conn: StreamConn): number {
    const a = conn.slots;
    const cap = conn.cap;
    if (pendingIds.length < cap) pendingIds = new Int32Array(2 * cap);
    let n = 0;
    for (let k = 0; k < cap; k++) {
      const id = a[k];
      if (id !== FREE && seq[id] !== a[cap + k]) pendingIds[n++] = k;
    }
    return n;
  }

  /** Writes one message with the `n` pending slots listed in `pendingIds`, and marks them sent. */
  function sendPending(conn: StreamConn, n: number): void {
    const a = conn.slots;
    const cap = conn.cap;
    // Pass 1: build missing fragments, add up the payload size and mark the slots sent; pass 2: write them.
    let size = MSG_HEAD.length + MSG_TAIL.length + n - 1;
    let superseded = 0;
    for (let i = 0; i < n; i++) {
      const k = pendingIds[i];
      const id = a[k];
      const sq = seq[id];
      superseded += ((sq - a[cap + k]) | 0) - 1;
      a[cap + k] = sq;
      pendingIds[i] = id;
      let frag = latestJson[id];
      if (frag === null) frag = latestJson[id] = `${prefixOf[id]}${latestP[id]},"t":${latestT[id]}}`;
      size += frag.length + extraBytesOf[id];
    }
    const buf = Buffer.allocUnsafe(FRAME_HEADROOM + size);
    let off = FRAME_HEADROOM + buf.write(MSG_HEAD, FRAME_HEADROOM, 'latin1');
    for (let i = 0; i < n; i++) {
      const id = pendingIds[i];
      if (i > 0) buf[off++] = COMMA;
      const frag = latestJson[id]!;
      if (extraBytesOf[id] !== 0) off += buf.write(frag, off, 'utf8');
      else if (fastLatin1) off += (buf as unknown as Latin1Writer).latin1Write(frag, off);
      else off += buf.write(frag, off, 'latin1');
    }
    buf.write(MSG_TAIL, off, 'latin1');
    conn.lastSentAt = now();
    stats.messagesSent++;
    stats.ticksSent += n;
    if (superseded > 0) stats.ticksSuperseded += superseded;
    opts.onSend?.(n, size);
    conn.send(buf, FRAME_HEADROOM);
    if (written && n <= probeTimes.length) {
      for (let i = 0; i < n; i++) probeTimes[i] = latestT[pendingIds[i]];
      written(probeTimes, n, Date.now());
    }
  }

  /** Queues an idle connection that just got something to send: at once if idle for a whole window. */
  function schedule(conn: StreamConn): void {
    countIdle(conn, -1);
    const t = now();
    const due = conn.lastSentAt + conn.windowMs;
    conn.dueAt = due > t ? due : t;
    heapPush(conn);
    if (due <= t) {
      // Leading edge: idle for a whole window, so send right after the current ingest message is processed.
      drainSoon();
    } else arm();
  }

  function publishId(id: number, p: number, t: number): void {
    stats.ticksPublished++;
    latestP[id] = p;
    latestT[id] = t;
    latestJson[id] = null;
    seq[id] = (seq[id] + 1) | 0;
    const cs = subConns[id];
    stats.ticksQueued += cs.length;
    if (idleSubs[id] === 0) return;
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i];
      if (c.heapAt < 0) schedule(c);
    }
  }

  /** Ticks waiting in a slot beyond the one its next message carries (superseded, or dropped if never sent). */
  const waitingExtra = (conn: StreamConn, k: number): number => {
    const id = conn.slots[k];
    return id === FREE ? 0 : Math.max(0, ((seq[id] - conn.slots[conn.cap + k]) | 0) - 1);
  };

  function unsubscribeOne(conn: StreamConn, s: string): void {
    const i = conn.symbols.indexOf(s);
    if (i < 0) return;
    conn.symbols.splice(i, 1);
    const id = ids.get(s)!;
    const slot = slotOf(conn, id);
    stats.ticksSuperseded += waitingExtra(conn, slot);
    conn.slots[slot] = FREE;
    if (conn.heapAt < 0) idleSubs[id]--;
    const cs = subConns[id];
    const ss = subSlots[id];
    const j = cs.indexOf(conn);
    if (j >= 0) {
      cs[j] = cs[cs.length - 1];
      ss[j] = ss[ss.length - 1];
      cs.pop();
      ss.pop();
    }
  }

  return {
    newConn: (send, bufferedAmount, windowMs) => ({
      send, bufferedAmount, windowMs, symbols: [], cap: 0, slots: EMPTY,
      lastSentAt: Number.NEGATIVE_INFINITY, dueAt: 0, heapAt: -1, closed: false,
    }),
    subscribe(conn, symbols) {
      if (conn.closed) return;
      const fresh = symbols.filter((s, i) => !conn.symbols.includes(s) && symbols.indexOf(s) === i);
      // Slots in use = subscribed symbols; free slots are reused before the table grows.
      ensureCap(conn, conn.symbols.length + fresh.length);
      const idle = conn.heapAt < 0;
      for (const s of fresh) {
        const id = idOf(s);
        let slot = 0;
        while (conn.slots[slot] !== FREE) slot++;
        conn.slots[slot] = id;
        // Nothing pending: ticks from before the subscribe come with the snapshot (prime).
        conn.slots[conn.cap + slot] = seq[id];
        if (idle) idleSubs[id]++;
        conn.symbols.push(s);
        subConns[id].push(conn);
        subSlots[id].push(slot);
      }
    },
    unsubscribe(conn, symbols) {
      for (const s of symbols) unsubscribeOne(conn, s);
    },
    remove(conn) {
      if (conn.closed) return;
      conn.closed = true;
      if (conn.heapAt >= 0) heapRemove(conn);
      else countIdle(conn, -1);
      for (let k = 0; k < conn.cap; k++) {
        if (conn.slots[k] === FREE) continue;
        stats.ticksSuperseded += waitingExtra(conn, k);
        const id = conn.slots[k];
        const cs = subConns[id];
        const ss = subSlots[id];
        const j = cs.indexOf(conn);
        if (j < 0) continue;
        cs[j] = cs[cs.length - 1];
        ss[j] = ss[ss.length - 1];
        cs.pop();
        ss.pop();
      }
      conn.symbols = [];
      conn.slots = EMPTY;
      conn.cap = 0;
    },
    publish(tick) {
      const id = ids.get(tick.s);
      if (id === undefined) {
        stats.ticksPublished++;
        return;
      }
      publishId(id, tick.p, tick.t);
    },
    symbolId: idOf,
    publishId,
    prime(conn, ticks) {
      if (conn.closed) return;
      for (const tick of ticks) {
        const id = ids.get(tick.s);
        if (id === undefined) continue;
        const k = slotOf(conn, id);
        if (k < 0) continue;
        // A newer snapshot price becomes the symbol's latest without counting as a tick: connections that already
        // sent the symbol's latest tick are not sent this one (only this connection asked for it).
        if (!(latestT[id] >= tick.t)) {
          latestP[id] = tick.p;
          latestT[id] = tick.t;
          latestJson[id] = null;
        }
        if (conn.slots[conn.cap + k] === seq[id]) {
          conn.slots[conn.cap + k] = (seq[id] - 1) | 0;
          stats.ticksQueued++;
        }
      }
      if (conn.heapAt < 0 && collectPending(conn) > 0) schedule(conn);
    },
    pendingTicks(conn) {
      const out: Tick[] = [];
      const n = collectPending(conn);
      for (let i = 0; i < n; i++) {
        const id = conn.slots[pendingIds[i]];
        out.push({ s: symbolOf[id], p: latestP[id], t: latestT[id] });
      }
      return out;
    },
    subscriberCount: (symbol) => {
      const id = ids.get(symbol);
      return id === undefined ? 0 : subConns[id].length;
    },
    stats() {
      // Superseded ticks still waiting in unsent slots are counted as of now (they are final: a message only ever
      // carries the latest tick).
      let waiting = 0;
      for (let id = 0; id < subConns.length; id++) {
        const cs = subConns[id];
        const ss = subSlots[id];
        for (let j = 0; j < cs.length; j++) waiting += waitingExtra(cs[j], ss[j]);
      }
      return { ...stats, ticksSuperseded: stats.ticksSuperseded + waiting };
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      timerAt = Number.POSITIVE_INFINITY;
    },
  };
}
