// Plain domain types shared by every side (desktop, workers, engine, server).
// Units: money ledger values are integer cents (`...Cents`); prices are decimal numbers per share in the
// security's currency; quantities are shares (fractional allowed, 6 decimals); dates are ISO `YYYY-MM-DD`;
// timestamps are epoch milliseconds (`...At`).

export type Cents = number;
export type IsoDate = string;
export type EpochMs = number;

export const ACCOUNT_TYPES = ['taxable', 'ira', 'roth_ira', '401k'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];
/** Tax-deferred or tax-free accounts: realized gains are not taxed, wash-sale losses there are lost for good. */
export const isTaxAdvantaged = (t: AccountType): boolean => t !== 'taxable';

export const RISK_PROFILES = ['conservative', 'moderately_conservative', 'moderate', 'moderately_aggressive', 'aggressive'] as const;
export type RiskProfile = (typeof RISK_PROFILES)[number];

export const ROLES = ['advisor', 'reviewer', 'admin', 'provider'] as const;
export type Role = (typeof ROLES)[number];

export interface TeamMember { userId: string; role: Role }
export interface Team { id: string; name: string; members: TeamMember[]; updatedAt: EpochMs }

export interface Household {
  id: string;
  teamId: string;
  name: string;
  riskProfile: RiskProfile;
  /** Marginal federal rate on short-term gains, e.g. 0.32. */
  taxBracket: number;
  /** US state, two letters. */
  state: string;
  notes: string;
  updatedAt: EpochMs;
}

export interface Account {
  id: string;
  teamId: string;
  householdId: string;
  name: string;
  type: AccountType;
  custodian: string;
  currency: string;
  modelId: string;
  cashCents: Cents;
  /**
   * Bumped on every change of lots or cash; proposals remember the revision they were computed from
   * (`Proposal.accountRevision`). Not named `revision`: RxDB reserves that name on documents (it is `_rev`).
   */
  accountRevision: number;
  updatedAt: EpochMs;
}

export interface Security {
  symbol: string;
  name: string;
  assetClass: string;
  sector: string;
  currency: string;
  /** Tax-loss-harvesting replacement group: members track the same exposure but are not substantially identical. */
  tlhGroup: string;
  updatedAt: EpochMs;
}

export interface TaxLot {
  id: string;
  teamId: string;
  householdId: string;
  accountId: string;
  symbol: string;
  quantity: number;
  /** Total basis of the lot, including washSaleAdjustmentCents. */
  costBasisCents: Cents;
  acquiredDate: IsoDate;
  /** Holding period start; earlier than acquiredDate when a wash sale carried a holding period over. */
  holdingPeriodStart: IsoDate;
  washSaleAdjustmentCents: Cents;
  updatedAt: EpochMs;
}

export const TRANSACTION_TYPES = ['buy', 'sell', 'dividend', 'deposit', 'withdrawal', 'fee', 'split'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];
export const TRANSACTION_STATUSES = ['pending', 'processing', 'completed'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];
export type LotMethod = 'fifo' | 'hifo' | 'lifo';

export interface Transaction {
  id: string;
  teamId: string;
  householdId: string;
  accountId: string;
  date: IsoDate;
  type: TransactionType;
  /** Empty string for cash rows. */
  symbol: string;
  /** Shares; 1 for cash rows; the new:old ratio for splits. */
  quantity: number;
  /** Per share, in `currency`; the cash amount for cash rows. */
  price: number;
  /** quantity × price rounded once to the cent (the ledger value). */
  amountCents: Cents;
  feesCents: Cents;
  currency: string;
  status: TransactionStatus;
  lotMethod: LotMethod;
  /** Set when the transaction executes an approved proposal. */
  proposalId: string;
  updatedAt: EpochMs;
}

export type TargetKind = 'assetClass' | 'security';
export interface ModelTarget {
  kind: TargetKind;
  /** Asset class name or symbol. */
  key: string;
  /** Fraction of the account's value, 0..1; targets of a model sum to 1 (cash is a target with key 'CASH'). */
  weight: number;
  /** For asset-class targets: securities to buy for this class, in order of preference. */
  symbols: string[];
}
export interface Model {
  id: string;
  /** Empty string for the firm-wide models every team may use. */
  teamId: string;
  name: string;
  riskProfile: RiskProfile;
  targets: ModelTarget[];
  /** Absolute band, e.g. 0.05 = ±5 percentage points. */
  bandAbs: number;
  /** Relative band, e.g. 0.25 = ±25% of the target weight. A position drifts when outside both. */
  bandRel: number;
  updatedAt: EpochMs;
}

export const PROPOSAL_STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'executed', 'expired', 'stale'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export interface Trade {
  symbol: string;
  side: 'buy' | 'sell';
  quantity: number;
  price: number;
  amountCents: Cents;
  /** Lots relieved by a sell, in order. */
  lotIds: string[];
  estGainCents: Cents;
  /** Why this trade: shown to the advisor and the reviewer. */
  reason: string;
}

export interface Proposal {
  id: string;
  teamId: string;
  householdId: string;
  accountId: string;
  modelId: string;
  authorId: string;
  status: ProposalStatus;
  reason: string;
  trades: Trade[];
  /** Account revision the proposal was computed from (stale check on approval). */
  accountRevision: number;
  driftBefore: number;
  driftAfter: number;
  buyCents: Cents;
  sellCents: Cents;
  estGainCents: Cents;
  estTaxCents: Cents;
  warnings: string[];
  /** Server-only fields: a client push that sets or changes them is rejected. */
  approverId: string;
  decidedAt: EpochMs;
  executedAt: EpochMs;
  batchId: string;
  createdAt: EpochMs;
  updatedAt: EpochMs;
}

export const APPROVAL_ACTIONS = ['submit', 'approve', 'reject', 'execute', 'expire', 'stale'] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];
/** Append-only audit record of one proposal transition, written by the server only. */
export interface ApprovalRecord {
  id: string;
  teamId: string;
  proposalId: string;
  action: ApprovalAction;
  actorId: string;
  comment: string;
  fromStatus: ProposalStatus;
  toStatus: ProposalStatus;
  at: EpochMs;
  updatedAt: EpochMs;
}

/** A daily close. FX rates are prices too: symbol 'EURUSD' = USD per 1 EUR, kind 'fx'. */
export interface DailyPrice {
  id: string; // `${symbol}|${date}`
  symbol: string;
  date: IsoDate;
  /** The close, per share in the security's currency. Not named `close`: RxDB reserves that name on documents. */
  closePrice: number;
  kind: 'security' | 'fx';
  updatedAt: EpochMs;
}

/**
 * Daily closes of many symbols, as one dense matrix (what estimators, valuation and benches want; never one
 * object per price). `closes[d * symbols.length + s]` is the close of symbols[s] on dates[d]; NaN = no price
 * (e.g. before a later listing).
 */
export interface PriceMatrix {
  dates: IsoDate[];
  symbols: string[];
  closes: Float64Array;
}
