// The transaction shape the engine reads (a subset of @aw/domain's Transaction, so domain documents and rows
// parsed from a CSV both fit), and the cash/share effects of each transaction type on an account.
// Units: price per share (or the cash amount for cash rows) as a decimal number; amountCents/feesCents integer cents;
// quantity in shares (the new:old ratio for splits).
import { mulToCents, type IsoDate, type LotMethod, type TransactionType } from '@aw/domain';

export interface LedgerTransaction {
  /** Optional stable id (lots created by a buy are named after it). */
  id?: string;
  date: IsoDate;
  accountId: string;
  type: TransactionType;
  /** Empty for cash rows. */
  symbol: string;
  quantity: number;
  price: number;
  /** quantity × price in cents; computed when absent. */
  amountCents?: number;
  feesCents?: number;
  currency?: string;
  lotMethod?: LotMethod;
}

export class LedgerError extends Error {
  override name = 'LedgerError';
}

/**
 * quantity × price rounded once to the cent, half away from zero — exactly as @aw/domain's mulToCents, with an
 * integer fast path when quantity has at most 6 decimals and price at most 4 (the product then fits in 2^53).
 */
export function mulCents(quantity: number, price: number): number {
  const q = Math.round(quantity * 1e6), p = Math.round(price * 1e4);
  if (q / 1e6 === quantity && p / 1e4 === price) {
    const x = Math.abs(q * p); // scaled by 10^10; cents are 10^8 of it
    if (x <= Number.MAX_SAFE_INTEGER) {
      const r = x % 1e8;
      const cents = (x - r) / 1e8 + (r * 2 >= 1e8 ? 1 : 0);
      return (q < 0) !== (p < 0) && cents !== 0 ? -cents : cents;
    }
  }
  return mulToCents(quantity, price);
}

/** quantity × price rounded once to the cent (the ledger value of the row). */
export function amountCentsOf(t: LedgerTransaction): number {
  return t.amountCents ?? mulCents(t.quantity, t.price);
}

/** Cash and shares of one account at a point in time. */
export interface HoldingState {
  cashCents: number;
  shares: Map<string, number>;
  /** Last trade price per symbol: the fallback value of a holding that has no market price yet. */
  tradePrice: Map<string, number>;
}

export const emptyHoldings = (): HoldingState => ({ cashCents: 0, shares: new Map(), tradePrice: new Map() });

export const cloneHoldings = (h: HoldingState): HoldingState =>
  ({ cashCents: h.cashCents, shares: new Map(h.shares), tradePrice: new Map(h.tradePrice) });

/**
 * Apply one transaction to the holdings (mutates `h`) and return its external flow in cents
 * (+ deposit, − withdrawal, 0 otherwise). Fees reduce cash; buy fees are part of the cost.
 */
export function applyTransaction(h: HoldingState, t: LedgerTransaction): number {
  const amount = amountCentsOf(t);
  const fees = t.feesCents ?? 0;
  switch (t.type) {
    case 'buy':
      h.shares.set(t.symbol, (h.shares.get(t.symbol) ?? 0) + t.quantity);
      h.tradePrice.set(t.symbol, t.price);
      h.cashCents -= amount + fees;
      return 0;
    case 'sell':
      h.shares.set(t.symbol, (h.shares.get(t.symbol) ?? 0) - t.quantity);
      h.tradePrice.set(t.symbol, t.price);
      h.cashCents += amount - fees;
      return 0;
    case 'dividend':
      h.cashCents += amount - fees;
      return 0;
    case 'deposit':
      h.cashCents += amount - fees;
      return amount;
    case 'withdrawal':
      h.cashCents -= amount + fees;
      return -amount;
    case 'fee':
      h.cashCents -= amount + fees;
      return 0;
    case 'split': {
      if (!(t.quantity > 0)) throw new LedgerError(`split of ${t.symbol} on ${t.date} needs a positive ratio`);
      const q = h.shares.get(t.symbol);
      if (q !== undefined) h.shares.set(t.symbol, q * t.quantity);
      const p = h.tradePrice.get(t.symbol);
      if (p !== undefined) h.tradePrice.set(t.symbol, p / t.quantity);
      h.cashCents -= fees;
      return 0;
    }
    default:
      throw new LedgerError(`unknown transaction type ${JSON.stringify((t as LedgerTransaction).type)} on ${t.date}`);
  }
}

/** Sort transactions by date, keeping the given order within a date (file order). */
export function sortByDate<T extends { date: IsoDate }>(txs: readonly T[]): T[] {
  return txs.map((t, i) => ({ t, i })).sort((a, b) => (a.t.date < b.t.date ? -1 : a.t.date > b.t.date ? 1 : a.i - b.i)).map((x) => x.t);
}
