// Wash-sale matching (IRC §1091, IRS Publication 550), applied by the tax ledger at each sale at a loss in a
// taxable account. The rules, exactly:
// - A loss is disallowed when substantially identical securities (here: the same symbol) are acquired within
//   30 days before or after the sale (a 61-day window) in ANY account of the household, including IRAs.
// - Replacement shares are matched to loss shares in the order they were acquired; several loss sales are
//   handled in the order of the sales; one replacement share absorbs at most one loss share.
// - Shares acquired within the 30 days before the sale count only when still held after it; shares of the same
//   purchase as the sold shares are never their replacement ("a lot is never its own replacement").
// - With fewer replacement shares than loss shares, only the matched shares' loss is disallowed (prorated by shares).
// - The disallowed loss is added to the replacement shares' basis and their holding period starts earlier by the
//   sold shares' holding period; when the replacement is in an IRA, Roth IRA or 401(k) the loss is lost for good
//   (Rev. Rul. 2008-5) and nothing is added.
// Units: cents; dates ISO.
import type { IsoDate } from '@aw/domain';
import { dayNumber, fromDayNumber } from '../returns/day-count.ts';

export const WASH_SALE_WINDOW_DAYS = 30;

/** First date on which a purchase made on `bought` no longer makes a loss sale a wash sale. */
export const washWindowEnd = (bought: IsoDate): IsoDate => fromDayNumber(dayNumber(bought) + WASH_SALE_WINDOW_DAYS + 1);

export const inWashWindow = (saleDate: IsoDate, acquired: IsoDate): boolean =>
  Math.abs(dayNumber(acquired) - dayNumber(saleDate)) <= WASH_SALE_WINDOW_DAYS;

/** Holding-period start of replacement shares acquired on `acquired` for shares held from `soldStart` to `saleDate`. */
export function tackedHoldingStart(acquired: IsoDate, saleDate: IsoDate, soldStart: IsoDate): IsoDate {
  return fromDayNumber(dayNumber(acquired) - (dayNumber(saleDate) - dayNumber(soldStart)));
}

/** One loss-share block matched to one replacement-share block. */
export interface WashSaleMatch {
  saleDate: IsoDate;
  saleAccountId: string;
  symbol: string;
  /** The sold lot (its id) and the purchase it came from. */
  lossLotId: string;
  lossOriginId: string;
  /** The replacement lot created or split off for the matched shares, and the purchase it came from. */
  replacementLotId: string;
  replacementOriginId: string;
  replacementAccountId: string;
  replacementAcquired: IsoDate;
  quantity: number;
  disallowedCents: number;
  /** True when the replacement is in a tax-advantaged account: the loss is lost, no basis is added. */
  permanent: boolean;
}

/** A replacement source the ledger offers to the matcher, in acquisition order. */
export interface ReplacementSource {
  acquired: IsoDate;
  /** Global order of acquisition (date, then ledger order). */
  seq: number;
  originId: string;
  accountId: string;
  /** Shares that can still absorb a loss. */
  available: number;
  permanent: boolean;
  /** Called with the matched shares, the disallowed cents and the new holding-period start. */
  absorb(quantity: number, disallowedCents: number, holdingPeriodStart: IsoDate): string;
}
