// Rebalance a household (or one account) to its models: every account is valued and planned, then all sells run
// (so a loss sold in one account blocks buys of that symbol in every account), then all buys; the capital-gains
// budget is shared by the household's taxable accounts in account-id order. With `assetLocation`, the accounts'
// targets are first placed across taxable/IRA/Roth (asset-location.ts).
// Pure and deterministic: the same inputs give deep-equal outputs (no clock, no randomness, stable orders).
// Units: money integer cents; weights fractions; quantities shares; dates ISO.
import type { Account, IsoDate, Model, TaxLot } from '@aw/domain';
import { finishAccount, prepareAccount, runBuys, runSells, type AccountRebalance } from './account.ts';
import { locateHousehold } from './asset-location.ts';
import { makeHouseholdState } from './context.ts';
import { valueAccount } from './drift.ts';
import { resolveOptions, type HeldAwayPosition, type HouseholdInput, type RealizedSale, type RebalanceMarket, type RebalanceOptions } from './options.ts';

export interface HouseholdRebalance {
  householdId: string;
  /** One per account, in account-id order (accounts without trades included). */
  accounts: AccountRebalance[];
  /** Net gain realized in taxable accounts by this run. */
  gainsCents: number;
  estTaxCents: number;
  warnings: string[];
}

const none: readonly never[] = [];

export function rebalanceHousehold(input: HouseholdInput, market: RebalanceMarket, options: Partial<RebalanceOptions> | RebalanceOptions = {}): HouseholdRebalance {
  const opts = resolveOptions(options);
  const state = makeHouseholdState(opts, market, input.asOf, input.household.taxBracket, input.lots, input.recentSales ?? none);
  const accounts = [...input.accounts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const lotsByAccount = new Map<string, TaxLot[]>(accounts.map((a) => [a.id, []]));
  for (const lot of input.lots) lotsByAccount.get(lot.accountId)?.push(lot);
  const heldAway = input.heldAway ?? none;
  const books = accounts.map((a) => valueAccount(a, lotsByAccount.get(a.id)!, heldAway, market));
  const models = new Map<string, Model | undefined>(accounts.map((a) => [a.id, market.models.get(a.modelId)]));
  const warnings: string[] = [];
  if (opts.assetLocation) {
    const located = locateHousehold(books.map((b) => ({ account: b.account, valueCents: b.totalCents, model: models.get(b.account.id) })), market, opts.locationPreferences);
    if (located.size > 1) warnings.push('Asset location: targets are placed across the household (bonds in tax-deferred, growth in Roth, tax-efficient equity in taxable).');
    for (const [id, m] of located) models.set(id, m);
  }
  const runs = books.map((b) => prepareAccount(b, models.get(b.account.id), state));
  for (const r of runs) runSells(r, state);
  for (const r of runs) runBuys(r, state);
  const results = runs.map((r) => finishAccount(r, state));
  if (opts.gainsBudgetCents !== null && state.budgetRemainingCents < 0) warnings.push('Capital-gains budget exceeded.');
  for (const r of results) if (warnings.length) r.warnings.unshift(...warnings);
  return {
    householdId: input.household.id,
    accounts: results,
    gainsCents: results.reduce((s, r) => s + r.estGainCents, 0),
    estTaxCents: results.reduce((s, r) => s + r.estTaxCents, 0),
    warnings,
  };
}

export interface AccountInput {
  account: Account;
  lots: readonly TaxLot[];
  /** Taxable bracket of the account's household. */
  taxBracket: number;
  asOf: IsoDate;
  heldAway?: readonly HeldAwayPosition[];
  /** Sales of the last weeks in any account of the household. */
  recentSales?: readonly RealizedSale[];
  /** Lots of the household's other accounts (recent buys there make a loss sale here a wash sale). */
  householdLots?: readonly TaxLot[];
}

/** One account on its own model (the gains budget applies to this account alone). */
export function rebalanceAccount(input: AccountInput, market: RebalanceMarket, options: Partial<RebalanceOptions> | RebalanceOptions = {}): AccountRebalance {
  const lots = input.householdLots ? [...input.lots, ...input.householdLots.filter((l) => l.accountId !== input.account.id)] : input.lots;
  const r = rebalanceHousehold({
    household: { id: input.account.householdId, taxBracket: input.taxBracket }, accounts: [input.account], lots,
    heldAway: input.heldAway, recentSales: input.recentSales, asOf: input.asOf,
  }, market, { ...options, assetLocation: false });
  return r.accounts[0]!;
}
