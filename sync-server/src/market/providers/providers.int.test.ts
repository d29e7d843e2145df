// File replay and the simulated provider feeding a real server's pipeline and SQLite file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../test-harness.ts';
import { createReplayProvider, readLongPricesCsv, ReplayCsvError } from './replay.ts';
import { createSimulatedProvider } from './simulated.ts';

describe('file replay provider', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aw-replay-'));
  let h: Harness | undefined;
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects a bad file naming line and column', () => {
    expect(() => readLongPricesCsv('date,symbol\n2026-01-02,AAA\n', 'p.csv')).toThrow(/p\.csv:1: column close/);
    const err = (() => {
      try {
        readLongPricesCsv('date,symbol,close\n2026-01-02,AAA,10\n2026-13-02,AAA,11\n', 'p.csv');
      } catch (e) {
        return e as ReplayCsvError;
      }
    })();
    expect(err).toBeInstanceOf(ReplayCsvError);
    expect(err).toMatchObject({ line: 3, column: 'date' });
    expect(() => readLongPricesCsv('date,symbol,close\n2026-01-02,AAA,abc\n', 'p.csv')).toThrow(/line|close/);
  });

  it('replays a long CSV into daily bars with the file\'s OHLCV and the last close as latest price', async () => {
    const file = join(dir, 'prices.csv');
    writeFileSync(file, [
      'date,symbol,close,open,high,low,volume',
      '2026-11-19,AAA,10.5,10,11,9.5,1000',
      '2026-11-19,BBB,20,,,,',
      '2026-11-20,AAA,12,10.5,12.5,10.25,2000',
      '2026-11-20,ZZZ,1,,,,', // not in the security master: dropped
      '2026-11-20,BBB,21,,,,',
    ].join('\n'));
    const replay = createReplayProvider({ file });
    h = await startHarness({ securities: ['AAA', 'BBB'], provider: replay, retention: { enabled: false } });
    expect(await replay.done()).toEqual({ dates: 2, ticks: 10 });
    await h.market.pipeline.flush();
    const bars = await h.server.ctx.sql.all("SELECT symbol, t, o, h, l, c, v FROM market_bars_1d ORDER BY symbol, t");
    expect(bars).toEqual([
      { symbol: 'AAA', t: Date.UTC(2026, 10, 19), o: 10, h: 11, l: 9.5, c: 10.5, v: 1000 },
      { symbol: 'AAA', t: Date.UTC(2026, 10, 20), o: 10.5, h: 12.5, l: 10.25, c: 12, v: 2000 },
      { symbol: 'BBB', t: Date.UTC(2026, 10, 19), o: 20, h: 20, l: 20, c: 20, v: 0 },
      { symbol: 'BBB', t: Date.UTC(2026, 10, 20), o: 21, h: 21, l: 21, c: 21, v: 0 },
    ]);
    const q = (await h.market.lookup.getPrices(['AAA'])).get('AAA');
    expect(q).toMatchObject({ price: 12, t: Date.UTC(2026, 10, 20, 21) });
    expect(h.market.pipeline.stats().droppedUnknown).toBe(1);
  });
});

describe('simulated provider', () => {
  const start = new Map([['AAA', 100], ['BBB', 50], ['CCC', 10]]);
  const fxStart = new Map([['EURUSD', 1.1]]);

  it('is deterministic for a seed and moves symbols together (correlated walk)', () => {
    const a = createSimulatedProvider({ start, fxStart, seed: 3, clock: { now: () => 0 }, marketOpen: () => true, marketVol: 0.5, idioVol: 0.05 });
    const b = createSimulatedProvider({ start, fxStart, seed: 3, clock: { now: () => 0 }, marketOpen: () => true, marketVol: 0.5, idioVol: 0.05 });
    let t = Date.UTC(2026, 10, 20, 15);
    const rA: number[] = [];
    const rB: number[] = [];
    let prevA = a.current('AAA')!;
    let prevB = a.current('BBB')!;
    for (let i = 0; i < 2000; i++) {
      t += 60_000;
      expect(a.step(6, t)).toEqual(b.step(6, t));
      const pa = a.current('AAA')!;
      const pb = a.current('BBB')!;
      rA.push(Math.log(pa / prevA));
      rB.push(Math.log(pb / prevB));
      prevA = pa;
      prevB = pb;
    }
    const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
    const ma = mean(rA);
    const mb = mean(rB);
    const cov = mean(rA.map((x, i) => (x - ma) * (rB[i] - mb)));
    const corr = cov / Math.sqrt(mean(rA.map((x) => (x - ma) ** 2)) * mean(rB.map((x) => (x - mb) ** 2)));
    expect(corr).toBeGreaterThan(0.5);
  });

  it('is quiet outside market hours except FX pairs', () => {
    const p = createSimulatedProvider({ start, fxStart, seed: 1, clock: { now: () => 0 } });
    const saturday = Date.UTC(2026, 10, 21, 16);
    expect(new Set(p.step(50, saturday).map((t) => t.s))).toEqual(new Set(['EURUSD']));
    const wednesdayNoonNy = Date.UTC(2026, 10, 18, 17);
    expect(new Set(p.step(200, wednesdayNoonNy).map((t) => t.s))).toEqual(new Set(['AAA', 'BBB', 'CCC', 'EURUSD']));
  });
});
