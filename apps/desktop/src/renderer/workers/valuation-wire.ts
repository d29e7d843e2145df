// Columnar wire form of lots and valued holdings for the trip between the UI thread and the valuation worker.
// Structured cloning hundreds of small objects (one per holding, one per lot) costs milliseconds each way; the same
// data as a few string arrays and one Float64Array (moved, not copied, as a transferable) costs a fraction of that.
// Lossless: money stays integer cents (exact in a float64), null prices/dates/rates round-trip.
import type { HoldingValuation, LotInput, LotValuation } from './valuation-service.ts';

export interface WireLots {
  id: string[];
  accountId: string[];
  householdId: string[];
  symbol: string[];
  acquiredDate: string[];
  holdingPeriodStart: string[];
  /** Per lot: quantity, costBasisCents. */
  num: Float64Array;
}

const LOT_NUMS = 2;

export function encodeLots(lots: readonly LotInput[]): WireLots {
  const n = lots.length;
  const w: WireLots = { id: new Array(n), accountId: new Array(n), householdId: new Array(n), symbol: new Array(n),
    acquiredDate: new Array(n), holdingPeriodStart: new Array(n), num: new Float64Array(n * LOT_NUMS) };
  for (let i = 0; i < n; i++) {
    const l = lots[i]!;
    w.id[i] = l.id; w.accountId[i] = l.accountId; w.householdId[i] = l.householdId; w.symbol[i] = l.symbol;
    w.acquiredDate[i] = l.acquiredDate; w.holdingPeriodStart[i] = l.holdingPeriodStart;
    w.num[i * LOT_NUMS] = l.quantity; w.num[i * LOT_NUMS + 1] = l.costBasisCents;
  }
  return w;
}

export function decodeLots(w: WireLots): LotInput[] {
  const out: LotInput[] = new Array(w.id.length);
  for (let i = 0; i < w.id.length; i++) {
    out[i] = { id: w.id[i]!, accountId: w.accountId[i]!, householdId: w.householdId[i]!, symbol: w.symbol[i]!,
      quantity: w.num[i * LOT_NUMS]!, costBasisCents: w.num[i * LOT_NUMS + 1]!, acquiredDate: w.acquiredDate[i]!,
      holdingPeriodStart: w.holdingPeriodStart[i]! };
  }
  return out;
}

export interface WireHoldings {
  accountId: string[];
  householdId: string[];
  symbol: string[];
  name: string[];
  assetClass: string[];
  sector: string[];
  currency: string[];
  /** '' = null. */
  priceDate: string[];
  term: HoldingValuation['term'][];
  /** Per holding, see HOLDING_NUMS; NaN = null. */
  num: Float64Array;
  lotId: string[];
  lotAcquiredDate: string[];
  lotHoldingPeriodStart: string[];
  lotTerm: LotValuation['term'][];
  /** Per lot: quantity, costBasisCents, marketValueCents, unrealizedCents. */
  lotNum: Float64Array;
}

// quantity, price, fxRate, marketValueCents, costBasisCents, unrealizedCents, shortTermGainCents, longTermGainCents,
// priced (1/0), number of lots
const HOLDING_NUMS = 10;
const VAL_NUMS = 4;

export function encodeHoldings(holdings: readonly HoldingValuation[]): WireHoldings {
  const n = holdings.length;
  let lots = 0;
  for (const h of holdings) lots += h.lots.length;
  const w: WireHoldings = { accountId: new Array(n), householdId: new Array(n), symbol: new Array(n), name: new Array(n),
    assetClass: new Array(n), sector: new Array(n), currency: new Array(n), priceDate: new Array(n), term: new Array(n),
    num: new Float64Array(n * HOLDING_NUMS), lotId: new Array(lots), lotAcquiredDate: new Array(lots),
    lotHoldingPeriodStart: new Array(lots), lotTerm: new Array(lots), lotNum: new Float64Array(lots * VAL_NUMS) };
  let j = 0;
  for (let i = 0; i < n; i++) {
    const h = holdings[i]!;
    w.accountId[i] = h.accountId; w.householdId[i] = h.householdId; w.symbol[i] = h.symbol; w.name[i] = h.name;
    w.assetClass[i] = h.assetClass; w.sector[i] = h.sector; w.currency[i] = h.currency; w.priceDate[i] = h.priceDate ?? '';
    w.term[i] = h.term;
    const o = i * HOLDING_NUMS;
    w.num[o] = h.quantity; w.num[o + 1] = h.price ?? NaN; w.num[o + 2] = h.fxRate ?? NaN; w.num[o + 3] = h.marketValueCents;
    w.num[o + 4] = h.costBasisCents; w.num[o + 5] = h.unrealizedCents; w.num[o + 6] = h.shortTermGainCents;
    w.num[o + 7] = h.longTermGainCents; w.num[o + 8] = h.priced ? 1 : 0; w.num[o + 9] = h.lots.length;
    for (const l of h.lots) {
      w.lotId[j] = l.lotId; w.lotAcquiredDate[j] = l.acquiredDate; w.lotHoldingPeriodStart[j] = l.holdingPeriodStart; w.lotTerm[j] = l.term;
      const q = j * VAL_NUMS;
      w.lotNum[q] = l.quantity; w.lotNum[q + 1] = l.costBasisCents; w.lotNum[q + 2] = l.marketValueCents; w.lotNum[q + 3] = l.unrealizedCents;
      j++;
    }
  }
  return w;
}

const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);

export function decodeHoldings(w: WireHoldings): HoldingValuation[] {
  const out: HoldingValuation[] = new Array(w.symbol.length);
  let j = 0;
  for (let i = 0; i < out.length; i++) {
    const o = i * HOLDING_NUMS;
    const lotCount = w.num[o + 9]!;
    const lots: LotValuation[] = new Array(lotCount);
    for (let k = 0; k < lotCount; k++, j++) {
      const q = j * VAL_NUMS;
      lots[k] = { lotId: w.lotId[j]!, quantity: w.lotNum[q]!, acquiredDate: w.lotAcquiredDate[j]!, holdingPeriodStart: w.lotHoldingPeriodStart[j]!,
        term: w.lotTerm[j]!, costBasisCents: w.lotNum[q + 1]!, marketValueCents: w.lotNum[q + 2]!, unrealizedCents: w.lotNum[q + 3]! };
    }
    out[i] = {
      accountId: w.accountId[i]!, householdId: w.householdId[i]!, symbol: w.symbol[i]!, name: w.name[i]!,
      assetClass: w.assetClass[i]!, sector: w.sector[i]!, currency: w.currency[i]!, quantity: w.num[o]!,
      price: orNull(w.num[o + 1]!), priceDate: w.priceDate[i] || null, fxRate: orNull(w.num[o + 2]!),
      marketValueCents: w.num[o + 3]!, costBasisCents: w.num[o + 4]!, unrealizedCents: w.num[o + 5]!,
      shortTermGainCents: w.num[o + 6]!, longTermGainCents: w.num[o + 7]!, term: w.term[i]!, priced: w.num[o + 8] === 1, lots,
    };
  }
  return out;
}

/** The buffers to move (not copy) with a message carrying `w`. */
export const holdingsTransfer = (w: WireHoldings): ArrayBuffer[] => [w.num.buffer as ArrayBuffer, w.lotNum.buffer as ArrayBuffer];
export const lotsTransfer = (w: WireLots): ArrayBuffer[] => [w.num.buffer as ArrayBuffer];
