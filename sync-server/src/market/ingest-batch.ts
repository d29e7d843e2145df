// Parsing and validation of one ws ingest message into a compact column batch (issue 5): the text of
// `{"type":"ticks","ticks":[{"s","p","t","v"?}],"id"?}` becomes symbol ids (Int32Array) and prices, tick times and
// volumes (Float64Array), all four views over one ArrayBuffer that can be transferred between threads. Only valid
// ticks of known symbols are in the columns; the rest are counted (invalid) or counted and named (unknown, at most
// MAX_UNKNOWN_NAMED names). Runs in the ingest worker (ingest-worker.ts) or, as a fallback, on the main thread.
// Symbol ids come from a SymbolTable whose order both threads share. Prices decimal, times epoch ms, volumes shares.

export const MAX_UNKNOWN_NAMED = 10;

/** Valid ticks of known symbols, in message order: `n` entries of each column. */
export interface TickColumns {
  n: number;
  sym: Int32Array;
  p: Float64Array;
  t: Float64Array;
  v: Float64Array;
}

export interface ParsedIngest {
  ok: true;
  cols: TickColumns;
  /** Ticks dropped for a missing/invalid field (s string, p > 0 finite, t finite). */
  invalid: number;
  /** Ticks for symbols outside the security master, and up to MAX_UNKNOWN_NAMED distinct names of them. */
  unknownCount: number;
  unknown: string[];
  /** The message's `id` when it had one (the provider wants an ack). */
  hasId: boolean;
  id?: unknown;
  /** True when the ingest worker already folded these ticks into its storage bars (see bar-book.ts). */
  folded?: boolean;
}

/** A message that is not a ticks message: the text of the `bad_message` reply. */
export interface RejectedIngest {
  ok: false;
  error: string;
}

export type IngestParse = ParsedIngest | RejectedIngest;

/** Symbol → small integer id, ids in order of addition (the worker keeps a mirror fed with the same additions). */
export interface SymbolTable {
  idOf(symbol: string): number;
  symbolOf(id: number): string;
  readonly size: number;
  /** Adds the symbols not yet known; returns the ones added (in id order). */
  add(symbols: Iterable<string>): string[];
}

export function createSymbolTable(symbols: Iterable<string> = []): SymbolTable {
  const ids = new Map<string, number>();
  const list: string[] = [];
  const table: SymbolTable = {
    idOf: (s) => ids.get(s) ?? -1,
    symbolOf: (id) => list[id],
    get size() {
      return list.length;
    },
    add(more) {
      const added: string[] = [];
      for (const s of more) {
        if (typeof s !== 'string' || ids.has(s)) continue;
        ids.set(s, list.length);
        list.push(s);
        added.push(s);
      }
      return added;
    },
  };
  table.add(symbols);
  return table;
}

/** Columns over one fresh ArrayBuffer (transferable) for `n` ticks. */
export function allocColumns(n: number): TickColumns {
  const buf = new ArrayBuffer(n * 28);
  return { n, p: new Float64Array(buf, 0, n), t: new Float64Array(buf, n * 8, n), v: new Float64Array(buf, n * 16, n), sym: new Int32Array(buf, n * 24, n) };
}

/** The same columns rebuilt over a buffer that came from allocColumns (after a transfer). */
export function columnsOver(buf: ArrayBuffer, n: number): TickColumns {
  return { n, p: new Float64Array(buf, 0, n), t: new Float64Array(buf, n * 8, n), v: new Float64Array(buf, n * 16, n), sym: new Int32Array(buf, n * 24, n) };
}

const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Parses and validates one ingest message's text. Error texts are the ones the provider sees. */
export function parseIngest(text: string, idOf: (symbol: string) => number): IngestParse {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return { ok: false, error: 'message is not valid JSON' };
  }
  if (!msg || typeof msg !== 'object' || Array.isArray(msg) || typeof (msg as { type?: unknown }).type !== 'string') {
    return { ok: false, error: 'message must be a JSON object with a string "type"' };
  }
  const m = msg as Record<string, unknown>;
  if (m.type !== 'ticks') return { ok: false, error: `unknown message type ${JSON.stringify(m.type).slice(0, 40)}: expected ticks` };
  if (!Array.isArray(m.ticks)) return { ok: false, error: '"ticks" must be an array of {"s","p","t"}' };
  const ticks = m.ticks as unknown[];
  const full = allocColumns(ticks.length);
  let n = 0;
  let invalid = 0;
  let unknownCount = 0;
  const unknown: string[] = [];
  for (const x of ticks) {
    if (!x || typeof x !== 'object') {
      invalid++;
      continue;
    }
    const { s, p, t, v } = x as Record<string, unknown>;
    if (typeof s !== 'string' || typeof p !== 'number' || !(p > 0) || p === Infinity || !isFiniteNumber(t)) {
      invalid++;
      continue;
    }
    const id = idOf(s);
    if (id < 0) {
      unknownCount++;
      if (unknown.length < MAX_UNKNOWN_NAMED && !unknown.includes(s)) unknown.push(s);
      continue;
    }
    full.sym[n] = id;
    full.p[n] = p;
    full.t[n] = t;
    full.v[n] = isFiniteNumber(v) && v >= 0 ? v : 0;
    n++;
  }
  // Usually every tick is valid; otherwise the columns are copied down to the n valid ones.
  let cols = full;
  if (n < ticks.length) {
    cols = allocColumns(n);
    cols.sym.set(full.sym.subarray(0, n));
    cols.p.set(full.p.subarray(0, n));
    cols.t.set(full.t.subarray(0, n));
    cols.v.set(full.v.subarray(0, n));
  }
  const hasId = m.id !== undefined;
  return { ok: true, cols, invalid, unknownCount, unknown, hasId, ...(hasId ? { id: m.id } : {}) };
}

// ---- fast path: the compact form providers send, read straight from the message bytes ----
// `{"type":"ticks"[,"id":<integer>],"ticks":[{"s":"<ASCII symbol>","p":<number>,"t":<number>[,"v":<number>]},…]}`
// with no whitespace, keys in this order and plain decimal numbers (at most 15 digits, no exponent) is parsed
// without building a string or an object per tick: a decimal with at most 15 digits is an integer mantissa below
// 2^53 over a power of ten ≤ 10^22, both exact doubles, so one division gives the correctly rounded value, the same
// double JSON.parse gives. Symbols are found by a byte hash over the table's ASCII symbols (names of unknown ones are
// decoded only to report them). Anything else (whitespace, other key order, escapes, extra fields, exponents, long
// numbers, bad JSON) returns null and the message goes through parseIngest: results are identical either way.

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const Q = 0x22; // "
const BS = 0x5c; // \
const OPEN_TICKS = Buffer.from('"ticks":[');
const HEAD = Buffer.from('{"type":"ticks",');
const ID_KEY = Buffer.from('"id":');
const S_KEY = Buffer.from('{"s":"');
const P_KEY = Buffer.from('","p":');
const T_KEY = Buffer.from(',"t":');
const V_KEY = Buffer.from(',"v":');

/** A parser of one message's bytes (null: not in the compact form, use parseIngest). */
export type FastIngestParse = (bytes: Uint8Array) => IngestParse | null;

export function createFastIngestParser(table: SymbolTable): FastIngestParse {
  // Open addressing by FNV-1a hash of the symbol bytes: slot → id + 1 (0 = empty); symbol bytes in one arena.
  let slots = new Int32Array(0);
  let mask = 0;
  let arena = new Uint8Array(1024);
  let arenaLen = 0;
  let startOf = new Int32Array(0);
  let lenOf = new Int32Array(0);
  let indexed = 0;

  const hashOf = (b: Uint8Array, from: number, to: number): number => {
    let h = 0x811c9dc5;
    for (let i = from; i < to; i++) h = Math.imul(h ^ b[i], 0x01000193);
    return h >>> 0;
  };
  const insert = (id: number) => {
    let k = hashOf(arena, startOf[id], startOf[id] + lenOf[id]) & mask;
    while (slots[k] !== 0) k = (k + 1) & mask;
    slots[k] = id + 1;
  };
  /** Indexes symbols added to the table since the last call (rebuilding the hash table when it gets half full). */
  function sync(): void {
    const n = table.size;
    if (n === indexed) return;
    if (startOf.length < n) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(Math.max(n, 2 * a.length));
        b.set(a);
        return b;
      };
      startOf = grow(startOf);
      lenOf = grow(lenOf);
    }
    for (let id = indexed; id < n; id++) {
      const s = table.symbolOf(id);
      // Only plain ASCII names without quote or backslash can appear unescaped in the compact form.
      let plain = s.length > 0;
      for (let i = 0; i < s.length && plain; i++) {
        const c = s.charCodeAt(i);
        plain = c >= 0x20 && c < 0x7f && c !== Q && c !== BS;
      }
      if (!plain) {
        lenOf[id] = -1;
        continue;
      }
      if (arenaLen + s.length > arena.length) {
        const b = new Uint8Array(2 * (arenaLen + s.length));
        b.set(arena.subarray(0, arenaLen));
        arena = b;
      }
      startOf[id] = arenaLen;
      lenOf[id] = s.length;
      for (let i = 0; i < s.length; i++) arena[arenaLen++] = s.charCodeAt(i);
    }
    if (2 * n > slots.length) {
      let size = 64;
      while (size < 4 * n) size *= 2;
      slots = new Int32Array(size);
      mask = size - 1;
      for (let id = 0; id < n; id++) if (lenOf[id] >= 0) insert(id);
    } else for (let id = indexed; id < n; id++) if (lenOf[id] >= 0) insert(id);
    indexed = n;
  }
  /** The id of the symbol in b[from, to), −1 when the table has no such symbol. */
  function find(b: Uint8Array, from: number, to: number): number {
    const len = to - from;
    for (let k = hashOf(b, from, to) & mask; ; k = (k + 1) & mask) {
      const e = slots[k];
      if (e === 0) return -1;
      const id = e - 1;
      if (lenOf[id] !== len) continue;
      const at = startOf[id];
      let i = 0;
      while (i < len && arena[at + i] === b[from + i]) i++;
      if (i === len) return id;
    }
  }

  // Parse state (one message at a time, synchronously).
  let scratch = allocColumns(256);
  let buf: Uint8Array = EMPTY_BYTES;
  let pos = 0;
  let num = 0;
  const lit = (l: Uint8Array): boolean => {
    if (pos + l.length > buf.length) return false;
    for (let i = 0; i < l.length; i++) if (buf[pos + i] !== l[i]) return false;
    pos += l.length;
    return true;
  };
  /** Reads a plain decimal (optional '-', digits, optional '.' digits) into `num`; false when not that form. */
  function readNumber(): boolean {
    let i = pos;
    const neg = buf[i] === 0x2d;
    if (neg) i++;
    const first = i;
    let m = 0;
    while (i < buf.length && buf[i] >= 0x30 && buf[i] <= 0x39) {
      m = m * 10 + (buf[i] - 0x30);
      i++;
    }
    let digits = i - first;
    // JSON: at least one digit, no leading zero before another digit.
    if (digits === 0 || (buf[first] === 0x30 && digits > 1)) return false;
    let frac = 0;
    if (buf[i] === 0x2e) {
      i++;
      const f0 = i;
      while (i < buf.length && buf[i] >= 0x30 && buf[i] <= 0x39) {
        m = m * 10 + (buf[i] - 0x30);
        i++;
      }
      frac = i - f0;
      if (frac === 0) return false;
      digits += frac;
    }
    if (digits > 15 || buf[i] === 0x65 || buf[i] === 0x45) return false;
    num = frac ? m / POW10[frac] : m;
    if (neg) num = -num;
    pos = i;
    return true;
  }

  return (bytes) => {
    sync();
    buf = bytes;
    pos = 0;
    try {
      if (!lit(HEAD)) return null;
      let hasId = false;
      let id = 0;
      if (lit(ID_KEY)) {
        if (!readNumber() || !Number.isInteger(num) || buf[pos] !== 0x2c) return null;
        hasId = true;
        id = num;
        pos++;
      }
      if (!lit(OPEN_TICKS)) return null;
      // Each tick is at least {"s":"X","p":1,"t":1} (21 bytes) plus a comma: the reused scratch columns hold them all,
      // and the result is one exact-size copy (transferable; no oversized buffer per message).
      const most = Math.floor((bytes.length - pos) / 22) + 1;
      if (scratch.n < most) scratch = allocColumns(Math.max(most, 2 * scratch.n));
      const full = scratch;
      let n = 0;
      let invalid = 0;
      let unknownCount = 0;
      const unknown: string[] = [];
      if (buf[pos] === 0x5d) pos++;
      else {
        for (;;) {
          if (!lit(S_KEY)) return null;
          const s0 = pos;
          while (pos < buf.length && buf[pos] !== Q) {
            const c = buf[pos];
            if (c < 0x20 || c >= 0x7f || c === BS) return null;
            pos++;
          }
          const s1 = pos;
          if (s1 === s0) return null;
          if (!lit(P_KEY) || !readNumber()) return null;
          const p = num;
          if (!lit(T_KEY) || !readNumber()) return null;
          const t = num;
          let v = 0;
          if (lit(V_KEY)) {
            if (!readNumber()) return null;
            v = num >= 0 ? num : 0;
          }
          if (buf[pos] !== 0x7d) return null;
          pos++;
          if (n >= full.n) return null;
          if (!(p > 0)) invalid++;
          else {
            const sid = find(buf, s0, s1);
            if (sid < 0) {
              unknownCount++;
              if (unknown.length < MAX_UNKNOWN_NAMED) {
                const name = Buffer.from(buf.buffer, buf.byteOffset + s0, s1 - s0).toString('latin1');
                if (!unknown.includes(name)) unknown.push(name);
              }
            } else {
              full.sym[n] = sid;
              full.p[n] = p;
              full.t[n] = t;
              full.v[n] = v;
              n++;
            }
          }
          if (buf[pos] === 0x2c) {
            pos++;
            continue;
          }
          if (buf[pos] === 0x5d) {
            pos++;
            break;
          }
          return null;
        }
      }
      if (pos !== buf.length - 1 || buf[pos] !== 0x7d) return null;
      const cols = allocColumns(n);
      cols.sym.set(full.sym.subarray(0, n));
      cols.p.set(full.p.subarray(0, n));
      cols.t.set(full.t.subarray(0, n));
      cols.v.set(full.v.subarray(0, n));
      return { ok: true, cols, invalid, unknownCount, unknown, hasId, ...(hasId ? { id } : {}) };
    } finally {
      buf = EMPTY_BYTES;
    }
  };
}

/**
 * One ingest message's bytes parsed against the symbol table: the providers' compact form straight from the bytes,
 * anything else through JSON.parse (same results). A leading BOM is kept, so JSON.parse refuses it, as
 * `Buffer#toString` made the inline parser do.
 */
export function createIngestParse(table: SymbolTable): (bytes: Uint8Array) => IngestParse {
  const fast = createFastIngestParser(table);
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  return (bytes) => fast(bytes) ?? parseIngest(decoder.decode(bytes), table.idOf);
}
const EMPTY_BYTES = new Uint8Array(0);
