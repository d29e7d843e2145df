// The rebalance job's wire format and the function every worker runs on a chunk. The context (security master,
// one batched price map, models, options) goes to each worker once; chunks carry ~1,000 accounts with their lots
// packed as columns of typed arrays (transferable, no per-lot object cloning) and come back as proposal fields.
// Runtime-neutral and pure: the Comlink browser worker and the Node worker_threads bench call the same functions.
// Units: money integer cents; quantities shares; dates ISO `YYYY-MM-DD` (packed as days since 1970-01-01).
import type { Account, Household, IsoDate, Model, Security, TaxLot } from '@aw/domain';
import {
  rebalanceHousehold, resolveOptions, type AccountRebalance, type HeldAwayPosition, type ProposalFields, type RealizedSale,
  type RebalanceMarket, type RebalanceOptions,
} from '../rebalance/index.ts';

export interface RebalanceJobContext {
  asOf: IsoDate;
  securities: Security[];
  /** The batched price lookup: prices[i] is the price of symbols[i]. */
  priceSymbols: string[];
  prices: Float64Array | number[];
  models: Model[];
  /** currency → USD per unit. */
  fx?: Array<[string, number]>;
  options?: Partial<RebalanceOptions>;
  /** Return the per-bucket drift rows with each proposal (bigger messages). */
  detail?: boolean;
}

export interface PackedLots {
  ids: string[];
  /** Index into the chunk's accounts. */
  account: Int32Array;
  /** Index into the chunk's symbol table. */
  symbol: Int32Array;
  quantity: Float64Array;
  costBasisCents: Float64Array;
  acquiredDay: Int32Array;
  holdingStartDay: Int32Array;
  washSaleAdjustmentCents: Float64Array;
}

export interface RebalanceChunk {
  households: Array<Pick<Household, 'id' | 'taxBracket'>>;
  /** Accounts of those households, each household's accounts contiguous. */
  accounts: Account[];
  symbols: string[];
  lots: PackedLots;
  heldAway?: HeldAwayPosition[];
  recentSales?: RealizedSale[];
}

export type ChunkProposal = ProposalFields & { valueCents: number; drift?: AccountRebalance['drift'] };

export interface ChunkOutput {
  proposals: ChunkProposal[];
  accounts: number;
  lots: number;
  trades: number;
}

const DAY_MS = 86_400_000;
const dayCache = new Map<IsoDate, number>();
function dayOf(iso: IsoDate): number {
  let d = dayCache.get(iso);
  if (d === undefined) {
    d = Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
    if (!Number.isFinite(d)) throw new RangeError(`not an ISO date: ${JSON.stringify(iso)}`);
    dayCache.set(iso, d);
  }
  return d;
}
const isoCache = new Map<number, IsoDate>();
function isoOf(day: number): IsoDate {
  let s = isoCache.get(day);
  if (s === undefined) { s = new Date(day * DAY_MS).toISOString().slice(0, 10); isoCache.set(day, s); }
  return s;
}

/**
 * Pack households, their accounts and lots into one chunk. `lotsOf(accountId)` returns an account's lots.
 * Returns the chunk and the ArrayBuffers to transfer (postMessage(chunk, transfer)).
 */
export function packChunk(households: RebalanceChunk['households'], accounts: Account[], lotsOf: (accountId: string) => readonly TaxLot[],
  extra: Pick<RebalanceChunk, 'heldAway' | 'recentSales'> = {}): { chunk: RebalanceChunk; transfer: ArrayBuffer[] } {
  let n = 0;
  for (const a of accounts) n += lotsOf(a.id).length;
  const lots: PackedLots = {
    ids: new Array<string>(n), account: new Int32Array(n), symbol: new Int32Array(n), quantity: new Float64Array(n), costBasisCents: new Float64Array(n),
    acquiredDay: new Int32Array(n), holdingStartDay: new Int32Array(n), washSaleAdjustmentCents: new Float64Array(n),
  };
  const symbols: string[] = [];
  const symbolIndex = new Map<string, number>();
  let k = 0;
  accounts.forEach((a, ai) => {
    for (const l of lotsOf(a.id)) {
      let s = symbolIndex.get(l.symbol);
      if (s === undefined) { s = symbols.length; symbols.push(l.symbol); symbolIndex.set(l.symbol, s); }
      lots.ids[k] = l.id;
      lots.account[k] = ai;
      lots.symbol[k] = s;
      lots.quantity[k] = l.quantity;
      lots.costBasisCents[k] = l.costBasisCents;
      const acquired = dayOf(l.acquiredDate);
      lots.acquiredDay[k] = acquired;
      lots.holdingStartDay[k] = l.holdingPeriodStart === l.acquiredDate ? acquired : dayOf(l.holdingPeriodStart || l.acquiredDate);
      lots.washSaleAdjustmentCents[k] = l.washSaleAdjustmentCents;
      k++;
    }
  });
  const transfer = [lots.account, lots.symbol, lots.quantity, lots.costBasisCents, lots.acquiredDay, lots.holdingStartDay, lots.washSaleAdjustmentCents].map((a) => a.buffer as ArrayBuffer);
  return { chunk: { households, accounts, symbols, lots, ...extra }, transfer };
}

/** Rebuild the chunk's lots as TaxLot objects, grouped by household id. */
export function unpackLots(chunk: RebalanceChunk): Map<string, TaxLot[]> {
  const byHousehold = new Map<string, TaxLot[]>();
  const { lots, accounts, symbols } = chunk;
  for (let k = 0; k < lots.ids.length; k++) {
    const a = accounts[lots.account[k]!]!;
    const acquiredDate = isoOf(lots.acquiredDay[k]!);
    const lot: TaxLot = {
      id: lots.ids[k]!, teamId: a.teamId, householdId: a.householdId, accountId: a.id, symbol: symbols[lots.symbol[k]!]!,
      quantity: lots.quantity[k]!, costBasisCents: lots.costBasisCents[k]!, acquiredDate,
      holdingPeriodStart: lots.holdingStartDay[k] === lots.acquiredDay[k] ? acquiredDate : isoOf(lots.holdingStartDay[k]!),
      washSaleAdjustmentCents: lots.washSaleAdjustmentCents[k]!, updatedAt: 0,
    };
    const list = byHousehold.get(a.householdId);
    if (list) list.push(lot); else byHousehold.set(a.householdId, [lot]);
  }
  return byHousehold;
}

export interface PreparedJobContext {
  asOf: IsoDate;
  market: RebalanceMarket;
  options: RebalanceOptions;
  detail: boolean;
}

/** Build the lookup maps once per worker. */
export function prepareJobContext(ctx: RebalanceJobContext): PreparedJobContext {
  const prices = new Map<string, number>();
  ctx.priceSymbols.forEach((s, i) => { const p = ctx.prices[i]!; if (p > 0 && Number.isFinite(p)) prices.set(s, p); });
  return {
    asOf: ctx.asOf,
    market: {
      securities: new Map(ctx.securities.map((s) => [s.symbol, s])), prices, models: new Map(ctx.models.map((m) => [m.id, m])),
      fx: ctx.fx ? new Map(ctx.fx) : undefined,
    },
    options: resolveOptions(ctx.options),
    detail: ctx.detail ?? false,
  };
}

/** Rebalance every household of a chunk; one proposal per account, in the chunk's account order. */
export function rebalanceChunk(ctx: PreparedJobContext, chunk: RebalanceChunk): ChunkOutput {
  const lotsByHousehold = unpackLots(chunk);
  const accountsByHousehold = new Map<string, Account[]>();
  for (const a of chunk.accounts) {
    const list = accountsByHousehold.get(a.householdId);
    if (list) list.push(a); else accountsByHousehold.set(a.householdId, [a]);
  }
  const byHousehold = <T extends { accountId: string }>(rows: readonly T[] | undefined): Map<string, T[]> => {
    const out = new Map<string, T[]>();
    if (!rows) return out;
    const hhOf = new Map(chunk.accounts.map((a) => [a.id, a.householdId]));
    for (const r of rows) {
      const h = hhOf.get(r.accountId);
      if (h === undefined) continue;
      const list = out.get(h);
      if (list) list.push(r); else out.set(h, [r]);
    }
    return out;
  };
  const heldAway = byHousehold(chunk.heldAway);
  const sales = byHousehold(chunk.recentSales);
  const byAccount = new Map<string, ChunkProposal>();
  let trades = 0;
  for (const h of chunk.households) {
    const r = rebalanceHousehold({
      household: h, accounts: accountsByHousehold.get(h.id) ?? [], lots: lotsByHousehold.get(h.id) ?? [],
      heldAway: heldAway.get(h.id), recentSales: sales.get(h.id), asOf: ctx.asOf,
    }, ctx.market, ctx.options);
    for (const a of r.accounts) {
      const { drift, valueCents, cashBeforeCents: _b, cashAfterCents: _a, shortTermGainCents: _s, longTermGainCents: _l, ...fields } = a;
      byAccount.set(a.accountId, ctx.detail ? { ...fields, valueCents, drift } : { ...fields, valueCents });
      trades += a.trades.length;
    }
  }
  const proposals = chunk.accounts.map((a) => byAccount.get(a.id)!).filter(Boolean);
  return { proposals, accounts: chunk.accounts.length, lots: chunk.lots.ids.length, trades };
}
