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
