// Batch valuation of a whole book: every account and household from one market snapshot (one price lookup).
// Units: integer cents of the base currency; cash is taken as already in the base currency.
import type { Account, Cents } from '@aw/domain';
import { allocationFromTotals, type AllocationSlice } from './allocation.ts';
import { valueHoldings, type HoldingValuation, type LotInput } from './holdings.ts';
import type { MarketSnapshot } from './market.ts';

export type AccountInput = Pick<Account, 'id' | 'householdId' | 'cashCents'>;

export interface ValueTotals {
  holdingsValueCents: Cents;
  cashCents: Cents;
  /** holdings + cash. */
  marketValueCents: Cents;
  costBasisCents: Cents;
  unrealizedCents: Cents;
  shortTermGainCents: Cents;
  longTermGainCents: Cents;
  holdingCount: number;
  /** Symbols held but without a price or FX rate (valued at 0). */
  unpricedSymbols: string[];
}

export interface AccountValuation extends ValueTotals { accountId: string; householdId: string }
export interface HouseholdValuation extends ValueTotals { householdId: string; accountCount: number }

export interface BookValuation {
  asOf: string;
  accounts: AccountValuation[];
  households: HouseholdValuation[];
  totals: ValueTotals;
  /** Whole-book allocation by asset class, cash included. */
  allocation: AllocationSlice[];
}

/** Called after each chunk of accounts; `done` ≤ `total` accounts. */
export type ProgressFn = (done: number, total: number) => void;

const emptyTotals = (): ValueTotals => ({ holdingsValueCents: 0, cashCents: 0, marketValueCents: 0, costBasisCents: 0,
  unrealizedCents: 0, shortTermGainCents: 0, longTermGainCents: 0, holdingCount: 0, unpricedSymbols: [] });

function addInto(into: ValueTotals, t: ValueTotals): void {
  into.holdingsValueCents += t.holdingsValueCents;
  into.cashCents += t.cashCents;
  into.marketValueCents += t.marketValueCents;
  into.costBasisCents += t.costBasisCents;
  into.unrealizedCents += t.unrealizedCents;
  into.shortTermGainCents += t.shortTermGainCents;
  into.longTermGainCents += t.longTermGainCents;
  into.holdingCount += t.holdingCount;
  for (const s of t.unpricedSymbols) if (!into.unpricedSymbols.includes(s)) into.unpricedSymbols.push(s);
}

/** Totals of one account's holdings plus its cash. */
export function accountTotals(holdings: readonly HoldingValuation[], cashCents: Cents): ValueTotals {
  const t = emptyTotals();
  t.cashCents = cashCents;
  for (const h of holdings) {
    t.holdingsValueCents += h.marketValueCents;
    t.costBasisCents += h.costBasisCents;
    t.unrealizedCents += h.unrealizedCents;
    t.shortTermGainCents += h.shortTermGainCents;
    t.longTermGainCents += h.longTermGainCents;
    t.holdingCount += 1;
    if (!h.priced && !t.unpricedSymbols.includes(h.symbol)) t.unpricedSymbols.push(h.symbol);
  }
  t.marketValueCents = t.holdingsValueCents + cashCents;
  t.unpricedSymbols.sort();
  return t;
}

/**
 * Values every account (with or without lots) and rolls them up per household and for the book.
 * `lots` of accounts not in `accounts` are ignored. Accounts keep the input order; households are in order of
 * their first account.
 */
export function valueBook(accounts: readonly AccountInput[], lots: Iterable<LotInput>, market: MarketSnapshot,
  onProgress?: ProgressFn, chunkSize = 200): BookValuation {
  const lotsByAccount = new Map<string, LotInput[]>();
  for (const a of accounts) lotsByAccount.set(a.id, []);
  for (const l of lots) lotsByAccount.get(l.accountId)?.push(l);
  const households = new Map<string, HouseholdValuation>();
  const totals = emptyTotals();
  const classTotals = new Map<string, Cents>();
  const out: AccountValuation[] = [];
  accounts.forEach((a, i) => {
    const holdings = valueHoldings(lotsByAccount.get(a.id)!, market);
    const t = accountTotals(holdings, a.cashCents);
    out.push({ accountId: a.id, householdId: a.householdId, ...t });
    let hh = households.get(a.householdId);
    if (!hh) { hh = { householdId: a.householdId, accountCount: 0, ...emptyTotals() }; households.set(a.householdId, hh); }
    hh.accountCount += 1;
    addInto(hh, t);
    addInto(totals, t);
    for (const h of holdings) if (h.priced) classTotals.set(h.assetClass, (classTotals.get(h.assetClass) ?? 0) + h.marketValueCents);
    if (onProgress && ((i + 1) % chunkSize === 0 || i + 1 === accounts.length)) onProgress(i + 1, accounts.length);
  });
  for (const hh of households.values()) hh.unpricedSymbols.sort();
  totals.unpricedSymbols.sort();
  return { asOf: market.asOf, accounts: out, households: [...households.values()], totals,
    allocation: allocationFromTotals(classTotals, totals.cashCents) };
}
