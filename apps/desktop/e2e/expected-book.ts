// What the e2e test expects to see: the demo book computed independently in Node from the generator (seed 42,
// 25 households) and valued with the engine from the latest closes — the same numbers the UI must show.
import { generateBook, latestCloses, type DemoBook } from '@aw/demo';
import type { PriceMatrix } from '@aw/domain';
import { buildMarketSnapshot, valueBook, valueHoldings, type BookValuation, type PriceRow } from '@aw/engine/valuation';

export interface ExpectedBook {
  book: DemoBook;
  valuation: BookValuation;
  positionsByHousehold: Map<string, number>;
}

function rows(m: PriceMatrix, kind: 'security' | 'fx'): PriceRow[] {
  const date = m.dates[m.dates.length - 1]!;
  return [...latestCloses(m)].map(([symbol, closePrice]) => ({ symbol, date, closePrice, kind }));
}

export function expectedBook(households = 25, seed = 42): ExpectedBook {
  const book = generateBook({ households, seed });
  const market = buildMarketSnapshot({ priceRows: [...rows(book.prices, 'security'), ...rows(book.fx, 'fx')], securities: book.securities });
  const valuation = valueBook(book.accounts, book.lots, market);
  const positionsByHousehold = new Map<string, number>();
  for (const h of valueHoldings(book.lots, market)) positionsByHousehold.set(h.householdId, (positionsByHousehold.get(h.householdId) ?? 0) + 1);
  return { book, valuation, positionsByHousehold };
}
