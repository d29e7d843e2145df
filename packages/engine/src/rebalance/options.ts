// Rebalance options and the plain-data inputs the engine works on.
// Units: money in integer cents (`...Cents`), weights and bands as fractions of an account's value (0..1),
// prices per share as decimal numbers, quantities in shares (6 decimals), dates ISO `YYYY-MM-DD`.
import type { Account, Cents, Household, IsoDate, Model, Security, TaxLot } from '@aw/domain';

export type RebalanceGoal = 'target' | 'band';
export type RebalanceMode = 'full' | 'sell_only' | 'buy_only';
/** Where an asset class prefers to live in a household: 'deferred' = IRA/401(k), 'roth' = Roth IRA. */
export type LocationKind = 'taxable' | 'deferred' | 'roth';

export interface RebalanceOptions {
  /** 'target': drifted positions go back to their target weight; 'band': just inside their band (80% of it). */
  goal: RebalanceGoal;
  /** 'sell_only' never buys, 'buy_only' never sells (e.g. investing a deposit without realizing gains). */
  mode: RebalanceMode;
  /** No trade (buy or sell) below this amount. */
  minTradeCents: Cents;
  /** Cash kept in every account, the larger of an amount and a fraction of the account's value. */
  cashReserveCents: Cents;
  cashReservePct: number;
  /** Fractional shares (6 decimals) or whole shares only (sells may still close a fractional remainder). */
  fractionalShares: boolean;
  /** Symbols never bought (they may be sold). */
  restricted: readonly string[];
  /** Net realized gains a household may realize in taxable accounts in this run; null = no limit. */
  gainsBudgetCents: Cents | null;
  /** Tax-aware lot selection and wash-sale checks (on by default). */
  taxAware: boolean;
  /** Household runs: place asset classes across taxable/IRA/Roth instead of giving each account its own model mix. */
  assetLocation: boolean;
  /** Override where asset classes prefer to live (class name → first choice); see asset-location.ts for defaults. */
  locationPreferences: Readonly<Record<string, LocationKind>>;
  /** Long-term capital-gains rate; null = derived from the household's bracket. */
  longTermRate: number | null;
}

export const DEFAULT_OPTIONS: RebalanceOptions = {
  goal: 'target',
  mode: 'full',
  minTradeCents: 50_00,
  cashReserveCents: 0,
  cashReservePct: 0,
  fractionalShares: false,
  restricted: [],
  gainsBudgetCents: null,
  taxAware: true,
  assetLocation: false,
  locationPreferences: {},
  longTermRate: null,
};

export class RebalanceInputError extends Error {
  override name = 'RebalanceInputError';
}

/** Fill defaults and check ranges; throws RebalanceInputError on nonsense (negative minimum, bad mode...). */
export function resolveOptions(partial: Partial<RebalanceOptions> = {}): RebalanceOptions {
  const o: RebalanceOptions = { ...DEFAULT_OPTIONS, ...partial };
  if (o.goal !== 'target' && o.goal !== 'band') throw new RebalanceInputError(`goal must be 'target' or 'band', got ${String(o.goal)}`);
  if (!['full', 'sell_only', 'buy_only'].includes(o.mode)) throw new RebalanceInputError(`mode must be full, sell_only or buy_only, got ${String(o.mode)}`);
  for (const [k, v] of [['minTradeCents', o.minTradeCents], ['cashReserveCents', o.cashReserveCents]] as const) {
    if (!Number.isFinite(v) || v < 0) throw new RebalanceInputError(`${k} must be a non-negative number of cents, got ${v}`);
  }
  if (!(o.cashReservePct >= 0 && o.cashReservePct < 1)) throw new RebalanceInputError(`cashReservePct must be in [0, 1), got ${o.cashReservePct}`);
  if (o.gainsBudgetCents !== null && !Number.isFinite(o.gainsBudgetCents)) throw new RebalanceInputError('gainsBudgetCents must be a number of cents or null');
  if (o.longTermRate !== null && !(o.longTermRate >= 0 && o.longTermRate < 1)) throw new RebalanceInputError(`longTermRate must be in [0, 1), got ${o.longTermRate}`);
  return o;
}

/** What every account of a run shares: the security master, one batched price lookup, the models. */
export interface RebalanceMarket {
  securities: ReadonlyMap<string, Security>;
  /** symbol → latest price per share (one batched lookup, never per-symbol queries). */
  prices: ReadonlyMap<string, number>;
  models: ReadonlyMap<string, Model>;
  /** currency → USD per unit (USD = 1), to value positions quoted in another currency than the account's. */
  fx?: ReadonlyMap<string, number>;
}

/** A position held at another custodian: counted in the account's value and drift, never traded. */
export interface HeldAwayPosition {
  accountId: string;
  symbol: string;
  quantity: number;
}

/** A realized sale (from the tax engine's realized list): losses in the last 30 days block buys of the symbol. */
export interface RealizedSale {
  accountId: string;
  symbol: string;
  date: IsoDate;
  gainCents: Cents;
}

export interface HouseholdInput {
  household: Pick<Household, 'id' | 'taxBracket'>;
  accounts: readonly Account[];
  /** Lots of all the household's accounts. */
  lots: readonly TaxLot[];
  heldAway?: readonly HeldAwayPosition[];
  /** Sales of the last weeks in any account of the household (only losses within 30 days matter). */
  recentSales?: readonly RealizedSale[];
  /** The trade date the proposal is computed for (holding periods, wash-sale window). */
  asOf: IsoDate;
}
