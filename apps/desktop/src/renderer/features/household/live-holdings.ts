// The live holdings controller: keeps the selected household's holdings valued with live prices. It reads the
// household's lots and ONE batched close lookup (as the holdings view does), opens a live view in a warm valuation
// worker, and forwards each price-feed change for the view's symbols to the worker, which revalues and answers the
// whole view (no valuation on the UI thread). At most one worker call is in flight; ticks arriving meanwhile are
// merged into the next call. When the feed is down (no stream, polling fails) or signed out, live prices are
// dropped and the view is valued from the local daily closes (replicated `prices`), shown with their age.
import type { BookDatabase } from '../../db/book-db.ts';
import { loadHoldingsData } from '../../db/holdings-query.ts';
import type { AppStore } from '../../stores/app-store.ts';
import type { LivePrice, ValuationClient } from '../../workers/valuation-client.ts';
import type { PriceFeed } from '../market/price-feed.ts';

export interface LiveHoldingsDeps {
  db: BookDatabase;
  store: AppStore;
  valuation: ValuationClient;
  feed: PriceFeed;
  householdId: string;
}

export function startLiveHoldings({ db, store, valuation, feed, householdId }: LiveHoldingsDeps): { stop(): void } {
  let stopped = false;
  let symbols = new Set<string>();
  let opened = false;
  let busy = false;
  let dirty = false;
  let liveOn = false;
  /** Tick time of the price last sent to the worker, per symbol. */
  const sent = new Map<string, number>();

  async function open(): Promise<void> {
    const data = await loadHoldingsData(db, { householdId });
    if (stopped) return;
    symbols = new Set(data.lots.map((l) => l.symbol));
    const view = await valuation.live.open(householdId, {
      lots: data.lots, priceRows: data.priceRows, securities: data.securities,
      cashCents: data.accounts.reduce((c, a) => c + a.cashCents, 0),
    });
    if (stopped) return;
    opened = true;
    store.getState().householdLive(householdId, view);
    dirty = true;
    await flush();
  }

  /** Sends what changed in the feed since the last call; repeats while more arrived meanwhile. */
  async function flush(): Promise<void> {
    if (!opened || busy || stopped) return;
    busy = true;
    try {
      while (dirty && !stopped) {
        dirty = false;
        const snap = feed.snapshot();
        const up = snap.state === 'live' || snap.state === 'polling';
        const prices: LivePrice[] = [];
        let drop: 'all' | string[] | null = null;
        if (!up) {
          if (liveOn) drop = 'all';
          liveOn = false;
          sent.clear();
        } else {
          liveOn = true;
          for (const [s, q] of snap.quotes) {
            if (!symbols.has(s) || sent.get(s) === q.t) continue;
            sent.set(s, q.t);
            prices.push({ s, p: q.p, t: q.t });
          }
        }
        if (!prices.length && !drop) continue;
        const view = await valuation.live.apply(prices, drop, householdId);
        if (view && !stopped) store.getState().householdLive(householdId, view);
      }
    } catch (err) {
      if (!stopped) console.warn('live valuation failed', err);
    } finally {
      busy = false;
    }
  }

  const unlisten = feed.listen(() => {
    dirty = true;
    void flush();
  });
  // The book runtime re-reads the household after any book change: reopen the live view on the new lots.
  let lastView = store.getState().household.view;
  const unsubscribe = store.subscribe((s) => {
    if (s.household.view !== lastView) {
      lastView = s.household.view;
      if (s.household.viewFor === householdId) void open().catch(report);
    }
  });
  const report = (err: unknown) => {
    if (!stopped) console.warn('live holdings failed', err);
  };
  void open().catch(report);

  return {
    stop() {
      stopped = true;
      unlisten();
      unsubscribe();
      void valuation.live.close(householdId).catch(() => undefined);
    },
  };
}
