// Valuation of tax lots grouped into holdings (one per account and symbol): market value, cost basis and
// unrealized gain split into short- and long-term. A position is valued once (quantity × price, rounded to the
// cent, then converted to the base currency) and its value is split over its lots in proportion to their
// quantities, so lot values always sum exactly to the holding's value.
// Units: integer cents of the base currency; quantities in shares; prices per share in the security's currency.
import { allocateCents, type Cents, type IsoDate, type TaxLot } from '@aw/domain';
import { productCents } from './exact-cents.ts';
import { holdingTerm, type Term } from './holding-period.ts';
import { convertCents, type MarketSnapshot } from './market.ts';

export type LotInput = Pick<TaxLot, 'id' | 'accountId' | 'householdId' | 'symbol' | 'quantity' | 'costBasisCents' |
  'acquiredDate' | 'holdingPeriodStart'>;

export interface LotValuation {
  lotId: string;
  quantity: number;
  acquiredDate: IsoDate;
  holdingPeriodStart: IsoDate;
  term: Term;
  costBasisCents: Cents;
  /** 0 when the holding has no price. */
  marketValueCents: Cents;
  unrealizedCents: Cents;
}

export interface HoldingValuation {
  accountId: string;
  householdId: string;
  symbol: string;
  name: string;
  assetClass: string;
  sector: string;
  currency: string;
  /** Total shares, rounded to 6 decimals. */
  quantity: number;
  /** Latest close in the security's currency; null when the lookup found no price (or no FX rate). */
  price: number | null;
  priceDate: IsoDate | null;
  /** Base currency per 1 unit of `currency`; null when unknown. */
  fxRate: number | null;
  marketValueCents: Cents;
  costBasisCents: Cents;
  unrealizedCents: Cents;
  shortTermGainCents: Cents;
  longTermGainCents: Cents;
  /** 'mixed' when the holding has both short- and long-term lots. */
  term: Term | 'mixed';
  priced: boolean;
  lots: LotValuation[];
}

const roundShares = (q: number): number => Math.round(q * 1e6) / 1e6;

/** Values one holding: `lots` must share accountId and symbol. */
export function valueHolding(lots: readonly LotInput[], market: MarketSnapshot): HoldingValuation {
  const first = lots[0];
  if (!first) throw new RangeError('valueHolding needs at least one lot');
  const info = market.securities.get(first.symbol);
  const currency = info?.currency ?? market.baseCurrency;
  const quote = market.prices.get(first.symbol);
  const fxRate = market.fxRates.get(currency) ?? null;
  const quantity = roundShares(lots.reduce((q, l) => q + l.quantity, 0));
  const priced = quote !== undefined && fxRate !== null;
  const marketValueCents = priced ? convertCents(productCents(quantity, quote.price), fxRate) : 0;
  const lotValues = priced ? allocateCents(marketValueCents, lots.map((l) => l.quantity)) : lots.map(() => 0);
  let costBasisCents = 0;
  let shortTermGainCents = 0;
  let longTermGainCents = 0;
  let terms = 0; // bit 1 = short, bit 2 = long
  const lotRows: LotValuation[] = lots.map((l, i) => {
    const term = holdingTerm(l.holdingPeriodStart, market.asOf);
    const mv = lotValues[i]!;
    const unrealized = priced ? mv - l.costBasisCents : 0;
    costBasisCents += l.costBasisCents;
    if (term === 'short') { shortTermGainCents += unrealized; terms |= 1; } else { longTermGainCents += unrealized; terms |= 2; }
    return { lotId: l.id, quantity: l.quantity, acquiredDate: l.acquiredDate, holdingPeriodStart: l.holdingPeriodStart,
      term, costBasisCents: l.costBasisCents, marketValueCents: mv, unrealizedCents: unrealized };
  });
  return {
    accountId: first.accountId, householdId: first.householdId, symbol: first.symbol,
    name: info?.name ?? first.symbol, assetClass: info?.assetClass ?? 'Unclassified', sector: info?.sector ?? 'Unclassified',
    currency, quantity, price: quote?.price ?? null, priceDate: quote?.date ?? null, fxRate,
    marketValueCents, costBasisCents, unrealizedCents: priced ? marketValueCents - costBasisCents : 0,
    shortTermGainCents, longTermGainCents, term: terms === 3 ? 'mixed' : terms === 2 ? 'long' : 'short', priced, lots: lotRows,
  };
}

/**
 * Groups lots by (accountId, symbol) and values each holding. Sorted by account, then market value descending,
 * then symbol. Lots of a holding keep their input order (the order a FIFO sale would relieve them, if sorted so).
 */
export function valueHoldings(lots: Iterable<LotInput>, market: MarketSnapshot): HoldingValuation[] {
  const groups = new Map<string, LotInput[]>();
  for (const l of lots) {
    const key = `${l.accountId}\u0000${l.symbol}`;
    const g = groups.get(key);
    if (g) g.push(l); else groups.set(key, [l]);
  }
  const out: HoldingValuation[] = [];
  for (const g of groups.values()) out.push(valueHolding(g, market));
  out.sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0) ||
    b.marketValueCents - a.marketValueCents || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  return out;
}

/** Symbols of `holdings` that could not be valued (no price or no FX rate), sorted. */
export const unpricedSymbols = (holdings: readonly HoldingValuation[]): string[] =>
  [...new Set(holdings.filter((h) => !h.priced).map((h) => h.symbol))].sort();
