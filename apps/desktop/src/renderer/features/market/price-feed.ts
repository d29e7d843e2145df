// The desktop's live price feed: one price-stream connection shared by every view that shows prices. Each view
// states the symbols it shows (its "demand", e.g. the holdings grid's visible rows, the market-watch list); the
// feed streams the union (first come first served up to the server's 50 symbols per connection), unsubscribes what
// no view shows any more, and polls the HTTP prices endpoint for the overflow and whenever the stream is down.
// State: 'connecting' (first connection under way), 'live' (stream open), 'polling' (stream down, polling answers), 'offline' (neither), 'signed-out' (no
// token: the local book is valued from its daily closes). Prices in the security's currency; times epoch ms.
import { openPriceStream, type PriceStream, type PriceStreamState } from '@aw/sync-client';

export const MAX_STREAM_SYMBOLS = 50;

export type FeedState = 'connecting' | 'live' | 'polling' | 'offline' | 'signed-out';

export interface FeedQuote {
  p: number;
  /** Provider tick time, epoch ms. */
  t: number;
  via: 'stream' | 'poll';
}

export interface FeedSnapshot {
  state: FeedState;
  quotes: ReadonlyMap<string, FeedQuote>;
  /** Symbols subscribed on the stream right now (at most 50). */
  streamed: readonly string[];
  /** Shown symbols beyond the stream's cap: polled instead. */
  polled: readonly string[];
  /** Symbols the server does not know (from the stream or the polling endpoint). */
  unknown: readonly string[];
}

export interface PriceFeed {
  /** The symbols view `consumer` shows now (replaces its previous demand; [] when it closes). */
  setDemand(consumer: string, symbols: readonly string[]): void;
  snapshot(): FeedSnapshot;
  /** Called after every change of the snapshot; returns the unsubscribe function. */
  listen(listener: () => void): () => void;
  close(): void;
}

export interface PriceFeedOptions {
  serverUrl: string;
  /** null = signed out (no stream, no polling). */
  token: string | null;
  fetchFn?: typeof fetch;
  pollMs?: number;
  maxStreamSymbols?: number;
  openStream?: typeof openPriceStream;
}

/** Splits the union of demands (in first-demand order) into streamed and polled symbols. */
export function planSubscriptions(demands: Iterable<readonly string[]>, cap = MAX_STREAM_SYMBOLS): { stream: string[]; poll: string[] } {
  const union = new Set<string>();
  for (const d of demands) for (const s of d) union.add(s);
  const all = [...union];
  return { stream: all.slice(0, cap), poll: all.slice(cap) };
}

/** What changed between two subscription sets. */
export function subscriptionDiff(before: ReadonlySet<string>, after: readonly string[]): { add: string[]; remove: string[] } {
  const next = new Set(after);
  return { add: after.filter((s) => !before.has(s)), remove: [...before].filter((s) => !next.has(s)) };
}

interface PricesAnswer { prices?: Record<string, { p: number; t: number }>; unknown?: string[] }

export function createPriceFeed(o: PriceFeedOptions): PriceFeed {
  const fetchFn = o.fetchFn ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const pollMs = o.pollMs ?? 5_000;
  const demands = new Map<string, readonly string[]>();
  const listeners = new Set<() => void>();
  const quotes = new Map<string, FeedQuote>();
  const unknown = new Set<string>();
  let streamed = new Set<string>();
  let polled: string[] = [];
  let streamState: PriceStreamState = 'connecting';
  let pollOk: boolean | null = null;
  let closed = false;
  let snap: FeedSnapshot | null = null;

  const emit = () => {
    snap = null;
    for (const l of [...listeners]) l();
  };
  const state = (): FeedState => {
    if (!o.token) return 'signed-out';
    if (streamState === 'open') return 'live';
    if (streamState === 'connecting' && pollOk === null) return 'connecting';
    return pollOk ? 'polling' : 'offline';
  };

  const stream: PriceStream | null = o.token
    ? (o.openStream ?? openPriceStream)({ url: o.serverUrl, getToken: () => o.token! })
    : null;
  const subs = stream ? [
    stream.ticks$.subscribe((t) => {
      const prev = quotes.get(t.s);
      if (!prev || t.t >= prev.t) quotes.set(t.s, { p: t.p, t: t.t, via: 'stream' });
    }),
    stream.prices$.subscribe(() => emit()),
    stream.state$.subscribe((s) => {
      streamState = s;
      if (s === 'open') pollOk = null;
      else if (pollOk === null && (s === 'reconnecting' || s === 'auth_failed')) void poll();
      emit();
    }),
    stream.errors$.subscribe((e) => {
      if (e.code === 'unknown_symbol' && e.symbols?.length) {
        for (const s of e.symbols) unknown.add(s);
        emit();
      }
    }),
  ] : [];

  const pollSymbols = (): string[] => (streamState === 'open' ? polled : [...streamed, ...polled]);

  async function poll(): Promise<void> {
    const symbols = pollSymbols();
    if (closed || !o.token || symbols.length === 0) return;
    try {
      const url = `${o.serverUrl}/api/v1/market/prices?symbols=${symbols.map(encodeURIComponent).join(',')}`;
      const res = await fetchFn(url, { headers: { authorization: `Bearer ${o.token}` }, signal: AbortSignal.timeout(4_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body = (await res.json()) as PricesAnswer;
      if (closed) return;
      for (const [s, q] of Object.entries(body.prices ?? {})) {
        const prev = quotes.get(s);
        if (!prev || q.t >= prev.t) quotes.set(s, { p: q.p, t: q.t, via: 'poll' });
      }
      for (const s of body.unknown ?? []) unknown.add(s);
      pollOk = true;
    } catch {
      if (closed) return;
      pollOk = false;
    }
    emit();
  }
  const pollTimer = setInterval(() => {
    if (streamState !== 'open' || polled.length) void poll();
  }, pollMs);

  function replan(): void {
    const plan = planSubscriptions(demands.values(), o.maxStreamSymbols ?? MAX_STREAM_SYMBOLS);
    const known = (s: string) => !unknown.has(s);
    const next = plan.stream.filter(known);
    const { add, remove } = subscriptionDiff(streamed, next);
    if (stream) {
      if (remove.length) stream.unsubscribe(remove);
      if (add.length) stream.subscribe(add);
    }
    const newlyPolled = plan.poll.filter((s) => known(s) && !polled.includes(s));
    streamed = new Set(next);
    polled = plan.poll.filter(known);
    // Quotes nobody shows any more are forgotten (they would silently go stale).
    const shown = new Set([...next, ...polled]);
    for (const s of [...quotes.keys()]) if (!shown.has(s)) quotes.delete(s);
    if ((add.length && streamState !== 'open') || newlyPolled.length) void poll();
    emit();
  }

  return {
    setDemand(consumer, symbols) {
      if (closed) return;
      const prev = demands.get(consumer);
      if (prev && prev.length === symbols.length && prev.every((s, i) => s === symbols[i])) return;
      if (symbols.length) demands.set(consumer, [...symbols]); else demands.delete(consumer);
      replan();
    },
    snapshot() {
      snap ??= { state: state(), quotes: new Map(quotes), streamed: [...streamed], polled: [...polled], unknown: [...unknown] };
      return snap;
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      clearInterval(pollTimer);
      for (const s of subs) s.unsubscribe();
      stream?.close();
      listeners.clear();
    },
  };
}
