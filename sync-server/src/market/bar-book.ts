// Storage coalescing of ticks (issue 5): per symbol the open 1-minute bar and the open daily bar since the last
// flush, as deltas merged into the stored rows by the upserts of price-store.ts, plus bars closed by a later bucket
// before they were flushed. A flush takes everything pending as comma-joined JSON rows (MinuteRow / DailyRow tuples)
// and restarts the open bars: at once (`take()`), or in slices (`begin()`, then `takeSome(n)` until `left()` is 0)
// so that a large flush never blocks the thread for long; ticks folded between slices go to the slices still to
// come (symbols not taken yet) or to the next flush. Used by the ingest pipeline on the main thread and by the ingest
// worker (ws ingest ticks, so the main thread never formats bar rows for them). Ticks older than the symbol's latest
// are not folded. Prices decimal, times epoch ms.
// Layout: symbols are small integer ids (a SymbolTable's); all numbers of one symbol sit together in one Float64Array
// record of STRIDE doubles (128 bytes, two cache lines). A tick of a symbol comes back only every ~100 ms at the
// bench's rates, long after its lines left the CPU caches: one record per symbol costs two cache misses per tick where
// three objects with boxed double fields cost about ten (the difference was most of the fold's time in profiles).
import { tradingDayMs } from './market-hours.ts';

// Record fields (offsets in a symbol's record); a bar is T, O, H, L, C, V from its offset; T = NaN before the first
// tick, H = −∞ for a delta that saw no tick yet (never written).
const LAST_T = 0;
const MINUTE = 1;
const DAY = 7;
const DIRTY = 13;
const STRIDE = 16;
const T = 0;
const O = 1;
const H = 2;
const L = 3;
const C = 4;
const V = 5;

/** Pending bar rows: comma-joined JSON tuples without brackets ('' = none) and how many rows they hold. */
export interface BarRows {
  minute: string;
  daily: string;
  rows: number;
}

export interface BarBook {
  /** Folds a tick into the symbol's open bars; false (nothing changed) when older than its latest tick. */
  fold(id: number, p: number, t: number, v: number): boolean;
  /** Records a newer tick time without bars (its bars are kept elsewhere); false when older than the latest. */
  touch(id: number, t: number): boolean;
  /** Time of the symbol's latest folded or touched tick (−∞ before the first). */
  lastT(id: number): number;
  /** The symbol as a JSON string (built once). */
  symbolJson(id: number): string;
  /** Everything pending, and restarts the open bars; `each` sees every symbol that changed since the last take. */
  take(each?: (id: number) => void): BarRows;
  /**
   * Starts a sliced take: the symbols changed so far (and the bars closed so far) make up this flush. A slice still
   * left from an earlier begin() stays in it.
   */
  begin(): void;
  /** Rows of at most `maxSymbols` symbols of the current flush (the first slice also has the closed bars). */
  takeSome(maxSymbols: number, each?: (id: number) => void): BarRows;
  /** Symbols of the current flush not taken yet. */
  left(): number;
  /** True when something is pending (changed symbols or closed bars, in the current flush or since). */
  dirty(): boolean;
}

/** A bar book over symbol ids; `symbolOf(id)` names them (asked once per id). */
export function createBarBook(symbolOf: (id: number) => string): BarBook {
  let f = new Float64Array(0);
  const json: string[] = [];
  /** Symbol ids changed since begin(): the first `dirtyCount` entries (the two arrays are swapped, not reallocated). */
  let dirty = new Int32Array(64);
  let dirtyCount = 0;
  /** The ids of the flush under way: [batchAt, batchCount) are still to be taken. */
  let batch = new Int32Array(64);
  let batchAt = 0;
  let batchCount = 0;
  /** Rows of bars closed by a later bucket before a flush took them; moved into the flush at begin(). */
  let closedMinutes: string[] = [];
  let closedDays: string[] = [];
  let flushClosedMinutes: string[] = [];
  let flushClosedDays: string[] = [];

  const initRecord = (r: number) => {
    f[r + LAST_T] = Number.NEGATIVE_INFINITY;
    for (const b of [r + MINUTE, r + DAY]) {
      f[b + T] = Number.NaN;
      f[b + H] = Number.NEGATIVE_INFINITY;
      f[b + L] = Number.POSITIVE_INFINITY;
    }
  };
  /** The record offset of `id`, growing the book to hold it. */
  function record(id: number): number {
    const r = id * STRIDE;
    if (r < f.length) return r;
    const old = f.length;
    const next = new Float64Array(Math.max(r + STRIDE, 2 * old, 64 * STRIDE));
    next.set(f);
    f = next;
    for (let q = old; q < f.length; q += STRIDE) initRecord(q);
    if (dirty.length < f.length / STRIDE) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(f.length / STRIDE);
        b.set(a);
        return b;
      };
      dirty = grow(dirty);
      batch = grow(batch);
    }
    return r;
  }
  const jsonOf = (id: number): string => (json[id] ??= JSON.stringify(symbolOf(id)));
  const barJson = (id: number, b: number, minute: boolean): string =>
    minute
      ? `[${jsonOf(id)},${f[b + T]},${tradingDayMs(f[b + T])},${f[b + O]},${f[b + H]},${f[b + L]},${f[b + C]},${f[b + V]}]`
      : `[${jsonOf(id)},${f[b + T]},${f[b + O]},${f[b + H]},${f[b + L]},${f[b + C]},${f[b + V]}]`;
  /** Folds a tick into the open bar at `b` if it belongs to bucket `bucket`; else closes it (row) and opens the bucket. */
  function foldBar(id: number, b: number, bucket: number, p: number, v: number, closed: string[], minute: boolean): void {
    if (f[b + T] === bucket) {
      if (p > f[b + H]) f[b + H] = p;
      if (p < f[b + L]) f[b + L] = p;
      f[b + C] = p;
      f[b + V] += v;
      return;
    }
    if (f[b + H] !== Number.NEGATIVE_INFINITY) closed.push(barJson(id, b, minute));
    f[b + T] = bucket;
    f[b + O] = f[b + H] = f[b + L] = f[b + C] = p;
    f[b + V] = v;
  }
  /** After a flush the open bar restarts as an empty delta (H = −∞ until the next tick), keeping its bucket. */
  function restartBar(b: number): void {
    f[b + O] = f[b + C];
    f[b + H] = Number.NEGATIVE_INFINITY;
    f[b + L] = Number.POSITIVE_INFINITY;
    f[b + V] = 0;
  }
  const mark = (id: number, r: number) => {
    if (f[r + DIRTY] === 0) {
      f[r + DIRTY] = 1;
      dirty[dirtyCount++] = id;
    }
  };
  const minuteRows: string[] = [];
  const dayRows: string[] = [];

  function begin(): void {
    if (batchAt < batchCount) {
      // An unfinished slice stays in this flush, ahead of the symbols changed since.
      for (let i = 0; i < dirtyCount; i++) batch[batchCount++] = dirty[i];
      dirtyCount = 0;
    } else {
      const spare = batch;
      batch = dirty;
      batchCount = dirtyCount;
      batchAt = 0;
      dirty = spare;
      dirtyCount = 0;
    }
    flushClosedMinutes = flushClosedMinutes.length ? flushClosedMinutes.concat(closedMinutes) : closedMinutes;
    flushClosedDays = flushClosedDays.length ? flushClosedDays.concat(closedDays) : closedDays;
    closedMinutes = [];
    closedDays = [];
  }

  function takeSome(maxSymbols: number, each?: (id: number) => void): BarRows {
    minuteRows.length = 0;
    dayRows.length = 0;
    for (const row of flushClosedMinutes) minuteRows.push(row);
    for (const row of flushClosedDays) dayRows.push(row);
    flushClosedMinutes = [];
    flushClosedDays = [];
    const end = Math.min(batchCount, batchAt + maxSymbols);
    for (; batchAt < end; batchAt++) {
      const id = batch[batchAt];
      const r = id * STRIDE;
      f[r + DIRTY] = 0;
      each?.(id);
      // The open bars are written as deltas since the last flush and restarted, so upserts merge exactly.
      if (f[r + MINUTE + H] !== Number.NEGATIVE_INFINITY) minuteRows.push(barJson(id, r + MINUTE, true));
      restartBar(r + MINUTE);
      if (f[r + DAY + H] !== Number.NEGATIVE_INFINITY) dayRows.push(barJson(id, r + DAY, false));
      restartBar(r + DAY);
    }
    if (batchAt >= batchCount) batchAt = batchCount = 0;
    return { minute: minuteRows.join(','), daily: dayRows.join(','), rows: minuteRows.length + dayRows.length };
  }

  return {
    fold(id, p, t, v) {
      const r = record(id);
      if (t < f[r + LAST_T]) return false;
      f[r + LAST_T] = t;
      foldBar(id, r + MINUTE, t - (t % 60_000), p, v, closedMinutes, true);
      foldBar(id, r + DAY, tradingDayMs(t), p, v, closedDays, false);
      mark(id, r);
      return true;
    },
    touch(id, t) {
      const r = record(id);
      if (t < f[r + LAST_T]) return false;
      f[r + LAST_T] = t;
      mark(id, r);
      return true;
    },
    lastT: (id) => (id * STRIDE < f.length ? f[id * STRIDE + LAST_T] : Number.NEGATIVE_INFINITY),
    symbolJson: jsonOf,
    take(each) {
      begin();
      return takeSome(Number.POSITIVE_INFINITY, each);
    },
    begin,
    takeSome,
    left: () => batchCount - batchAt,
    dirty: () => dirtyCount > 0 || batchAt < batchCount || closedMinutes.length > 0 || closedDays.length > 0 || flushClosedMinutes.length > 0 || flushClosedDays.length > 0,
  };
}
