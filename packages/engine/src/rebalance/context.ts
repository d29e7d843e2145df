// Per-household run state shared by the accounts of one rebalance: options, the remaining gains budget, the
// symbols whose buys are blocked by a recent loss sale, and the buy-symbol choice for a bucket.
// Units: money integer cents; dates ISO `YYYY-MM-DD`.
import type { IsoDate, TaxLot } from '@aw/domain';
import { money } from './format.ts';
import type { Bucket } from './drift.ts';
import type { RebalanceMarket, RebalanceOptions, RealizedSale } from './options.ts';
import { longTermCutoff, longTermRateFor } from './tax-rates.ts';
import { recentLossSales, recentlyBoughtSymbols, tlhGroups, type LossSale } from './wash-sale.ts';

export interface BlockedBuy extends LossSale {
  /** true when the loss sale is proposed in this run rather than already executed. */
  inRun: boolean;
}

export interface HouseholdState {
  opts: RebalanceOptions;
  market: RebalanceMarket;
  asOf: IsoDate;
  longTermBefore: IsoDate;
  bracket: number;
  longTermRate: number;
  /** Net gain still allowed in taxable accounts (Infinity without a budget). */
  budgetRemainingCents: number;
  restricted: ReadonlySet<string>;
  tlh: ReadonlyMap<string, string[]>;
  blocked: Map<string, BlockedBuy>;
  recentlyBought: ReadonlySet<string>;
}

const groupCache = new WeakMap<object, Map<string, string[]>>();
/** TLH groups of a security master, computed once per master object. */
export function groupsOf(market: RebalanceMarket): Map<string, string[]> {
  let g = groupCache.get(market.securities);
  if (!g) { g = tlhGroups(market.securities); groupCache.set(market.securities, g); }
  return g;
}

const restrictedCache = new WeakMap<readonly string[], Set<string>>();
function restrictedSet(list: readonly string[]): Set<string> {
  let s = restrictedCache.get(list);
  if (!s) { s = new Set(list); restrictedCache.set(list, s); }
  return s;
}

export function makeHouseholdState(opts: RebalanceOptions, market: RebalanceMarket, asOf: IsoDate, bracket: number,
  lots: readonly TaxLot[], recentSales: readonly RealizedSale[]): HouseholdState {
  const blocked = new Map<string, BlockedBuy>();
  if (opts.taxAware) for (const [sym, s] of recentLossSales(recentSales, asOf)) blocked.set(sym, { ...s, inRun: false });
  return {
    opts, market, asOf, bracket, longTermBefore: longTermCutoff(asOf),
    longTermRate: opts.longTermRate ?? longTermRateFor(bracket),
    budgetRemainingCents: opts.gainsBudgetCents ?? Infinity,
    restricted: restrictedSet(opts.restricted),
    tlh: groupsOf(market),
    blocked,
    recentlyBought: opts.taxAware ? recentlyBoughtSymbols(lots, asOf) : new Set(),
  };
}

export interface BuyChoice {
  symbol: string | null;
  price: number;
  /** Why the preferred symbol was not used, or why nothing can be bought. */
  note: string;
}

const blockText = (s: string, b: BlockedBuy): string =>
  `${s} ${b.inRun ? 'is sold at a loss in this run' : `was sold at a loss on ${b.date}`} (account ${b.accountId}, ${money(-b.lossCents)}): buying it within 30 days would be a wash sale`;

/** The price of `s` when it may be bought in `currency` (not restricted, priced, not wash-sale blocked), else -1. */
function usable(s: string, state: HouseholdState, currency: string): number {
  if (state.restricted.has(s) || (state.market.securities.get(s)?.currency ?? currency) !== currency) return -1;
  const p = state.market.prices.get(s);
  return p !== undefined && p > 0 && Number.isFinite(p) && !state.blocked.has(s) ? p : -1;
}

/** The first eligible symbol to buy for a bucket: not restricted, priced, not wash-sale blocked (else a TLH alternative). */
export function chooseBuySymbol(bucket: Bucket, state: HouseholdState, currency: string): BuyChoice {
  const prefs = bucket.buySymbols.length > 0 ? bucket.buySymbols
    : bucket.kind === 'assetClass' ? [...bucket.positions].sort((a, b) => b.valueCents - a.valueCents || (a.symbol < b.symbol ? -1 : 1)).map((p) => p.symbol) : [];
  if (prefs.length === 0) return { symbol: null, price: NaN, note: bucket.kind === 'unmodeled' ? `${bucket.key} is not in the model` : `no symbols to buy for ${bucket.key}` };
  const why: string[] = [];
  for (const s of prefs) {
    const price = usable(s, state, currency);
    if (price > 0) return { symbol: s, price, note: why.join('; ') };
    if (state.restricted.has(s)) { why.push(`${s} is restricted`); continue; }
    if ((state.market.securities.get(s)?.currency ?? currency) !== currency) { why.push(`${s} is quoted in another currency`); continue; }
    const b = state.blocked.get(s);
    if (!b) { why.push(`no price for ${s}`); continue; }
    const group = state.market.securities.get(s)?.tlhGroup;
    const alt = group ? state.tlh.get(group)?.find((m) => m !== s && usable(m, state, currency) > 0) : undefined;
    if (alt) return { symbol: alt, price: usable(alt, state, currency), note: [...why, `${blockText(s, b)}; buying ${alt} from its tax-loss-harvesting group ${group} instead`].join('; ') };
    why.push(`${blockText(s, b)} and no eligible alternative in its tax-loss-harvesting group`);
  }
  return { symbol: null, price: NaN, note: why.join('; ') };
}
