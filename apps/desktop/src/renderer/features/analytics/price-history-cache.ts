// The offline cache of daily close history: a small local-only RxDB database beside the book (same storage, never
// replicated), one document per symbol holding its closes as two parallel arrays (dates ascending). History fetched
// from the sync server is merged in; when the server cannot be reached (offline, signed out) the analytics screens
// read it from here, so performance and the efficient frontier still work offline for symbols seen before.
// Units: closes per share in the security's currency, ISO dates.
import { createRxDatabase, type RxCollection, type RxDatabase, type RxJsonSchema } from 'rxdb';
import type { IsoDate } from '@aw/domain';
import type { BookDatabase } from '../../db/book-db.ts';
import type { CloseSeries } from '../../workers/analytics-client.ts';

interface CachedCloses { symbol: string; dates: IsoDate[]; closes: number[]; updatedAt: number }

const schema: RxJsonSchema<CachedCloses> = {
  version: 0,
  primaryKey: 'symbol',
  type: 'object',
  properties: {
    symbol: { type: 'string', maxLength: 64 },
    dates: { type: 'array', items: { type: 'string' } },
    closes: { type: 'array', items: { type: 'number' } },
    updatedAt: { type: 'number' },
  },
  required: ['symbol', 'dates', 'closes', 'updatedAt'],
  additionalProperties: false,
};

export interface HistoryCache {
  /** Cached series of these symbols (symbols never cached are absent). */
  read(symbols: readonly string[]): Promise<Map<string, CloseSeries>>;
  /** Merges closes into the cache (newer values win on the same date). */
  write(series: readonly CloseSeries[]): Promise<void>;
  close(): Promise<void>;
}

/** Merges two ascending series; `b` wins on equal dates. */
export function mergeSeries(a: Pick<CloseSeries, 'dates' | 'closes'>, b: Pick<CloseSeries, 'dates' | 'closes'>): { dates: IsoDate[]; closes: number[] } {
  const m = new Map<IsoDate, number>();
  a.dates.forEach((d, i) => m.set(d, a.closes[i]!));
  b.dates.forEach((d, i) => m.set(d, b.closes[i]!));
  const dates = [...m.keys()].sort();
  return { dates, closes: dates.map((d) => m.get(d)!) };
}

/** Opens the cache on the book database's storage, named after it (one cache per book). */
export async function openHistoryCache(book: BookDatabase): Promise<HistoryCache> {
  const db: RxDatabase<{ closes: RxCollection<CachedCloses> }> = await createRxDatabase({
    name: `${book.name}-close-history`, storage: book.storage, multiInstance: true, closeDuplicates: true,
  });
  await db.addCollections({ closes: { schema } });
  const col = db.closes;
  return {
    async read(symbols) {
      const docs = await col.findByIds([...symbols]).exec();
      const out = new Map<string, CloseSeries>();
      for (const [symbol, d] of docs) out.set(symbol, { symbol, dates: [...d.dates], closes: [...d.closes] });
      return out;
    },
    async write(series) {
      const have = await col.findByIds(series.map((s) => s.symbol)).exec();
      const now = Date.now();
      await col.bulkUpsert(series.filter((s) => s.dates.length > 0).map((s) => {
        const old = have.get(s.symbol);
        const merged = old ? mergeSeries({ dates: old.dates, closes: old.closes }, s) : { dates: [...s.dates], closes: [...s.closes] };
        return { symbol: s.symbol, ...merged, updatedAt: now };
      }));
    },
    close: async () => { await db.close(); },
  };
}
