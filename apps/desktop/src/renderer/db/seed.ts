// First load of the client book: when the local RxDB (IndexedDB) is empty, fetch the demo book from the sync
// server (GET /api/v1/demo/book) or, when the server has no such endpoint, generate it with the demo generator in
// a worker; then write it locally. Households are written last, so "has households" means "fully seeded" even if
// a reload interrupts the first load. Later loads need no server at all.
import type { BookDatabase } from './book-db.ts';
import { parseBookPayload, type BookPayload } from './book-payload.ts';

export type SeedSource = 'local' | 'server' | 'generated';

export class SeedError extends Error {
  override name = 'SeedError';
}

export interface SeedOptions {
  serverUrl: string;
  /** Fallback when the server cannot serve the book (e.g. the demo generator in a worker). */
  generate?: () => Promise<BookPayload>;
  fetchFn?: typeof fetch;
  onStatus?: (message: string) => void;
}

export async function isBookSeeded(db: BookDatabase): Promise<boolean> {
  return (await db.households.count().exec()) > 0;
}

export async function writeBook(db: BookDatabase, book: BookPayload): Promise<void> {
  const put = async (name: string, docs: object[]) => {
    const col = (db as unknown as Record<string, { bulkUpsert(d: object[]): Promise<{ error: unknown[] }> }>)[name]!;
    for (let i = 0; i < docs.length; i += 2000) {
      const res = await col.bulkUpsert(docs.slice(i, i + 2000));
      if (res.error.length) throw new SeedError(`could not store ${res.error.length} ${name} documents: ${JSON.stringify(res.error[0]).slice(0, 300)}`);
    }
  };
  await put('securities', book.securities);
  await put('prices', book.prices);
  await put('models', book.models);
  await put('teams', book.teams);
  await put('accounts', book.accounts);
  await put('lots', book.lots);
  await put('transactions', book.transactions);
  await put('households', book.households); // last: marks the book as complete
}

async function fetchServerBook(serverUrl: string, fetchFn: typeof fetch): Promise<BookPayload | null> {
  let res: Response;
  try {
    res = await fetchFn(`${serverUrl}/api/v1/demo/book`, { signal: AbortSignal.timeout(60_000) });
  } catch {
    return null; // server unreachable
  }
  if (res.status === 404) return null;
  if (!res.ok) throw new SeedError(`the sync server answered ${res.status} for the demo book`);
  return parseBookPayload(await res.json());
}

const inFlight = new WeakMap<BookDatabase, Promise<SeedSource>>();

/** Seeds once per database even when called concurrently (React StrictMode starts effects twice). */
export function ensureBookSeeded(db: BookDatabase, opts: SeedOptions): Promise<SeedSource> {
  let p = inFlight.get(db);
  if (!p) {
    p = seedOnce(db, opts).finally(() => inFlight.delete(db));
    inFlight.set(db, p);
  }
  return p;
}

async function seedOnce(db: BookDatabase, opts: SeedOptions): Promise<SeedSource> {
  if (await isBookSeeded(db)) return 'local';
  opts.onStatus?.('Loading the demo book from the sync server…');
  const fromServer = await fetchServerBook(opts.serverUrl, opts.fetchFn ?? fetch);
  if (fromServer) {
    await writeBook(db, fromServer);
    return 'server';
  }
  if (!opts.generate) throw new SeedError(`no book on this device and the sync server at ${opts.serverUrl} cannot serve one`);
  opts.onStatus?.('Generating the demo book…');
  await writeBook(db, await opts.generate());
  return 'generated';
}
