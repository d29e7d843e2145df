// The book runtime: joins RxDB, the store and the valuation workers. Data flows one way — RxDB (source of truth)
// → store → components; components only call store actions (e.g. selectHousehold), and the runtime answers with
// data. Started once the database is open; `stop()` unsubscribes and cancels work (effect cleanup).
import type { Account, DailyPrice, Household, Model, Security, TaxLot } from '@aw/domain';
import type { Subscription } from 'rxjs';
import { repulledCollections, type BookDatabase } from '../db/book-db.ts';
import type { BookPayload } from '../db/book-payload.ts';
import { loadHoldingsData, warmHoldingsReads } from '../db/holdings-query.ts';
import { ensureBookSeeded } from '../db/seed.ts';
import type { AppStore } from '../stores/app-store.ts';
import type { ValuationClient } from '../workers/valuation-client.ts';

export interface BookRuntimeDeps {
  db: BookDatabase;
  store: AppStore;
  valuation: ValuationClient;
  /** Generates the demo book when the server cannot serve one (first load only). */
  generate?: () => Promise<BookPayload>;
  /** Replaces first-load seeding (a signed-in desktop gets its book by replication); returns the book's source. */
  loadBook?: (onStatus: (message: string) => void) => Promise<string>;
  fetchFn?: typeof fetch;
  /** Debounce of revaluation after book changes, ms. */
  revalueDelayMs?: number;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const isCancel = (err: unknown): boolean => (err as { code?: string })?.code === 'aborted' || (err as { code?: string })?.code === 'pool_terminated';

export function startBookRuntime(deps: BookRuntimeDeps): { stop(): void; ready: Promise<void> } {
  const { db, store, valuation } = deps;
  const subs: Subscription[] = [];
  const unsubs: (() => void)[] = [];
  let stopped = false;
  let bookCtrl: AbortController | null = null;
  let holdingsCtrl: AbortController | null = null;
  let revalueTimer: ReturnType<typeof setTimeout> | undefined;
  const actions = () => store.getState();

  async function revalueBook(): Promise<void> {
    bookCtrl?.abort();
    const ctrl = new AbortController();
    bookCtrl = ctrl;
    try {
      const [accounts, lots, prices, securities] = await Promise.all([
        db.accounts.find().exec(), db.lots.find().exec(), db.prices.find().exec(), db.securities.find().exec(),
      ]);
      if (ctrl.signal.aborted || stopped) return;
      actions().valuationStarted(accounts.length);
      const book = await valuation.valueBook({
        accounts: accounts.map((d) => { const a = d.toJSON() as Account; return { id: a.id, householdId: a.householdId, cashCents: a.cashCents }; }),
        lots: lots.map((d) => d.toJSON() as TaxLot),
        priceRows: prices.map((d) => d.toJSON() as DailyPrice),
        securities: securities.map((d) => d.toJSON() as Security),
      }, { signal: ctrl.signal, onProgress: (p) => actions().valuationProgress(p.done, p.total) });
      if (!stopped) actions().valuationDone(book);
    } catch (err) {
      if (!isCancel(err) && !stopped) actions().valuationFailed(errorText(err));
    }
  }

  async function loadHousehold(id: string): Promise<void> {
    holdingsCtrl?.abort();
    const ctrl = new AbortController();
    holdingsCtrl = ctrl;
    actions().householdLoading(id);
    try {
      const data = await loadHoldingsData(db, { householdId: id });
      if (ctrl.signal.aborted) return;
      const view = await valuation.valueHoldings({
        lots: data.lots, priceRows: data.priceRows, securities: data.securities,
        cashCents: data.accounts.reduce((c, a) => c + a.cashCents, 0),
      }, { signal: ctrl.signal });
      actions().householdLoaded(id, view);
    } catch (err) {
      if (!isCancel(err) && !stopped) actions().householdFailed(id, errorText(err));
    }
  }

  const scheduleRevalue = () => {
    clearTimeout(revalueTimer);
    revalueTimer = setTimeout(() => {
      void revalueBook();
      const selected = actions().household.selectedId;
      if (selected) void loadHousehold(selected);
    }, deps.revalueDelayMs ?? 150);
  };

  /**
   * A replicated book whose collections were dropped at open (new storage format, nothing unpushed: book-db.ts)
   * waits for their full pull, so no view shows a book without its lots; it opens anyway once the server is
   * unreachable (the sync indicator says so, and the pull resumes when it is back).
   */
  function awaitRepull(onStatus: (message: string) => void): Promise<void> {
    const names = repulledCollections(db);
    if (!deps.loadBook || names.length === 0) return Promise.resolve();
    onStatus(`Updating the local book to a new storage format: pulling ${names.join(' and ')} again from the server…`);
    return new Promise<void>((resolve) => {
      let unsubscribe = () => undefined as void;
      const check = (s: ReturnType<AppStore['getState']>) => {
        const st = s.sync.status;
        const done = stopped || (st !== null && (!st.repulling?.length || (st.state === 'offline' && st.lastError !== null)));
        if (!done) return false;
        unsubscribe();
        resolve();
        return true;
      };
      if (!check(store.getState())) unsubscribe = store.subscribe(check);
    });
  }

  async function run(): Promise<void> {
    const { serverUrl } = actions().session;
    try {
      actions().setBookStatus('seeding', 'Opening the local book…');
      const onStatus = (m: string) => actions().setBookStatus('seeding', m);
      const source = deps.loadBook ? await deps.loadBook(onStatus) : await ensureBookSeeded(db, {
        serverUrl, generate: deps.generate, fetchFn: deps.fetchFn, onStatus,
      });
      await awaitRepull(onStatus);
      if (stopped) return;
      subs.push(db.households.find({ sort: [{ name: 'asc' }] }).$.subscribe((docs) => actions().setHouseholds(docs.map((d) => d.toJSON() as Household))));
      subs.push(db.accounts.find({ sort: [{ householdId: 'asc' }, { id: 'asc' }] }).$.subscribe((docs) => actions().setAccounts(docs.map((d) => d.toJSON() as Account))));
      subs.push(db.models.find().$.subscribe((docs) => actions().setModels(docs.map((d) => d.toJSON() as Model))));
      // Any change to what values the book re-runs the (cancellable) valuation.
      subs.push(db.accounts.$.subscribe(scheduleRevalue), db.lots.$.subscribe(scheduleRevalue),
        db.prices.$.subscribe(scheduleRevalue), db.securities.$.subscribe(scheduleRevalue));
      actions().setBookStatus('ready', '', source);
      void revalueBook();
      void warmHoldingsReads(db).catch(() => undefined); // a failed warm-up only leaves the first open a little slower
      let lastSelected = actions().household.selectedId;
      if (lastSelected) void loadHousehold(lastSelected);
      unsubs.push(store.subscribe((s) => {
        if (s.household.selectedId !== lastSelected) {
          lastSelected = s.household.selectedId;
          if (lastSelected) void loadHousehold(lastSelected);
          else holdingsCtrl?.abort();
        }
      }));
    } catch (err) {
      if (!stopped) actions().setBookStatus('error', errorText(err));
    }
  }

  async function pingServer(): Promise<void> {
    const { serverUrl } = actions().session;
    try {
      const res = await (deps.fetchFn ?? fetch)(`${serverUrl}/healthz`, { signal: AbortSignal.timeout(3000) });
      if (!stopped) actions().setServerReachable(res.ok);
    } catch {
      if (!stopped) actions().setServerReachable(false);
    }
  }
  void pingServer();
  const pingTimer = setInterval(() => void pingServer(), 15_000);

  return {
    ready: run(),
    stop() {
      stopped = true;
      clearTimeout(revalueTimer);
      clearInterval(pingTimer);
      bookCtrl?.abort();
      holdingsCtrl?.abort();
      for (const s of subs) s.unsubscribe();
      for (const u of unsubs) u();
    },
  };
}
