// The holdings view's valuation as ONE pure function (one batched lookup in: lots, price rows, security rows,
// cash; holdings, totals and allocation out). The valuation worker runs it for big views; the valuation client runs
// the very same function on the UI thread for small ones (see UI_THREAD_MAX_LOTS), so both paths value alike.
// Money in integer cents of the base currency (USD); times in milliseconds.
import { accountTotals, allocationBy, buildMarketSnapshot, valueHoldings, type MarketSnapshot } from '@aw/engine/valuation';
import type { HoldingsInput, HoldingsView, LotInput, PriceRow, SecurityInfo } from './valuation-service.ts';

/**
 * Views of at most this many lots are valued on the UI thread instead of in the worker. "Heavy work runs in Web
 * Workers" still holds: valuing 1,000 lots takes ~1.2 ms (quiet, Chromium), so 2,000 stay within a few ms, far
 * under a 16 ms frame and the 50 ms long-task line — while a worker round trip (post, wake the worker, structured
 * clone both ways, wake the UI thread) costs 5–20 ms and its tail grows with load. Bigger views (and whole books)
 * still go to the workers.
 */
export const UI_THREAD_MAX_LOTS = 2000;

// Copies of just the fields valuation reads, all in one fixed shape. The rows of an RxDB read are toJSON() clones
// with the meta fields deleted, and `delete` leaves V8 objects in slow dictionary mode: every property read in the
// valuation loops then becomes a hash lookup.
const lotOf = (l: LotInput): LotInput => ({ id: l.id, accountId: l.accountId, householdId: l.householdId, symbol: l.symbol,
  quantity: l.quantity, costBasisCents: l.costBasisCents, acquiredDate: l.acquiredDate, holdingPeriodStart: l.holdingPeriodStart });
const priceRowOf = (r: PriceRow): PriceRow => ({ symbol: r.symbol, date: r.date, closePrice: r.closePrice, kind: r.kind });
const securityOf = (s: SecurityInfo): SecurityInfo => ({ symbol: s.symbol, name: s.name, assetClass: s.assetClass, sector: s.sector, currency: s.currency });

/** Holdings, totals and allocations of `lots` at `market`; `t0` is when the caller started (for computeMs). */
export function holdingsViewAt(lots: readonly LotInput[], market: MarketSnapshot, cashCents: HoldingsInput['cashCents'], t0: number): HoldingsView {
  const holdings = valueHoldings(lots, market);
  return {
    asOf: market.asOf,
    holdings,
    totals: accountTotals(holdings, cashCents),
    byAssetClass: allocationBy(holdings, 'assetClass', cashCents),
    bySector: allocationBy(holdings, 'sector', cashCents),
    computeMs: performance.now() - t0,
  };
}

export function valueHoldingsView(input: HoldingsInput): HoldingsView {
  const t0 = performance.now();
  const market = buildMarketSnapshot({ priceRows: input.priceRows.map(priceRowOf), securities: input.securities.map(securityOf), asOf: input.asOf });
  return holdingsViewAt(input.lots.map(lotOf), market, input.cashCents, t0);
}
