import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookDatabase } from './book-db.ts';
import { loadHoldingsData, lookupLatestPrices } from './holdings-query.ts';
import { writeBook } from './seed.ts';
import { openTestDb, smallBook } from '../test-support.ts';

let db: BookDatabase;
const book = smallBook();
beforeAll(async () => {
  db = await openTestDb();
  await writeBook(db, book);
});
afterAll(() => db.close());

describe('holdings queries', () => {
  it("reads exactly one account's lots and the prices of its symbols plus FX", async () => {
    const account = book.accounts[0]!;
    const data = await loadHoldingsData(db, { accountId: account.id });
    const expectedLots = book.lots.filter((l) => l.accountId === account.id);
    expect(data.lots.map((l) => l.id).sort()).toEqual(expectedLots.map((l) => l.id).sort());
    expect(data.accounts.map((a) => a.id)).toEqual([account.id]);
    const symbols = new Set(expectedLots.map((l) => l.symbol));
    expect(new Set(data.securities.map((s) => s.symbol))).toEqual(symbols);
    const securityRows = data.priceRows.filter((p) => p.kind === 'security');
    expect(new Set(securityRows.map((p) => p.symbol))).toEqual(symbols);
    expect(data.priceRows.some((p) => p.kind === 'fx')).toBe(true);
  });

  it('reads all accounts and lots of a household', async () => {
    const hh = book.households[1]!;
    const data = await loadHoldingsData(db, { householdId: hh.id });
    expect(data.accounts.length).toBe(book.accounts.filter((a) => a.householdId === hh.id).length);
    expect(data.lots.length).toBe(book.lots.filter((l) => l.householdId === hh.id).length);
  });

  it('keeps the latest close when a symbol has several dates', async () => {
    const sym = book.prices.find((p) => p.kind === 'security')!;
    await db.prices.insert({ ...sym, id: `${sym.symbol}|2000-01-03`, date: '2000-01-03', closePrice: 1 });
    const rows = await lookupLatestPrices(db, [sym.symbol]);
    expect(rows.find((r) => r.symbol === sym.symbol)).toMatchObject({ date: sym.date, closePrice: sym.closePrice });
    expect(await lookupLatestPrices(db, [])).toEqual([]);
  });
});
