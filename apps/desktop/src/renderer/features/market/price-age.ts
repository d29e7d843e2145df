// How old a price is and whether it is stale, market-hours aware: during the NYSE regular session (09:30–16:00
// New York, weekdays; exchange holidays not modelled) a price is stale after a minute without a tick; outside it,
// a price is current while it is from the last session's close or later. Any price is stale while the feed is down.
// Times are epoch milliseconds.
const nyFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short',
});
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const OPEN_MINUTE = 9 * 60 + 30;
const CLOSE_MINUTE = 16 * 60;
const DAY_MS = 86_400_000;

/** A session price older than this (no tick) is stale. */
export const OPEN_STALE_AFTER_MS = 60_000;

interface NyClock { y: number; m: number; d: number; minuteOfDay: number; weekday: number; offsetMs: number }

function nyClock(ms: number): NyClock {
  const p: Record<string, string> = {};
  for (const x of nyFormat.formatToParts(ms)) p[x.type] = x.value;
  const y = +p.year!, m = +p.month!, d = +p.day!, minuteOfDay = +p.hour! * 60 + +p.minute!;
  const wallMs = Date.UTC(y, m - 1, d) + minuteOfDay * 60_000;
  return { y, m, d, minuteOfDay, weekday: WEEKDAYS[p.weekday!] ?? 0, offsetMs: wallMs - Math.floor(ms / 60_000) * 60_000 };
}

export function isMarketOpen(ms: number): boolean {
  const c = nyClock(ms);
  return c.weekday !== 0 && c.weekday !== 6 && c.minuteOfDay >= OPEN_MINUTE && c.minuteOfDay < CLOSE_MINUTE;
}

/** The most recent weekday 16:00 New York at or before `ms`. */
export function lastSessionCloseMs(ms: number): number {
  const c = nyClock(ms);
  let day = Date.UTC(c.y, c.m - 1, c.d);
  let weekday = c.weekday;
  if (c.minuteOfDay < CLOSE_MINUTE) { day -= DAY_MS; weekday = (weekday + 6) % 7; }
  while (weekday === 0 || weekday === 6) { day -= DAY_MS; weekday = (weekday + 6) % 7; }
  return day + CLOSE_MINUTE * 60_000 - c.offsetMs;
}

/** 16:00 New York on the ISO date `date` (the time a daily close is stamped with), epoch ms. */
export function closeTimeMs(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const offsetMs = nyClock(Date.UTC(y, m - 1, d, 21)).offsetMs;
  return Date.UTC(y, m - 1, d) + CLOSE_MINUTE * 60_000 - offsetMs;
}

/** True when a price stamped `priceMs` should carry the stale marker at `nowMs`. */
export function isPriceStale(priceMs: number, nowMs: number, feedUp: boolean): boolean {
  if (!feedUp) return true;
  if (isMarketOpen(nowMs)) return nowMs - priceMs > OPEN_STALE_AFTER_MS;
  return priceMs < lastSessionCloseMs(nowMs) - 60_000;
}

/** "8 s", "4 min", "3 h 5 min", "2 d". */
export function formatAge(ageMs: number): string {
  const s = Math.max(0, Math.floor(ageMs / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} d`;
}
