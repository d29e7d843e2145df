import { afterEach, describe, expect, it } from 'vitest';
import type { BookDatabase } from './book-db.ts';
import { BookPayloadError } from './book-payload.ts';
import { ensureBookSeeded, SeedError } from './seed.ts';
import { openTestDb, smallBook } from '../test-support.ts';

const json = (body: unknown, status = 200) => async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
let db: BookDatabase | undefined;
afterEach(async () => { await db?.close(); db = undefined; });

describe('ensureBookSeeded', () => {
  it('loads the book from the server on first load, then uses the local copy', async () => {
    db = await openTestDb();
    const book = smallBook();
    const urls: string[] = [];
    const fetchFn = (async (url: string) => { urls.push(url); return json(book)(); }) as unknown as typeof fetch;
    expect(await ensureBookSeeded(db, { serverUrl: 'http://127.0.0.1:1', fetchFn })).toBe('server');
    expect(urls).toEqual(['http://127.0.0.1:1/api/v1/demo/book']);
    expect(await db.households.count().exec()).toBe(book.households.length);
    expect(await db.lots.count().exec()).toBe(book.lots.length);
    expect(await ensureBookSeeded(db, { serverUrl: 'http://127.0.0.1:1', fetchFn })).toBe('local');
    expect(urls.length).toBe(1);
  });

  it('seeds once when asked twice at the same time', async () => {
    db = await openTestDb();
    let generated = 0;
    const offline = (async () => { throw new TypeError('fetch failed'); }) as unknown as typeof fetch;
    const generate = async () => { generated++; return smallBook(); };
    const [a, b] = await Promise.all([ensureBookSeeded(db, { serverUrl: 'http://x', fetchFn: offline, generate }),
      ensureBookSeeded(db, { serverUrl: 'http://x', fetchFn: offline, generate })]);
    expect([a, b, generated]).toEqual(['generated', 'generated', 1]);
  });

  it('generates the demo book when the server has no book endpoint or is unreachable', async () => {
    db = await openTestDb();
    const unreachable = (async () => { throw new TypeError('fetch failed'); }) as unknown as typeof fetch;
    expect(await ensureBookSeeded(db, { serverUrl: 'http://127.0.0.1:1', fetchFn: unreachable, generate: async () => smallBook() })).toBe('generated');
    expect(await db.accounts.count().exec()).toBe(smallBook().accounts.length);
  });

  it('says so when there is neither a server book nor a generator, and writes nothing on a bad book', async () => {
    db = await openTestDb();
    await expect(ensureBookSeeded(db, { serverUrl: 'http://x', fetchFn: json({ error: {} }, 404) as unknown as typeof fetch })).rejects.toThrow(SeedError);
    await expect(ensureBookSeeded(db, { serverUrl: 'http://x', fetchFn: json({}, 500) as unknown as typeof fetch })).rejects.toThrow(/answered 500/);
    await expect(ensureBookSeeded(db, { serverUrl: 'http://x', fetchFn: json({ households: [{ id: 'h' }], prices: [] }) as unknown as typeof fetch }))
      .rejects.toThrow(BookPayloadError);
    expect(await db.households.count().exec()).toBe(0);
  });
});
