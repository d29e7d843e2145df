// The valuation worker's warm market: the latest daily closes, FX closes and security master rows it has been sent
// (upserted in small deltas, so a view never re-sends the whole market), plus live prices from the price stream
// laid over the closes. Views then send only their lots and cash. Runs inside the Web Worker.
// Units: prices per share in the security's currency; live tick times epoch ms; money in integer cents (USD).
import {
  latestQuotes,
  type LotInput, type MarketSnapshot, type PriceQuote, type PriceRow, type SecurityInfo,
} from '@aw/engine/valuation';
import { closeTimeMs } from '../features/market/price-age.ts';
import type { HoldingsView } from './valuation-service.ts';
import { holdingsViewAt } from './valuation-holdings.ts';

/** What a view gets sent to the warm market: new or changed rows only. */
export interface MarketDelta {
  priceRows?: PriceRow[];
  securities?: SecurityInfo[];
}

export interface WarmHoldingsInput {
  lots: LotInput[];
  cashCents: number;
  /** Valuation date (the caller's lookup decides it); default the latest close date. */
  asOf?: string;
  /** Symbols the caller's lookup found no close for: valued as unpriced even if the warm market knows one. */
  unpriced?: string[];
  /** Symbols the caller's lookup found no security row for: valued as unclassified even if the warm market knows one. */
  unlisted?: string[];
}

/** A live price from the stream or the polling endpoint. */
export interface LivePrice {
  s: string;
  p: number;
  /** Provider tick time, epoch ms. */
  t: number;
}

/** Where a holding's price came from and when it was set. */
export interface PriceSource {
  source: 'live' | 'close';
  /** Tick time (live) or 16:00 New York of the close date (close), epoch ms. */
  timeMs: number;
}

export interface LiveHoldingsView extends HoldingsView {
  /** The same holdings valued at the local daily closes (for the day change). */
  closeTotals: HoldingsView['totals'];
  /** Per holding `${accountId}|${symbol}`: live value minus value at close, cents. */
  dayChangeCents: Record<string, number>;
  /** Per symbol: the price's source and time. */
  priceSources: Record<string, PriceSource>;
}

/** The New York calendar date of an instant (a live price's valuation date). */
export function nyDate(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

export interface WarmMarket {
  put(delta: MarketDelta): void;
  setLive(prices: LivePrice[]): void;
  /** Forgets live prices (all, or `symbols`): valuation falls back to the closes. */
  dropLive(symbols?: string[]): void;
  value(input: WarmHoldingsInput): HoldingsView;
  valueLive(input: WarmHoldingsInput): LiveHoldingsView;
  size(): { closes: number; securities: number; live: number };
}

export function createWarmMarket(baseCurrency = 'USD'): WarmMarket {
  const closes = new Map<string, PriceQuote>();
  const fxQuotes = new Map<string, PriceQuote>();
  const securities = new Map<string, SecurityInfo>();
  const live = new Map<string, LivePrice>();
  let fxRates = new Map<string, number>([[baseCurrency, 1]]);
  let latestCloseDate = '';

  const rebuildFx = () => {
    // Same rule as the engine's buildMarketSnapshot: direct pairs win over inverse ones.
    const rates = new Map<string, number>([[baseCurrency, 1]]);
    for (const [symbol, q] of fxQuotes) {
      if (symbol.length !== baseCurrency.length + 3 || !(q.price > 0)) continue;
      if (symbol.endsWith(baseCurrency)) rates.set(symbol.slice(0, 3), q.price);
      else if (symbol.startsWith(baseCurrency)) {
        const ccy = symbol.slice(baseCurrency.length);
        if (!fxQuotes.has(`${ccy}${baseCurrency}`)) rates.set(ccy, 1 / q.price);
      }
    }
    fxRates = rates;
  };

  const snapshot = (input: WarmHoldingsInput, withLive: boolean, sources?: Record<string, PriceSource>): MarketSnapshot => {
    const symbols = new Set(input.lots.map((l) => l.symbol));
    const unpriced = new Set(input.unpriced ?? []);
    const prices = new Map<string, PriceQuote>();
    let asOf = input.asOf ?? latestCloseDate;
    for (const s of symbols) {
      if (unpriced.has(s) && !(withLive && live.has(s))) continue;
      const tick = withLive ? live.get(s) : undefined;
      if (tick) {
        const date = nyDate(tick.t);
        prices.set(s, { price: tick.p, date });
        if (date > asOf) asOf = date;
        if (sources) sources[s] = { source: 'live', timeMs: tick.t };
        continue;
      }
      const q = closes.get(s);
      if (q) {
        prices.set(s, q);
        if (sources) sources[s] = { source: 'close', timeMs: closeTimeMs(q.date) };
      }
    }
    let secs: ReadonlyMap<string, SecurityInfo> = securities;
    if (input.unlisted?.length) {
      const known = new Map(securities);
      for (const s of input.unlisted) known.delete(s);
      secs = known;
    }
    return { asOf: asOf || new Date().toISOString().slice(0, 10), baseCurrency, prices, fxRates, securities: secs };
  };

  const view = (input: WarmHoldingsInput, market: MarketSnapshot, t0: number): HoldingsView =>
    holdingsViewAt(input.lots, market, input.cashCents, t0);

  return {
    put(delta) {
      if (delta.securities) for (const s of delta.securities) securities.set(s.symbol, s);
      if (delta.priceRows?.length) {
        const sec = latestQuotes(delta.priceRows.filter((r) => r.kind !== 'fx'));
        const fx = latestQuotes(delta.priceRows.filter((r) => r.kind === 'fx'));
        for (const [s, q] of sec) {
          closes.set(s, q);
          if (q.date > latestCloseDate) latestCloseDate = q.date;
        }
        if (fx.size) {
          for (const [s, q] of fx) fxQuotes.set(s, q);
          rebuildFx();
        }
      }
    },
    setLive(prices) {
      for (const p of prices) {
        if (!(p.p > 0) || !Number.isFinite(p.t)) continue;
        const prev = live.get(p.s);
        if (!prev || p.t >= prev.t) live.set(p.s, p);
      }
    },
    dropLive(symbols) {
      if (!symbols) live.clear();
      else for (const s of symbols) live.delete(s);
    },
    value(input) {
      const t0 = performance.now();
      return view(input, snapshot(input, false), t0);
    },
    valueLive(input) {
      const t0 = performance.now();
      const priceSources: Record<string, PriceSource> = {};
      const atClose = view(input, snapshot(input, false), t0);
      const now = view(input, snapshot(input, true, priceSources), t0);
      const closeByKey = new Map(atClose.holdings.map((h) => [`${h.accountId}|${h.symbol}`, h.marketValueCents]));
      const dayChangeCents: Record<string, number> = {};
      for (const h of now.holdings) {
        const key = `${h.accountId}|${h.symbol}`;
        dayChangeCents[key] = h.marketValueCents - (closeByKey.get(key) ?? 0);
      }
      return { ...now, closeTotals: atClose.totals, dayChangeCents, priceSources, computeMs: performance.now() - t0 };
    },
    size: () => ({ closes: closes.size, securities: securities.size, live: live.size }),
  };
}
