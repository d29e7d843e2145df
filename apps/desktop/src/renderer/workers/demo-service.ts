// Demo book generation inside a worker (first-load fallback when the sync server cannot serve the book): the
// deterministic demo generator (seed 42, 25 households) reduced to what the client stores — documents per
// collection and the latest close of every security and FX pair.
import { generateBook, latestCloses } from '@aw/demo';
import type { DailyPrice } from '@aw/domain';
import type { BookPayload } from '../db/book-payload.ts';

export const DEMO_SEED = 42;
export const DEMO_HOUSEHOLDS = 25;

export interface DemoApi {
  generateDemoBook(households?: number, seed?: number): BookPayload;
}

export const demoService: DemoApi = {
  generateDemoBook(households = DEMO_HOUSEHOLDS, seed = DEMO_SEED) {
    const book = generateBook({ households, seed });
    const lastDate = book.prices.dates[book.prices.dates.length - 1]!;
    const updatedAt = Date.UTC(2026, 0, 1);
    const prices: DailyPrice[] = [];
    for (const [kind, matrix] of [['security', book.prices], ['fx', book.fx]] as const) {
      for (const [symbol, closePrice] of latestCloses(matrix)) {
        prices.push({ id: `${symbol}|${lastDate}`, symbol, date: lastDate, closePrice, kind, updatedAt });
      }
    }
    return {
      teams: book.teams, households: book.households, accounts: book.accounts, securities: book.securities, lots: book.lots,
      transactions: book.transactions, models: book.models, prices,
    };
  },
};
