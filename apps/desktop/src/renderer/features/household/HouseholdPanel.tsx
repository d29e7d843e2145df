// The household detail panel: who the client is, totals at the last close, the live value and the day's change,
// allocation by asset class and the holdings of all the household's accounts (valued at the local closes by the
// book runtime — on the UI thread up to UI_THREAD_MAX_LOTS lots, else in the warm worker — and with live prices by
// the live holdings controller, in its worker). Only the symbols of the holdings rows on screen are streamed; the
// feed status line says what is live and how old the prices are.
import { useCallback, useMemo } from 'react';
import { RISK_LABELS, gainClass, money, percent, signedMoney } from '../../grid/format.ts';
import { useApp, useAppStore } from '../../stores/app-store.ts';
import { AllocationChart } from './AllocationChart.tsx';
import { HoldingsGrid } from './HoldingsGrid.tsx';
import { HouseholdNotes } from '../sync/HouseholdNotes.tsx';
import { formatAge } from '../market/price-age.ts';
import type { FeedSnapshot } from '../market/price-feed.ts';
import { useFeedSnapshot, useNow, usePriceFeed } from '../market/use-price-feed.ts';
import type { LiveHoldingsView } from '../../workers/valuation-client.ts';
import { useLiveHoldings } from './use-live-holdings.ts';
import './household.css';

const FEED_LABELS: Record<FeedSnapshot['state'], string> = {
  connecting: 'Connecting to the price stream…', live: 'Live prices', polling: 'Stream down — polling prices (stale)', offline: 'Prices offline — valued at local closes (stale)',
  'signed-out': 'Local book — valued at local closes',
};

/** The feed status line: state, symbols streamed (the e2e reads `data-streamed`), age of the oldest price shown. */
function LiveStatus({ snap, live }: { snap: FeedSnapshot; live: LiveHoldingsView | null }) {
  const now = useNow(1000);
  let oldest = Infinity;
  let liveCount = 0;
  for (const src of Object.values(live?.priceSources ?? {})) {
    oldest = Math.min(oldest, src.timeMs);
    if (src.source === 'live') liveCount++;
  }
  return (
    <div className="live-status" data-testid="live-status" data-state={snap.state} data-streamed={snap.streamed.join(',')}>
      <span><span className="dot" />{FEED_LABELS[snap.state]}</span>
      <span data-testid="live-streamed-count">{snap.streamed.length} streamed</span>
      {snap.polled.length > 0 && <span>{snap.polled.length} polled</span>}
      <span>{liveCount} live-priced</span>
      {Number.isFinite(oldest) && <span data-testid="live-oldest-age">oldest price {formatAge(now - oldest)}</span>}
    </div>
  );
}

function Kpi({ label, value, className = '', testId }: { label: string; value: string; className?: string; testId?: string }) {
  return (
    <div className="kpi">
      <div className="kpi-label">{label}</div>
      <div className={`kpi-value ${className}`} data-testid={testId}>{value}</div>
    </div>
  );
}

export function HouseholdPanel({ householdId }: { householdId: string }) {
  const store = useAppStore();
  const household = useApp((s) => s.book.households.find((h) => h.id === householdId));
  const allAccounts = useApp((s) => s.book.accounts);
  const status = useApp((s) => s.household.status);
  const error = useApp((s) => s.household.error);
  const view = useApp((s) => (s.household.viewFor === householdId ? s.household.view : null));
  const accounts = useMemo(() => allAccounts.filter((a) => a.householdId === householdId), [allAccounts, householdId]);
  const accountNames = useMemo(() => Object.fromEntries(accounts.map((a) => [a.id, a.name])), [accounts]);
  const t = view?.totals;
  const feed = usePriceFeed();
  const snap = useFeedSnapshot(feed);
  useLiveHoldings(householdId, feed);
  const live = useApp((s) => (s.household.liveFor === householdId ? s.household.live : null));
  const lt = live?.totals;
  const dayChange = live ? live.totals.marketValueCents - live.closeTotals.marketValueCents : undefined;
  const onVisibleSymbols = useCallback((symbols: string[]) => feed?.setDemand('holdings', symbols), [feed]);
  const feedUp = snap.state === 'live';

  return (
    <aside className="household-panel" data-testid="household-panel" aria-label="Household detail">
      <header className="panel-header">
        <div>
          <h2 data-testid="household-name">{household?.name ?? '…'}</h2>
          {household && (
            <div className="muted small">
              {RISK_LABELS[household.riskProfile] ?? household.riskProfile} · {percent(household.taxBracket, 0)} bracket · {household.state} ·{' '}
              {accounts.length} accounts
            </div>
          )}
        </div>
        <button className="icon-button" aria-label="Close household" data-testid="close-household" onClick={() => store.getState().selectHousehold(null)}>✕</button>
      </header>
      {status === 'error' && <div className="banner error">Could not value this household: {error}</div>}
      <div className="kpis">
        <Kpi label="Value at close" value={t ? money(t.marketValueCents) : '—'} testId="household-mv" />
        <Kpi label="Cash" value={t ? money(t.cashCents) : '—'} testId="household-cash" />
        <Kpi label="Cost basis" value={t ? money(t.costBasisCents) : '—'} />
        <Kpi label="Unrealized" value={t ? signedMoney(t.unrealizedCents) : '—'} className={gainClass(t?.unrealizedCents)} testId="household-unrealized" />
        <Kpi label="Short-term" value={t ? signedMoney(t.shortTermGainCents) : '—'} className={gainClass(t?.shortTermGainCents)} />
        <Kpi label="Long-term" value={t ? signedMoney(t.longTermGainCents) : '—'} className={gainClass(t?.longTermGainCents)} />
      </div>
      <div className="kpis live">
        <Kpi label="Live value" value={lt ? money(lt.marketValueCents) : '—'} testId="household-live-mv" />
        <Kpi label="Today" value={dayChange === undefined ? '—' : signedMoney(dayChange)} className={gainClass(dayChange)} testId="household-day-change" />
        <Kpi label="Live unrealized" value={lt ? signedMoney(lt.unrealizedCents) : '—'} className={gainClass(lt?.unrealizedCents)} />
      </div>
      <LiveStatus snap={snap} live={live} />
      {t && t.unpricedSymbols.length > 0 && (
        <div className="banner warn">No price for {t.unpricedSymbols.join(', ')}: valued at $0.</div>
      )}
      <div className="panel-section">
        <div className="section-title">Allocation by asset class {view && <span className="muted">as of {view.asOf}</span>}</div>
        {view ? <AllocationChart slices={view.byAssetClass} /> : <div className="chart placeholder">{status === 'loading' ? 'Valuing…' : ''}</div>}
      </div>
      <div className="panel-section">
        <div className="section-title">Notes</div>
        <HouseholdNotes householdId={householdId} />
      </div>
      <div className="panel-section grow">
        <div className="section-title">Holdings <span className="muted">{view ? `${view.holdings.length} positions` : ''}</span></div>
        <HoldingsGrid holdings={live?.holdings ?? view?.holdings ?? null} accountNames={accountNames} sources={live?.priceSources}
          dayChangeCents={live?.dayChangeCents} feedUp={feedUp} onVisibleSymbols={onVisibleSymbols} />
      </div>
    </aside>
  );
}
