// File replay provider: plays back a long-format price CSV (CONTRACTS section 2: `date,symbol,close[,open,high,low,volume]`)
// date by date. Each row becomes ticks at New York 09:30 (open), 11:00 (high), 13:00 (low) and 16:00 (close, with
// the volume), so the pipeline rebuilds exactly that day's OHLCV bar. `datesPerSec` paces the replay (0 = as fast
// as the pipeline takes it, yielding between dates). Prices decimal, volumes shares.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { nyMidnightMs } from '../market-hours.ts';
import type { PriceProvider, Tick, TickSink } from '../types.ts';

export interface ReplayRow { date: string; symbol: string; close: number; open?: number; high?: number; low?: number; volume?: number }

export class ReplayCsvError extends Error {
  constructor(readonly file: string, readonly line: number, readonly column: string, readonly reason: string) {
    super(`${file}:${line}: column ${column}: ${reason}`);
    this.name = 'ReplayCsvError';
  }
}

const splitLine = (line: string): string[] => {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
};

/** Parses a long price CSV; all or nothing: the first bad cell throws ReplayCsvError naming file, line and column. */
export function readLongPricesCsv(text: string, fileName: string): ReplayRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitLine(lines[0] ?? '').map((h) => h.toLowerCase());
  const col = (name: string) => header.indexOf(name);
  for (const req of ['date', 'symbol', 'close']) if (col(req) < 0) throw new ReplayCsvError(fileName, 1, req, `missing column "${req}" (long format: date,symbol,close[,open,high,low,volume])`);
  const rows: ReplayRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const cells = splitLine(lines[i]);
    const num = (name: string, required: boolean): number | undefined => {
      const c = col(name);
      const v = c >= 0 ? cells[c] ?? '' : '';
      if (v === '') {
        if (required) throw new ReplayCsvError(fileName, i + 1, name, 'empty');
        return undefined;
      }
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0 || (name !== 'volume' && n === 0)) throw new ReplayCsvError(fileName, i + 1, name, `"${v}" is not a positive number`);
      return n;
    };
    const date = cells[col('date')] ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw new ReplayCsvError(fileName, i + 1, 'date', `"${date}" is not a date YYYY-MM-DD`);
    const symbol = cells[col('symbol')] ?? '';
    if (!symbol) throw new ReplayCsvError(fileName, i + 1, 'symbol', 'empty');
    rows.push({ date, symbol, close: num('close', true)!, open: num('open', false), high: num('high', false), low: num('low', false), volume: num('volume', false) });
  }
  // Stable sort by date keeps the file's order within a date.
  return rows.map((r, i) => ({ r, i })).sort((a, b) => (a.r.date < b.r.date ? -1 : a.r.date > b.r.date ? 1 : a.i - b.i)).map((x) => x.r);
}

/** The four ticks of one daily row. */
export function rowTicks(r: ReplayRow): Tick[] {
  const midnight = nyMidnightMs(Date.parse(`${r.date}T00:00:00Z`));
  const at = (minutes: number) => midnight + minutes * 60_000;
  const out: Tick[] = [];
  if (r.open !== undefined) out.push({ s: r.symbol, p: r.open, t: at(9 * 60 + 30) });
  if (r.high !== undefined) out.push({ s: r.symbol, p: r.high, t: at(11 * 60) });
  if (r.low !== undefined) out.push({ s: r.symbol, p: r.low, t: at(13 * 60) });
  out.push({ s: r.symbol, p: r.close, t: at(16 * 60), v: r.volume ?? 0 });
  return out;
}

export interface ReplayProvider extends PriceProvider {
  /** Resolves when every row was delivered (or the provider stopped). */
  done(): Promise<{ dates: number; ticks: number }>;
}

export function createReplayProvider(o: { file?: string; rows?: ReplayRow[]; datesPerSec?: number }): ReplayProvider {
  const name = `replay:${o.file ? basename(o.file) : 'rows'}`;
  const rows = o.rows ?? readLongPricesCsv(readFileSync(o.file!, 'utf8'), o.file!);
  let stopped = false;
  let resolveDone!: (v: { dates: number; ticks: number }) => void;
  const finished = new Promise<{ dates: number; ticks: number }>((r) => (resolveDone = r));

  async function play(sink: TickSink) {
    const gapMs = o.datesPerSec ? 1000 / o.datesPerSec : 0;
    let dates = 0;
    let ticks = 0;
    sink.connected(name);
    for (let i = 0; i < rows.length && !stopped; ) {
      const date = rows[i].date;
      const batch: Tick[] = [];
      while (i < rows.length && rows[i].date === date) batch.push(...rowTicks(rows[i++]));
      ticks += sink.ticks(batch, name).accepted;
      dates++;
      await new Promise((r) => (gapMs ? setTimeout(r, gapMs) : setImmediate(r)));
    }
    resolveDone({ dates, ticks });
  }

  return {
    name,
    start(sink) {
      void play(sink);
    },
    stop() {
      stopped = true;
    },
    done: () => finished,
  };
}
