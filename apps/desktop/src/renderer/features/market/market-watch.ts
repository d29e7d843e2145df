// The market-watch list: which symbols it shows (saved per server in localStorage; by default the symbols the book
// holds most widely), checking an added symbol against the local security master, the last local daily close of
// each symbol (the change is measured from it) and the sparkline history: today's minute bars from the server, or
// the daily closes of the last 90 days when the market has not traded today. Prices per share; times epoch ms.
import type { DailyPrice } from '@aw/domain';
import type { BookDatabase } from '../../db/book-db.ts';
import { MAX_STREAM_SYMBOLS } from './price-feed.ts';

export const DEFAULT_WATCH_SIZE = 12;
export const MAX_WATCH_SYMBOLS = MAX_STREAM_SYMBOLS;

export interface KeyValue { getItem(k: string): string | null; setItem(k: string, v: string): void }

const watchKey = (serverUrl: string) => `aw-market-watch|${serverUrl}`;

export function loadWatchList(kv: KeyValue, serverUrl: string): string[] | null {
  try {
    const v = JSON.parse(kv.getItem(watchKey(serverUrl)) ?? 'null') as unknown;
    return Array.isArray(v) && v.every((s) => typeof s === 'string') ? v : null;
  } catch {
    return null;
  }
}

export function saveWatchList(kv: KeyValue, serverUrl: string, symbols: readonly string[]): void {
  kv.setItem(watchKey(serverUrl), JSON.stringify(symbols));
}

/** The `n` symbols held in the most lots across the book (ties by symbol). */
export async function mostHeldSymbols(db: BookDatabase, n = DEFAULT_WATCH_SIZE): Promise<string[]> {
  const lots = await db.lots.find().exec();
  const count = new Map<string, number>();
  for (const l of lots) count.set(l.symbol, (count.get(l.symbol) ?? 0) + 1);
  return [...count].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n).map(([s]) => s);
}

export type AddResult = { ok: true; symbol: string; list: string[] } | { ok: false; message: string };

/** Adds `input` to `list` if it names a security of the local master; otherwise says why not, readably. */
export async function addToWatch(db: BookDatabase, list: readonly string[], input: string): Promise<AddResult> {
  const symbol = input.trim().toUpperCase();
  if (!symbol) return { ok: false, message: 'Type a symbol to add, e.g. AAPL.' };
  if (!/^[A-Z0-9.\-^=]{1,15}$/.test(symbol)) return { ok: false, message: `“${input.trim()}” is not a symbol: use letters, digits, dots or dashes.` };
  if (list.includes(symbol)) return { ok: false, message: `${symbol} is already on the list.` };
  if (list.length >= MAX_WATCH_SYMBOLS) return { ok: false, message: `The list holds at most ${MAX_WATCH_SYMBOLS} symbols: remove one first.` };
  const security = await db.securities.findOne(symbol).exec();
  if (!security) return { ok: false, message: `Unknown symbol ${symbol}: it is not in the security master.` };
  return { ok: true, symbol, list: [...list, symbol] };
}

/** The latest local daily close per symbol, in one query. */
export async function lastCloses(db: BookDatabase, symbols: readonly string[]): Promise<Map<string, DailyPrice>> {
  const out = new Map<string, DailyPrice>();
  if (!symbols.length) return out;
  const docs = await db.prices.find({ selector: { symbol: { $in: [...symbols] } } }).exec();
  for (const d of docs) {
    const p = d.toJSON() as DailyPrice;
    const prev = out.get(p.symbol);
    if (!prev || p.date > prev.date) out.set(p.symbol, p);
  }
  return out;
}

export interface SparkPoint { t: number; c: number }
export interface SparkHistory { interval: '1m' | '1d'; points: SparkPoint[] }

interface HistoryPage { data: { t: number; c: number }[]; pagination: { total: number } }

export class HistoryError extends Error {
  override name = 'HistoryError';
  constructor(readonly code: string, message: string) { super(message); }
}

async function getHistory(serverUrl: string, token: string, symbol: string, query: string, fetchFn: typeof fetch): Promise<HistoryPage> {
  const url = `${serverUrl}/api/v1/market/history/${encodeURIComponent(symbol)}?${query}`;
  const get = () => fetchFn(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(15_000) });
  // One retry after a network failure or a 5xx/429 (a busy server); 4xx answers are final.
  let res = await get().catch(() => null);
  if (!res || res.status >= 500 || res.status === 429) res = await get();
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
    throw new HistoryError(body.error?.code ?? `http_${res.status}`, body.error?.message ?? `history of ${symbol}: HTTP ${res.status}`);
  }
  return (await res.json()) as HistoryPage;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Today's minute bars (intraday), or the daily closes of the last 90 days when today has fewer than two. */
export async function loadSparkHistory(serverUrl: string, token: string, symbol: string, fetchFn: typeof fetch = (...a) => fetch(...a)): Promise<SparkHistory> {
  const minutes = await getHistory(serverUrl, token, symbol, 'interval=1m', fetchFn);
  if (minutes.data.length >= 2) return { interval: '1m', points: minutes.data.map((b) => ({ t: b.t, c: b.c })) };
  const days = await getHistory(serverUrl, token, symbol, `interval=1d&start_date=${isoDay(Date.now() - 90 * 86_400_000)}`, fetchFn);
  return { interval: '1d', points: days.data.map((b) => ({ t: b.t, c: b.c })) };
}

/** History plus live ticks newer than its last point (at most `max` points kept). */
export function withLiveTick(points: readonly SparkPoint[], tick: { p: number; t: number } | undefined, max = 600): SparkPoint[] {
  if (!tick) return points as SparkPoint[];
  const last = points[points.length - 1];
  if (last && tick.t <= last.t) return points as SparkPoint[];
  const next = [...points, { t: tick.t, c: tick.p }];
  return next.length > max ? next.slice(next.length - max) : next;
}
