import { describe, expect, it } from 'vitest';
import { closeOfDayMs, isMarketOpen, nyMidnightMs, tradingDayMs } from './market-hours.ts';

describe('market hours (America/New_York)', () => {
  it('knows the regular session in summer (EDT) and winter (EST)', () => {
    expect(isMarketOpen(Date.UTC(2026, 6, 1, 13, 29))).toBe(false); // 09:29 EDT
    expect(isMarketOpen(Date.UTC(2026, 6, 1, 13, 30))).toBe(true); // 09:30 EDT
    expect(isMarketOpen(Date.UTC(2026, 6, 1, 19, 59))).toBe(true); // 15:59 EDT
    expect(isMarketOpen(Date.UTC(2026, 6, 1, 20, 0))).toBe(false); // 16:00 EDT
    expect(isMarketOpen(Date.UTC(2026, 11, 1, 14, 0))).toBe(false); // 09:00 EST
    expect(isMarketOpen(Date.UTC(2026, 11, 1, 14, 30))).toBe(true); // 09:30 EST
    expect(isMarketOpen(Date.UTC(2026, 10, 21, 16, 0))).toBe(false); // Saturday
  });

  it('puts late-evening UTC ticks on the New York date', () => {
    // 2026-11-21 02:00 UTC is 2026-11-20 21:00 EST.
    expect(tradingDayMs(Date.UTC(2026, 10, 21, 2, 0))).toBe(Date.UTC(2026, 10, 20));
    expect(tradingDayMs(Date.UTC(2026, 10, 21, 5, 0))).toBe(Date.UTC(2026, 10, 21));
  });

  it('finds New York midnight and the 16:00 close across DST changes', () => {
    expect(nyMidnightMs(Date.UTC(2026, 6, 1))).toBe(Date.UTC(2026, 6, 1, 4));
    expect(nyMidnightMs(Date.UTC(2026, 11, 1))).toBe(Date.UTC(2026, 11, 1, 5));
    // 2026-03-08: clocks spring forward at 02:00; midnight is still EST.
    expect(nyMidnightMs(Date.UTC(2026, 2, 8))).toBe(Date.UTC(2026, 2, 8, 5));
    expect(nyMidnightMs(Date.UTC(2026, 10, 1))).toBe(Date.UTC(2026, 10, 1, 4));
    expect(closeOfDayMs(Date.UTC(2026, 10, 20))).toBe(Date.UTC(2026, 10, 20, 21));
  });
});
