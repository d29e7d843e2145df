// The tax ledger of a set of households: replays buys, sells and splits in date order (file order within a date)
// across every account of each household, relieving lots FIFO/HIFO/LIFO, recording realized gains with their
// term, and applying the wash-sale rules of ./wash-sale.ts. Sales inside IRA/Roth/401(k) accounts relieve lots but
// are not taxable events, so they are not listed as realized. Accounts not described are taxable accounts of one
// household ('household'). Transactions after `asOf` are ignored (a purchase the ledger has not seen cannot wash).
// Units: cents (totals per lot or sale, not per share); shares; ISO dates.
// Realized `gainCents` is the recognized gain as on Form 8949: proceeds − basis + washSaleDisallowedCents.
import { allocateCents, isTaxAdvantaged, type AccountType, type IsoDate, type LotMethod } from '@aw/domain';
import { dayNumber, fromDayNumber } from '../returns/day-count.ts';
import { amountCentsOf, sortByDate, type LedgerTransaction } from '../returns/ledger.ts';
import { QTY_EPSILON, reliefOrder, roundQty, splitLot, termOf, type OpenLot, type Term } from './lots.ts';
import { tackedHoldingStart, WASH_SALE_WINDOW_DAYS, type ReplacementSource, type WashSaleMatch } from './wash-sale.ts';

export interface TaxAccount {
  id: string;
  householdId: string;
  type: AccountType;
}

export interface TaxLedgerInput {
  transactions: readonly LedgerTransaction[];
  accounts?: readonly TaxAccount[];
  asOf?: IsoDate;
  /** Used when a sell does not name a method (default FIFO). */
  defaultLotMethod?: LotMethod;
}

export interface RealizedLot {
  date: IsoDate;
  accountId: string;
  householdId: string;
  symbol: string;
  /** The lot the shares came from. */
  lotId: string;
  quantity: number;
  proceedsCents: number;
  basisCents: number;
  /** Loss disallowed by the wash-sale rule (≥ 0). */
  washSaleDisallowedCents: number;
  /** Part of the disallowed loss that is lost for good (replacement in a tax-advantaged account). */
  washSalePermanentCents: number;
  /** Wash-sale adjustment the sold shares carried from an earlier loss (already inside basisCents). */
  basisAdjustmentCents: number;
  /** proceeds − basis + washSaleDisallowed. */
  gainCents: number;
  term: Term;
  acquiredDate: IsoDate;
  holdingPeriodStart: IsoDate;
}

export interface TaxLedger {
  /** Open lots after the last transaction on or before asOf. */
  lots: OpenLot[];
  realized: RealizedLot[];
  washSales: WashSaleMatch[];
}

/** A transaction the ledger cannot apply (selling shares not held, a buy without a symbol…). */
export class TaxLedgerError extends Error {
  override name = 'TaxLedgerError';
  constructor(message: string, readonly transaction: LedgerTransaction) {
    super(message);
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const DEFAULT_HOUSEHOLD = 'household';

interface BuyEvent {
  pos: number;
  tx: LedgerTransaction;
  originId: string;
  absorbed: number;
  processed: boolean;
  pending: { quantity: number; disallowedCents: number; holdingPeriodStart: IsoDate; permanent: boolean; id: string }[];
}

function describe(t: LedgerTransaction): string {
  return `${t.type} of ${t.quantity} ${t.symbol} in account ${t.accountId} on ${t.date}`;
}

function validate(t: LedgerTransaction): void {
  if (t.type !== 'buy' && t.type !== 'sell' && t.type !== 'split') return;
  if (!t.symbol) throw new TaxLedgerError(`${describe(t)}: a symbol is required`, t);
  if (!(t.quantity > 0) || !Number.isFinite(t.quantity)) throw new TaxLedgerError(`${describe(t)}: quantity must be positive`, t);
  if (t.type !== 'split' && !(t.price >= 0)) throw new TaxLedgerError(`${describe(t)}: price must not be negative`, t);
}

function householdLedger(householdId: string, txs: readonly LedgerTransaction[], accountType: (id: string) => AccountType,
  defaultMethod: LotMethod, out: TaxLedger): void {
  const buysBySymbol = new Map<string, BuyEvent[]>();
  const buyAt = new Map<number, BuyEvent>();
  txs.forEach((t, pos) => {
    if (t.type !== 'buy') return;
    const ev: BuyEvent = { pos, tx: t, originId: t.id ?? `${t.accountId}:${t.date}:${pos + 1}`, absorbed: 0, processed: false, pending: [] };
    buyAt.set(pos, ev);
    const list = buysBySymbol.get(t.symbol);
    if (list) list.push(ev); else buysBySymbol.set(t.symbol, [ev]);
  });
  const lotsBySymbol = new Map<string, OpenLot[]>();
  const idCount = new Map<string, number>();
  const nextId = (origin: string): string => {
    const n = (idCount.get(origin) ?? 0) + 1;
    idCount.set(origin, n);
    return n === 1 ? origin : `${origin}~${n}`;
  };
  const lotsOf = (symbol: string): OpenLot[] => {
    let l = lotsBySymbol.get(symbol);
    if (!l) { l = []; lotsBySymbol.set(symbol, l); }
    return l;
  };

  const replacementSources = (pos: number, t: LedgerTransaction, lossOrigin: string): ReplacementSource[] => {
    const d = dayNumber(t.date);
    const sources: ReplacementSource[] = [];
    const held = lotsOf(t.symbol);
    const earlier = held
      .filter((l) => !l.replacementUsed && l.originId !== lossOrigin && l.quantity > QTY_EPSILON && d - dayNumber(l.acquiredDate) <= WASH_SALE_WINDOW_DAYS)
      .sort((a, b) => (a.acquiredDate < b.acquiredDate ? -1 : a.acquiredDate > b.acquiredDate ? 1 : a.seq - b.seq));
    for (const lot of earlier) {
      const permanent = isTaxAdvantaged(accountType(lot.accountId));
      sources.push({
        acquired: lot.acquiredDate, seq: lot.seq, originId: lot.originId, accountId: lot.accountId, available: lot.quantity, permanent,
        absorb(quantity, disallowedCents, holdingPeriodStart) {
          const [taken, rest] = splitLot(lot, quantity, quantity >= lot.quantity - QTY_EPSILON ? lot.id : nextId(lot.originId));
          taken.replacementUsed = true;
          if (!permanent) {
            taken.costBasisCents += disallowedCents;
            taken.washSaleAdjustmentCents += disallowedCents;
            taken.holdingPeriodStart = holdingPeriodStart;
          }
          const i = held.indexOf(lot);
          if (rest) held.splice(i, 1, taken, rest); else held[i] = taken;
          return taken.id;
        },
      });
    }
    for (const ev of buysBySymbol.get(t.symbol) ?? []) {
      if (ev.pos <= pos || ev.processed) continue;
      if (dayNumber(ev.tx.date) - d > WASH_SALE_WINDOW_DAYS) break;
      const available = roundQty(ev.tx.quantity - ev.absorbed);
      if (available <= QTY_EPSILON) continue;
      const permanent = isTaxAdvantaged(accountType(ev.tx.accountId));
      sources.push({
        acquired: ev.tx.date, seq: ev.pos, originId: ev.originId, accountId: ev.tx.accountId, available, permanent,
        absorb(quantity, disallowedCents, holdingPeriodStart) {
          ev.absorbed = roundQty(ev.absorbed + quantity);
          const id = nextId(ev.originId);
          ev.pending.push({ quantity, disallowedCents, holdingPeriodStart, permanent, id });
          return id;
        },
      });
    }
    return sources;
  };

  const applyBuy = (pos: number, t: LedgerTransaction): void => {
    const ev = buyAt.get(pos)!;
    ev.processed = true;
    const cost = amountCentsOf(t) + (t.feesCents ?? 0);
    const rest = roundQty(t.quantity - ev.absorbed);
    const parts = [...ev.pending.map((p) => p.quantity), ...(rest > QTY_EPSILON ? [rest] : [])];
    const costs = allocateCents(cost, parts);
    const held = lotsOf(t.symbol);
    ev.pending.forEach((p, i) => {
      const add = p.permanent ? 0 : p.disallowedCents;
      held.push({
        id: p.id, originId: ev.originId, householdId, accountId: t.accountId, symbol: t.symbol, quantity: p.quantity,
        costBasisCents: costs[i]! + add, acquiredDate: t.date, holdingPeriodStart: p.permanent ? t.date : p.holdingPeriodStart,
        washSaleAdjustmentCents: add, replacementUsed: true, seq: pos,
      });
    });
    if (rest > QTY_EPSILON) {
      held.push({
        id: nextId(ev.originId), originId: ev.originId, householdId, accountId: t.accountId, symbol: t.symbol, quantity: rest,
        costBasisCents: costs[costs.length - 1]!, acquiredDate: t.date, holdingPeriodStart: t.date,
        washSaleAdjustmentCents: 0, replacementUsed: false, seq: pos,
      });
    }
  };

  const applySell = (pos: number, t: LedgerTransaction): void => {
    const held = lotsOf(t.symbol);
    const mine = held.filter((l) => l.accountId === t.accountId && l.quantity > QTY_EPSILON);
    const total = mine.reduce((s, l) => s + l.quantity, 0);
    if (t.quantity > total + 1e-6) {
      throw new TaxLedgerError(`${describe(t)}: only ${roundQty(total)} shares are held (short sales are not supported)`, t);
    }
    let remaining = t.quantity;
    const parts: OpenLot[] = [];
    for (const lot of reliefOrder(mine, t.lotMethod ?? defaultMethod)) {
      if (remaining <= QTY_EPSILON) break;
      const q = Math.min(lot.quantity, remaining);
      const [taken, rest] = splitLot(lot, q, lot.id);
      const i = held.indexOf(lot);
      if (rest) held[i] = rest; else held.splice(i, 1);
      parts.push(taken);
      remaining = roundQty(remaining - q);
    }
    const proceeds = allocateCents(amountCentsOf(t) - (t.feesCents ?? 0), parts.map((p) => p.quantity));
    const taxable = !isTaxAdvantaged(accountType(t.accountId));
    parts.forEach((part, i) => {
      const row: RealizedLot = {
        date: t.date, accountId: t.accountId, householdId, symbol: t.symbol, lotId: part.id, quantity: part.quantity,
        proceedsCents: proceeds[i]!, basisCents: part.costBasisCents, washSaleDisallowedCents: 0, washSalePermanentCents: 0, basisAdjustmentCents: part.washSaleAdjustmentCents,
        gainCents: proceeds[i]! - part.costBasisCents, term: termOf(part.holdingPeriodStart, t.date),
        acquiredDate: part.acquiredDate, holdingPeriodStart: part.holdingPeriodStart,
      };
      if (!taxable) return;
      out.realized.push(row);
      const loss = part.costBasisCents - proceeds[i]!;
      if (loss <= 0) return;
      // Wash sale: match replacement shares in acquisition order.
      let open = part.quantity;
      const matches: { src: ReplacementSource; quantity: number }[] = [];
      for (const src of replacementSources(pos, t, part.originId)) {
        if (open <= QTY_EPSILON) break;
        const q = Math.min(src.available, open);
        if (q <= QTY_EPSILON) continue;
        matches.push({ src, quantity: roundQty(q) });
        open = roundQty(open - q);
      }
      if (matches.length === 0) return;
      const shares = matches.map((m) => m.quantity);
      if (open > QTY_EPSILON) shares.push(open);
      const disallowed = allocateCents(loss, shares);
      matches.forEach((m, k) => {
        const cents = disallowed[k]!;
        const start = tackedHoldingStart(m.src.acquired, t.date, part.holdingPeriodStart);
        const replacementLotId = m.src.absorb(m.quantity, cents, start);
        row.washSaleDisallowedCents += cents;
        if (m.src.permanent) row.washSalePermanentCents += cents;
        out.washSales.push({
          saleDate: t.date, saleAccountId: t.accountId, symbol: t.symbol, lossLotId: part.id, lossOriginId: part.originId,
          replacementLotId, replacementOriginId: m.src.originId, replacementAccountId: m.src.accountId,
          replacementAcquired: m.src.acquired, quantity: m.quantity, disallowedCents: cents, permanent: m.src.permanent,
        });
      });
      row.gainCents = row.proceedsCents - row.basisCents + row.washSaleDisallowedCents;
    });
  };

  const applySplit = (t: LedgerTransaction): void => {
    for (const lot of lotsOf(t.symbol)) if (lot.accountId === t.accountId) lot.quantity = roundQty(lot.quantity * t.quantity);
  };

  txs.forEach((t, pos) => {
    validate(t);
    if (t.type === 'buy') applyBuy(pos, t);
    else if (t.type === 'sell') applySell(pos, t);
    else if (t.type === 'split') applySplit(t);
  });
  for (const lots of lotsBySymbol.values()) for (const l of lots) if (l.quantity > QTY_EPSILON) out.lots.push({ ...l });
}

/** Replay the transactions of every household; throws TaxLedgerError on a transaction it cannot apply. */
export function buildTaxLedger(input: TaxLedgerInput): TaxLedger {
  const accounts = new Map((input.accounts ?? []).map((a) => [a.id, a]));
  const accountType = (id: string): AccountType => accounts.get(id)?.type ?? 'taxable';
  const byHousehold = new Map<string, LedgerTransaction[]>();
  for (const t of sortByDate(input.transactions)) {
    if (input.asOf !== undefined && t.date > input.asOf) continue;
    const h = accounts.get(t.accountId)?.householdId ?? DEFAULT_HOUSEHOLD;
    const list = byHousehold.get(h);
    if (list) list.push(t); else byHousehold.set(h, [t]);
  }
  const out: TaxLedger = { lots: [], realized: [], washSales: [] };
  for (const [h, txs] of byHousehold) householdLedger(h, txs, accountType, input.defaultLotMethod ?? 'fifo', out);
  out.lots.sort((a, b) => cmp(a.accountId, b.accountId) || cmp(a.symbol, b.symbol) || cmp(a.acquiredDate, b.acquiredDate) || a.seq - b.seq || cmp(a.id, b.id));
  return out;
}

/** Calendar-day helper re-exported for callers that display "sold N days after purchase". */
export const dateAfterDays = (date: IsoDate, days: number): IsoDate => fromDayNumber(dayNumber(date) + days);
