// The valuation worker's API (runs inside a Web Worker; plain data in, plain data out): whole-book valuation and
// the holdings view of one household or account, both from one batched price lookup done by the caller.
// Money in integer cents of the base currency (USD).
import {
  accountTotals, allocationBy, buildMarketSnapshot, valueBook, valueHoldings,
  type AccountInput, type AllocationSlice, type BookValuation, type HoldingValuation, type LotInput, type PriceRow,
  type SecurityInfo, type ValueTotals,
} from '@aw/engine/valuation';

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
  /** Time spent computing inside the worker, ms (the rest of a call is messaging and scheduling). */
  computeMs: number;
}

export interface ValuationProgress { done: number; total: number }

export interface ValuationApi {
  valueBook(input: BookValuationInput, onProgress?: (p: ValuationProgress) => void): Promise<BookValuation>;
  valueHoldings(input: HoldingsInput): HoldingsView;
}

export const valuationService: ValuationApi = {
  async valueBook(input, onProgress) {
    const market = buildMarketSnapshot(input);
    // A proxied callback posts its message at once; not awaiting it keeps the loop running while the UI updates.
    return valueBook(input.accounts, input.lots, market, onProgress ? (done, total) => void onProgress({ done, total }) : undefined);
  },
  valueHoldings(input) {
    const t0 = performance.now();
    const market = buildMarketSnapshot(input);
    const holdings = valueHoldings(input.lots, market);
    return {
      asOf: market.asOf,
      holdings,
      totals: accountTotals(holdings, input.cashCents),
      byAssetClass: allocationBy(holdings, 'assetClass', input.cashCents),
      bySector: allocationBy(holdings, 'sector', input.cashCents),
      computeMs: performance.now() - t0,
    };
  },
};
