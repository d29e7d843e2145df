// Rebalance engine: pure functions from plain data (accounts, lots, models, one price map) to proposal fields.
// Units: money integer cents; weights fractions; quantities shares; dates ISO `YYYY-MM-DD`.
export { rebalanceAccount, rebalanceHousehold, type AccountInput, type HouseholdRebalance } from './household.ts';
export type { AccountRebalance, ProposalFields } from './account.ts';
export { bandFor, isOutOfBand, CASH_KEY, type DriftRow, type BucketKind } from './drift.ts';
export { defaultLocation, locateHousehold, locationKindOf } from './asset-location.ts';
export { estimateTaxCents, isLongTerm, longTermRateFor, addDays, daysBetween } from './tax-rates.ts';
export { WASH_SALE_DAYS, recentLossSales } from './wash-sale.ts';
export {
  DEFAULT_OPTIONS, RebalanceInputError, resolveOptions,
  type HeldAwayPosition, type HouseholdInput, type LocationKind, type RealizedSale, type RebalanceGoal, type RebalanceMarket,
  type RebalanceMode, type RebalanceOptions,
} from './options.ts';
