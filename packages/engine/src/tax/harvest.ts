// Tax-loss harvesting scan: open lots in taxable accounts whose market value is below their basis, grouped per
// account and symbol (the lots to sell by specific identification), with
// - the estimated tax saved at the household's bracket (long-term losses at the lower rate of ./tax-rates.ts),
// - replacement securities from the same TLH group (same exposure, never the same symbol, and never a symbol the
//   household sold at a loss in the last 30 days, which buying would wash),
// - a "blocked until" date when shares of the symbol bought in the last 30 days in ANY account of the household
//   (IRAs included) and not sold by this harvest would be replacement shares: selling at a loss now would be a
//   wash sale; from that date on it would not. Shares that already absorbed a wash-sale loss do not block, nor do
//   loss lots of the symbol in the household's other taxable accounts (the scan assumes the candidates of a
//   symbol are harvested together).
// Units: cents (totals), shares, ISO dates; prices are decimals per share.
import { isTaxAdvantaged, type AccountType, type IsoDate } from '@aw/domain';
import { mulCents } from '../returns/ledger.ts';
import { dayNumber, fromDayNumber } from '../returns/day-count.ts';
import { termOf } from './lots.ts';
import { estimatedTaxSavedCents, longTermRateFor } from './tax-rates.ts';
import { WASH_SALE_WINDOW_DAYS, washWindowEnd } from './wash-sale.ts';

export interface HarvestLot {
  id: string;
  accountId: string;
  symbol: string;
  quantity: number;
  costBasisCents: number;
  acquiredDate: IsoDate;
  holdingPeriodStart: IsoDate;
  washSaleAdjustmentCents?: number;
  /** Already absorbed a wash-sale loss (cannot absorb another); when absent, a lot with a wash-sale adjustment has. */
  replacementUsed?: boolean;
}

export interface HarvestHousehold {
  id: string;
  /** Marginal rate on short-term gains, e.g. 0.32. */
  taxBracket: number;
  /** Defaults to longTermRateFor(taxBracket). */
  longTermRate?: number;
}

export interface HarvestAccount {
  id: string;
  householdId: string;
  type: AccountType;
}

export interface HarvestInput {
  asOf: IsoDate;
  households: readonly HarvestHousehold[];
  accounts: readonly HarvestAccount[];
  lots: readonly HarvestLot[];
  /** Latest price per symbol. Lots without a price are skipped. */
  prices: ReadonlyMap<string, number>;
  /** symbol → TLH group. */
  tlhGroups?: ReadonlyMap<string, string>;
  /** Sales at a loss by household and symbol (date of the sale), to keep replacements from washing them. */
  recentLossSales?: readonly { householdId: string; symbol: string; date: IsoDate }[];
  /** Ignore candidates with a smaller unrealized loss (cents, default 1). */
  minLossCents?: number;
}

export interface HarvestCandidate {
  householdId: string;
  accountId: string;
  symbol: string;
  quantity: number;
  lotIds: string[];
  marketValueCents: number;
  basisCents: number;
  /** Positive: basis − market value of the loss lots. */
  unrealizedLossCents: number;
  shortTermLossCents: number;
  longTermLossCents: number;
  estimatedTaxSavedCents: number;
  /** First date on which selling would not be a wash sale, or null when it is not blocked. */
  washSaleBlockedUntil: IsoDate | null;
  /** Last day of the 30 days after the sale during which the household must not buy the symbol back. */
  noRepurchaseThrough: IsoDate;
  /** Preferred replacement (first eligible member of the TLH group), or null. */
  replacement: string | null;
  replacements: string[];
}

export interface HarvestResult {
  candidates: HarvestCandidate[];
  lotsScanned: number;
  lotsWithoutPrice: number;
  totalLossCents: number;
  totalTaxSavedCents: number;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class HarvestInputError extends Error {
  override name = 'HarvestInputError';
}

export function harvestScan(input: HarvestInput): HarvestResult {
  const asOfDay = dayNumber(input.asOf);
  const households = new Map(input.households.map((h) => [h.id, h]));
  const accounts = new Map(input.accounts.map((a) => [a.id, a]));
  const groupMembers = new Map<string, string[]>();
  for (const [symbol, group] of input.tlhGroups ?? []) {
    if (!group) continue;
    const list = groupMembers.get(group);
    if (list) list.push(symbol); else groupMembers.set(group, [symbol]);
  }
  for (const list of groupMembers.values()) list.sort();
  const lossSold = new Map<string, Set<string>>(); // household → symbols sold at a loss within the window
  for (const s of input.recentLossSales ?? []) {
    const age = asOfDay - dayNumber(s.date);
    if (age < 0 || age > WASH_SALE_WINDOW_DAYS) continue;
    let set = lossSold.get(s.householdId);
    if (!set) { set = new Set(); lossSold.set(s.householdId, set); }
    set.add(s.symbol);
  }
  const minLoss = input.minLossCents ?? 1;
  const noRepurchaseThrough = fromDayNumber(asOfDay + WASH_SALE_WINDOW_DAYS);

  const windowStart = fromDayNumber(asOfDay - WASH_SALE_WINDOW_DAYS);
  const longTerm = new Map<IsoDate, boolean>(); // memo: holding-period start → long-term at asOf
  const isLong = (start: IsoDate): boolean => {
    let v = longTerm.get(start);
    if (v === undefined) { v = termOf(start, input.asOf) === 'long'; longTerm.set(start, v); }
    return v;
  };

  // Group lots: household → symbol → lots.
  const byHousehold = new Map<string, Map<string, HarvestLot[]>>();
  for (const lot of input.lots) {
    const acc = accounts.get(lot.accountId);
    if (!acc) throw new HarvestInputError(`lot ${lot.id} names unknown account ${lot.accountId}`);
    let bySymbol = byHousehold.get(acc.householdId);
    if (!bySymbol) { bySymbol = new Map(); byHousehold.set(acc.householdId, bySymbol); }
    const list = bySymbol.get(lot.symbol);
    if (list) list.push(lot); else bySymbol.set(lot.symbol, [lot]);
  }
  const taxable = new Set(input.accounts.filter((a) => !isTaxAdvantaged(a.type)).map((a) => a.id));

  const candidates: HarvestCandidate[] = [];
  let lotsWithoutPrice = 0, totalLoss = 0, totalSaved = 0;
  for (const [householdId, bySymbol] of byHousehold) {
    const household = households.get(householdId);
    if (!household) throw new HarvestInputError(`household ${householdId} has no tax bracket`);
    const ltRate = household.longTermRate ?? longTermRateFor(household.taxBracket);
    const sold = lossSold.get(householdId);
    for (const [symbol, lots] of bySymbol) {
      const price = input.prices.get(symbol);
      if (price === undefined || !Number.isFinite(price)) { lotsWithoutPrice += lots.length; continue; }

      // Loss lots per taxable account; the others may block as recent purchases.
      let perAccount: Map<string, { lots: HarvestLot[]; mv: number; basis: number; st: number; lt: number; qty: number }> | null = null;
      let latestBlocking = '';
      for (const lot of lots) {
        if (taxable.has(lot.accountId)) {
          const mv = mulCents(lot.quantity, price);
          const loss = lot.costBasisCents - mv;
          if (loss > 0) {
            perAccount ??= new Map();
            let a = perAccount.get(lot.accountId);
            if (!a) { a = { lots: [], mv: 0, basis: 0, st: 0, lt: 0, qty: 0 }; perAccount.set(lot.accountId, a); }
            a.lots.push(lot); a.mv += mv; a.basis += lot.costBasisCents; a.qty += lot.quantity;
            if (isLong(lot.holdingPeriodStart)) a.lt += loss; else a.st += loss;
            continue; // sold by the harvest: never its own replacement
          }
        }
        // Bought in the last 30 days and not sold by the harvest: would be a replacement.
        if (lot.acquiredDate >= windowStart && lot.acquiredDate <= input.asOf && lot.acquiredDate > latestBlocking
          && !(lot.replacementUsed ?? (lot.washSaleAdjustmentCents ?? 0) > 0)) latestBlocking = lot.acquiredDate;
      }
      if (!perAccount) continue;
      const blockedUntil = latestBlocking === '' ? null : washWindowEnd(latestBlocking);

      const group = input.tlhGroups?.get(symbol);
      const replacements = group ? (groupMembers.get(group) ?? []).filter((x) => x !== symbol && !sold?.has(x)) : [];

      for (const [accountId, a] of perAccount) {
        const unrealized = a.basis - a.mv;
        if (unrealized < minLoss) continue;
        const saved = estimatedTaxSavedCents(a.st, a.lt, household.taxBracket, ltRate);
        totalLoss += unrealized; totalSaved += saved;
        candidates.push({
          householdId, accountId, symbol, quantity: Math.round(a.qty * 1e9) / 1e9, lotIds: a.lots.map((l) => l.id),
          marketValueCents: a.mv, basisCents: a.basis, unrealizedLossCents: unrealized,
          shortTermLossCents: a.st, longTermLossCents: a.lt, estimatedTaxSavedCents: saved,
          washSaleBlockedUntil: blockedUntil, noRepurchaseThrough,
          replacement: replacements[0] ?? null, replacements,
        });
      }
    }
  }
  candidates.sort((x, y) => y.estimatedTaxSavedCents - x.estimatedTaxSavedCents || cmp(x.accountId, y.accountId) || cmp(x.symbol, y.symbol));
  return { candidates, lotsScanned: input.lots.length, lotsWithoutPrice, totalLossCents: totalLoss, totalTaxSavedCents: totalSaved };
}
