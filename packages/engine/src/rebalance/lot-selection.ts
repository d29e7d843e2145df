// Tax-aware choice of the lots a sell relieves, across the symbols of one bucket.
//
// Order "tax-lots": loss lots first (short-term losses, then long-term; largest loss per dollar first), then
// long-term gains (lowest gain per dollar of proceeds first), short-term gains last. Order "HIFO": lowest gain per
// dollar first regardless of term (for one symbol that is highest-cost-in-first-out). Both are tried and the
// cheaper in estimated tax wins ("HIFO where better"); ties keep the tax-lots order.
// A loss lot of a symbol bought in the household within the last 30 days is a wash sale: its loss counts as 0.
// A gains budget (cents, net, taxable accounts) caps the recognized gain; the last lot may be relieved partially.
// Tax-advantaged accounts realize no tax: lots go oldest first.
// Units: money integer cents; quantities shares rounded to 6 decimals; prices per share.
import type { TaxLot } from '@aw/domain';
import { estimateTaxCents } from './tax-rates.ts';
import type { Position } from './drift.ts';

export const round6 = (q: number): number => Math.round(q * 1e6) / 1e6;

export interface LotCandidate {
  lot: TaxLot;
  position: Position;
  longTerm: boolean;
  /** Recognized gain per share in cents (0 for a washed loss). */
  gainPerShareCents: number;
  /** Gain per dollar of proceeds, for ordering (before wash-sale adjustment). */
  gainRatio: number;
  washed: boolean;
}

export interface LotRelief {
  candidate: LotCandidate;
  quantity: number;
}

export interface SelectionContext {
  asOf: string;
  /** Holding periods starting before this date are long-term (longTermCutoff(asOf)). */
  longTermBefore: string;
  taxable: boolean;
  bracket: number;
  longTermRate: number;
  fractional: boolean;
  /** Symbols bought in the household within the last 30 days: their losses are washed. */
  recentlyBought: ReadonlySet<string>;
}

export interface Selection {
  reliefs: LotRelief[];
  proceedsCents: number;
  gainCents: number;
  shortTermGainCents: number;
  longTermGainCents: number;
  taxCents: number;
  budgetLimited: boolean;
}

export function candidatesFor(positions: readonly Position[], ctx: SelectionContext, excluded: ReadonlySet<string>): LotCandidate[] {
  const out: LotCandidate[] = [];
  for (const p of positions) {
    if (excluded.has(p.symbol)) continue;
    const priceCents = p.price * 100;
    for (const lot of p.lots) {
      const perShareBasis = lot.costBasisCents / lot.quantity;
      const gain = priceCents - perShareBasis;
      const washed = ctx.taxable && gain < 0 && ctx.recentlyBought.has(p.symbol);
      out.push({
        lot, position: p, longTerm: (lot.holdingPeriodStart || lot.acquiredDate) < ctx.longTermBefore,
        gainPerShareCents: ctx.taxable ? (washed ? 0 : gain) : 0, gainRatio: gain / priceCents, washed,
      });
    }
  }
  return out;
}

const byId = (a: LotCandidate, b: LotCandidate): number => (a.lot.id < b.lot.id ? -1 : a.lot.id > b.lot.id ? 1 : 0);
const category = (c: LotCandidate): number => (c.gainPerShareCents < 0 ? (c.longTerm ? 1 : 0) : c.longTerm ? 2 : 3);

export function taxLotOrder(cands: LotCandidate[]): LotCandidate[] {
  return [...cands].sort((a, b) => category(a) - category(b) || a.gainRatio - b.gainRatio || byId(a, b));
}
export function hifoOrder(cands: LotCandidate[]): LotCandidate[] {
  return [...cands].sort((a, b) => a.gainRatio - b.gainRatio || byId(a, b));
}
export function oldestFirstOrder(cands: LotCandidate[]): LotCandidate[] {
  return [...cands].sort((a, b) => (a.lot.acquiredDate < b.lot.acquiredDate ? -1 : a.lot.acquiredDate > b.lot.acquiredDate ? 1 : byId(a, b)));
}

/** Relieve lots in `order` until `amountCents` of proceeds is reached, within `budgetCents` of net recognized gain. */
export function selectLots(order: readonly LotCandidate[], amountCents: number, budgetCents: number, ctx: SelectionContext): Selection {
  const reliefs: LotRelief[] = [];
  const taken = new Map<string, number>();
  let remaining = amountCents;
  let budget = budgetCents;
  let proceeds = 0;
  let st = 0;
  let lt = 0;
  let budgetLimited = false;
  for (const c of order) {
    if (remaining <= 0.5) break;
    const priceCents = c.position.price * 100;
    const sym = c.position.symbol;
    const already = taken.get(sym) ?? 0;
    const need = remaining / priceCents;
    let q = ctx.fractional ? Math.ceil(need * 1e6 - 1e-6) / 1e6 : Math.ceil(already + need - 1e-9) - already;
    q = Math.min(round6(q), c.lot.quantity);
    if (c.gainPerShareCents > 0 && q * c.gainPerShareCents > budget) {
      budgetLimited = true;
      const maxQ = Math.max(0, budget) / c.gainPerShareCents;
      q = ctx.fractional ? Math.floor(maxQ * 1e6) / 1e6 : Math.max(0, Math.floor(already + maxQ + 1e-9) - already);
      q = Math.min(round6(q), c.lot.quantity);
    }
    if (!(q > 0)) continue;
    const value = q * priceCents;
    const gain = q * c.gainPerShareCents;
    reliefs.push({ candidate: c, quantity: q });
    taken.set(sym, round6(already + q));
    remaining -= value;
    proceeds += value;
    budget -= gain;
    if (c.longTerm) lt += gain; else st += gain;
  }
  return {
    reliefs, proceedsCents: proceeds, gainCents: st + lt, shortTermGainCents: st, longTermGainCents: lt,
    taxCents: ctx.taxable ? estimateTaxCents(Math.round(st), Math.round(lt), ctx.bracket, ctx.longTermRate) : 0, budgetLimited,
  };
}

/** The cheaper (in estimated tax, after the closer reach of the amount) of the tax-lots and HIFO orders. */
export function chooseLots(cands: LotCandidate[], amountCents: number, budgetCents: number, ctx: SelectionContext): Selection {
  if (!ctx.taxable) return selectLots(oldestFirstOrder(cands), amountCents, Infinity, ctx);
  const a = selectLots(taxLotOrder(cands), amountCents, budgetCents, ctx);
  const b = selectLots(hifoOrder(cands), amountCents, budgetCents, ctx);
  const shortA = Math.max(0, amountCents - a.proceedsCents);
  const shortB = Math.max(0, amountCents - b.proceedsCents);
  if (shortB + 100 < shortA) return b;
  if (shortA + 100 < shortB) return a;
  return b.taxCents < a.taxCents ? b : a;
}
