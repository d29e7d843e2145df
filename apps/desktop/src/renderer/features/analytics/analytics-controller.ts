// The analytics controller: joins RxDB, the store and the analytics workers. When the analytics screen's account,
// benchmark or household changes it reads the documents it needs (transactions, lots, securities, models, local
// closes), loads close history (./price-history.ts, kept in the offline cache ./price-history-cache.ts), runs the
// computation in the worker pool with progress, and writes the result into the analytics slice. A newer request
// cancels the older one (its worker is terminated). When replication or an edit changes the transactions or lots a
// shown view was computed from, the view is computed again (after a short quiet period), so it never stays stale.
import type { Account, DailyPrice, Household, Model, Security, TaxLot, Transaction } from '@aw/domain';
import type { RxChangeEvent } from 'rxdb';
import type { BookDatabase } from '../../db/book-db.ts';
import type { AppStore } from '../../stores/app-store.ts';
import { createAnalyticsClient, type AnalyticsClient } from '../../workers/analytics-client.ts';
import { loadSignIn } from '../sync/session-store.ts';
import { loadCloseHistory } from './price-history.ts';
import { openHistoryCache, type HistoryCache } from './price-history-cache.ts';

export interface AnalyticsController {
  scoreProfile(): Promise<void>;
  stop(): void;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const isCancel = (err: unknown): boolean => ['aborted', 'pool_terminated'].includes((err as { code?: string })?.code ?? '')
  || (err as Error)?.name === 'AbortError';

/** Sells in the 30 days up to `asOf`: treated as possible loss sales (a replacement must not buy them back). */
function recentSales(txs: readonly Transaction[], asOf: string): { householdId: string; symbol: string; date: string }[] {
  const start = new Date(Date.parse(`${asOf}T00:00:00Z`) - 30 * 86_400_000).toISOString().slice(0, 10);
  return txs.filter((t) => t.type === 'sell' && t.date >= start && t.date <= asOf).map((t) => ({ householdId: t.householdId, symbol: t.symbol, date: t.date }));
}

/**
 * The date each symbol's closes must reach back to: a traded symbol's first trade (or the holding is mis-valued),
 * the benchmark's the account's first date (or its returns are left blank).
 */
export function historyRequired(txs: readonly Pick<Transaction, 'symbol' | 'date'>[], benchmark: string): Map<string, string> {
  const out = new Map<string, string>();
  let first = '';
  for (const t of txs) {
    if (!first || t.date < first) first = t.date;
    if (t.symbol && (!out.has(t.symbol) || t.date < out.get(t.symbol)!)) out.set(t.symbol, t.date);
  }
  if (benchmark && first && (!out.has(benchmark) || first < out.get(benchmark)!)) out.set(benchmark, first);
  return out;
}

export interface AnalyticsControllerDeps {
  db: BookDatabase;
  store: AppStore;
  client?: AnalyticsClient;
  fetchFn?: typeof fetch;
  /** How often (and how far apart) a too-short price history is fetched again; default 30 × 3 s. */
  historyRetry?: { attempts: number; delayMs: number };
  /** Trading days of history behind the efficient frontier (default 756, about three years). */
  frontierLookbackDays?: number;
  /** Quiet period after the last change to a view's transactions or lots before it is computed again (default 500 ms). */
  changeQuietMs?: number;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function createAnalyticsController(deps: AnalyticsControllerDeps): AnalyticsController {
  const { db, store } = deps;
  const client = deps.client ?? createAnalyticsClient();
  const historyRetry = deps.historyRetry ?? { attempts: 30, delayMs: 3000 };
  const a = () => store.getState();
  let perfCtrl: AbortController | null = null;
  let frontierCtrl: AbortController | null = null;
  let cache: Promise<HistoryCache | null> | null = null;
  const historyCache = (): Promise<HistoryCache | null> => (cache ??= openHistoryCache(db).catch(() => null));
  let harvestCtrl: AbortController | null = null;
  let stopped = false;

  async function runPerformance(accountId: string, benchmark: string): Promise<void> {
    perfCtrl?.abort();
    const ctrl = new AbortController();
    perfCtrl = ctrl;
    a().patchPerformance({ status: 'loading', accountId, error: '', warning: '', progress: { stage: 'Reading transactions', done: 0, total: 1 } });
    try {
      const txs = (await db.transactions.find({ selector: { accountId } }).exec()).map((d) => d.toJSON() as Transaction)
        .filter((t) => t.status === 'completed');
      if (txs.length === 0) throw new Error('this account has no completed transactions to measure');
      const symbols = [...new Set([...txs.map((t) => t.symbol).filter(Boolean), ...(benchmark ? [benchmark] : [])])];
      const from = txs.reduce((m, t) => (t.date < m ? t.date : m), txs[0]!.date);
      const latest = (await db.prices.find({ selector: { symbol: { $in: symbols } } }).exec()).map((d) => (d.toJSON() as DailyPrice).date);
      const to = latest.reduce((m, d) => (d > m ? d : m), from);
      const { serverUrl } = a().session;
      const signIn = typeof localStorage !== 'undefined' ? loadSignIn(localStorage, serverUrl) : null;
      const history = await loadCloseHistory({
        db, serverUrl, token: signIn?.mode === 'signed-in' ? signIn.session.token : null, symbols, from, to,
        fetchFn: deps.fetchFn, signal: ctrl.signal, required: historyRequired(txs, benchmark), cache: await historyCache(),
        onProgress: (done, total) => { if (!ctrl.signal.aborted) a().patchPerformance({ progress: { stage: 'Loading price history', done, total } }); },
        retry: { ...historyRetry, onWait: (syms, attempt) => {
          if (!ctrl.signal.aborted) a().patchPerformance({ progress: { stage: `Waiting for the server's price history of ${syms.length} symbol${syms.length === 1 ? '' : 's'} (still importing?)`, done: attempt, total: historyRetry.attempts } });
        } },
      });
      if (ctrl.signal.aborted) return;
      const view = await client.accountPerformance({
        accountId,
        transactions: txs.map((t) => ({ id: t.id, date: t.date, accountId: t.accountId, type: t.type, symbol: t.symbol, quantity: t.quantity,
          price: t.price, amountCents: t.amountCents, feesCents: t.feesCents, lotMethod: t.lotMethod })),
        history: history.series, benchmarkSymbol: benchmark || undefined,
      }, { signal: ctrl.signal, onProgress: (progress) => { if (!ctrl.signal.aborted) a().patchPerformance({ progress }); } });
      if (ctrl.signal.aborted || stopped) return;
      a().patchPerformance({ status: 'ready', view, progress: null, historySource: history.source,
        warning: history.problem ? `Price history incomplete (${history.problem}); holdings without closes are valued at their last trade price.` : '' });
    } catch (err) {
      if (!isCancel(err) && !ctrl.signal.aborted && !stopped) a().patchPerformance({ status: 'error', error: errorText(err), progress: null });
    }
  }

  async function runFrontier(accountId: string): Promise<void> {
    frontierCtrl?.abort();
    const ctrl = new AbortController();
    frontierCtrl = ctrl;
    a().patchFrontier({ status: 'loading', accountId, error: '', warning: '', problem: null, progress: { stage: 'Reading holdings', done: 0, total: 1 } });
    try {
      const accountDoc = await db.accounts.findOne(accountId).exec();
      if (!accountDoc) throw new Error(`account ${accountId} is not in the book`);
      const account = accountDoc.toJSON() as Account;
      const [lots, securities, modelDoc] = await Promise.all([
        db.lots.find({ selector: { accountId } }).exec(),
        db.securities.find().exec(),
        account.modelId ? db.models.findOne(account.modelId).exec() : Promise.resolve(null),
      ]);
      const classOf = new Map(securities.map((d) => { const x = d.toJSON() as Security; return [x.symbol, x.assetClass] as [string, string]; }));
      const model = modelDoc ? (modelDoc.toJSON() as Model) : null;
      const held = lots.map((d) => d.toJSON() as TaxLot).filter((l) => l.quantity > 0);
      const modelSymbols = model ? model.targets.flatMap((t) => (t.kind === 'security' ? [t.key] : t.symbols)) : [];
      const symbols = [...new Set([...held.map((l) => l.symbol), ...modelSymbols])].filter((x) => x && x !== 'CASH');
      const closes = new Map<string, DailyPrice>();
      for (const d of await db.prices.find({ selector: { symbol: { $in: symbols } } }).exec()) {
        const p = d.toJSON() as DailyPrice;
        if (!closes.has(p.symbol) || p.date > closes.get(p.symbol)!.date) closes.set(p.symbol, p);
      }
      const cents = new Map<string, number>();
      for (const l of held) {
        const c = closes.get(l.symbol);
        if (c) cents.set(l.symbol, (cents.get(l.symbol) ?? 0) + Math.round(l.quantity * c.closePrice * 100));
      }
      const to = [...closes.values()].reduce((m, p) => (p.date > m ? p.date : m), '');
      if (!to) throw new Error('the local book has no closes for this account\'s securities');
      const lookback = deps.frontierLookbackDays ?? 756;
      const from = isoDay(Date.parse(`${to}T00:00:00Z`) - Math.ceil((lookback * 365) / 252 + 10) * DAY_MS);
      const { serverUrl } = a().session;
      const signIn = typeof localStorage !== 'undefined' ? loadSignIn(localStorage, serverUrl) : null;
      const history = await loadCloseHistory({
        db, serverUrl, token: signIn?.mode === 'signed-in' ? signIn.session.token : null, symbols, from, to,
        fetchFn: deps.fetchFn, signal: ctrl.signal, cache: await historyCache(),
        onProgress: (done, total) => { if (!ctrl.signal.aborted) a().patchFrontier({ progress: { stage: 'Loading price history', done, total } }); },
      });
      if (ctrl.signal.aborted) return;
      const outcome = await client.frontier({
        accountId, history: history.series, lookbackDays: lookback,
        positions: [...cents].map(([symbol, valueCents]) => ({ symbol, assetClass: classOf.get(symbol) ?? '', valueCents })),
        model: model ? { id: model.id, name: model.name, targets: model.targets } : null,
        assetClasses: symbols.map((x) => [x, classOf.get(x) ?? ''] as [string, string]),
      }, { signal: ctrl.signal, onProgress: (progress) => { if (!ctrl.signal.aborted) a().patchFrontier({ progress }); } });
      if (ctrl.signal.aborted || stopped) return;
      const warning = history.problem ? `Price history incomplete (${history.problem}).` : '';
      if (outcome.ok) a().patchFrontier({ status: 'ready', view: outcome.view, problem: null, progress: null, historySource: history.source, warning });
      else a().patchFrontier({ status: 'ready', view: null, problem: outcome.problem, progress: null, historySource: history.source, warning });
    } catch (err) {
      if (!isCancel(err) && !ctrl.signal.aborted && !stopped) a().patchFrontier({ status: 'error', error: errorText(err), progress: null });
    }
  }

  async function runHarvest(householdId: string): Promise<void> {
    harvestCtrl?.abort();
    const ctrl = new AbortController();
    harvestCtrl = ctrl;
    a().patchHarvest({ status: 'loading', householdId, error: '', progress: { stage: 'Reading lots', done: 0, total: 1 } });
    try {
      const [hh, accounts, lots, txs, securities, prices] = await Promise.all([
        db.households.findOne(householdId).exec(),
        db.accounts.find({ selector: { householdId } }).exec(),
        db.lots.find({ selector: { householdId } }).exec(),
        db.transactions.find({ selector: { householdId } }).exec(),
        db.securities.find().exec(),
        db.prices.find({ selector: { kind: 'security' } }).exec(),
      ]);
      if (!hh) throw new Error(`household ${householdId} is not in the book`);
      const household = hh.toJSON() as Household;
      const closes = new Map<string, { date: string; p: number }>();
      for (const d of prices) {
        const p = d.toJSON() as DailyPrice;
        const cur = closes.get(p.symbol);
        if (!cur || p.date > cur.date) closes.set(p.symbol, { date: p.date, p: p.closePrice });
      }
      const asOf = [...closes.values()].reduce((m, c) => (c.date > m ? c.date : m), '');
      if (!asOf) throw new Error('the local book has no prices');
      if (ctrl.signal.aborted) return;
      const result = await client.harvest({
        asOf,
        households: [{ id: household.id, taxBracket: household.taxBracket }],
        accounts: accounts.map((d) => { const x = d.toJSON() as Account; return { id: x.id, householdId: x.householdId, type: x.type }; }),
        lots: lots.map((d) => { const l = d.toJSON() as TaxLot; return { id: l.id, accountId: l.accountId, symbol: l.symbol, quantity: l.quantity,
          costBasisCents: l.costBasisCents, acquiredDate: l.acquiredDate, holdingPeriodStart: l.holdingPeriodStart, washSaleAdjustmentCents: l.washSaleAdjustmentCents }; }),
        prices: [...closes].map(([s, c]) => [s, c.p] as [string, number]),
        tlhGroups: securities.map((d) => { const s = d.toJSON() as Security; return [s.symbol, s.tlhGroup] as [string, string]; }),
        recentLossSales: recentSales(txs.map((d) => d.toJSON() as Transaction), asOf),
      }, { signal: ctrl.signal, onProgress: (progress) => { if (!ctrl.signal.aborted) a().patchHarvest({ progress }); } });
      if (ctrl.signal.aborted || stopped) return;
      a().patchHarvest({ status: 'ready', result: { ...result, asOf }, progress: null });
    } catch (err) {
      if (!isCancel(err) && !ctrl.signal.aborted && !stopped) a().patchHarvest({ status: 'error', error: errorText(err), progress: null });
    }
  }

  async function loadQuestionnaire(): Promise<void> {
    try {
      const q = await client.questionnaire();
      if (!stopped) a().patchProfile({ version: q.version, items: q.items });
    } catch (err) {
      if (!isCancel(err) && !stopped) a().patchProfile({ status: 'error', error: errorText(err) });
    }
  }

  // Views whose inputs changed since they were computed; they are computed again when shown.
  const stale = { performance: false, frontier: false, harvest: false };

  // React to the screen's selection (and run once for the current one).
  let last = { accountId: null as string | null, benchmark: '', householdId: null as string | null, tab: '' };
  const react = () => {
    const s = a().analytics;
    const prev = last;
    // Update first: starting a job writes the store synchronously, which calls react() again.
    last = { accountId: s.accountId, benchmark: s.benchmark, householdId: s.householdId, tab: s.tab };
    if (s.tab === 'performance' && s.accountId && (stale.performance
      || ((s.accountId !== prev.accountId || s.benchmark !== prev.benchmark || prev.tab !== 'performance')
        && !(s.performance.status === 'ready' && s.performance.accountId === s.accountId && s.performance.view?.benchmarkSymbol === (s.benchmark || null))))) {
      stale.performance = false;
      void runPerformance(s.accountId, s.benchmark);
    }
    if (s.tab === 'frontier' && s.accountId && (stale.frontier
      || ((s.accountId !== prev.accountId || prev.tab !== 'frontier') && !(s.frontier.status === 'ready' && s.frontier.accountId === s.accountId)))) {
      stale.frontier = false;
      void runFrontier(s.accountId);
    }
    if (s.tab === 'harvest' && s.householdId && (stale.harvest || s.householdId !== prev.householdId || prev.tab !== 'harvest')) {
      stale.harvest = false;
      void runHarvest(s.householdId);
    }
  };
  const unsubscribe = store.subscribe(react);

  // Replication and edits: a change to the transactions or lots behind a computed (or running) view marks it stale;
  // after a quiet period (a replication pull lands in many batches) the shown one is computed again.
  const touches = (ev: RxChangeEvent<unknown>, key: 'accountId' | 'householdId', id: string | null | undefined): boolean => {
    if (!id) return false;
    const now = ev.documentData as Record<string, unknown> | undefined;
    const before = ev.previousDocumentData as Record<string, unknown> | undefined | null;
    return now?.[key] === id || before?.[key] === id;
  };
  let rerunTimer: ReturnType<typeof setTimeout> | null = null;
  const onChange = (ev: RxChangeEvent<unknown>, collection: 'transactions' | 'lots') => {
    const s = a().analytics;
    let hit = false;
    if (collection === 'transactions' && s.performance.status !== 'idle' && touches(ev, 'accountId', s.performance.accountId)) hit = stale.performance = true;
    if (collection === 'lots' && s.frontier.status !== 'idle' && touches(ev, 'accountId', s.frontier.accountId)) hit = stale.frontier = true;
    if (s.harvest.status !== 'idle' && touches(ev, 'householdId', s.harvest.householdId)) hit = stale.harvest = true;
    if (!hit || stopped) return;
    if (rerunTimer) clearTimeout(rerunTimer);
    rerunTimer = setTimeout(() => { rerunTimer = null; if (!stopped) react(); }, deps.changeQuietMs ?? 500);
  };
  const changeSubs = [
    db.transactions.$.subscribe((ev) => onChange(ev as RxChangeEvent<unknown>, 'transactions')),
    db.lots.$.subscribe((ev) => onChange(ev as RxChangeEvent<unknown>, 'lots')),
  ];
  react();
  void loadQuestionnaire();

  return {
    async scoreProfile() {
      const s = a();
      const hh = s.book.households.find((h) => h.id === s.analytics.householdId);
      a().patchProfile({ status: 'loading', error: '' });
      try {
        const models = s.book.models.map((m: Model) => ({ id: m.id, teamId: m.teamId, name: m.name, riskProfile: m.riskProfile }));
        const view = await client.scoreProfile({ answers: s.analytics.profile.answers, models, teamId: hh?.teamId ?? '' });
        if (!stopped) a().patchProfile({ status: 'ready', view });
      } catch (err) {
        if (!isCancel(err) && !stopped) a().patchProfile({ status: 'error', error: errorText(err), view: null });
      }
    },
    stop() {
      stopped = true;
      unsubscribe();
      for (const sub of changeSubs) sub.unsubscribe();
      if (rerunTimer) clearTimeout(rerunTimer);
      perfCtrl?.abort();
      frontierCtrl?.abort();
      harvestCtrl?.abort();
      client.terminate();
      void cache?.then((c) => c?.close());
    },
  };
}
