// The household detail panel: who the client is, totals, allocation by asset class and the holdings of all the
// household's accounts (valued in the worker from one batched price lookup).
import { useMemo } from 'react';
import { RISK_LABELS, gainClass, money, percent, signedMoney } from '../../grid/format.ts';
import { useApp, useAppStore } from '../../stores/app-store.ts';
import { AllocationChart } from './AllocationChart.tsx';
import { HoldingsGrid } from './HoldingsGrid.tsx';
import { HouseholdNotes } from '../sync/HouseholdNotes.tsx';

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
        <Kpi label="Market value" value={t ? money(t.marketValueCents) : '—'} testId="household-mv" />
        <Kpi label="Cash" value={t ? money(t.cashCents) : '—'} testId="household-cash" />
        <Kpi label="Cost basis" value={t ? money(t.costBasisCents) : '—'} />
        <Kpi label="Unrealized" value={t ? signedMoney(t.unrealizedCents) : '—'} className={gainClass(t?.unrealizedCents)} testId="household-unrealized" />
        <Kpi label="Short-term" value={t ? signedMoney(t.shortTermGainCents) : '—'} className={gainClass(t?.shortTermGainCents)} />
        <Kpi label="Long-term" value={t ? signedMoney(t.longTermGainCents) : '—'} className={gainClass(t?.longTermGainCents)} />
      </div>
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
        <HoldingsGrid holdings={view?.holdings ?? null} accountNames={accountNames} />
      </div>
    </aside>
  );
}
