// One account's rebalance in three steps the household run interleaves: prepare (value, bucket, plan), sells,
// buys; then the proposal fields. Deterministic: no clock, no randomness, every list in a stable order.
// Units: money integer cents; weights fractions; quantities shares.
import { isTaxAdvantaged, type Account, type Model, type Proposal, type Trade } from '@aw/domain';
import { bucketize, driftOf, isOutOfBand, type AccountBook, type Bucket, type DriftRow } from './drift.ts';
import type { HouseholdState } from './context.ts';
import { money, pp } from './format.ts';
import { describeDrift, planAccount, type Plan } from './plan.ts';
import { estimateTaxCents } from './tax-rates.ts';
import { buyBucket, sellBucket } from './trades.ts';

/** The engine's answer for one account: the Proposal fields it owns, plus the detail behind them. */
export type ProposalFields = Pick<Proposal, 'teamId' | 'householdId' | 'accountId' | 'modelId' | 'reason' | 'trades' |
  'accountRevision' | 'driftBefore' | 'driftAfter' | 'buyCents' | 'sellCents' | 'estGainCents' | 'estTaxCents' | 'warnings'>;
export interface AccountRebalance extends ProposalFields {
  drift: DriftRow[];
  valueCents: number;
  cashBeforeCents: number;
  cashAfterCents: number;
  shortTermGainCents: number;
  longTermGainCents: number;
}

export interface AccountRun {
  account: Account;
  model: Model | undefined;
  book: AccountBook;
  buckets: Bucket[];
  plan: Plan | undefined;
  taxable: boolean;
  sells: Trade[];
  buys: Trade[];
  cashCents: number;
  st: number;
  lt: number;
  /** Cents sold / bought per bucket. */
  sold: number[];
  bought: number[];
  warnings: string[];
}

export function prepareAccount(book: AccountBook, model: Model | undefined, state: HouseholdState): AccountRun {
  const account = book.account;
  const warnings = [...book.warnings];
  if (!model) warnings.push(`Model ${account.modelId || '(none)'} not found: account not rebalanced.`);
  else {
    const sum = model.targets.reduce((s, t) => s + t.weight, 0);
    if (Math.abs(sum - 1) > 1e-6) warnings.push(`Model ${model.id} targets sum to ${(sum * 100).toFixed(2)}%, not 100%.`);
  }
  const buckets = model ? bucketize(book, model) : [];
  const plan = model ? planAccount(buckets, book.totalCents, state, account.currency) : undefined;
  return {
    account, model, book, buckets, plan, taxable: !isTaxAdvantaged(account.type), sells: [], buys: [], cashCents: book.cashCents,
    st: 0, lt: 0, sold: buckets.map(() => 0), bought: buckets.map(() => 0), warnings,
  };
}

function whyText(run: AccountRun, i: number): string {
  const b = run.buckets[i]!;
  const base = describeDrift(b, b.currentCents / run.book.totalCents);
  const extra = run.plan?.why[i];
  return extra ? `${base}; ${extra}` : base;
}

export function runSells(run: AccountRun, state: HouseholdState): void {
  const { plan, buckets } = run;
  if (!plan?.triggered) return;
  for (let i = 0; i < buckets.length - 1; i++) {
    const amount = buckets[i]!.currentCents - plan.desiredCents[i]!;
    if (amount <= 0.5) continue;
    const r = sellBucket(buckets[i]!, amount, run.taxable, whyText(run, i), state);
    run.sells.push(...r.trades);
    run.sold[i] = r.soldCents;
    run.cashCents += r.soldCents;
    run.st += r.shortTermGainCents;
    run.lt += r.longTermGainCents;
    if (r.budgetLimited) run.warnings.push(`Sells of ${buckets[i]!.key} limited by the household's capital-gains budget.`);
    if (state.opts.taxAware) {
      for (const t of r.trades) {
        if (t.estGainCents < 0 && !state.blocked.has(t.symbol)) {
          state.blocked.set(t.symbol, { symbol: t.symbol, accountId: run.account.id, date: state.asOf, lossCents: -t.estGainCents, inRun: true });
        }
      }
    }
  }
}

export function runBuys(run: AccountRun, state: HouseholdState): void {
  const { plan, buckets } = run;
  if (!plan?.triggered) return;
  const wants = buckets.slice(0, -1).map((b, i) => Math.max(0, plan.desiredCents[i]! - b.currentCents));
  const total = wants.reduce((s, w) => s + w, 0);
  if (total <= 0.5) return;
  const keep = Math.max(plan.floorCents, plan.cashPlannedCents);
  const available = Math.max(0, run.cashCents - keep);
  const scale = Math.min(1, available / total);
  if (scale < 1) {
    // Planned sells fell short (budget, minimum size, rounding): the buys shrink to the cash there is.
    for (let i = 0; i < wants.length; i++) if (wants[i]! > 0.5) buckets[i]!.notes.push('buys limited by the cash available');
  }
  for (let i = 0; i < wants.length; i++) {
    if (wants[i]! <= 0.5) continue;
    const t = buyBucket(buckets[i]!, wants[i]! * scale, Math.max(0, run.cashCents - Math.min(keep, plan.floorCents + wants[i]!)), whyText(run, i), state, run.account.currency);
    if (!t) continue;
    run.buys.push(t);
    run.bought[i] = t.amountCents;
    run.cashCents -= t.amountCents;
  }
}

/** Why bucket i is still out of band after the trades. */
function explain(run: AccountRun, i: number, after: readonly number[], state: HouseholdState): string {
  const { buckets, plan, book } = run;
  const b = buckets[i]!;
  const own = [...new Set(b.notes)];
  if (b.kind === 'cash') {
    const high = after[i]! > b.targetWeight * book.totalCents;
    if (high && plan && plan.floorCents > (b.targetWeight + b.band) * book.totalCents) own.push(`the cash reserve ${money(Math.round(plan.floorCents))} is above the cash band`);
    else if (high && plan && plan.floorCents > b.targetWeight * book.totalCents) own.push(`the cash reserve ${money(Math.round(plan.floorCents))} is at the edge of the cash band and shares are bought whole`);
    if (high && state.opts.mode === 'sell_only') own.push('sell-only mode: cash is not invested');
    if (!high && state.opts.mode === 'buy_only') own.push('buy-only mode: nothing is sold to raise cash');
    for (let k = 0; k < buckets.length - 1; k++) {
      const o = buckets[k]!;
      const blocks = high ? after[k]! < o.targetWeight * book.totalCents : after[k]! > o.targetWeight * book.totalCents;
      if (o.notes.length && blocks) own.push(`${o.key}: ${[...new Set(o.notes)].join('; ')}`);
    }
  }
  return [...new Set(own)].join('; ') || (state.opts.fractionalShares ? 'could not be corrected within the minimum trade size' : 'could not be corrected with whole shares (and the minimum trade size)');
}

export function finishAccount(run: AccountRun, state: HouseholdState): AccountRebalance {
  const { account, book, buckets, plan } = run;
  const V = book.totalCents;
  const before = buckets.map((b) => b.currentCents);
  const after = buckets.map((b, i) => (i === buckets.length - 1 ? run.cashCents : b.currentCents - run.sold[i]! + run.bought[i]!));
  const warnings = [...run.warnings];
  const drift: DriftRow[] = buckets.map((b, i) => {
    const wb = V > 0 ? before[i]! / V : 0;
    const wa = V > 0 ? after[i]! / V : 0;
    const outAfter = V > 0 && isOutOfBand(wa, b.targetWeight, b.band);
    const note = outAfter ? explain(run, i, after, state) : '';
    if (outAfter) warnings.push(`${b.key} stays out of band: ${note}.`);
    return { key: b.key, kind: b.kind, targetWeight: b.targetWeight, band: b.band, weightBefore: wb, weightAfter: wa, outOfBandBefore: plan?.outBefore[i] ?? false, outOfBandAfter: outAfter, note };
  });
  if (plan && run.cashCents < plan.floorCents - 0.5) {
    const cashNote = [...new Set(buckets[buckets.length - 1]!.notes)].join('; ');
    warnings.push(`Cash ${money(run.cashCents)} is below the reserve ${money(Math.round(plan.floorCents))}${cashNote ? `: ${cashNote}` : ''}.`);
  }
  const trades = [...run.sells, ...run.buys];
  const sellCents = run.sells.reduce((s, t) => s + t.amountCents, 0);
  const buyCents = run.buys.reduce((s, t) => s + t.amountCents, 0);
  const out = drift.filter((d) => d.outOfBandBefore).sort((a, b) => Math.abs(b.weightBefore - b.targetWeight) - Math.abs(a.weightBefore - a.targetWeight));
  const driftText = out.slice(0, 3).map((d) => `${d.key} ${pp(d.weightBefore - d.targetWeight)}`).join(', ');
  let reason: string;
  if (!run.model) reason = 'No model: not rebalanced.';
  else if (!plan?.triggered) reason = V > 0 ? 'All positions are within their bands.' : 'The account has no value to rebalance.';
  else if (trades.length === 0) reason = out.length ? `Out of band (${driftText}) but no trade is possible; see warnings.` : 'Cash below its reserve but no trade is possible; see warnings.';
  else reason = out.length ? `${out.length} position(s) out of band (${driftText}${out.length > 3 ? ', ...' /* Latin-1, as pp() */ : ''}): rebalance ${state.opts.goal === 'target' ? 'to target' : 'into the bands'}.` : 'Raise cash to the reserve.';
  return {
    teamId: account.teamId, householdId: account.householdId, accountId: account.id, modelId: account.modelId, reason, trades,
    accountRevision: account.accountRevision,
    driftBefore: driftOf(buckets, before, V), driftAfter: driftOf(buckets, after, V),
    buyCents, sellCents, estGainCents: run.st + run.lt,
    estTaxCents: run.taxable ? estimateTaxCents(run.st, run.lt, state.bracket, state.longTermRate) : 0,
    warnings, drift, valueCents: V, cashBeforeCents: book.cashCents, cashAfterCents: run.cashCents,
    shortTermGainCents: run.st, longTermGainCents: run.lt,
  };
}
