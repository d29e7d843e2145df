// Pre-aggregated daily performance snapshots per account, so a performance view reads stored numbers instead of
// recomputing ten years. One account's snapshots are columns over its dates: the value before the day's external
// flow, the flow, and the growth index (time-weighted growth of 1 since inception, at the end of the date).
// `updateSnapshots` is incremental: it keeps every stored day before the earliest changed date, replays the
// account's transactions up to that date (cheap: transactions, not days × holdings) and values only the days from
// there to `asOf`. Staleness rule: snapshots are stale when their `asOf` is more than 1 calendar day behind today.
// Values are decimal amounts in the account currency; dates ISO.
import type { IsoDate, PriceMatrix } from '@aw/domain';
import { addDays, daysBetween } from './day-count.ts';
import { sortByDate, type LedgerTransaction } from './ledger.ts';
import { buildValueSeries, holdingsBefore, lowerBound } from './value-series.ts';

export interface AccountSnapshots {
  accountId: string;
  /** The snapshots are complete up to and including this date. */
  asOf: IsoDate;
  dates: IsoDate[];
  /** Market value at the end of the date, before the date's external flow. */
  values: number[];
  /** External flow at the end of the date (+ contribution, − withdrawal). */
  flows: number[];
  /** Time-weighted growth of 1 since the first date. */
  index: number[];
  /** First date recomputed by the update that produced this object (for diagnostics and tests). */
  recomputedFrom: IsoDate | null;
}

export interface SnapshotChange {
  accountId: string;
  /** The account's transactions as they are now (all of them). */
  transactions: readonly LedgerTransaction[];
  /** Closes covering at least the recomputed range (earlier rows are used to find the last close before it). */
  prices: PriceMatrix;
  /** Earliest date whose transactions or prices changed; omit when only new days were added. */
  changedFrom?: IsoDate;
  /** Value up to this date. */
  asOf: IsoDate;
}

export const MAX_STALENESS_DAYS = 1;

export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

/** Stale when more than MAX_STALENESS_DAYS calendar days behind `today` (or missing). */
export function snapshotsStale(s: AccountSnapshots | undefined, today: IsoDate): boolean {
  return !s || daysBetween(s.asOf, today) > MAX_STALENESS_DAYS;
}

/**
 * Earliest date at which two versions of an account's transaction list differ (by id and content), or null
 * when they are the same. Transactions need ids.
 */
export function earliestTransactionChange(prev: readonly LedgerTransaction[], next: readonly LedgerTransaction[]): IsoDate | null {
  const key = (t: LedgerTransaction): string => JSON.stringify([t.date, t.type, t.symbol, t.quantity, t.price, t.amountCents ?? null, t.feesCents ?? 0, t.lotMethod ?? null]);
  const before = new Map(prev.map((t) => [t.id ?? key(t), key(t)]));
  let earliest: IsoDate | null = null;
  const note = (d: IsoDate): void => { if (earliest === null || d < earliest) earliest = d; };
  const seen = new Set<string>();
  for (const t of next) {
    const id = t.id ?? key(t);
    seen.add(id);
    if (before.get(id) !== key(t)) note(t.date);
  }
  for (const t of prev) if (!seen.has(t.id ?? key(t))) note(t.date);
  // Order within a date matters too: compare the sequence of ids per date.
  const seq = (txs: readonly LedgerTransaction[]): Map<IsoDate, string> => {
    const m = new Map<IsoDate, string>();
    for (const t of sortByDate(txs)) m.set(t.date, (m.get(t.date) ?? '') + '|' + (t.id ?? key(t)));
    return m;
  };
  const a = seq(prev), b = seq(next);
  for (const [d, s] of b) if (a.get(d) !== s) note(d);
  return earliest;
}

/**
 * Earliest date on which two versions of the closes differ for any of `symbols` (a close added, removed or
 * changed; dates present in only one version count), or null when they agree.
 */
export function earliestPriceChange(prev: PriceMatrix, next: PriceMatrix, symbols: Iterable<string>): IsoDate | null {
  const colP = new Map(prev.symbols.map((s, i) => [s, i]));
  const colN = new Map(next.symbols.map((s, i) => [s, i]));
  const wanted = [...new Set(symbols)];
  const rowP = new Map(prev.dates.map((d, i) => [d, i]));
  const rowN = new Map(next.dates.map((d, i) => [d, i]));
  const dates = [...new Set([...prev.dates, ...next.dates])].sort();
  const nP = prev.symbols.length, nN = next.symbols.length;
  for (const d of dates) {
    const rp = rowP.get(d), rn = rowN.get(d);
    for (const s of wanted) {
      const cp = colP.get(s), cn = colN.get(s);
      const a = rp === undefined || cp === undefined ? NaN : prev.closes[rp * nP + cp]!;
      const b = rn === undefined || cn === undefined ? NaN : next.closes[rn * nN + cn]!;
      if (!(a === b || (Number.isNaN(a) && Number.isNaN(b)))) return d;
    }
  }
  return null;
}

function updateOne(prev: AccountSnapshots | undefined, c: SnapshotChange): AccountSnapshots {
  const txs = sortByDate(c.transactions);
  let start: IsoDate | undefined;
  if (prev && prev.dates.length) {
    start = addDays(prev.asOf, 1);
    if (c.changedFrom !== undefined && c.changedFrom < start) start = c.changedFrom;
    // nothing happens before the first transaction: never start earlier than it (or than the stored days)
    const first = txs.length ? (txs[0]!.date < prev.dates[0]! ? txs[0]!.date : prev.dates[0]!) : prev.dates[0]!;
    if (start < first) start = first;
  } else {
    start = txs.length ? txs[0]!.date : undefined;
  }
  if (start === undefined || start > c.asOf) {
    return prev ? { ...prev, asOf: c.asOf > prev.asOf ? c.asOf : prev.asOf, recomputedFrom: null }
      : { accountId: c.accountId, asOf: c.asOf, dates: [], values: [], flows: [], index: [], recomputedFrom: null };
  }
  const keep = prev ? lowerBound(prev.dates, start) : 0;
  const dates = prev ? prev.dates.slice(0, keep) : [];
  const values = prev ? prev.values.slice(0, keep) : [];
  const flows = prev ? prev.flows.slice(0, keep) : [];
  const index = prev ? prev.index.slice(0, keep) : [];
  const fresh = buildValueSeries(txs, c.prices, { from: start, to: c.asOf, initial: holdingsBefore(txs, start) });
  for (const p of fresh) {
    const n = dates.length;
    if (n === 0) index.push(1);
    else {
      const capital = values[n - 1]! + flows[n - 1]!;
      if (Math.abs(capital) < 1e-9) {
        if (Math.abs(p.value) >= 1e-9) throw new SnapshotError(`account ${c.accountId}: value ${p.value} on ${p.date} follows a zero balance`);
        index.push(index[n - 1]!);
      } else if (capital < 0) {
        throw new SnapshotError(`account ${c.accountId}: capital after ${dates[n - 1]} is negative (${capital}); the return is undefined`);
      } else {
        index.push(index[n - 1]! * (p.value / capital));
      }
    }
    dates.push(p.date); values.push(p.value); flows.push(p.flow);
  }
  return { accountId: c.accountId, asOf: c.asOf, dates, values, flows, index, recomputedFrom: start };
}

/**
 * New snapshots after `changes` (pure: `prev` is not modified). Accounts without a change are returned as they were.
 */
export function updateSnapshots(
  prev: Readonly<Record<string, AccountSnapshots>>,
  changes: readonly SnapshotChange[],
): Record<string, AccountSnapshots> {
  const out: Record<string, AccountSnapshots> = { ...prev };
  for (const c of changes) out[c.accountId] = updateOne(out[c.accountId], c);
  return out;
}
