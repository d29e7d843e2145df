// A market snapshot for valuation: the latest close per symbol, FX rates to the base currency and the security
// master, built from ONE batched price lookup (all symbols at once, never one query per holding).
// Units: prices are decimal numbers per share in the security's currency; FX rates are base currency per 1 unit
// of the foreign currency (e.g. EURUSD = USD per EUR); money results are integer cents of the base currency.
import type { Cents, DailyPrice, IsoDate, Security } from '@aw/domain';
import { productCents } from './exact-cents.ts';

export type SecurityInfo = Pick<Security, 'symbol' | 'name' | 'assetClass' | 'sector' | 'currency'>;

export interface PriceQuote {
  /** Close per share in the security's currency. */
  price: number;
  date: IsoDate;
}

export interface MarketSnapshot {
  /** Valuation date: holding periods are measured to it. */
  asOf: IsoDate;
  baseCurrency: string;
  prices: ReadonlyMap<string, PriceQuote>;
  /** currency → base currency per 1 unit; the base currency itself is always 1. */
  fxRates: ReadonlyMap<string, number>;
  securities: ReadonlyMap<string, SecurityInfo>;
}

/** Valuation needs a date: from the caller or the latest price. */
export class NoPricesError extends Error {
  override name = 'NoPricesError';
}

export type PriceRow = Pick<DailyPrice, 'symbol' | 'date' | 'closePrice' | 'kind'>;

/** The FX symbol quoting `currency` in `base`, e.g. ('EUR','USD') → 'EURUSD'. */
export const fxSymbol = (currency: string, base: string): string => `${currency}${base}`;

/** The latest close per symbol among `rows` (any order, any number of dates per symbol). */
export function latestQuotes(rows: Iterable<PriceRow>): Map<string, PriceQuote> {
  const out = new Map<string, PriceQuote>();
  for (const r of rows) {
    const prev = out.get(r.symbol);
    if (!prev || r.date > prev.date) out.set(r.symbol, { price: r.closePrice, date: r.date });
  }
  return out;
}

export interface SnapshotInput {
  /** Result of one batched lookup of security prices and FX rates. */
  priceRows: Iterable<PriceRow>;
  securities: Iterable<SecurityInfo>;
  baseCurrency?: string;
  /** Defaults to the latest price date seen; NoPricesError when there is neither. */
  asOf?: IsoDate;
}

/** Builds a snapshot; FX rows (kind 'fx', `${CCY}${BASE}` or the inverse `${BASE}${CCY}`) become fxRates. */
export function buildMarketSnapshot(input: SnapshotInput): MarketSnapshot {
  const base = input.baseCurrency ?? 'USD';
  const secRows: PriceRow[] = [];
  const fxRows: PriceRow[] = [];
  for (const r of input.priceRows) (r.kind === 'fx' ? fxRows : secRows).push(r);
  const prices = latestQuotes(secRows);
  // Direct pairs (EURUSD = USD per EUR) win over inverse ones (USDCHF = CHF per USD → 1 / close).
  const fxRates = new Map<string, number>([[base, 1]]);
  const quotes = latestQuotes(fxRows);
  for (const [symbol, q] of quotes) {
    if (symbol.length !== base.length + 3 || !(q.price > 0)) continue;
    if (symbol.endsWith(base)) fxRates.set(symbol.slice(0, 3), q.price);
    else if (symbol.startsWith(base)) {
      const ccy = symbol.slice(base.length);
      if (!quotes.has(fxSymbol(ccy, base))) fxRates.set(ccy, 1 / q.price);
    }
  }
  const securities = new Map<string, SecurityInfo>();
  for (const s of input.securities) securities.set(s.symbol, s);
  let asOf = input.asOf ?? '';
  if (!asOf) for (const q of [...prices.values(), ...quotes.values()]) if (q.date > asOf) asOf = q.date;
  if (!asOf) throw new NoPricesError('no prices to value with (and no as-of date given)');
  return { asOf, baseCurrency: base, prices, fxRates, securities };
}

/** Integer cents × rate, rounded once to the cent (half away from zero), exactly. */
export function convertCents(cents: Cents, rate: number): Cents {
  if (rate === 1) return cents;
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not integer cents: ${cents}`);
  return productCents(cents / 100, rate); // cents / 100 is the exact 2-decimal amount
}
