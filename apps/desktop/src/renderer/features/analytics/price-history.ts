// Daily close history for the analytics workers. The local book (RxDB `prices`) holds the latest close of every
// symbol; older closes come from the sync server's history route (GET /api/v1/market/history/:symbol, at most
// 5 years and 1000 bars per request, so the range is split and paged) with the signed-in user's token. The local
// closes are merged over the server's. Server history is kept in the offline cache (./price-history-cache.ts);
// offline, the cached closes (or else only the local latest closes) are used and the caller is told so.
// History must reach back to the date each symbol is first needed (`required`: e.g. its first trade in the account):
// a shorter answer (the server is still importing its demo history, or a gap in its store) would value the holding
// at its trade price and silently change every return, so the missing symbols are fetched again (`retry`) and, if
// still short, named in `problem`. Network I/O only: no computation here (the worker builds the matrix).
import type { DailyPrice, IsoDate } from '@aw/domain';
import type { BookDatabase } from '../../db/book-db.ts';
import type { CloseSeries } from '../../workers/analytics-client.ts';
import type { HistoryCache } from './price-history-cache.ts';

export interface HistoryRequest {
  db: BookDatabase;
  serverUrl: string;
  token: string | null;
  symbols: string[];
  from: IsoDate;
  to: IsoDate;
  fetchFn?: typeof fetch;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Per symbol, the date its closes must start on or before (the first trade); missing = no requirement. */
  required?: ReadonlyMap<string, IsoDate>;
  /** Re-fetch symbols whose history is too short: `attempts` more times, `delayMs` apart (default none). */
  retry?: { attempts: number; delayMs: number; onWait?: (symbols: string[], attempt: number) => void };
  /** The offline cache: written with server history, read when the server cannot answer. */
  cache?: HistoryCache | null;
}

export interface HistoryResult {
  series: CloseSeries[];
  /** 'server' when the history route answered for every symbol, 'cache' when the offline cache had history, else 'local' (latest closes only). */
  source: 'server' | 'cache' | 'local';
  problem: string | null;
}

const DAY_MS = 86_400_000;
const iso = (ms: number): IsoDate => new Date(ms).toISOString().slice(0, 10);
const ms = (d: IsoDate): number => Date.parse(`${d}T00:00:00Z`);

/** [start, end] ranges of at most `years` years (inclusive dates) covering from..to. */
export function splitRange(from: IsoDate, to: IsoDate, years = 5): [IsoDate, IsoDate][] {
  const out: [IsoDate, IsoDate][] = [];
  let start = from;
  while (start <= to) {
    const d = new Date(ms(start));
    d.setUTCFullYear(d.getUTCFullYear() + years);
    const end = iso(Math.min(d.getTime() - DAY_MS, ms(to)));
    out.push([start, end]);
    start = iso(ms(end) + DAY_MS);
  }
  return out;
}

async function serverHistory(r: HistoryRequest, symbol: string): Promise<Map<IsoDate, number>> {
  const fetchFn = r.fetchFn ?? fetch;
  const closes = new Map<IsoDate, number>();
  for (const [start, end] of splitRange(r.from, r.to)) {
    for (let offset = 0; ; ) {
      const url = `${r.serverUrl}/api/v1/market/history/${encodeURIComponent(symbol)}?start_date=${start}&end_date=${end}&interval=1d&limit=1000&offset=${offset}`;
      const res = await fetchFn(url, { headers: { authorization: `Bearer ${r.token}` }, signal: r.signal });
      if (!res.ok) {
        const body = await res.json().catch(() => null) as { error?: { message?: string } } | null;
        throw new Error(`price history of ${symbol}: ${res.status} ${body?.error?.message ?? res.statusText}`);
      }
      const page = await res.json() as { data: { t: number; c: number }[]; pagination: { has_next: boolean } };
      for (const bar of page.data) closes.set(iso(bar.t), bar.c);
      if (!page.pagination.has_next || page.data.length === 0) break;
      offset += page.data.length;
    }
  }
  return closes;
}

export interface HistoryGap { symbol: string; required: IsoDate; first: IsoDate | null }

/** Symbols whose closes start after the date they are required from (or that have none). */
export function historyGaps(series: readonly CloseSeries[], required: ReadonlyMap<string, IsoDate>): HistoryGap[] {
  const out: HistoryGap[] = [];
  for (const s of series) {
    const need = required.get(s.symbol);
    if (need === undefined) continue;
    const first = s.dates[0] ?? null;
    if (first === null || first > need) out.push({ symbol: s.symbol, required: need, first });
  }
  return out;
}

export const describeGaps = (gaps: readonly HistoryGap[]): string => {
  const shown = gaps.slice(0, 3).map((g) => `${g.symbol} ${g.first ? `starts ${g.first}` : 'has none'}, needed from ${g.required}`);
  return `price history too short for ${gaps.length} symbol${gaps.length === 1 ? '' : 's'} (${shown.join('; ')}${gaps.length > 3 ? '; …' : ''})`;
};

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  if (signal?.aborted) { reject(signal.reason); return; }
  const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
  const onAbort = () => { clearTimeout(t); reject(signal!.reason); };
  signal?.addEventListener('abort', onAbort, { once: true });
});

export async function loadCloseHistory(r: HistoryRequest): Promise<HistoryResult> {
  const local = await r.db.prices.find({ selector: { symbol: { $in: r.symbols } } }).exec();
  const bySymbol = new Map<string, Map<IsoDate, number>>(r.symbols.map((s) => [s, new Map()]));
  let source: HistoryResult['source'] = 'local';
  let problem: string | null = null;
  if (r.token) {
    try {
      let done = 0;
      const queue = [...r.symbols];
      const worker = async () => {
        for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
          bySymbol.set(s, await serverHistory(r, s));
          r.onProgress?.(++done, r.symbols.length);
        }
      };
      await Promise.all(Array.from({ length: Math.min(4, r.symbols.length) }, worker));
      source = 'server';
      const required = r.required ?? new Map<string, IsoDate>();
      const gapsNow = () => historyGaps([...bySymbol].map(([symbol, m]) => ({ symbol, dates: [...m.keys()].sort(), closes: [] })), required);
      for (let attempt = 1, gaps = gapsNow(); gaps.length > 0 && attempt <= (r.retry?.attempts ?? 0); attempt++, gaps = gapsNow()) {
        r.retry!.onWait?.(gaps.map((g) => g.symbol), attempt);
        await sleep(r.retry!.delayMs, r.signal);
        for (const g of gaps) bySymbol.set(g.symbol, await serverHistory(r, g.symbol));
      }
    } catch (err) {
      if (r.signal?.aborted) throw err;
      problem = (err as Error).message;
    }
  } else {
    problem = 'not signed in to the sync server';
  }
  if (source === 'server' && r.cache) {
    const fetched = [...bySymbol].filter(([, m]) => m.size > 0).map(([symbol, m]) => {
      const dates = [...m.keys()].sort();
      return { symbol, dates, closes: dates.map((d) => m.get(d)!) };
    });
    await r.cache.write(fetched).catch(() => undefined); // a full disk only costs offline history
  } else if (source === 'local') {
    const cached = r.cache ? await r.cache.read(r.symbols).catch(() => new Map<string, CloseSeries>()) : new Map<string, CloseSeries>();
    for (const [symbol, c] of cached) bySymbol.set(symbol, new Map(c.dates.map((d, i) => [d, c.closes[i]!])));
    if (cached.size > 0) {
      source = 'cache';
      problem = `${problem}: using the price history cached on this computer for ${cached.size} of ${r.symbols.length} symbols`;
    } else problem = `${problem}: only the latest closes held locally are available`;
  }
  for (const d of local) {
    const p = d.toJSON() as DailyPrice;
    bySymbol.get(p.symbol)?.set(p.date, p.closePrice);
  }
  const series = [...bySymbol].map(([symbol, m]) => {
    const dates = [...m.keys()].sort();
    return { symbol, dates, closes: dates.map((d) => m.get(d)!) };
  });
  if (source !== 'local' && r.required) {
    const gaps = historyGaps(series, r.required);
    if (gaps.length) problem = problem ? `${problem}; ${describeGaps(gaps)}` : describeGaps(gaps);
  }
  return { series, source, problem };
}
