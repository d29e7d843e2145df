import { describe, expect, it } from 'vitest';
import { HOLIDAY_YEARS, NYSE_HOLIDAYS, nyseHoliday } from './exchange-holidays.ts';
import { closeOfDayMs, isMarketOpen, isTradingDay, nyMidnightMs, tradingDayMs } from './market-hours.ts';

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

  it('is closed all day on NYSE holidays and open on the days around them', () => {
    // Thanksgiving 2026 (Thursday 26 Nov, EST): closed at noon; the Wednesday before and the Friday after trade.
    expect(isMarketOpen(Date.UTC(2026, 10, 26, 17, 0))).toBe(false);
    expect(isMarketOpen(Date.UTC(2026, 10, 25, 17, 0))).toBe(true);
    expect(isMarketOpen(Date.UTC(2026, 10, 27, 17, 0))).toBe(true);
    // Independence Day 2026 falls on a Saturday: observed on Friday 3 July (EDT), Thursday 2 July trades.
    expect(isMarketOpen(Date.UTC(2026, 6, 3, 15, 0))).toBe(false);
    expect(isMarketOpen(Date.UTC(2026, 6, 2, 15, 0))).toBe(true);
    // Good Friday moves with Easter: 18 Apr 2025, 3 Apr 2026, 26 Mar 2027.
    expect(isMarketOpen(Date.UTC(2025, 3, 18, 15, 0))).toBe(false);
    expect(isMarketOpen(Date.UTC(2027, 2, 26, 15, 0))).toBe(false);
    expect(isMarketOpen(Date.UTC(2027, 2, 25, 15, 0))).toBe(true);
    // Christmas 2027 is a Saturday: observed Friday 24 Dec.
    expect(isMarketOpen(Date.UTC(2027, 11, 24, 15, 0))).toBe(false);
    expect(nyseHoliday(Date.UTC(2027, 11, 24))).toBe('Christmas Day (observed)');
    expect(isTradingDay(Date.UTC(2027, 11, 23))).toBe(true);
    expect(isTradingDay(Date.UTC(2027, 11, 25))).toBe(false); // Saturday
  });

  it('has 10 or 11 weekday holidays in each covered year, including the fixed-date ones', () => {
    for (const year of HOLIDAY_YEARS) {
      const days = Object.keys(NYSE_HOLIDAYS).filter((d) => d.startsWith(`${year}-`));
      expect(days.length).toBeGreaterThanOrEqual(10);
      expect(days.length).toBeLessThanOrEqual(11);
      for (const d of days) {
        const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
        expect(weekday, `${d} must be a weekday`).not.toBe(0);
        expect(weekday, `${d} must be a weekday`).not.toBe(6);
        expect(isTradingDay(Date.parse(`${d}T00:00:00Z`))).toBe(false);
      }
      expect(days.some((d) => d.endsWith('-01-01'))).toBe(true);
      expect(days.some((d) => /-12-2[45]$/.test(d))).toBe(true);
    }
  });
});
