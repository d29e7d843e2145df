import { describe, expect, it } from 'vitest';
import { closeTimeMs, formatAge, isMarketOpen, isPriceStale, lastSessionCloseMs } from './price-age.ts';

const at = (iso: string) => Date.parse(iso);

describe('price age', () => {
  it('knows the NYSE session in New York time, across daylight saving', () => {
    expect(isMarketOpen(at('2026-11-25T19:51:00Z'))).toBe(true); // Wed 14:51 EST
    expect(isMarketOpen(at('2026-11-25T21:00:00Z'))).toBe(false); // 16:00 EST
    expect(isMarketOpen(at('2026-07-15T13:29:00Z'))).toBe(false); // 09:29 EDT
    expect(isMarketOpen(at('2026-07-15T13:30:00Z'))).toBe(true);
    expect(isMarketOpen(at('2026-11-28T16:00:00Z'))).toBe(false); // Saturday
  });

  it('finds the last session close (weekends and pre-open go back to the previous weekday)', () => {
    expect(lastSessionCloseMs(at('2026-11-25T22:00:00Z'))).toBe(at('2026-11-25T21:00:00Z'));
    expect(lastSessionCloseMs(at('2026-11-28T15:00:00Z'))).toBe(at('2026-11-27T21:00:00Z'));
    expect(lastSessionCloseMs(at('2026-11-30T14:00:00Z'))).toBe(at('2026-11-27T21:00:00Z'));
    expect(lastSessionCloseMs(at('2026-07-15T21:00:00Z'))).toBe(at('2026-07-15T20:00:00Z'));
  });

  it('marks prices stale by the market-hours threshold, and always while the feed is down', () => {
    const open = at('2026-11-25T19:51:00Z');
    expect(isPriceStale(open - 30_000, open, true)).toBe(false);
    expect(isPriceStale(open - 61_000, open, true)).toBe(true);
    expect(isPriceStale(open - 1_000, open, false)).toBe(true);
    const evening = at('2026-11-25T23:00:00Z');
    expect(isPriceStale(at('2026-11-25T20:59:00Z'), evening, true)).toBe(false); // the day's last tick
    expect(isPriceStale(at('2026-11-24T21:00:00Z'), evening, true)).toBe(true); // yesterday's close
  });

  it('stamps a daily close at 16:00 New York', () => {
    expect(closeTimeMs('2026-11-25')).toBe(at('2026-11-25T21:00:00Z'));
    expect(closeTimeMs('2026-07-15')).toBe(at('2026-07-15T20:00:00Z'));
  });

  it('formats ages', () => {
    expect(formatAge(8_400)).toBe('8 s');
    expect(formatAge(4 * 60_000 + 5_000)).toBe('4 min');
    expect(formatAge(3 * 3_600_000 + 5 * 60_000)).toBe('3 h 5 min');
    expect(formatAge(3 * 86_400_000)).toBe('3 d');
  });
});
