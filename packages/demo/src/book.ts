// The demo-book generator: households with ~4 accounts of mixed types, ~40 tax lots per account bought over the
// market's history at its generated closes (so some lots are at a loss and some short-term), completed buy
// transactions for the lots (history), a few pending transactions, five models, teams and the market.
// Deterministic: household i draws from its own random stream of (seed, i), so a book of N households is the
// first N households of any larger book with the same seed. Units: money in integer cents of the row's currency
// (a lot's cost basis is in its security's currency: USD except the few EUR/GBP/JPY listings); quantities in
// shares (some fractional, 3 decimals); prices per share.
import {
  RISK_PROFILES, type Account, type AccountType, type Household, type Model, type PriceMatrix, type Security, type TaxLot,
  type Team, type Transaction, type TransactionStatus,
} from '@aw/domain';
import { buildMarket, DEFAULT_END_DATE } from './market.ts';
import { demoModels, modelIdFor } from './models.ts';
import { CUSTODIANS, FIRST_NAMES, SURNAMES, TAX_BRACKETS, US_STATES } from './names.ts';
import { createRng, subSeed, type Rng } from './random.ts';
import { ASSET_CLASSES } from './universe.ts';
import { demoTeams, householdTeam } from './users.ts';

export interface BookOptions {
  households: number;
  seed: number;
  securities?: number;
  years?: number;
  endDate?: string;
  /** Also emit a completed buy transaction per lot (default true). */
  history?: boolean;
}

export interface DemoBook {
  teams: Team[];
  households: Household[];
  accounts: Account[];
  securities: Security[];
  lots: TaxLot[];
  transactions: Transaction[];
  models: Model[];
  prices: PriceMatrix;
  fx: PriceMatrix;
}

/** Id suffixes of lots and their buy transactions, precomputed (fewer string allocations per lot). */
const LOT_SUFFIX = Array.from({ length: 64 }, (_, i) => `-l${i}`);
const TX_SUFFIX = Array.from({ length: 64 }, (_, i) => `-t${i}`);

const ACCOUNT_EXTRA_TYPES: readonly AccountType[] = ['ira', 'roth_ira', '401k', 'taxable'];
const ACCOUNT_EXTRA_WEIGHTS = [0.35, 0.25, 0.3, 0.1];
const ACCOUNT_COUNT_WEIGHTS = [0.25, 0.5, 0.25]; // 3, 4 or 5 accounts: 4 on average
const ACCOUNT_NAMES: Record<AccountType, readonly string[]> = {
  taxable: ['Joint Brokerage', 'Individual Brokerage', 'Family Trust'], ira: ['Traditional IRA', 'Rollover IRA'],
  roth_ira: ['Roth IRA'], '401k': ['401(k)'],
};

/** quantity × price in cents, exactly: quantity in thousandths of a share, price in whole cents (both integers,
 * product below 2^53, i.e. up to 1M shares at $50,000). */
export function costCents(qtyMilli: number, priceCents: number): number {
  const x = qtyMilli * priceCents; // < 2^53 for any realistic lot
  const r = x % 1000;
  return (x - r) / 1000 + (r >= 500 ? 1 : 0);
}

function householdName(rng: Rng): string {
  const a = rng.pick(SURNAMES);
  const style = rng.next();
  if (style < 0.5) return `${a} Family`;
  if (style < 0.7) {
    let b = rng.pick(SURNAMES);
    if (b === a) b = SURNAMES[(SURNAMES.indexOf(a) + 7) % SURNAMES.length]!;
    return `${a} & ${b}`;
  }
  if (style < 0.8) return `The ${a} Trust`;
  return `${rng.pick(FIRST_NAMES)} ${a}`;
}

/** The next more aggressive profile (Roth money has the longest horizon). */
const moreAggressive = (i: number): number => Math.min(RISK_PROFILES.length - 1, i + 1);

export function generateBook(opts: BookOptions): DemoBook {
  const nHouseholds = opts.households;
  if (!Number.isInteger(nHouseholds) || nHouseholds < 0) throw new RangeError(`households must be an integer ≥ 0, got ${nHouseholds}`);
  const history = opts.history ?? true;
  const market = buildMarket({ seed: opts.seed, securities: opts.securities, years: opts.years, endDate: opts.endDate ?? DEFAULT_END_DATE });
  const { universe, prices, fx, firstPriceIndex, updatedAt } = market;
  const secs = universe.securities;
  const S = secs.length;
  const D = prices.dates.length;
  const dates = prices.dates;
  const endDate = dates[D - 1]!;
  const closes = prices.closes;
  const models = demoModels(universe, updatedAt);

  // FX column per currency (USD per unit), for sizing non-USD lots.
  const F = fx.symbols.length;
  const fxCol: Record<string, number> = { EUR: fx.symbols.indexOf('EURUSD'), GBP: fx.symbols.indexOf('GBPUSD'), JPY: fx.symbols.indexOf('JPYUSD') };
  const fxColOf = new Int32Array(S).map((_, s) => (secs[s]!.currency === 'USD' ? -1 : fxCol[secs[s]!.currency] ?? -1));
  // Per model: class weights (without cash) and each class's preferred symbols; lots pick a preferred symbol 60% of
  // the time, else any member of the class.
  const classMembers = ASSET_CLASSES.map((_, c) => secs.flatMap((s, i) => (s.classIndex === c ? [i] : [])));
  const symbolIndex = new Map(secs.map((s, i) => [s.symbol, i]));
  const modelPlans = models.map((m) => {
    const classes: number[] = [], weights: number[] = [], preferred: number[][] = [];
    for (const t of m.targets) {
      const c = ASSET_CLASSES.findIndex((a) => a.name === t.key);
      if (c < 0) continue;
      classes.push(c);
      weights.push(t.weight);
      preferred.push(t.symbols.map((sym) => symbolIndex.get(sym)!));
    }
    return { classes, weights, preferred };
  });
  const priceCentsAt = (d: number, s: number): number => Math.round(closes[d * S + s]! * 100);
  const usdPerUnit = (d: number, s: number): number => (fxColOf[s]! < 0 ? 1 : fx.closes[d * F + fxColOf[s]!]!);

  const households: Household[] = [];
  const accounts: Account[] = [];
  const lots: TaxLot[] = [];
  const transactions: Transaction[] = [];
  const dayIdx = new Int32Array(64);
  const secIdx = new Int32Array(64);
  const order = new Int32Array(64);

  for (let h = 0; h < nHouseholds; h++) {
    const rng = createRng(subSeed(opts.seed, 1_000_000 + h));
    const teamId = householdTeam(h);
    const hhId = `hh-${String(h + 1).padStart(5, '0')}`;
    const profileIndex = rng.int(0, RISK_PROFILES.length - 1);
    households.push({
      id: hhId, teamId, name: householdName(rng), riskProfile: RISK_PROFILES[profileIndex]!, taxBracket: rng.pick(TAX_BRACKETS),
      state: rng.pick(US_STATES), notes: '', updatedAt,
    });
    const wealthUsd = 1_500_000 * Math.exp(0.8 * rng.normal());
    const nAccounts = 3 + rng.weighted(ACCOUNT_COUNT_WEIGHTS);
    const shares = Array.from({ length: nAccounts }, () => 0.3 + rng.next());
    const shareSum = shares.reduce((a, b) => a + b, 0);
    const custodian = rng.pick(CUSTODIANS);
    const usedNames = new Set<string>();

    for (let a = 0; a < nAccounts; a++) {
      const type: AccountType = a === 0 ? 'taxable' : ACCOUNT_EXTRA_TYPES[rng.weighted(ACCOUNT_EXTRA_WEIGHTS)]!;
      const choices = ACCOUNT_NAMES[type];
      const free = choices.filter((c) => !usedNames.has(c));
      let name = free.length > 0 ? rng.pick(free) : choices[0]!;
      for (let k = 2; usedNames.has(name); k++) name = `${choices[0]!} ${k}`;
      usedNames.add(name);
      const modelIndex = type === 'roth_ira' ? moreAggressive(profileIndex) : profileIndex;
      const plan = modelPlans[modelIndex]!;
      const accountId = `${hhId}-a${a + 1}`;
      const valueUsd = (wealthUsd * shares[a]!) / shareSum;
      const nLots = rng.int(30, 50);
      const lotUsd = valueUsd / nLots;

      // Pick securities and dates first, then emit lots in date order.
      for (let j = 0; j < nLots; j++) {
        const k = rng.weighted(plan.weights);
        const pref = plan.preferred[k]!;
        const members = classMembers[plan.classes[k]!]!;
        const s = pref.length > 0 && rng.next() < 0.6 ? pref[rng.int(0, pref.length - 1)]! : members[rng.int(0, members.length - 1)]!;
        secIdx[j] = s;
        dayIdx[j] = rng.int(firstPriceIndex[s]!, D - 1);
      }
      // Insertion sort of lot indices by date (stable; ~40 items, no allocation).
      for (let j = 0; j < nLots; j++) {
        let k = j;
        while (k > 0 && dayIdx[order[k - 1]!]! > dayIdx[j]!) { order[k] = order[k - 1]!; k--; }
        order[k] = j;
      }
      let lotNo = 0;
      for (let o = 0; o < nLots; o++) {
        const j = order[o]!;
        const s = secIdx[j]!, d = dayIdx[j]!;
        const sec = secs[s]!;
        const pc = priceCentsAt(d, s);
        const targetShares = (lotUsd * Math.exp(0.5 * rng.normal())) / ((pc / 100) * usdPerUnit(d, s));
        const qtyMilli = rng.next() < 0.15 ? Math.max(1, Math.round(targetShares * 1000)) : Math.max(1, Math.round(targetShares)) * 1000;
        const quantity = qtyMilli / 1000;
        const basis = costCents(qtyMilli, pc);
        const date = dates[d]!;
        lotNo++;
        const lotId = accountId + LOT_SUFFIX[lotNo]!;
        lots.push({
          id: lotId, teamId, householdId: hhId, accountId, symbol: sec.symbol, quantity, costBasisCents: basis, acquiredDate: date,
          holdingPeriodStart: date, washSaleAdjustmentCents: 0, updatedAt,
        });
        if (history) {
          transactions.push({
            id: accountId + TX_SUFFIX[lotNo]!, teamId, householdId: hhId, accountId, date, type: 'buy', symbol: sec.symbol, quantity,
            price: pc / 100, amountCents: basis, feesCents: 0, currency: sec.currency, status: 'completed', lotMethod: 'fifo',
            proposalId: '', updatedAt,
          });
        }
      }

      accounts.push({
        id: accountId, teamId, householdId: hhId, name, type, custodian, currency: 'USD', modelId: modelIdFor(RISK_PROFILES[modelIndex]!),
        cashCents: Math.round(valueUsd * (0.005 + 0.035 * rng.next()) * 100), accountRevision: 1, updatedAt,
      });

      // A few orders in flight at the end date.
      const r = rng.next();
      if (r < 0.14) {
        const status: TransactionStatus = rng.next() < 0.8 ? 'pending' : 'processing';
        const base = { teamId, householdId: hhId, accountId, date: endDate, feesCents: 0, status, lotMethod: 'fifo' as const, proposalId: '', updatedAt };
        const id = `${accountId}-p1`;
        if (r < 0.06) {
          const pref = plan.preferred[rng.weighted(plan.weights)]!;
          const s = pref.length > 0 ? pref[0]! : secIdx[0]!;
          const pc = priceCentsAt(D - 1, s);
          const qty = rng.int(5, 200);
          transactions.push({ ...base, id, type: 'buy', symbol: secs[s]!.symbol, quantity: qty, price: pc / 100,
            amountCents: qty * pc, currency: secs[s]!.currency });
        } else if (r < 0.1) {
          const lot = lots[lots.length - 1 - rng.int(0, nLots - 1)]!;
          const s = symbolIndex.get(lot.symbol)!;
          const pc = priceCentsAt(D - 1, s);
          const qtyMilli = lot.quantity < 2 ? Math.round(lot.quantity * 1000) : Math.floor(lot.quantity / 2) * 1000;
          transactions.push({ ...base, id, type: 'sell', symbol: lot.symbol, quantity: qtyMilli / 1000, price: pc / 100,
            amountCents: costCents(qtyMilli, pc), currency: secs[s]!.currency });
        } else {
          const dollars = 1000 * rng.int(5, 50);
          transactions.push({ ...base, id, type: 'deposit', symbol: '', quantity: 1, price: dollars, amountCents: dollars * 100, currency: 'USD' });
        }
      }
    }
  }

  return {
    teams: demoTeams(updatedAt), households, accounts, securities: market.securities, lots, transactions, models,
    prices, fx,
  };
}
