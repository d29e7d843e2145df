// Allocation of holdings by asset class or sector (plus cash): value and weight of each slice.
// Units: integer cents of the base currency; weights are fractions 0..1 of the total (they sum to 1).
import type { Cents } from '@aw/domain';
import type { HoldingValuation } from './holdings.ts';

export type AllocationKey = 'assetClass' | 'sector';

export interface AllocationSlice {
  key: string;
  valueCents: Cents;
  /** Fraction of the total; 0 when the total is not positive. */
  weight: number;
}

export const CASH_KEY = 'Cash';

/** Slices sorted by value descending (then key); cash is one slice keyed 'Cash' when `cashCents` ≠ 0. */
export function allocationBy(holdings: readonly HoldingValuation[], key: AllocationKey, cashCents: Cents = 0): AllocationSlice[] {
  const totals = new Map<string, Cents>();
  for (const h of holdings) if (h.priced) totals.set(h[key], (totals.get(h[key]) ?? 0) + h.marketValueCents);
  return allocationFromTotals(totals, cashCents);
}

/** Slices from value totals per key (unpriced holdings excluded by the caller), plus cash. */
export function allocationFromTotals(valueByKey: ReadonlyMap<string, Cents>, cashCents: Cents = 0): AllocationSlice[] {
  const totals = new Map(valueByKey);
  if (cashCents !== 0) totals.set(CASH_KEY, (totals.get(CASH_KEY) ?? 0) + cashCents);
  let total = 0;
  for (const v of totals.values()) total += v;
  return [...totals].map(([k, valueCents]) => ({ key: k, valueCents, weight: total > 0 ? valueCents / total : 0 }))
    .sort((a, b) => b.valueCents - a.valueCents || (a.key < b.key ? -1 : 1));
}
