// Storage coalescing of ticks (issue 5): per symbol the open 1-minute bar and the open daily bar since the last
// flush, as deltas merged into the stored rows by the upserts of price-store.ts, plus bars closed by a later bucket
// before they were flushed. `take()` returns everything pending as comma-joined JSON rows (MinuteRow / DailyRow
// tuples, built straight from the reused bars: no allocation per tick) and restarts the open bars. Used by the
// ingest pipeline on the main thread and by the ingest worker (ws ingest ticks, so the main thread never formats
// bar rows for them). Ticks older than the symbol's latest are not folded. Prices decimal, times epoch ms.
import { tradingDayMs } from './market-hours.ts';

/** The open bar since the last flush (a delta merged into the stored row); t = NaN before the first tick. */
interface OpenBar { t: number; o: number; h: number; l: number; c: number; v: number }
const newBar = (): OpenBar => ({ t: Number.NaN, o: 0, h: Number.NEGATIVE_INFINITY, l: Number.POSITIVE_INFINITY, c: 0, v: 0 });
/** Folds a tick into the open bar of bucket `t` in place; false when the bar belongs to another bucket. */
function foldTick(bar: OpenBar, t: number, p: number, v: number): boolean {
  if (bar.t !== t) return false;
  if (p > bar.h) bar.h = p;
  if (p < bar.l) bar.l = p;
  bar.c = p;
  bar.v += v;
  return true;
}
/** Starts bucket `t` at price p in place. */
function openBar(bar: OpenBar, t: number, p: number, v: number): void {
  bar.t = t;
  bar.o = bar.h = bar.l = bar.c = p;
  bar.v = v;
}
/** After a flush the open bar restarts as an empty delta (h = −∞ until the next tick), keeping its bucket. */
function restartBar(bar: OpenBar): void {
  bar.o = bar.c;
  bar.h = Number.NEGATIVE_INFINITY;
  bar.l = Number.POSITIVE_INFINITY;
  bar.v = 0;
}
/** A delta that saw no tick (h = −∞) is never written. */
const hasTicks = (bar: OpenBar): boolean => bar.h !== Number.NEGATIVE_INFINITY;

/** One symbol's coalescing state (callers may extend it with their own fields). */
export interface SymbolBars {
  /** The symbol as a JSON string (built once). */
  json: string;
  /** Time of the latest folded tick. */
  lastT: number;
  /** In the book's dirty list (has something to write). */
  dirty: boolean;
  minute: OpenBar;
  day: OpenBar;
}

export const newSymbolBars = (symbol: string): SymbolBars => ({ json: JSON.stringify(symbol), lastT: -Infinity, dirty: false, minute: newBar(), day: newBar() });

/** Pending bar rows: comma-joined JSON tuples without brackets ('' = none) and how many rows they hold. */
export interface BarRows {
  minute: string;
  daily: string;
  rows: number;
}

export interface BarBook<S extends SymbolBars> {
  /** Folds a tick into the symbol's open bars; false (nothing changed) when older than its latest tick. */
  fold(b: S, p: number, t: number, v: number): boolean;
  /** Records a newer tick time without bars (its bars are kept elsewhere); false when older than the latest. */
  touch(b: S, t: number): boolean;
  /** Everything pending, and restarts the open bars; `each` sees every symbol that changed since the last take. */
  take(each?: (b: S) => void): BarRows;
  /** True when something is pending. */
  dirty(): boolean;
}

export function createBarBook<S extends SymbolBars>(): BarBook<S> {
  /** Symbols with something to write: the first `dirtyCount` entries (the array is reused, not reallocated). */
  const dirty: S[] = [];
  let dirtyCount = 0;
  let closedMinutes = '';
  let closedMinuteRows = 0;
  let closedDays = '';
  let closedDayRows = 0;
  const minuteJson = (b: SymbolBars, bar: OpenBar): string => `[${b.json},${bar.t},${tradingDayMs(bar.t)},${bar.o},${bar.h},${bar.l},${bar.c},${bar.v}]`;
  const dayJson = (b: SymbolBars, bar: OpenBar): string => `[${b.json},${bar.t},${bar.o},${bar.h},${bar.l},${bar.c},${bar.v}]`;
  const join = (list: string, row: string): string => (list ? `${list},${row}` : row);
  const mark = (b: S) => {
    if (!b.dirty) {
      b.dirty = true;
      dirty[dirtyCount++] = b;
    }
  };

  return {
    fold(b, p, t, v) {
      if (t < b.lastT) return false;
      b.lastT = t;
      const minuteT = t - (t % 60_000);
      if (!foldTick(b.minute, minuteT, p, v)) {
        if (hasTicks(b.minute)) {
          closedMinutes = join(closedMinutes, minuteJson(b, b.minute));
          closedMinuteRows++;
        }
        openBar(b.minute, minuteT, p, v);
      }
      const dayT = tradingDayMs(t);
      if (!foldTick(b.day, dayT, p, v)) {
        if (hasTicks(b.day)) {
          closedDays = join(closedDays, dayJson(b, b.day));
          closedDayRows++;
        }
        openBar(b.day, dayT, p, v);
      }
      mark(b);
      return true;
    },
    touch(b, t) {
      if (t < b.lastT) return false;
      b.lastT = t;
      mark(b);
      return true;
    },
    take(each) {
      let minute = closedMinutes;
      let daily = closedDays;
      let rows = closedMinuteRows + closedDayRows;
      closedMinutes = closedDays = '';
      closedMinuteRows = closedDayRows = 0;
      for (let i = 0; i < dirtyCount; i++) {
        const b = dirty[i];
        b.dirty = false;
        each?.(b);
        // The open bars are written as deltas since the last flush and restarted, so upserts merge exactly.
        if (hasTicks(b.minute)) {
          minute = join(minute, minuteJson(b, b.minute));
          rows++;
        }
        restartBar(b.minute);
        if (hasTicks(b.day)) {
          daily = join(daily, dayJson(b, b.day));
          rows++;
        }
        restartBar(b.day);
      }
      dirtyCount = 0;
      return { minute, daily, rows };
    },
    dirty: () => dirtyCount > 0 || closedMinuteRows > 0 || closedDayRows > 0,
  };
}
