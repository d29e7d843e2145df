// Wash-sale guard for buys: a sale at a loss of a symbol within the last 30 days in ANY account of the household
// (including a loss sale proposed in this same run) blocks buying that symbol. The buy goes to another member of
// the symbol's tax-loss-harvesting group (same exposure, not substantially identical) when one is eligible;
// otherwise the buy is dropped and the reason stated.
// Units: dates ISO `YYYY-MM-DD`; losses integer cents.
import type { IsoDate, Security, TaxLot } from '@aw/domain';
import type { RealizedSale } from './options.ts';
import { addDays, daysBetween } from './tax-rates.ts';

export const WASH_SALE_DAYS = 30;

export interface LossSale {
  symbol: string;
  accountId: string;
  date: IsoDate;
  lossCents: number;
}

/** Loss sales within the window before `asOf` (inclusive), latest per symbol. */
export function recentLossSales(sales: readonly RealizedSale[], asOf: IsoDate): Map<string, LossSale> {
  const out = new Map<string, LossSale>();
  for (const s of sales) {
    if (!(s.gainCents < 0)) continue;
    const age = daysBetween(s.date, asOf);
    if (age < 0 || age > WASH_SALE_DAYS) continue;
    const prev = out.get(s.symbol);
    if (!prev || s.date > prev.date || (s.date === prev.date && s.accountId < prev.accountId)) {
      out.set(s.symbol, { symbol: s.symbol, accountId: s.accountId, date: s.date, lossCents: -s.gainCents });
    }
  }
  return out;
}

let lastAsOf = '';
let lastStart = '';
/** First day of the wash-sale window ending on `asOf` (memoized: a run has one trade date). */
function windowStart(asOf: IsoDate): IsoDate {
  if (asOf !== lastAsOf) { lastStart = addDays(asOf, -WASH_SALE_DAYS); lastAsOf = asOf; }
  return lastStart;
}

/** Symbols bought (lots acquired) in the household within the window: selling them at a loss would be washed. */
export function recentlyBoughtSymbols(lots: readonly TaxLot[], asOf: IsoDate): Set<string> {
  const out = new Set<string>();
  const from = windowStart(asOf);
  for (const l of lots) if (l.acquiredDate >= from && l.acquiredDate <= asOf) out.add(l.symbol);
  return out;
}

/** tlhGroup → member symbols, sorted (build once per run). */
export function tlhGroups(securities: ReadonlyMap<string, Security>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of securities.values()) {
    if (!s.tlhGroup) continue;
    const list = out.get(s.tlhGroup);
    if (list) list.push(s.symbol); else out.set(s.tlhGroup, [s.symbol]);
  }
  for (const list of out.values()) list.sort();
  return out;
}
