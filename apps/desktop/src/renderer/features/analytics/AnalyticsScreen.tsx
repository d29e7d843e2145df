// The analytics screen: pick a household and account, then performance, the efficient frontier, tax-loss
// harvesting or the risk questionnaire. The analytics controller (worker pool, RxDB reads) lives here and is stopped in the effect
// cleanup; the household defaults to the one selected in the client book.
import { useEffect, useMemo, useState } from 'react';
import type { BookDatabase } from '../../db/book-db.ts';
import { ACCOUNT_TYPE_LABELS } from '../../grid/format.ts';
import { useApp, useAppStore } from '../../stores/app-store.ts';
import { createAnalyticsController, type AnalyticsController } from './analytics-controller.ts';
import type { AnalyticsTab } from './analytics-slice.ts';
import { defaultBenchmark } from './benchmark.ts';
import { FrontierView } from './FrontierView.tsx';
import { HarvestView } from './HarvestView.tsx';
import { PerformanceView } from './PerformanceView.tsx';
import { QuestionnaireView } from './QuestionnaireView.tsx';
import './analytics.css';

const TABS: [AnalyticsTab, string][] = [['performance', 'Performance'], ['frontier', 'Efficient frontier'], ['harvest', 'Tax-loss harvesting'], ['profile', 'Risk questionnaire']];

export function AnalyticsScreen({ db }: { db: BookDatabase }) {
  const store = useAppStore();
  const [controller, setController] = useState<AnalyticsController | null>(null);
  const tab = useApp((s) => s.analytics.tab);
  const householdId = useApp((s) => s.analytics.householdId);
  const accountId = useApp((s) => s.analytics.accountId);
  const benchmark = useApp((s) => s.analytics.benchmark);
  const selectedInBook = useApp((s) => s.household.selectedId);
  const households = useApp((s) => s.book.households);
  const allAccounts = useApp((s) => s.book.accounts);
  const accounts = useMemo(() => allAccounts.filter((a) => a.householdId === householdId), [allAccounts, householdId]);
  const [symbols, setSymbols] = useState<string[]>([]);

  useEffect(() => {
    const c = createAnalyticsController({ db, store });
    setController(c);
    return () => c.stop();
  }, [db, store]);
  useEffect(() => {
    let live = true;
    void db.securities.find().exec().then((docs) => {
      if (!live) return;
      const secs = docs.map((d) => d.toJSON() as { symbol: string; name: string; assetClass: string });
      setSymbols(secs.map((s) => s.symbol).sort());
      if (!store.getState().analytics.benchmark) store.getState().setBenchmark(defaultBenchmark(secs));
    });
    return () => { live = false; };
  }, [db, store]);
  useEffect(() => {
    const s = store.getState();
    if (selectedInBook && selectedInBook !== s.analytics.householdId) s.selectAnalyticsHousehold(selectedInBook);
  }, [selectedInBook, store]);
  useEffect(() => {
    if (householdId && !accountId && accounts[0]) store.getState().selectAnalyticsAccount(accounts[0].id);
  }, [householdId, accountId, accounts, store]);

  const actions = store.getState();
  return (
    <div className="analytics" data-testid="analytics-screen">
      <div className="analytics-toolbar">
        <label>Household{' '}
          <select data-testid="analytics-household" value={householdId ?? ''} onChange={(e) => actions.selectAnalyticsHousehold(e.target.value || null)}>
            <option value="">Choose…</option>
            {households.map((h) => <option key={h.id} value={h.id}>{h.name}</option>)}
          </select>
        </label>
        <label>Account{' '}
          <select data-testid="analytics-account" value={accountId ?? ''} onChange={(e) => actions.selectAnalyticsAccount(e.target.value || null)} disabled={!householdId}>
            {accounts.map((a) => <option key={a.id} value={a.id}>{a.name} · {ACCOUNT_TYPE_LABELS[a.type] ?? a.type}</option>)}
          </select>
        </label>
        <label>Benchmark{' '}
          <select data-testid="analytics-benchmark" value={benchmark} onChange={(e) => actions.setBenchmark(e.target.value)}>
            <option value="">None</option>
            {symbols.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <nav className="subtabs" role="tablist">
          {TABS.map(([id, label]) => (
            <button key={id} type="button" role="tab" aria-selected={tab === id} className={`tab ${tab === id ? 'active' : ''}`}
              data-testid={`analytics-tab-${id}`} onClick={() => actions.setAnalyticsTab(id)}>{label}</button>
          ))}
        </nav>
      </div>
      {tab === 'performance' && <PerformanceView />}
      {tab === 'frontier' && <FrontierView />}
      {tab === 'harvest' && <HarvestView />}
      {tab === 'profile' && <QuestionnaireView controller={controller} />}
    </div>
  );
}
