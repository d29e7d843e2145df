// Drift of an account against its model: positions valued at one batched price map, grouped into the model's
// buckets (security targets first, then asset-class targets, then "unmodeled" holdings with target 0, and cash).
//
// Band rule: a bucket with target weight t and weight w is OUT of band when |w − t| > bandAbs AND
// |w − t| > bandRel × t — i.e. outside both bands; its tolerance is max(bandAbs, bandRel × t).
// Drift of an account = ½ Σ |w − t| over all buckets (cash included): the share of the account that sits in the
// wrong place, 0..1.
// Units: money integer cents; weights fractions of the account's total value (held-away positions included).
import type { Account, Model, Security, TaxLot } from '@aw/domain';
import type { HeldAwayPosition, RebalanceMarket } from './options.ts';

export const CASH_KEY = 'CASH';
/** Floating tolerance for band comparisons (one millionth of the account). */
const EPS = 1e-9;

export interface Position {
  symbol: string;
  security: Security | undefined;
  price: number;
  /** Tradable lots (held-away quantities have no lots here). */
  lots: TaxLot[];
  quantity: number;
  valueCents: number;
  heldAwayQuantity: number;
  heldAwayCents: number;
}

export interface AccountBook {
  account: Account;
  positions: Position[];
  cashCents: number;
  /** Cash + tradable positions + held-away positions. */
  totalCents: number;
  warnings: string[];
}

export type BucketKind = 'assetClass' | 'security' | 'unmodeled' | 'cash';

export interface Bucket {
  key: string;
  kind: BucketKind;
  targetWeight: number;
  /** Tolerance: max(bandAbs, bandRel × target). */
  band: number;
  positions: Position[];
  /** Symbols to buy for this bucket, in order of preference. */
  buySymbols: string[];
  currentCents: number;
  heldAwayCents: number;
  /** Why the bucket could not be fully corrected (restrictions, budget, modes, cash...). */
  notes: string[];
}

export interface DriftRow {
  key: string;
  kind: BucketKind;
  targetWeight: number;
  band: number;
  weightBefore: number;
  weightAfter: number;
  outOfBandBefore: boolean;
  outOfBandAfter: boolean;
  /** Set when the bucket is still out of band after the trades: the reason. */
  note: string;
}

export const bandFor = (model: Pick<Model, 'bandAbs' | 'bandRel'>, target: number): number => Math.max(model.bandAbs, model.bandRel * target);
export const isOutOfBand = (weight: number, target: number, band: number): boolean => Math.abs(weight - target) > band + EPS;

/** Value an account's lots, held-away positions and cash at the price map. Unpriced holdings are left out, with a warning. */
export function valueAccount(account: Account, lots: readonly TaxLot[], heldAway: readonly HeldAwayPosition[], market: RebalanceMarket): AccountBook {
  const bySymbol = new Map<string, Position>();
  const warnings: string[] = [];
  const positionOf = (symbol: string): Position => {
    let p = bySymbol.get(symbol);
    if (!p) {
      p = { symbol, security: market.securities.get(symbol), price: market.prices.get(symbol) ?? NaN, lots: [], quantity: 0, valueCents: 0, heldAwayQuantity: 0, heldAwayCents: 0 };
      bySymbol.set(symbol, p);
    }
    return p;
  };
  for (const lot of lots) {
    if (lot.accountId !== account.id || !(lot.quantity > 0)) continue;
    const p = positionOf(lot.symbol);
    p.lots.push(lot);
    p.quantity += lot.quantity;
  }
  for (const h of heldAway) {
    if (h.accountId !== account.id || !(h.quantity > 0)) continue;
    positionOf(h.symbol).heldAwayQuantity += h.quantity;
  }
  const positions: Position[] = [];
  const foreign: string[] = [];
  let total = account.cashCents;
  for (const p of [...bySymbol.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))) {
    if (!(p.price > 0) || !Number.isFinite(p.price)) {
      warnings.push(`No price for ${p.symbol}: not valued and not traded.`);
      continue;
    }
    p.quantity = Math.round(p.quantity * 1e6) / 1e6;
    const currency = p.security?.currency ?? account.currency;
    let rate = 1;
    if (currency !== account.currency) {
      const r = fxRate(currency, account.currency, market.fx);
      if (r === undefined) {
        warnings.push(`No ${currency}/${account.currency} rate for ${p.symbol}: not valued and not traded.`);
        continue;
      }
      // Cross-currency trades are not proposed: the position counts at the FX rate, like a held-away one.
      rate = r;
      p.heldAwayQuantity += p.quantity;
      p.quantity = 0;
      p.lots = [];
      foreign.push(p.symbol);
    }
    p.valueCents = Math.round(p.quantity * p.price * 100);
    p.heldAwayCents = Math.round(p.heldAwayQuantity * p.price * rate * 100);
    total += p.valueCents + p.heldAwayCents;
    positions.push(p);
  }
  if (foreign.length) warnings.push(`${foreign.join(', ')} ${foreign.length > 1 ? 'are' : 'is'} quoted in another currency: valued at the FX rate, not traded.`);
  return { account, positions, cashCents: account.cashCents, totalCents: total, warnings };
}

/** Units of `to` per unit of `from`, from USD-per-unit rates (USD = 1); undefined when a rate is missing. */
export function fxRate(from: string, to: string, fx: ReadonlyMap<string, number> | undefined): number | undefined {
  const usd = (c: string): number | undefined => (c === 'USD' ? 1 : fx?.get(c));
  const a = usd(from), b = usd(to);
  return a !== undefined && b !== undefined && a > 0 && b > 0 ? a / b : undefined;
}

/** Group the book's positions into the model's buckets. The cash bucket is always the last one. */
export function bucketize(book: AccountBook, model: Model): Bucket[] {
  const buckets: Bucket[] = [];
  const bySecurity = new Map<string, Bucket>();
  const byClass = new Map<string, Bucket>();
  let cash: Bucket | undefined;
  for (const t of model.targets) {
    const band = bandFor(model, t.weight);
    if (t.key === CASH_KEY) {
      cash = { key: CASH_KEY, kind: 'cash', targetWeight: t.weight, band, positions: [], buySymbols: [], currentCents: 0, heldAwayCents: 0, notes: [] };
      continue;
    }
    const b: Bucket = {
      key: t.key, kind: t.kind, targetWeight: t.weight, band, positions: [],
      buySymbols: t.kind === 'security' ? [t.key] : [...t.symbols], currentCents: 0, heldAwayCents: 0, notes: [],
    };
    (t.kind === 'security' ? bySecurity : byClass).set(t.key, b);
    buckets.push(b);
  }
  for (const p of book.positions) {
    let b = bySecurity.get(p.symbol) ?? (p.security ? byClass.get(p.security.assetClass) : undefined);
    if (!b) {
      b = { key: p.symbol, kind: 'unmodeled', targetWeight: 0, band: bandFor(model, 0), positions: [], buySymbols: [], currentCents: 0, heldAwayCents: 0, notes: [] };
      bySecurity.set(p.symbol, b);
      buckets.push(b);
    }
    b.positions.push(p);
    b.currentCents += p.valueCents + p.heldAwayCents;
    b.heldAwayCents += p.heldAwayCents;
  }
  cash ??= { key: CASH_KEY, kind: 'cash', targetWeight: 0, band: bandFor(model, 0), positions: [], buySymbols: [], currentCents: 0, heldAwayCents: 0, notes: [] };
  cash.currentCents = book.cashCents;
  buckets.push(cash);
  return buckets;
}

/** ½ Σ |w − t| for bucket values `cents` (same order as `buckets`) over `totalCents`. */
export function driftOf(buckets: readonly Bucket[], cents: readonly number[], totalCents: number): number {
  if (!(totalCents > 0)) return 0;
  let sum = 0;
  for (let i = 0; i < buckets.length; i++) sum += Math.abs(cents[i]! / totalCents - buckets[i]!.targetWeight);
  return sum / 2;
}
