// The analytics controller in Node: real RxDB (memory) seeded with the small demo book, the real analytics service
// behind a real Comlink MessageChannel in the worker pool, the real store. Offline (no sign-in): performance uses
// the local closes only and says so; the harvest scan matches the service called directly on the same documents.
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { writeBook } from '../../db/seed.ts';
import { createAppStore } from '../../stores/app-store.ts';
import { openTestDb, smallBook, untilState } from '../../test-support.ts';
import { createWorkerPool, type PoolEndpoint } from '../../workers/pool.ts';
import { createAnalyticsClient } from '../../workers/analytics-client.ts';
import { analyticsService, type AnalyticsApi } from '../../workers/analytics-service.ts';
import { createAnalyticsController, historyRequired } from './analytics-controller.ts';
import { openHistoryCache } from './price-history-cache.ts';
import { generateBook } from '@aw/demo';


let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => { await cleanup?.(); cleanup = undefined; });

async function start(opts: { changeQuietMs?: number } = {}) {
  const book = smallBook();
  const db = await openTestDb();
  await writeBook(db, book);
  const store = createAppStore();
  store.getState().setAppInfo({ version: 't', serverUrl: 'http://127.0.0.1:1', dataDir: '', shell: 'web' });
  const pool = createWorkerPool<AnalyticsApi>(() => {
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(analyticsService, port2);
    return Object.assign(port1, { terminate: () => { port1.close(); port2.close(); } }) as unknown as PoolEndpoint;
  }, { size: 1 });
  const controller = createAnalyticsController({ db, store, client: createAnalyticsClient(pool), ...opts });
  cleanup = async () => { controller.stop(); await db.close(); };
  return { book, db, store, controller };
}

describe('history requirements of a performance view', () => {
  it('asks each traded symbol from its first trade and the benchmark from the account\'s first date', () => {
    const txs = [
      { symbol: '', date: '2016-01-04' }, // the opening deposit
      { symbol: 'VTI', date: '2016-01-05' }, { symbol: 'BND', date: '2018-03-01' }, { symbol: 'VTI', date: '2017-06-01' },
    ];
    expect(Object.fromEntries(historyRequired(txs, 'SPY'))).toEqual({ VTI: '2016-01-05', BND: '2018-03-01', SPY: '2016-01-04' });
    // A benchmark the account also traded needs the earlier of the two dates; no benchmark, no requirement.
    expect(historyRequired(txs, 'BND').get('BND')).toBe('2016-01-04');
    expect(historyRequired(txs, '').has('')).toBe(false);
  });
});

describe('analytics controller', () => {
  it('computes an account\'s performance when the account is chosen, telling that history is local only', async () => {
    const { book, store } = await start();
    const account = book.accounts.find((a) => book.transactions.some((t) => t.accountId === a.id))!;
    store.getState().selectAnalyticsHousehold(account.householdId);
    store.getState().selectAnalyticsAccount(account.id);
    const s = await untilState(store, (x) => x.analytics.performance.status !== 'loading' && x.analytics.performance.status !== 'idle');
    expect(s.analytics.performance.error).toBe('');
    expect(s.analytics.performance.view?.accountId).toBe(account.id);
    expect(s.analytics.performance.historySource).toBe('local');
    expect(s.analytics.performance.warning).toMatch(/not signed in/);
  });

  it('computes the performance again when replication brings a new transaction of the shown account', async () => {
    const { book, db, store } = await start({ changeQuietMs: 20 });
    const account = book.accounts.find((a) => book.transactions.some((t) => t.accountId === a.id && t.status === 'completed'))!;
    store.getState().selectAnalyticsHousehold(account.householdId);
    store.getState().selectAnalyticsAccount(account.id);
    const first = (await untilState(store, (x) => x.analytics.performance.status === 'ready')).analytics.performance.view!;
    const last = book.transactions.filter((t) => t.accountId === account.id).sort((x, y) => (x.date < y.date ? 1 : -1))[0]!;
    // A deposit of $1,000.00 on the last day, as a pull from the server would write it.
    await db.transactions.insert({ ...last, id: `${account.id}-late-deposit`, type: 'deposit', symbol: '', quantity: 1, price: 1000,
      amountCents: 100_000, feesCents: 0, status: 'completed', proposalId: '', date: first.endDate });
    const s = await untilState(store, (x) => x.analytics.performance.status === 'ready' && x.analytics.performance.view!.netFlowsCents !== first.netFlowsCents);
    expect(s.analytics.performance.view!.netFlowsCents - first.netFlowsCents).toBe(100_000);
    expect(s.analytics.performance.view!.endValueCents - first.endValueCents).toBe(100_000);
  });

  it('a change to another account leaves the shown performance alone', async () => {
    const { book, db, store } = await start({ changeQuietMs: 20 });
    const [account, other] = book.accounts.filter((a) => book.transactions.some((t) => t.accountId === a.id && t.status === 'completed'));
    store.getState().selectAnalyticsHousehold(account!.householdId);
    store.getState().selectAnalyticsAccount(account!.id);
    const first = (await untilState(store, (x) => x.analytics.performance.status === 'ready')).analytics.performance.view!;
    const tx = book.transactions.find((t) => t.accountId === other!.id)!;
    await db.transactions.insert({ ...tx, id: `${other!.id}-late-deposit`, type: 'deposit', symbol: '', quantity: 1, price: 1000,
      amountCents: 100_000, feesCents: 0, status: 'completed', proposalId: '' });
    await new Promise((r) => setTimeout(r, 200));
    expect(store.getState().analytics.performance.status).toBe('ready');
    expect(store.getState().analytics.performance.view).toBe(first);
  });

  it('offline without cached history, the frontier says there is not enough history instead of drawing one', async () => {
    const { book, store } = await start();
    const account = book.accounts.find((a) => book.lots.some((l) => l.accountId === a.id))!;
    store.getState().selectAnalyticsHousehold(account.householdId);
    store.getState().selectAnalyticsAccount(account.id);
    store.getState().setAnalyticsTab('frontier');
    const s = await untilState(store, (x) => x.analytics.frontier.status === 'ready' || x.analytics.frontier.status === 'error');
    expect(s.analytics.frontier.error).toBe('');
    expect(s.analytics.frontier.problem?.code).toBe('insufficient_history');
    expect(s.analytics.frontier.historySource).toBe('local');
  });

  it('offline, the frontier is computed from the close history cached on this computer', async () => {
    const { book, db, store } = await start();
    const account = book.accounts.find((a) => book.lots.filter((l) => l.accountId === a.id).length >= 3)!;
    const market = generateBook({ households: 3, seed: 42 }).prices; // the closes behind the small book
    const cache = await openHistoryCache(db);
    await cache.write(market.symbols.map((symbol, c) => {
      const dates: string[] = [], closes: number[] = [];
      market.dates.forEach((d, i) => { const v = market.closes[i * market.symbols.length + c]!; if (!Number.isNaN(v) && d >= '2023-06-01') { dates.push(d); closes.push(v); } });
      return { symbol, dates, closes };
    }));
    await cache.close();
    store.getState().selectAnalyticsHousehold(account.householdId);
    store.getState().selectAnalyticsAccount(account.id);
    store.getState().setAnalyticsTab('frontier');
    const s = await untilState(store, (x) => x.analytics.frontier.status === 'ready' || x.analytics.frontier.status === 'error', 60_000);
    expect(s.analytics.frontier.error).toBe('');
    expect(s.analytics.frontier.problem).toBeNull();
    expect(s.analytics.frontier.historySource).toBe('cache');
    const v = s.analytics.frontier.view!;
    expect(v.points.length).toBe(40);
    expect(v.current).not.toBeNull();
    expect(v.symbols).toEqual(expect.arrayContaining([...new Set(book.lots.filter((l) => l.accountId === account.id).map((l) => l.symbol))]));
  }, 90_000);

  it('scans the chosen household for tax-loss harvesting like the engine does', async () => {
    const { book, store } = await start();
    const hh = book.households[0]!;
    store.getState().selectAnalyticsHousehold(hh.id);
    store.getState().setAnalyticsTab('harvest');
    const s = await untilState(store, (x) => x.analytics.harvest.status === 'ready' || x.analytics.harvest.status === 'error');
    expect(s.analytics.harvest.error).toBe('');
    const asOf = book.prices.reduce((m, p) => (p.date > m ? p.date : m), '');
    const direct = analyticsService.harvest({ // the engine's scan on the same documents, called directly
      asOf, households: [{ id: hh.id, taxBracket: hh.taxBracket }], accounts: book.accounts.filter((a) => a.householdId === hh.id),
      lots: book.lots.filter((l) => l.householdId === hh.id),
      prices: book.prices.filter((p) => p.kind === 'security').map((p) => [p.symbol, p.closePrice]),
      tlhGroups: book.securities.map((x) => [x.symbol, x.tlhGroup]),
    });
    expect(s.analytics.harvest.result?.totalTaxSavedCents).toBe(direct.totalTaxSavedCents);
    expect(s.analytics.harvest.result?.candidates.map((c) => c.symbol)).toEqual(direct.candidates.map((c) => c.symbol));
  });

  it('scores the questionnaire and recommends a model of the band', async () => {
    const { store, controller } = await start();
    const s0 = await untilState(store, (x) => x.analytics.profile.items.length > 0);
    for (const it of s0.analytics.profile.items) store.getState().setProfileAnswer(it.id, it.answers ? Object.keys(it.answers)[0]! : 40);
    await controller.scoreProfile();
    const v = store.getState().analytics.profile.view!;
    expect(v.result.band).toBe('conservative');
    expect(v.model === null || v.model.riskProfile === 'conservative').toBe(true);
  });
});
