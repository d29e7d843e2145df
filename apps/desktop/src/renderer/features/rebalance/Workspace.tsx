// The workspace below the top bar once the book is open: tabs for the client book and the rebalance screen. Both
// screens stay mounted after their first visit (the grids keep their state; a running job keeps streaming). The
// rebalance controller (worker pool, RxDB subscription) lives here and is stopped in the effect cleanup.
import { useEffect, useState, type ReactNode } from 'react';
import type { BookDatabase } from '../../db/book-db.ts';
import { useApp, useAppStore } from '../../stores/app-store.ts';
import { RebalanceControllerContext } from './controller-context.ts';
import { createRebalanceController, type RebalanceController } from './rebalance-controller.ts';
import { RebalanceScreen } from './RebalanceScreen.tsx';
import type { WorkspaceScreen } from './rebalance-slice.ts';
import './rebalance.css';
import { AnalyticsScreen } from '../analytics/AnalyticsScreen.tsx';
import { ApprovalsTab } from '../approvals/ApprovalsTab.tsx';
import { MarketScreen } from '../market/MarketScreen.tsx';

export function Workspace({ db, book }: { db: BookDatabase; book: ReactNode }) {
  const store = useAppStore();
  const screen = useApp((s) => s.rebalance.screen);
  const running = useApp((s) => s.rebalance.job.status === 'running' || s.rebalance.job.status === 'preparing');
  const [controller, setController] = useState<RebalanceController | null>(null);
  const [visited, setVisited] = useState(screen === 'rebalance');
  useEffect(() => {
    const c = createRebalanceController({ db, store });
    setController(c);
    return () => c.stop();
  }, [db, store]);
  useEffect(() => { if (screen === 'rebalance') setVisited(true); }, [screen]);
  // A new sign-in (this workspace mounts again after the login screen) starts on the client book.
  useEffect(() => () => store.getState().showScreen('book'), [store, db]);
  const tab = (id: WorkspaceScreen, label: ReactNode) => (
    <button type="button" role="tab" aria-selected={screen === id} className={`tab ${screen === id ? 'active' : ''}`}
      data-testid={`tab-${id}`} onClick={() => store.getState().showScreen(id)}>{label}</button>
  );
  return (
    <div className="workspace">
      <nav className="tabs" role="tablist">
        {tab('book', 'Client book')}
        {tab('rebalance', <>Rebalance{running && <span className="tab-dot" title="A bulk rebalance is running" />}</>)}
        {tab('analytics', 'Analytics')}
        {tab('approvals', 'Approvals')}
        {tab('market', 'Market')}
      </nav>
      <div className="workspace-screen" hidden={screen !== 'book'}>{book}</div>
      {controller && visited && (
        <RebalanceControllerContext.Provider value={controller}>
          <div className="workspace-screen" hidden={screen !== 'rebalance'}><RebalanceScreen /></div>
        </RebalanceControllerContext.Provider>
      )}
      {screen === 'analytics' && <div className="workspace-screen"><AnalyticsScreen db={db} /></div>}
      <ApprovalsTab db={db} active={screen === 'approvals'} />
      {screen === 'market' && <div className="workspace-screen"><MarketScreen db={db} /></div>}
    </div>
  );
}
