// The Market tab: a market-watch list (by default the symbols the book holds most widely; add and remove symbols)
// with the last price, the change since the last local close, the price's age with a stale marker, and an ECharts
// sparkline per symbol (intraday minute bars from the history endpoint plus live ticks). The list's symbols are
// streamed only while this tab is shown. Redraws at most every 400 ms however fast ticks arrive.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { DailyPrice } from '@aw/domain';
import type { BookDatabase } from '../../db/book-db.ts';
import { price as formatPrice } from '../../grid/format.ts';
import { useApp } from '../../stores/app-store.ts';
import {
  addToWatch, lastCloses, loadSparkHistory, loadWatchList, mostHeldSymbols, saveWatchList, withLiveTick,
  type SparkHistory, type SparkPoint,
} from './market-watch.ts';
import { closeTimeMs, formatAge, isPriceStale } from './price-age.ts';
import type { FeedSnapshot, PriceFeed } from './price-feed.ts';
import { useNow, usePriceFeed } from './use-price-feed.ts';
import { Sparkline } from './Sparkline.tsx';
import './market.css';

const EMPTY: FeedSnapshot = { state: 'offline', quotes: new Map(), streamed: [], polled: [], unknown: [] };

/** The feed's snapshot, re-read at most every `everyMs`. */
function useThrottledSnapshot(feed: PriceFeed | null, everyMs: number): FeedSnapshot {
  const [snap, setSnap] = useState<FeedSnapshot>(() => feed?.snapshot() ?? EMPTY);
  useEffect(() => {
    if (!feed) return;
    setSnap(feed.snapshot());
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = feed.listen(() => {
      timer ??= setTimeout(() => { timer = undefined; setSnap(feed.snapshot()); }, everyMs);
    });
    return () => { off(); clearTimeout(timer); };
  }, [feed, everyMs]);
  return snap;
}

const pct = (x: number) => `${x > 0 ? '+' : ''}${(x * 100).toFixed(2)}%`;

export function MarketScreen({ db }: { db: BookDatabase }) {
  const serverUrl = useApp((s) => s.session.serverUrl);
  const token = useApp((s) => s.sync.session?.token ?? null);
  const feed = usePriceFeed();
  const snap = useThrottledSnapshot(feed, 400);
  const now = useNow(1000);
  const [list, setList] = useState<string[] | null>(null);
  const [closes, setCloses] = useState<Map<string, DailyPrice>>(new Map());
  const [names, setNames] = useState<Record<string, string>>({});
  const [history, setHistory] = useState<Record<string, SparkHistory | { error: string }>>({});
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [input, setInput] = useState('');
  const live = useRef<Record<string, SparkPoint[]>>({});

  useEffect(() => {
    let cancelled = false;
    const saved = loadWatchList(localStorage, serverUrl);
    (saved ? Promise.resolve(saved) : mostHeldSymbols(db)).then((l) => !cancelled && setList(l),
      (err: unknown) => !cancelled && setMessage({ text: `Could not read the book: ${(err as Error).message}`, error: true }));
    return () => { cancelled = true; };
  }, [db, serverUrl]);

  useEffect(() => {
    if (!list) return;
    let cancelled = false;
    void lastCloses(db, list).then((m) => !cancelled && setCloses(m));
    void db.securities.findByIds(list).exec().then((m) => !cancelled && setNames(Object.fromEntries([...m].map(([k, d]) => [k, d.name]))));
    feed?.setDemand('market', list);
    return () => { cancelled = true; };
  }, [db, list, feed]);
  useEffect(() => () => feed?.setDemand('market', []), [feed]);

  // Sparkline history: each symbol fetched once (four at a time); answers kept while the screen is mounted.
  const requested = useRef(new Set<string>());
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => { mounted.current = false; };
  }, []);
  useEffect(() => {
    if (!list || !token) return;
    const queue = list.filter((s) => !requested.current.has(s));
    for (const s of queue) requested.current.add(s);
    const worker = async () => {
      for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
        const sym = s;
        const h = await loadSparkHistory(serverUrl, token, sym).catch((err: unknown) => ({ error: (err as Error).message }));
        if (mounted.current) setHistory((prev) => ({ ...prev, [sym]: h }));
      }
    };
    for (let i = 0; i < 4; i++) void worker();
  }, [list, token, serverUrl]);

  // Live ticks seen per symbol (kept across redraws), drawn after the history's last bar.
  const points = useMemo(() => {
    const out: Record<string, SparkPoint[]> = {};
    for (const s of list ?? []) {
      const ticks = withLiveTick(live.current[s] ?? [], snap.quotes.get(s), 390);
      live.current[s] = ticks;
      const h = history[s];
      const base = h && 'points' in h ? h.points : [];
      const lastBar = base.length ? base[base.length - 1]!.t : -Infinity;
      out[s] = [...base, ...ticks.filter((t) => t.t > lastBar)];
    }
    return out;
  }, [list, history, snap]);

  const update = (next: string[]) => {
    setList(next);
    saveWatchList(localStorage, serverUrl, next);
  };
  const add = async () => {
    if (!list) return;
    const r = await addToWatch(db, list, input);
    if (!r.ok) return setMessage({ text: r.message, error: true });
    update(r.list);
    setInput('');
    setMessage({ text: `Added ${r.symbol}.`, error: false });
  };
  const unknownShown = (list ?? []).filter((s) => snap.unknown.includes(s));
  const feedUp = snap.state === 'live';

  return (
    <section className="market-screen" data-testid="market-screen">
      <div className="market-toolbar">
        <h1 className="screen-title">Market watch</h1>
        <form onSubmit={(e) => { e.preventDefault(); void add(); }} className="market-toolbar">
          <input className="search" placeholder="Add a symbol, e.g. AAPL" aria-label="Symbol to add" data-testid="watch-input"
            value={input} onChange={(e) => setInput(e.target.value)} />
          <button type="submit" className="button" data-testid="watch-add">Add</button>
        </form>
        <span className="muted small" data-testid="market-feed-state" data-state={snap.state}>
          {snap.state === 'live' ? 'Live' : snap.state === 'connecting' ? 'Connecting…' : snap.state === 'polling' ? 'Stream down — polling' : snap.state === 'signed-out' ? 'Signed out — local closes' : 'Offline — local closes'}
        </span>
      </div>
      {message && <div className={`market-message ${message.error ? 'error' : 'muted'}`} role={message.error ? 'alert' : 'status'} data-testid="watch-message">{message.text}</div>}
      {unknownShown.length > 0 && <div className="market-message error" role="alert">The server does not know {unknownShown.join(', ')}.</div>}
      {!list ? <div className="muted">Loading the watch list…</div> : (
        <table className="watch-table" data-testid="watch-table">
          <thead>
            <tr><th>Symbol</th><th>Name</th><th className="num">Last</th><th className="num">Change</th><th className="num">%</th><th>Age</th><th>Today</th><th /></tr>
          </thead>
          <tbody>
            {list.map((s) => {
              const q = snap.quotes.get(s);
              const close = closes.get(s);
              const last = q?.p ?? close?.closePrice ?? null;
              const timeMs = q ? q.t : close ? closeTimeMs(close.date) : null;
              const isStale = timeMs !== null && isPriceStale(timeMs, now, feedUp);
              const change = q && close ? q.p - close.closePrice : null;
              const h = history[s];
              return (
                <tr key={s} data-testid={`watch-row-${s}`} data-symbol={s}>
                  <td className="strong">{s}</td>
                  <td className="muted">{names[s] ?? ''}</td>
                  <td className={`num ${isStale ? 'stale' : ''}`} data-testid="watch-last">{formatPrice(last)}</td>
                  <td className={`num ${change ? (change > 0 ? 'gain' : 'loss') : ''}`}>{change === null ? '—' : `${change > 0 ? '+' : ''}${change.toFixed(2)}`}</td>
                  <td className={`num ${change ? (change > 0 ? 'gain' : 'loss') : ''}`}>{change === null || !close ? '—' : pct(change / close.closePrice)}</td>
                  <td className={isStale ? 'stale' : ''} data-testid="watch-age">
                    {timeMs === null ? '—' : <>{isStale && <span className="stale-mark" aria-label="stale">⚠ </span>}{formatAge(now - timeMs)}{q ? '' : ' · close'}</>}
                  </td>
                  <td>
                    {h && 'error' in h ? <span className="muted small" title={h.error}>no history</span>
                      : (points[s]?.length ?? 0) >= 2 ? <Sparkline points={points[s]!} testId={`spark-${s}`} />
                        : <span className="muted small">{token ? (h ? 'no bars yet' : 'loading…') : 'offline'}</span>}
                  </td>
                  <td><button type="button" className="icon-button" aria-label={`Remove ${s}`} data-testid={`watch-remove-${s}`}
                    onClick={() => update(list.filter((x) => x !== s))}>✕</button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
