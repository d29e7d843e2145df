// The demo book as JSON (what `cli.ts --out` writes): every collection as an array of documents, price matrices
// with `closes` as a flat array (null = no price), and a format header. Written in chunks so a 25,000-household
// book (millions of documents) never has to fit in one string.
import type { PriceMatrix } from '@aw/domain';
import type { DemoBook } from './book.ts';

export const BOOK_JSON_FORMAT = 'aw-demo-book';
export const BOOK_JSON_VERSION = 1;

export interface PriceMatrixJson { dates: string[]; symbols: string[]; closes: (number | null)[] }

export class BookJsonError extends Error {
  override name = 'BookJsonError';
}

export function priceMatrixToJson(m: PriceMatrix): PriceMatrixJson {
  const closes = new Array<number | null>(m.closes.length);
  for (let i = 0; i < m.closes.length; i++) closes[i] = Number.isNaN(m.closes[i]!) ? null : m.closes[i]!;
  return { dates: m.dates, symbols: m.symbols, closes };
}

export function priceMatrixFromJson(j: PriceMatrixJson): PriceMatrix {
  if (!Array.isArray(j?.dates) || !Array.isArray(j.symbols) || !Array.isArray(j.closes) || j.closes.length !== j.dates.length * j.symbols.length) {
    throw new BookJsonError('price matrix needs dates, symbols and dates×symbols closes');
  }
  return { dates: j.dates, symbols: j.symbols, closes: Float64Array.from(j.closes, (c) => (c === null ? NaN : c)) };
}

const DOC_KEYS = ['teams', 'households', 'accounts', 'securities', 'lots', 'transactions', 'models'] as const;

/** The book as JSON text in pieces of roughly `chunkChars` characters; concatenated they parse as one object. */
export function* bookJsonChunks(book: DemoBook, meta: Record<string, unknown> = {}, chunkChars = 1 << 20): Generator<string> {
  let buf = `{"format":${JSON.stringify(BOOK_JSON_FORMAT)},"version":${BOOK_JSON_VERSION},"meta":${JSON.stringify(meta)}`;
  for (const key of DOC_KEYS) {
    buf += `,\n"${key}":[`;
    const docs = book[key] as readonly unknown[];
    for (let i = 0; i < docs.length; i++) {
      buf += (i ? ',\n' : '\n') + JSON.stringify(docs[i]);
      if (buf.length >= chunkChars) { yield buf; buf = ''; }
    }
    buf += ']';
  }
  for (const key of ['prices', 'fx'] as const) {
    const m = book[key];
    buf += `,\n"${key}":{"dates":${JSON.stringify(m.dates)},"symbols":${JSON.stringify(m.symbols)},"closes":[`;
    for (let i = 0; i < m.closes.length; i++) {
      const c = m.closes[i]!;
      buf += (i ? ',' : '') + (Number.isNaN(c) ? 'null' : String(c));
      if (buf.length >= chunkChars) { yield buf; buf = ''; }
    }
    buf += ']}';
  }
  yield `${buf}}\n`;
}

/** A parsed book JSON object (as written by bookJsonChunks) back to a DemoBook. */
export function bookFromJson(j: any): DemoBook {
  if (j?.format !== BOOK_JSON_FORMAT) throw new BookJsonError(`not a demo book (format ${JSON.stringify(j?.format)})`);
  if (j.version !== BOOK_JSON_VERSION) throw new BookJsonError(`unsupported demo book version ${j.version} (expected ${BOOK_JSON_VERSION})`);
  for (const key of DOC_KEYS) if (!Array.isArray(j[key])) throw new BookJsonError(`demo book lacks "${key}"`);
  return {
    teams: j.teams, households: j.households, accounts: j.accounts, securities: j.securities, lots: j.lots,
    transactions: j.transactions, models: j.models, prices: priceMatrixFromJson(j.prices), fx: priceMatrixFromJson(j.fx),
  };
}
