// The valuation worker's API (runs inside a Web Worker; plain data in, plain data out): whole-book valuation and
// the holdings view of one household or account, both from one batched price lookup done by the caller. The warm
// calls keep the market inside the worker (see valuation-warm-market.ts): the caller sends only the rows that
// changed, then lots and cash per view; live views are kept by id and revalued as stream ticks arrive.
// Money in integer cents of the base currency (USD).
import {
  buildMarketSnapshot, valueBook,
  type AccountInput, type AllocationSlice, type BookValuation, type HoldingValuation, type LotInput, type PriceRow,
  type SecurityInfo, type ValueTotals,
} from '@aw/engine/valuation';
import * as Comlink from 'comlink';
import {
  createWarmMarket, type LiveHoldingsView, type LivePrice, type MarketDelta, type WarmHoldingsInput,
} from './valuation-warm-market.ts';

import { valueHoldingsView } from './valuation-holdings.ts';
import { decodeLots, encodeHoldings, holdingsTransfer, type WireHoldings, type WireLots } from './valuation-wire.ts';

export type { LiveHoldingsView, LivePrice, MarketDelta, PriceSource, WarmHoldingsInput } from './valuation-warm-market.ts';

/** A warm call's input: lots in the columnar wire form. */
export type WireHoldingsInput = Omit<WarmHoldingsInput, 'lots'> & { lots: WireLots };
/** A view on the wire: holdings in the columnar form (decoded by the client). */
export type Wire<V extends HoldingsView> = Omit<V, 'holdings'> & { holdings: WireHoldings };

export type {
  AccountValuation, AllocationSlice, BookValuation, HoldingValuation, HouseholdValuation, LotInput, LotValuation, PriceRow,
  SecurityInfo, ValueTotals,
} from '@aw/engine/valuation';

export interface MarketInput {
  /** Rows of one batched lookup (securities and FX). */
  priceRows: PriceRow[];
  securities: SecurityInfo[];
  asOf?: string;
}

export interface BookValuationInput extends MarketInput {
  accounts: AccountInput[];
  lots: LotInput[];
}

export interface HoldingsInput extends MarketInput {
  lots: LotInput[];
  /** Cash of the accounts shown (added to totals and allocation). */
  cashCents: number;
}

export interface HoldingsView {
  asOf: string;
  holdings: HoldingValuation[];
  totals: ValueTotals;
  byAssetClass: AllocationSlice[];
  bySector: AllocationSlice[];
  /** Time spent computing (in the worker, or on the UI thread for small views), ms; the rest of a worker call is
   * messaging and scheduling. */
  computeMs: number;
}

export interface ValuationProgress { done: number; total: number }

export interface ValuationApi {
  valueBook(input: BookValuationInput, onProgress?: (p: ValuationProgress) => void): Promise<BookValuation>;
  valueHoldings(input: HoldingsInput): HoldingsView;
  /** Upserts closes, FX closes and security rows into the worker's warm market. */
  putMarket(delta: MarketDelta): void;
  /** A holdings view valued at the warm market's closes (the caller sent the rows its lookup found). */
  valueHoldingsWarm(input: WireHoldingsInput, market?: MarketDelta): Wire<HoldingsView>;
  /** Keeps a live view's lots and cash under `viewId` and values it with the live prices known so far. */
  openLiveView(viewId: string, input: WireHoldingsInput, market?: MarketDelta): Wire<LiveHoldingsView>;
  closeLiveView(viewId: string): void;
  /** Lays live prices over the closes (and forgets `drop`); returns the revalued live view `viewId`, if open. */
  applyLivePrices(prices: LivePrice[], drop: string[] | 'all' | null, viewId: string | null): Wire<LiveHoldingsView> | null;
}

/** Encodes a view for the trip back, moving its number columns instead of copying them. */
function wire<V extends HoldingsView>(v: V): Wire<V> {
  const holdings = encodeHoldings(v.holdings);
  return Comlink.transfer({ ...v, holdings }, holdingsTransfer(holdings));
}
const unwire = (input: WireHoldingsInput): WarmHoldingsInput => ({ ...input, lots: decodeLots(input.lots) });

const warm = createWarmMarket();
const liveViews = new Map<string, WarmHoldingsInput>();

export const valuationService: ValuationApi = {
  async valueBook(input, onProgress) {
    const market = buildMarketSnapshot(input);
    // A proxied callback posts its message at once; not awaiting it keeps the loop running while the UI updates.
    return valueBook(input.accounts, input.lots, market, onProgress ? (done, total) => void onProgress({ done, total }) : undefined);
  },
  valueHoldings: valueHoldingsView,
  putMarket(delta) {
    warm.put(delta);
  },
  valueHoldingsWarm(input, market) {
    if (market) warm.put(market);
    return wire(warm.value(unwire(input)));
  },
  openLiveView(viewId, input, market) {
    if (market) warm.put(market);
    const lots = unwire(input);
    liveViews.set(viewId, lots);
    return wire(warm.valueLive(lots));
  },
  closeLiveView(viewId) {
    liveViews.delete(viewId);
  },
  applyLivePrices(prices, drop, viewId) {
    if (drop === 'all') warm.dropLive();
    else if (drop?.length) warm.dropLive(drop);
    warm.setLive(prices);
    const input = viewId === null ? undefined : liveViews.get(viewId);
    return input ? wire(warm.valueLive(input)) : null;
  },
};
