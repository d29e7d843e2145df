// Turning a bucket's planned change into trades: sells relieve tax-aware lots (lot-selection.ts) within the gains
// budget, buys go to the bucket's first eligible symbol (context.ts) within the cash available. Every trade meets
// the minimum trade size, sells never exceed the held quantity, buys never spend more than the cash available.
// Units: money integer cents (ledger amounts via mulToCents, exact); quantities shares (6 decimals).
import { allocateCents, mulToCents, type Trade } from '@aw/domain';
import { amountCents as cents, money } from './format.ts';
import type { Bucket } from './drift.ts';
import { chooseBuySymbol, type HouseholdState } from './context.ts';
import { candidatesFor, chooseLots, round6, type LotRelief, type SelectionContext } from './lot-selection.ts';

export interface SellResult {
  trades: Trade[];
  budgetLimited: boolean;
  soldCents: number;
  shortTermGainCents: number;
  longTermGainCents: number;
}

interface BuiltSell { trade: Trade; st: number; lt: number; washedLots: number; counts: [number, number, number] }

/** One trade per symbol from the reliefs, with exact proceeds, basis and recognized gain. */
function buildSellTrades(reliefs: LotRelief[], taxable: boolean): BuiltSell[] {
  const bySymbol = new Map<string, LotRelief[]>();
  for (const r of reliefs) {
    const s = r.candidate.position.symbol;
    const list = bySymbol.get(s);
    if (list) list.push(r); else bySymbol.set(s, [r]);
  }
  const out: BuiltSell[] = [];
  for (const [symbol, list] of [...bySymbol].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const price = list[0]!.candidate.position.price;
    const qty = round6(list.reduce((s, r) => s + r.quantity, 0));
    const amountCents = cents(qty, price, mulToCents);
    const proceeds = allocateCents(amountCents, list.map((r) => r.quantity));
    let st = 0, lt = 0, washedLots = 0;
    const counts: [number, number, number] = [0, 0, 0]; // loss, long-term gain, short-term gain lots
    list.forEach((r, k) => {
      const lot = r.candidate.lot;
      const basis = r.quantity >= lot.quantity ? lot.costBasisCents : Math.round((lot.costBasisCents * r.quantity) / lot.quantity);
      let gain = proceeds[k]! - basis;
      if (gain < 0 && r.candidate.washed) { gain = 0; washedLots++; }
      if (!taxable) gain = 0;
      if (r.candidate.longTerm) lt += gain; else st += gain;
      counts[gain < 0 ? 0 : r.candidate.longTerm ? 1 : 2]++;
    });
    out.push({
      trade: { symbol, side: 'sell', quantity: qty, price, amountCents, lotIds: list.map((r) => r.candidate.lot.id), estGainCents: st + lt, reason: '' },
      st, lt, washedLots, counts,
    });
  }
  return out;
}

function lotSummary(b: BuiltSell, taxable: boolean): string {
  if (!taxable) return `relieves ${b.trade.lotIds.length} lot(s), tax-advantaged account: no tax`;
  const parts: string[] = [];
  if (b.counts[0]) parts.push(`${b.counts[0]} loss lot(s)`);
  if (b.counts[1]) parts.push(`${b.counts[1]} long-term gain lot(s)`);
  if (b.counts[2]) parts.push(`${b.counts[2]} short-term gain lot(s)`);
  const washed = b.washedLots ? `; ${b.washedLots} loss lot(s) bought back within 30 days: loss disallowed (wash sale)` : '';
  return `relieves ${parts.join(', ') || 'lots'} (estimated gain ${money(b.trade.estGainCents)})${washed}`;
}

/** Sell about `amountCents` of a bucket. Mutates `state.budgetRemainingCents` by the recognized gain of taxable sells. */
export function sellBucket(bucket: Bucket, amountCents: number, taxable: boolean, why: string, state: HouseholdState): SellResult {
  const { opts } = state;
  const ctx: SelectionContext = {
    asOf: state.asOf, longTermBefore: state.longTermBefore, taxable: taxable && opts.taxAware, bracket: state.bracket, longTermRate: state.longTermRate,
    fractional: opts.fractionalShares, recentlyBought: state.recentlyBought,
  };
  const budget = taxable ? state.budgetRemainingCents : Infinity;
  const excluded = new Set<string>();
  let built: BuiltSell[] = [];
  let budgetLimited = false;
  for (let attempt = 0; attempt <= bucket.positions.length; attempt++) {
    const cands = candidatesFor(bucket.positions, ctx, excluded);
    if (cands.length === 0) { built = []; break; }
    const sel = chooseLots(cands, amountCents, budget, ctx);
    budgetLimited = sel.budgetLimited;
    built = buildSellTrades(sel.reliefs, taxable);
    // Exact rounding may overshoot the budget by cents: trim the last gain relief until within.
    let gains = built.reduce((s, x) => s + x.trade.estGainCents, 0);
    for (let guard = 0; taxable && gains > budget && guard < 50; guard++) {
      const k = [...sel.reliefs.keys()].reverse().find((i) => sel.reliefs[i]!.candidate.gainPerShareCents > 0);
      if (k === undefined) break;
      const r = sel.reliefs[k]!;
      r.quantity = round6(r.quantity - (opts.fractionalShares ? 1e-6 : Math.min(1, r.quantity)));
      if (!(r.quantity > 0)) sel.reliefs.splice(k, 1);
      built = buildSellTrades(sel.reliefs, taxable);
      gains = built.reduce((s, x) => s + x.trade.estGainCents, 0);
      budgetLimited = true;
    }
    const small = built.filter((x) => x.trade.amountCents < opts.minTradeCents);
    if (small.length === 0) break;
    for (const x of small) {
      excluded.add(x.trade.symbol);
      bucket.notes.push(`sell of ${x.trade.symbol} (${money(x.trade.amountCents)}) is below the minimum trade ${money(opts.minTradeCents)}`);
    }
    built = built.filter((x) => x.trade.amountCents >= opts.minTradeCents);
  }
  if (budgetLimited) bucket.notes.push(`the household's capital-gains budget (${money(opts.gainsBudgetCents ?? 0)}) limits sells`);
  let soldCents = 0, st = 0, lt = 0;
  for (const b of built) {
    b.trade.reason = `Sell ${b.trade.symbol}: ${why}; ${lotSummary(b, taxable)}.`;
    soldCents += b.trade.amountCents;
    st += b.st;
    lt += b.lt;
  }
  if (taxable) state.budgetRemainingCents -= st + lt;
  return { trades: built.map((b) => b.trade), budgetLimited, soldCents, shortTermGainCents: st, longTermGainCents: lt };
}

/** Buy up to `amountCents` (never more than `availableCents`) of the bucket's first eligible symbol. */
export function buyBucket(bucket: Bucket, amountCents: number, availableCents: number, why: string, state: HouseholdState, currency: string): Trade | null {
  const { opts } = state;
  const choice = chooseBuySymbol(bucket, state, currency);
  if (choice.symbol === null) { bucket.notes.push(`nothing can be bought: ${choice.note}`); return null; }
  const budget = Math.min(amountCents, availableCents);
  const priceCents = choice.price * 100;
  let qty = opts.fractionalShares ? Math.floor((budget / priceCents) * 1e6 + 1e-6) / 1e6 : Math.floor(budget / priceCents + 1e-9);
  let cost = qty > 0 ? cents(qty, choice.price, mulToCents) : 0;
  while (qty > 0 && cost > availableCents) {
    qty = round6(qty - (opts.fractionalShares ? 1e-6 : 1));
    cost = qty > 0 ? cents(qty, choice.price, mulToCents) : 0;
  }
  if (!(qty > 0) || cost < opts.minTradeCents) {
    bucket.notes.push(qty > 0 ? `buy of ${choice.symbol} (${money(cost)}) is below the minimum trade ${money(opts.minTradeCents)}`
      : `${money(Math.round(budget))} buys no whole share of ${choice.symbol} at ${choice.price}`);
    return null;
  }
  if (budget < amountCents - 0.5) bucket.notes.push('buys limited by the cash available');
  const alt = choice.note ? ` (${choice.note})` : '';
  return { symbol: choice.symbol, side: 'buy', quantity: qty, price: choice.price, amountCents: cost, lotIds: [], estGainCents: 0, reason: `Buy ${choice.symbol}: ${why}${alt}.` };
}
