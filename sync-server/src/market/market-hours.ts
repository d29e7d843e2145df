// US equity market hours (NYSE regular session 09:30–16:00 America/New_York, Monday–Friday, closed on the full-day
// exchange holidays of exchange-holidays.ts; early closes are not modelled) and the New York trading date of a
// timestamp. Times are epoch milliseconds.
import { isNyseHoliday } from './exchange-holidays.ts';
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
export const OPEN_MINUTE = 9 * 60 + 30;
export const CLOSE_MINUTE = 16 * 60;

const nyFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short',
});

interface NyParts { y: number; m: number; d: number; minuteOfDay: number; weekday: number }
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

// New York's UTC offset only changes on whole UTC hours, so one Intl call per hour bucket is enough
// (the ingest path converts up to hundreds of thousands of ticks per second).
const offsetByHour = new Map<number, number>();

/** Minutes to add to UTC to get New York wall-clock time at `ms` (−240 or −300). */
let lastBucket = NaN;
let lastOffset = 0;
export function nyOffsetMinutes(ms: number): number {
  const bucket = Math.floor(ms / HOUR_MS);
  if (bucket === lastBucket) return lastOffset;
  let off = offsetByHour.get(bucket);
  if (off === undefined) {
    const probe = bucket * HOUR_MS;
    const p = partsViaIntl(probe);
    const wall = Date.UTC(p.y, p.m - 1, p.d) + p.minuteOfDay * 60_000;
    off = Math.round((wall - probe) / 60_000);
    if (offsetByHour.size > 10_000) offsetByHour.clear();
    offsetByHour.set(bucket, off);
  }
  lastBucket = bucket;
  lastOffset = off;
  return off;
}

function partsViaIntl(ms: number): NyParts {
  const parts: Record<string, string> = {};
  for (const x of nyFormat.formatToParts(ms)) parts[x.type] = x.value;
  return { y: +parts.year, m: +parts.month, d: +parts.day, minuteOfDay: +parts.hour * 60 + +parts.minute, weekday: WEEKDAYS[parts.weekday] };
}

/** Wall-clock parts in New York. */
export function nyParts(ms: number): NyParts {
  const wall = new Date(ms + nyOffsetMinutes(ms) * 60_000);
  return {
    y: wall.getUTCFullYear(), m: wall.getUTCMonth() + 1, d: wall.getUTCDate(),
    minuteOfDay: wall.getUTCHours() * 60 + wall.getUTCMinutes(), weekday: wall.getUTCDay(),
  };
}

/** UTC midnight of the New York calendar date of `ms`: the key of daily bars. */
export function tradingDayMs(ms: number): number {
  const wallMs = ms + nyOffsetMinutes(ms) * 60_000;
  return Math.floor(wallMs / DAY_MS) * DAY_MS;
}

/** ISO date (YYYY-MM-DD) of a daily-bar key. */
export const isoDate = (dayMs: number): string => new Date(dayMs).toISOString().slice(0, 10);

/** The instant of New York local midnight starting the calendar date `dayMs` (UTC midnight key). */
export function nyMidnightMs(dayMs: number): number {
  // Offset at noon of that day is the day's offset except on DST days, where midnight is still on the old offset.
  let guess = dayMs - nyOffsetMinutes(dayMs + 12 * HOUR_MS) * 60_000;
  guess = dayMs - nyOffsetMinutes(guess) * 60_000;
  return guess;
}

/** True when the New York date with key `dayMs` (UTC midnight, see tradingDayMs) is a weekday without an NYSE holiday. */
export function isTradingDay(dayMs: number): boolean {
  const weekday = new Date(dayMs).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !isNyseHoliday(dayMs);
}

/** True during the regular session (trading day, 09:30 ≤ New York time < 16:00). */
export function isMarketOpen(ms: number): boolean {
  const p = nyParts(ms);
  if (p.weekday === 0 || p.weekday === 6) return false;
  if (p.minuteOfDay < OPEN_MINUTE || p.minuteOfDay >= CLOSE_MINUTE) return false;
  return !isNyseHoliday(Date.UTC(p.y, p.m - 1, p.d));
}

/** The instant of 16:00 New York time on the date of `dayMs` (a replayed daily close's tick time). */
export function closeOfDayMs(dayMs: number): number {
  return nyMidnightMs(dayMs) + CLOSE_MINUTE * 60_000;
}
