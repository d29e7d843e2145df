// The holdings view's reads: lots of a household (or one account) by index, then ONE batched lookup of the
// latest prices (securities and FX) and security master rows for all their symbols — never one query per holding.
// Rows are the documents' own data (`toJSON(true)`: read-only, RxDB meta fields included), not `toJSON()` copies:
// those clone and `delete` the meta fields (slow dictionary-mode objects), which was most of a view's read time and
// garbage. Callers must not mutate the rows.
import type { Account, DailyPrice, Security, TaxLot } from '@aw/domain';
import type { BookDatabase } from './book-db.ts';

export type HoldingsScope = { householdId: string } | { accountId: string };

export interface HoldingsData {
  lots: TaxLot[];
  accounts: Account[];
  securities: Security[];
  priceRows: DailyPrice[];
}

/** Latest close per symbol for `symbols`, plus every FX pair (few), in ONE query. */
export async function lookupLatestPrices(db: BookDatabase, symbols: readonly string[]): Promise<DailyPrice[]> {
  if (symbols.length === 0) return [];
  const docs = await db.prices.find({ selector: { $or: [{ symbol: { $in: [...symbols] } }, { kind: 'fx' }] } }).exec();
  const latest = new Map<string, DailyPrice>();
  for (const d of docs) {
    const p = d.toJSON(true) as DailyPrice;
    const prev = latest.get(p.symbol);
    if (!prev || p.date > prev.date) latest.set(p.symbol, p);
  }
  return [...latest.values()];
}

export async function loadHoldingsData(db: BookDatabase, scope: HoldingsScope): Promise<HoldingsData> {
  const [lotDocs, accountDocs] = 'accountId' in scope
    ? await Promise.all([
      db.lots.find({ selector: { accountId: scope.accountId }, sort: [{ accountId: 'asc' }, { symbol: 'asc' }] }).exec(),
      db.accounts.findByIds([scope.accountId]).exec().then((m) => [...m.values()]),
    ])
    : await Promise.all([
      db.lots.find({ selector: { householdId: scope.householdId }, sort: [{ householdId: 'asc' }, { symbol: 'asc' }] }).exec(),
      db.accounts.find({ selector: { householdId: scope.householdId } }).exec(),
    ]);
  const lots = lotDocs.map((d) => d.toJSON(true) as TaxLot);
  const accounts = accountDocs.map((d) => d.toJSON(true) as Account);
  const symbols = [...new Set(lots.map((l) => l.symbol))];
  // The security master rows and the one batched price lookup, side by side.
  const [securityDocs, priceRows] = await Promise.all([db.securities.findByIds(symbols).exec(), lookupLatestPrices(db, symbols)]);
  const securities = [...securityDocs.values()].map((d) => d.toJSON(true) as Security);
  return { lots, accounts, securities, priceRows };
}
