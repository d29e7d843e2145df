// HTTP endpoints of the price hub (CONTRACTS section 4):
//   GET /api/v1/market/prices?symbols=A,B,…  one batched lookup → {"prices":{"A":{"p","t","ageMs","stale"}},"unknown":[…],"missing":[…]}
//   GET /api/v1/market/history/:symbol?start_date=&end_date=&interval=1d|1m&limit=&offset=
//       → {"data":[{"t","o","h","l","c","v"}],"pagination":{"total","limit","offset","has_next"}} + X-Total-Count.
// History ranges are New York calendar dates (inclusive); daily ranges are capped at 5 years and minute ranges
// at 7 days per request (400 beyond); `limit` defaults to 1000 and may not exceed 1000.
import { Router, type RequestHandler } from 'express';
import type { ServerContext } from '../context.ts';
import { HttpError, badRequest } from '../http/errors.ts';
import { nyMidnightMs, tradingDayMs, isoDate } from './market-hours.ts';
import type { PriceLookup } from './price-lookup.ts';
import type { Interval, PriceStore } from './price-store.ts';
import type { Clock } from './types.ts';

const DAY_MS = 86_400_000;
export const MAX_SYMBOLS_PER_REQUEST = 1000;
export const MAX_HISTORY_LIMIT = 1000;
export const MAX_DAILY_YEARS = 5;
export const MAX_MINUTE_DAYS = 7;

/** 'YYYY-MM-DD' → UTC midnight ms, or an HttpError naming the parameter. */
export function parseIsoDate(name: string, v: unknown): number {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw badRequest(`${name} must be a date YYYY-MM-DD (got ${JSON.stringify(v)})`, 'invalid_date');
  const ms = Date.parse(`${v}T00:00:00Z`);
  if (!Number.isFinite(ms) || isoDate(ms) !== v) throw badRequest(`${name} ${v} is not a calendar date`, 'invalid_date');
  return ms;
}

function intParam(name: string, v: unknown, dflt: number, min: number, max: number): number {
  if (v === undefined || v === '') return dflt;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw badRequest(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(v)})`, `invalid_${name}`);
  return n;
}

const addYears = (dayMs: number, years: number): number => {
  const d = new Date(dayMs);
  return Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate());
};

export interface MarketRoutesDeps {
  ctx: ServerContext;
  lookup: PriceLookup;
  store: PriceStore;
  isKnown(symbol: string): boolean;
  clock: Clock;
}

export function createMarketRouter(d: MarketRoutesDeps): Router {
  const router = Router();
  const readers: RequestHandler[] = [d.ctx.auth.requireAuth, d.ctx.auth.requireRole('advisor', 'reviewer', 'admin')];

  router.get('/api/v1/market/prices', ...readers, async (req, res) => {
    const raw = req.query.symbols;
    if (typeof raw !== 'string' || !raw.trim()) throw badRequest('symbols is required: ?symbols=A,B,C', 'invalid_symbols');
    const symbols = [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
    if (symbols.length > MAX_SYMBOLS_PER_REQUEST) throw badRequest(`at most ${MAX_SYMBOLS_PER_REQUEST} symbols per request (got ${symbols.length})`, 'too_many_symbols');
    const known = symbols.filter((s) => d.isKnown(s));
    const unknown = symbols.filter((s) => !d.isKnown(s));
    const quotes = await d.lookup.getPrices(known);
    const prices: Record<string, { p: number; t: number; ageMs: number; stale: boolean }> = {};
    const missing: string[] = [];
    for (const s of known) {
      const q = quotes.get(s);
      if (q) prices[s] = { p: q.price, t: q.t, ageMs: q.ageMs, stale: q.stale };
      else missing.push(s);
    }
    res.json({ prices, unknown, missing });
  });

  router.get('/api/v1/market/history/:symbol', ...readers, async (req, res) => {
    const symbol = String(req.params.symbol);
    if (!d.isKnown(symbol)) throw new HttpError(404, 'unknown_symbol', `${symbol} is not in the security master`);
    const q = req.query;
    const interval = (q.interval ?? '1d') as Interval;
    if (interval !== '1d' && interval !== '1m') throw badRequest(`interval must be 1d or 1m (got ${JSON.stringify(q.interval)})`, 'invalid_interval');
    const end = q.end_date === undefined ? tradingDayMs(d.clock.now()) : parseIsoDate('end_date', q.end_date);
    const start = q.start_date === undefined ? (interval === '1d' ? addYears(end, -1) : end) : parseIsoDate('start_date', q.start_date);
    if (start > end) throw badRequest(`start_date ${isoDate(start)} is after end_date ${isoDate(end)}`, 'invalid_range');
    if (interval === '1d' && start < addYears(end, -MAX_DAILY_YEARS)) {
      throw badRequest(`daily history is limited to ${MAX_DAILY_YEARS} years per request (${isoDate(start)} to ${isoDate(end)} is longer); split the range`, 'range_too_large');
    }
    const days = (end - start) / DAY_MS + 1;
    if (interval === '1m' && days > MAX_MINUTE_DAYS) {
      throw badRequest(`minute history is limited to ${MAX_MINUTE_DAYS} days per request (${isoDate(start)} to ${isoDate(end)} covers ${days} days); split the range`, 'range_too_large');
    }
    const limit = intParam('limit', q.limit, MAX_HISTORY_LIMIT, 1, MAX_HISTORY_LIMIT);
    const offset = intParam('offset', q.offset, 0, 0, Number.MAX_SAFE_INTEGER);
    const [fromMs, toMs] = interval === '1d' ? [start, end + DAY_MS] : [nyMidnightMs(start), nyMidnightMs(end + DAY_MS)];
    const { total, bars } = await d.store.history(symbol, interval, fromMs, toMs, limit, offset);
    res.setHeader('X-Total-Count', String(total));
    res.json({
      symbol, interval,
      data: bars,
      pagination: { total, limit, offset, has_next: offset + bars.length < total },
    });
  });

  return router;
}
