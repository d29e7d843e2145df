// The runtime end to end in Node: real RxDB (memory), the real valuation service over Comlink, the real store.
import { afterEach, describe, expect, it } from 'vitest';
import type { BookDatabase } from '../db/book-db.ts';
import { createAppStore } from '../stores/app-store.ts';
import { inProcessValuationClient, openTestDb, smallBook, untilState } from '../test-support.ts';
import { valuationService } from '../workers/valuation-service.ts';
import { startBookRuntime } from './book-runtime.ts';


let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => { await cleanup?.(); cleanup = undefined; });

async function start(opts: { fetchFn?: typeof fetch } = {}) {
  const db: BookDatabase = await openTestDb();
  const store = createAppStore();
  store.getState().setAppInfo({ version: 't', serverUrl: 'http://127.0.0.1:1', dataDir: '', shell: 'web' });
  const valuation = inProcessValuationClient();
  const offline = (async () => { throw new TypeError('fetch failed'); }) as unknown as typeof fetch;
  const runtime = startBookRuntime({ db, store, valuation, generate: async () => smallBook(), fetchFn: opts.fetchFn ?? offline, revalueDelayMs: 10 });
  cleanup = async () => { runtime.stop(); valuation.terminate(); await db.close(); };
  await runtime.ready;
  return { db, store };
}

describe('book runtime', () => {
  it('seeds the book, feeds the store and values every account off the UI thread', async () => {
    const book = smallBook();
    const { store } = await start();
    const s = await untilState(store, (x) => x.valuation.status === 'done' && x.book.accounts.length === book.accounts.length);
    expect(s.book.status).toBe('ready');
    expect(s.book.source).toBe('generated');
    expect(s.book.households.map((h) => h.name)).toEqual([...book.households].map((h) => h.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const expected = await valuationService.valueBook({
      accounts: book.accounts, lots: book.lots, priceRows: book.prices, securities: book.securities,
    });
    expect(s.valuation.totals?.marketValueCents).toBe(expected.totals.marketValueCents);
    expect(s.valuation.accounts[book.accounts[0]!.id]?.marketValueCents).toBe(expected.accounts[0]!.marketValueCents);
    expect(s.session.serverReachable).toBe(false);
  });

  it('loads the holdings view when a household is selected', async () => {
    const book = smallBook();
    const { store } = await start();
    const hh = book.households[0]!;
    store.getState().selectHousehold(hh.id);
    const s = await untilState(store, (x) => x.household.status === 'ready' && x.household.viewFor === hh.id);
    const lots = book.lots.filter((l) => l.householdId === hh.id);
    expect(s.household.view!.holdings.reduce((n, h) => n + h.lots.length, 0)).toBe(lots.length);
    const cash = book.accounts.filter((a) => a.householdId === hh.id).reduce((c, a) => c + a.cashCents, 0);
    expect(s.household.view!.totals.cashCents).toBe(cash);
    await untilState(store, (x) => x.valuation.status === 'done');
    expect(s.household.view!.totals.marketValueCents).toBe(store.getState().valuation.households[hh.id]!.marketValueCents);
  });

  it('revalues when the book changes in RxDB', async () => {
    const book = smallBook();
    const { db, store } = await start();
    const before = (await untilState(store, (x) => x.valuation.status === 'done')).valuation.totals!.marketValueCents;
    const account = await db.accounts.findOne(book.accounts[0]!.id).exec();
    await account!.incrementalPatch({ cashCents: account!.cashCents + 12_345 });
    const after = await untilState(store, (x) => x.valuation.totals!.marketValueCents !== before);
    expect(after.valuation.totals!.marketValueCents - before).toBe(12_345);
  });
});
