// Daily close history for the analytics workers. The local book (RxDB `prices`) holds the latest close of every
// symbol; older closes come from the sync server's history route (GET /api/v1/market/history/:symbol, at most
// 5 years and 1000 bars per request, so the range is split and paged) with the signed-in user's token. The local
// closes are merged over the server's. Offline, only the local closes are used and the caller is told so.
// Network I/O only: no computation here (the worker builds the matrix).
import type { DailyPrice, IsoDate } from '@aw/domain';
import type { BookDatabase } from '../../db/book-db.ts';
import type { CloseSeries } from '../../workers/analytics-client.ts';

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
}

export interface HistoryResult {
  series: CloseSeries[];
  /** 'server' when the history route answered for every symbol, else 'local' (latest closes only). */
  source: 'server' | 'local';
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
    } catch (err) {
      if (r.signal?.aborted) throw err;
      problem = (err as Error).message;
    }
  } else {
    problem = 'not signed in to the sync server: only the latest closes held locally are available';
  }
  for (const d of local) {
    const p = d.toJSON() as DailyPrice;
    bySymbol.get(p.symbol)?.set(p.date, p.closePrice);
  }
  const series = [...bySymbol].map(([symbol, m]) => {
    const dates = [...m.keys()].sort();
    return { symbol, dates, closes: dates.map((d) => m.get(d)!) };
  });
  return { series, source, problem };
}
