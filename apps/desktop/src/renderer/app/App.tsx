// The app shell: a top bar (book totals, valuation progress, server status) over the active screen. The book
// runtime (RxDB → store, valuation workers) starts in an effect and is stopped, workers terminated, in its cleanup.
import { useEffect } from 'react';
import { ClientBookScreen } from '../features/client-book/ClientBookScreen.tsx';
import { Workspace } from '../features/rebalance/Workspace.tsx';
import { compactMoney } from '../grid/format.ts';
import type { BookDatabase } from '../db/book-db.ts';
import { useApp, useAppStore } from '../stores/app-store.ts';
import { createValuationClient } from '../workers/valuation-client.ts';
import { startBookRuntime } from './book-runtime.ts';
import { generateDemoBookInWorker } from '../workers/demo-client.ts';
import { SyncIndicator } from '../features/sync/SyncIndicator.tsx';
import type { BookLoader } from '../features/sync/SessionGate.tsx';

function useBookRuntime(db: BookDatabase, loadBook?: BookLoader): void {
  const store = useAppStore();
  useEffect(() => {
    const valuation = createValuationClient();
    const runtime = startBookRuntime({ db, store, valuation, generate: generateDemoBookInWorker, loadBook });
    return () => {
      runtime.stop();
      valuation.terminate();
    };
  }, [db, store, loadBook]);
}

function StatusBar() {
  const reachable = useApp((s) => s.session.serverReachable);
  const serverUrl = useApp((s) => s.session.serverUrl);
  const valuation = useApp((s) => s.valuation.status);
  const progress = useApp((s) => s.valuation.progress);
  const totals = useApp((s) => s.valuation.totals);
  const asOf = useApp((s) => s.valuation.asOf);
  const households = useApp((s) => s.book.households.length);
  return (
    <header className="topbar">
      <div className="brand"><span className="logo">◆</span> Advisor Workstation</div>
      <div className="topbar-stats">
        <span><span className="muted">Households</span> <b data-testid="household-count">{households}</b></span>
        <span><span className="muted">Book value</span> <b data-testid="book-value">{totals ? compactMoney(totals.marketValueCents) : '—'}</b></span>
        {asOf && <span><span className="muted">Prices as of</span> <b data-testid="as-of">{asOf}</b></span>}
        {valuation === 'running' && <span className="muted">Valuing {progress.done}/{progress.total}…</span>}
      </div>
      <SyncIndicator />
      <div className={`pill ${reachable ? 'online' : reachable === false ? 'offline' : ''}`} data-testid="server-status" title={serverUrl}>
        <span className="dot" /> {reachable ? 'Server online' : reachable === false ? 'Offline — local book' : 'Connecting…'}
      </div>
    </header>
  );
}

export function App({ db, loadBook }: { db: BookDatabase; loadBook?: BookLoader }) {
  useBookRuntime(db, loadBook);
  const status = useApp((s) => s.book.status);
  const message = useApp((s) => s.book.message);
  return (
    <div className="app">
      <StatusBar />
      <main className="content">
        {status === 'ready' ? <Workspace db={db} book={<ClientBookScreen />} /> : (
          <div className={`splash ${status === 'error' ? 'error' : ''}`} data-testid="book-status">
            {status === 'error' ? `Could not open the book: ${message}` : message || 'Opening the local book…'}
          </div>
        )}
      </main>
    </div>
  );
}
