// React glue of the live holdings controller: while a household panel is open, one warm valuation worker values its
// holdings with the shared price feed's prices (see live-holdings.ts); the worker ends when the panel closes.
import { useEffect } from 'react';
import { useAppStore } from '../../stores/app-store.ts';
import { createValuationClient, createValuationWorkerPool } from '../../workers/valuation-client.ts';
import { useBookDb } from '../sync/book-db-context.ts';
import type { PriceFeed } from '../market/price-feed.ts';
import { startLiveHoldings } from './live-holdings.ts';

export function useLiveHoldings(householdId: string, feed: PriceFeed | null): void {
  const store = useAppStore();
  const db = useBookDb();
  useEffect(() => {
    if (!db || !feed) return;
    const valuation = createValuationClient(createValuationWorkerPool({ size: 1 }));
    const live = startLiveHoldings({ db, store, valuation, feed, householdId });
    return () => {
      live.stop();
      valuation.terminate();
      feed.setDemand('holdings', []);
    };
  }, [db, store, feed, householdId]);
}
