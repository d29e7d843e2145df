// React access to the shared price feed: one feed (one stream connection) per server and session, shared by every
// mounted view that shows prices and closed when the last one unmounts. The current feed is also reachable as
// `window.__awPriceFeed` (read-only snapshot) so e2e tests can check what is subscribed.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useApp } from '../../stores/app-store.ts';
import { createPriceFeed, type FeedSnapshot, type PriceFeed } from './price-feed.ts';

const shared = new Map<string, { feed: PriceFeed; refs: number }>();

export function acquirePriceFeed(serverUrl: string, token: string | null): { feed: PriceFeed; release(): void } {
  const key = `${serverUrl}\u0000${token ?? ''}`;
  let entry = shared.get(key);
  if (!entry) {
    entry = { feed: createPriceFeed({ serverUrl, token }), refs: 0 };
    shared.set(key, entry);
  }
  entry.refs++;
  const e = entry;
  (globalThis as Record<string, unknown>).__awPriceFeed = () => e.feed.snapshot();
  let released = false;
  return {
    feed: e.feed,
    release() {
      if (released) return;
      released = true;
      if (--e.refs > 0) return;
      e.feed.close();
      shared.delete(key);
    },
  };
}

/** The shared feed for the signed-in session (a 'signed-out' feed in the local demo mode). */
export function usePriceFeed(): PriceFeed | null {
  const serverUrl = useApp((s) => s.session.serverUrl);
  const token = useApp((s) => s.sync.session?.token ?? null);
  const [feed, setFeed] = useState<PriceFeed | null>(null);
  useEffect(() => {
    const h = acquirePriceFeed(serverUrl, token);
    setFeed(h.feed);
    return () => {
      setFeed(null);
      h.release();
    };
  }, [serverUrl, token]);
  return feed;
}

const EMPTY: FeedSnapshot = { state: 'offline', quotes: new Map(), streamed: [], polled: [], unknown: [] };
const noop = () => () => undefined;

export function useFeedSnapshot(feed: PriceFeed | null): FeedSnapshot {
  return useSyncExternalStore(feed ? feed.listen : noop, feed ? feed.snapshot : () => EMPTY);
}

/** The current time, re-read every `everyMs` (for ages shown on screen). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}
