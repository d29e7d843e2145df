// Retention and downsampling on a real SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlDb } from '../db/sql-db.ts';
import type { SqlDb } from '../context.ts';
import { createPriceStore } from './price-store.ts';
import { createRetentionJob } from './retention.ts';
import { nyMidnightMs, tradingDayMs } from './market-hours.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 17, 0); // 12:00 New York, 2026-11-20

describe('market retention', () => {
  let dir: string;
  let sql: SqlDb;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aw-retention-'));
    sql = await openSqlDb(join(dir, 'server.sqlite'));
    await createPriceStore(sql).init();
  });
  afterEach(async () => {
    await sql.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const minuteRows = (symbol: string, day: number, closes: number[]) =>
    closes.map((c, i) => {
      const t = nyMidnightMs(day) + (9 * 60 + 30 + i) * 60_000;
      return [symbol, t, tradingDayMs(t), c + 0.5, c + 1, c - 1, c, 10 * (i + 1)];
    });

  it('downsamples expired minute bars into daily bars, then deletes them; keeps recent minutes and 10 years of days', async () => {
    const today = tradingDayMs(NOW);
    const oldDay = today - 100 * DAY;
    const recentDay = today - 10 * DAY;
    const minutes = [
      ...minuteRows('AAA', oldDay, [10, 12, 9, 11]),
      ...minuteRows('BBB', oldDay, [50, 51]),
      ...minuteRows('AAA', recentDay, [20, 21]),
    ];
    await sql.run('INSERT INTO market_bars_1m SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7 FROM json_each(?)', [JSON.stringify(minutes)]);
    // A stale live daily bar for the old day (e.g. partial): downsampling replaces it with the minute aggregate.
    const daily = [
      ['AAA', oldDay, 1, 1, 1, 1, 1],
      ['AAA', Date.UTC(2016, 10, 19), 5, 5, 5, 5, 5], // older than 10 years: deleted
      ['AAA', Date.UTC(2016, 10, 21), 6, 6, 6, 6, 6], // just inside 10 years: kept
    ];
    await sql.run('INSERT INTO market_bars_1d SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6 FROM json_each(?)', [JSON.stringify(daily)]);

    const job = createRetentionJob({ sql, clock: { now: () => NOW }, log: pino({ level: 'silent' }), batchDays: 1, batchRows: 1, pauseMs: 0 });
    const r = await job.runOnce();
    expect(r).toEqual({ downsampledDays: 2, deletedMinuteBars: 6, deletedDailyBars: 1 });

    const days = await sql.all('SELECT symbol, t, o, h, l, c, v FROM market_bars_1d ORDER BY symbol, t');
    expect(days).toEqual([
      { symbol: 'AAA', t: Date.UTC(2016, 10, 21), o: 6, h: 6, l: 6, c: 6, v: 6 },
      { symbol: 'AAA', t: oldDay, o: 10.5, h: 13, l: 8, c: 11, v: 100 },
      { symbol: 'BBB', t: oldDay, o: 50.5, h: 52, l: 49, c: 51, v: 30 },
    ]);
    const left = await sql.all<{ symbol: string; d: number }>('SELECT DISTINCT symbol, d FROM market_bars_1m');
    expect(left).toEqual([{ symbol: 'AAA', d: recentDay }]);
    // Idempotent: a second pass finds nothing.
    expect(await job.runOnce()).toEqual({ downsampledDays: 0, deletedMinuteBars: 0, deletedDailyBars: 0 });
  });

  it('lets other queries run between its small batches', async () => {
    const today = tradingDayMs(NOW);
    const rows = [];
    for (let d = 100; d < 160; d++) rows.push(...minuteRows(`S${d}`, today - d * DAY, [1, 2, 3]));
    await sql.run('INSERT INTO market_bars_1m SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7 FROM json_each(?)', [JSON.stringify(rows)]);
    const job = createRetentionJob({ sql, clock: { now: () => NOW }, log: pino({ level: 'silent' }), batchDays: 5, pauseMs: 2 });
    const order: string[] = [];
    const run = job.runOnce().then(() => order.push('retention done'));
    // A user query issued while retention runs is answered before the whole job finishes.
    await new Promise((r) => setTimeout(r, 5));
    await sql.get('SELECT count(*) FROM market_bars_1d').then(() => order.push('query'));
    await run;
    expect(order).toEqual(['query', 'retention done']);
    expect((await sql.get<{ n: number }>('SELECT count(*) AS n FROM market_bars_1d'))?.n).toBe(60);
  });
});
