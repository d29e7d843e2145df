// Tax lots and their relief. An open lot ("piece") is a block of shares with one basis and one holding-period
// start; a buy creates one lot, and a wash sale can split a lot into pieces (the shares that absorbed a
// disallowed loss carry a higher basis and an earlier holding-period start). Relief methods: FIFO (oldest
// acquisition first), LIFO (newest first), HIFO (highest basis per share first, then oldest).
// Units: basis and adjustments in integer cents (total for the lot, not per share); quantity in shares.
import { allocateCents, type IsoDate, type LotMethod } from '@aw/domain';
import { addYears } from '../returns/day-count.ts';

export const QTY_EPSILON = 1e-9;

export interface OpenLot {
  id: string;
  /** Id of the buy that created the shares (shared by every piece of one purchase). */
  originId: string;
  householdId: string;
  accountId: string;
  symbol: string;
  quantity: number;
  /** Total basis including washSaleAdjustmentCents. */
  costBasisCents: number;
  acquiredDate: IsoDate;
  holdingPeriodStart: IsoDate;
  washSaleAdjustmentCents: number;
  /** These shares already absorbed a wash-sale loss: they cannot absorb another. */
  replacementUsed: boolean;
  /** Ledger position of the purchase: orders lots acquired the same day. */
  seq: number;
}

export type Term = 'short' | 'long';

/** Long-term when held MORE than one year: the sale is after the first anniversary of the holding-period start. */
export const termOf = (holdingPeriodStart: IsoDate, saleDate: IsoDate): Term =>
  saleDate > addYears(holdingPeriodStart, 1) ? 'long' : 'short';

/** Lots in the order a sale relieves them. */
export function reliefOrder(lots: readonly OpenLot[], method: LotMethod): OpenLot[] {
  const byAcquired = (a: OpenLot, b: OpenLot): number => (a.acquiredDate < b.acquiredDate ? -1 : a.acquiredDate > b.acquiredDate ? 1 : a.seq - b.seq);
  const copy = [...lots];
  if (method === 'fifo') return copy.sort(byAcquired);
  if (method === 'lifo') return copy.sort((a, b) => byAcquired(b, a));
  return copy.sort((a, b) => b.costBasisCents / b.quantity - a.costBasisCents / a.quantity || byAcquired(a, b));
}

/**
 * Split `quantity` shares off a lot: returns [taken, rest] with basis and adjustment divided exactly in cents
 * (rest is null when everything is taken). The taken part keeps the lot's id only when it is the whole lot.
 */
export function splitLot(lot: OpenLot, quantity: number, takenId: string): [OpenLot, OpenLot | null] {
  if (quantity >= lot.quantity - QTY_EPSILON) return [lot, null];
  const rest = roundQty(lot.quantity - quantity);
  const [basisTaken, basisRest] = allocateCents(lot.costBasisCents, [quantity, rest]) as [number, number];
  const [adjTaken, adjRest] = lot.washSaleAdjustmentCents === 0 ? [0, 0] : allocateCents(lot.washSaleAdjustmentCents, [quantity, rest]) as [number, number];
  return [
    { ...lot, id: takenId, quantity, costBasisCents: basisTaken, washSaleAdjustmentCents: adjTaken },
    { ...lot, quantity: rest, costBasisCents: basisRest, washSaleAdjustmentCents: adjRest },
  ];
}

/** Quantities are kept to 9 decimals so repeated splits do not drift. */
export const roundQty = (q: number): number => Math.round(q * 1e9) / 1e9;
