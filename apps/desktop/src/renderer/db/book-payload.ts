// A whole book as plain documents per collection: what the server's demo-book endpoint returns and what the
// first load writes into the local RxDB (prices: the latest close per symbol and FX pair).
import type { Account, DailyPrice, Household, Model, Security, TaxLot, Team, Transaction } from '@aw/domain';

export interface BookPayload {
  teams: Team[];
  households: Household[];
  accounts: Account[];
  securities: Security[];
  lots: TaxLot[];
  transactions: Transaction[];
  models: Model[];
  prices: DailyPrice[];
}

export class BookPayloadError extends Error {
  override name = 'BookPayloadError';
}

const KEYS = ['teams', 'households', 'accounts', 'securities', 'lots', 'transactions', 'models', 'prices'] as const;

/** Accepts `{households:[...],...}` or `{collections:{...}}`; missing optional collections become []. */
export function parseBookPayload(json: unknown): BookPayload {
  const root = (json && typeof json === 'object' && 'collections' in json ? (json as { collections: unknown }).collections : json) as
    Record<string, unknown> | null;
  if (!root || typeof root !== 'object') throw new BookPayloadError('the book is not a JSON object');
  const out = {} as Record<(typeof KEYS)[number], unknown[]>;
  for (const k of KEYS) {
    const v = root[k] ?? [];
    if (!Array.isArray(v)) throw new BookPayloadError(`the book's "${k}" is not an array`);
    out[k] = v;
  }
  if (out.households.length === 0) throw new BookPayloadError('the book has no households');
  if (out.prices.length === 0) throw new BookPayloadError('the book has no prices');
  return out as unknown as BookPayload;
}
