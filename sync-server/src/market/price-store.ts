// SQLite tables of the price hub and every query on them. One flush = one transaction of three multi-row
// upserts fed by a JSON array each (json_each): never one statement per tick. Tables (all keyed by (symbol, time)):
//   market_latest(symbol, p, t)                 latest price per symbol
//   market_bars_1m(symbol, t, d, o,h,l,c,v)     1-minute bars; t = minute start, d = trading day key
//   market_bars_1d(symbol, t, o,h,l,c,v)        daily bars; t = UTC midnight of the New York trading date
// Prices are decimals, times epoch milliseconds, volumes shares.
import type { SqlDb } from '../context.ts';
import { closeOfDayMs } from './market-hours.ts';
import type { Bar } from './types.ts';

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS market_latest (symbol TEXT PRIMARY KEY, p REAL NOT NULL, t INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS market_bars_1m (
  symbol TEXT NOT NULL, t INTEGER NOT NULL, d INTEGER NOT NULL,
  o REAL NOT NULL, h REAL NOT NULL, l REAL NOT NULL, c REAL NOT NULL, v REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (symbol, t)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS market_bars_1m_day ON market_bars_1m (d, symbol);
CREATE TABLE IF NOT EXISTS market_bars_1d (
  symbol TEXT NOT NULL, t INTEGER NOT NULL,
  o REAL NOT NULL, h REAL NOT NULL, l REAL NOT NULL, c REAL NOT NULL, v REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (symbol, t)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS market_bars_1d_time ON market_bars_1d (t);
`;

/** Row tuples as written by a flush (arrays keep the JSON parameter small). */
export type LatestRow = [symbol: string, p: number, t: number];
export type MinuteRow = [symbol: string, t: number, d: number, o: number, h: number, l: number, c: number, v: number];
export type DailyRow = [symbol: string, t: number, o: number, h: number, l: number, c: number, v: number];

// Bars merge with what is stored: the open stays, high/low widen, the close is the newer one, volumes add up.
// The pipeline drops out-of-order ticks, so a later flush always carries the newer close.
const UPSERT_LATEST = `INSERT INTO market_latest (symbol, p, t)
  SELECT value->>0, value->>1, value->>2 FROM json_each(?) WHERE true
  ON CONFLICT (symbol) DO UPDATE SET p = excluded.p, t = excluded.t WHERE excluded.t >= market_latest.t`;
const UPSERT_1M = `INSERT INTO market_bars_1m (symbol, t, d, o, h, l, c, v)
  SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7 FROM json_each(?) WHERE true
  ON CONFLICT (symbol, t) DO UPDATE SET h = max(h, excluded.h), l = min(l, excluded.l), c = excluded.c, v = v + excluded.v`;
const UPSERT_1D = `INSERT INTO market_bars_1d (symbol, t, o, h, l, c, v)
  SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6 FROM json_each(?) WHERE true
  ON CONFLICT (symbol, t) DO UPDATE SET h = max(h, excluded.h), l = min(l, excluded.l), c = excluded.c, v = v + excluded.v`;
/** Replaces daily bars outright (history import, downsampling). */
const REPLACE_1D = `INSERT INTO market_bars_1d (symbol, t, o, h, l, c, v)
  SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6 FROM json_each(?) WHERE true
  ON CONFLICT (symbol, t) DO UPDATE SET o = excluded.o, h = excluded.h, l = excluded.l, c = excluded.c, v = excluded.v`;

export type Interval = '1d' | '1m';

/** One flush as JSON row texts without the enclosing brackets, e.g. `["AAPL",189.5,1763672400000],[…]` (LatestRow,
 * MinuteRow and DailyRow tuples): the pipeline builds them directly instead of arrays to stringify. */
export interface FlushRows {
  latest: string;
  minute: string;
  daily: string;
}

export interface PriceStore {
  init(): Promise<void>;
  /** Writes one flush in a single transaction; each part is the comma-joined JSON rows ('' = none) of its table. */
  writeFlush(rows: FlushRows): Promise<void>;
  /** Replaces daily bars (history import); one transaction per call. */
  replaceDaily(rows: DailyRow[]): Promise<void>;
  /** Latest price per symbol in one query; symbols without a tick fall back to their last daily close. */
  latestMany(symbols: string[]): Promise<Map<string, { p: number; t: number }>>;
  history(symbol: string, interval: Interval, fromMs: number, toMs: number, limit: number, offset: number): Promise<{ total: number; bars: Bar[] }>;
  countDaily(): Promise<number>;
}

export function createPriceStore(sql: SqlDb): PriceStore {
  const table = (i: Interval) => (i === '1d' ? 'market_bars_1d' : 'market_bars_1m');
  return {
    async init() {
      await sql.exec(SCHEMA_SQL);
    },
    async writeFlush({ latest, minute, daily }) {
      if (!latest && !minute && !daily) return;
      await sql.transaction(async (tx) => {
        if (latest) await tx.run(UPSERT_LATEST, [`[${latest}]`]);
        if (minute) await tx.run(UPSERT_1M, [`[${minute}]`]);
        if (daily) await tx.run(UPSERT_1D, [`[${daily}]`]);
      });
    },
    async replaceDaily(rows) {
      if (rows.length) await sql.transaction((tx) => tx.run(REPLACE_1D, [JSON.stringify(rows)]));
    },
    async latestMany(symbols) {
      const out = new Map<string, { p: number; t: number }>();
      if (!symbols.length) return out;
      const rows = await sql.all<{ symbol: string; p: number; t: number; daily: number }>(
        `SELECT j.value AS symbol, coalesce(l.p, d.c) AS p, coalesce(l.t, d.t) AS t, l.p IS NULL AS daily
         FROM json_each(?) j
         LEFT JOIN market_latest l ON l.symbol = j.value
         LEFT JOIN market_bars_1d d ON l.symbol IS NULL AND d.symbol = j.value
           AND d.t = (SELECT max(t) FROM market_bars_1d WHERE symbol = j.value)`,
        [JSON.stringify(symbols)],
      );
      for (const r of rows) if (r.p !== null && r.p !== undefined) out.set(r.symbol, { p: r.p, t: r.daily ? closeOfDayMs(r.t) : r.t });
      return out;
    },
    async history(symbol, interval, fromMs, toMs, limit, offset) {
      const t = table(interval);
      const count = await sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${t} WHERE symbol = ? AND t >= ? AND t < ?`, [symbol, fromMs, toMs]);
      const bars = limit > 0
        ? await sql.all<Bar>(`SELECT t, o, h, l, c, v FROM ${t} WHERE symbol = ? AND t >= ? AND t < ? ORDER BY t LIMIT ? OFFSET ?`, [symbol, fromMs, toMs, limit, offset])
        : [];
      return { total: count?.n ?? 0, bars };
    },
    async countDaily() {
      return (await sql.get<{ n: number }>('SELECT count(*) AS n FROM market_bars_1d'))?.n ?? 0;
    },
  };
}
