// Retention of stored history (seed 16): minute bars are kept `minuteRetentionDays` (90) and daily bars
// `dailyRetentionYears` (10). Before minute bars of a trading day are deleted they are downsampled into that day's
// daily bar (open of the first minute, highest high, lowest low, close of the last minute, summed volume).
// Runs in the background in small transactions (`batchDays` symbol-days or `batchRows` daily rows each) with a
// pause between them, so user requests queued on the same SQLite connection wait at most one small batch.
import type { Logger } from 'pino';
import type { SqlDb } from '../context.ts';
import { tradingDayMs } from './market-hours.ts';
import type { Clock } from './types.ts';

const DAY_MS = 86_400_000;

export interface RetentionOptions {
  sql: SqlDb;
  clock: Clock;
  log: Logger;
  minuteRetentionDays?: number;
  dailyRetentionYears?: number;
  batchDays?: number;
  batchRows?: number;
  pauseMs?: number;
  intervalMs?: number;
}

export interface RetentionResult { downsampledDays: number; deletedMinuteBars: number; deletedDailyBars: number }

export interface RetentionJob {
  runOnce(): Promise<RetentionResult>;
  start(): void;
  stop(): Promise<void>;
}

const DOWNSAMPLE = `
WITH g(symbol, d) AS (SELECT value->>0, value->>1 FROM json_each(?1)),
agg AS (
  SELECT m.symbol AS symbol, m.d AS d, max(m.h) AS h, min(m.l) AS l, sum(m.v) AS v, min(m.t) AS t0, max(m.t) AS t1
  FROM market_bars_1m m JOIN g ON m.symbol = g.symbol AND m.d = g.d GROUP BY m.symbol, m.d)
INSERT INTO market_bars_1d (symbol, t, o, h, l, c, v)
SELECT agg.symbol, agg.d,
  (SELECT o FROM market_bars_1m WHERE symbol = agg.symbol AND t = agg.t0),
  agg.h, agg.l,
  (SELECT c FROM market_bars_1m WHERE symbol = agg.symbol AND t = agg.t1),
  agg.v
FROM agg WHERE true
ON CONFLICT (symbol, t) DO UPDATE SET o = excluded.o, h = excluded.h, l = excluded.l, c = excluded.c, v = excluded.v`;

const DELETE_MINUTES = `DELETE FROM market_bars_1m WHERE (symbol, d) IN (SELECT value->>0, value->>1 FROM json_each(?))`;

export function createRetentionJob(o: RetentionOptions): RetentionJob {
  const minuteDays = o.minuteRetentionDays ?? 90;
  const dailyYears = o.dailyRetentionYears ?? 10;
  const batchDays = o.batchDays ?? 200;
  const batchRows = o.batchRows ?? 5_000;
  const pauseMs = o.pauseMs ?? 25;
  let timer: NodeJS.Timeout | null = null;
  let first: NodeJS.Timeout | null = null;
  let running: Promise<RetentionResult> | null = null;
  let stopped = false;
  const pause = () => new Promise<void>((r) => setTimeout(r, pauseMs));

  async function run(): Promise<RetentionResult> {
    const result: RetentionResult = { downsampledDays: 0, deletedMinuteBars: 0, deletedDailyBars: 0 };
    const today = tradingDayMs(o.clock.now());
    const minuteCutoff = today - minuteDays * DAY_MS;
    const t = new Date(today);
    const dailyCutoff = Date.UTC(t.getUTCFullYear() - dailyYears, t.getUTCMonth(), t.getUTCDate());

    while (!stopped) {
      const groups = await o.sql.all<{ symbol: string; d: number }>(
        'SELECT DISTINCT d, symbol FROM market_bars_1m WHERE d < ? ORDER BY d, symbol LIMIT ?', [minuteCutoff, batchDays]);
      if (!groups.length) break;
      const json = JSON.stringify(groups.map((g) => [g.symbol, g.d]));
      const deleted = await o.sql.transaction(async (tx) => {
        await tx.run(DOWNSAMPLE, [json]);
        return (await tx.run(DELETE_MINUTES, [json])).changes;
      });
      result.downsampledDays += groups.length;
      result.deletedMinuteBars += deleted;
      await pause();
    }
    while (!stopped) {
      const r = await o.sql.run(
        'DELETE FROM market_bars_1d WHERE (symbol, t) IN (SELECT symbol, t FROM market_bars_1d WHERE t < ? LIMIT ?)', [dailyCutoff, batchRows]);
      result.deletedDailyBars += r.changes;
      if (r.changes < batchRows) break;
      await pause();
    }
    if (result.deletedMinuteBars || result.deletedDailyBars) o.log.info(result, 'market retention pass');
    return result;
  }

  const runOnce = (): Promise<RetentionResult> => (running ??= run().finally(() => (running = null)));

  return {
    runOnce,
    start() {
      stopped = false;
      const every = o.intervalMs ?? 3_600_000;
      timer = setInterval(() => void runOnce().catch((err) => o.log.error({ err }, 'market retention failed')), every);
      timer.unref();
      // First pass shortly after start, off the start-up path.
      first = setTimeout(() => void runOnce().catch((err) => o.log.error({ err }, 'market retention failed')), Math.min(every, 5_000)).unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      if (first) clearTimeout(first);
      timer = first = null;
      await running?.catch(() => undefined);
    },
  };
}
