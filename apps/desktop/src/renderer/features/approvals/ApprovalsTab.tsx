// The Approvals tab of the workspace: mounted on its first visit and kept mounted (hidden) afterwards, so the
// inbox grid keeps its state and stays live. Owns the inbox's store and controller (stopped in the effect cleanup);
// the server calls carry the signed-in session's token.
import { useEffect, useState } from 'react';
import type { BookDatabase } from '../../db/book-db.ts';
import { useAppStore } from '../../stores/app-store.ts';
import { nameLookup } from '../rebalance/review-rows.ts';
import { createApprovalsApi } from './approvals-api.ts';
import { ApprovalsContext, type ApprovalsRuntime } from './approvals-context.ts';
import { createApprovalsController } from './approvals-controller.ts';
import { createApprovalsStore } from './approvals-store.ts';
import { ApprovalsScreen } from './ApprovalsScreen.tsx';
import './approvals.css';

export function ApprovalsTab({ db, active }: { db: BookDatabase; active: boolean }) {
  const app = useAppStore();
  const [visited, setVisited] = useState(active);
  const [runtime, setRuntime] = useState<ApprovalsRuntime | null>(null);
  useEffect(() => { if (active) setVisited(true); }, [active]);
  useEffect(() => {
    if (!visited) return;
    const store = createApprovalsStore();
    const api = createApprovalsApi(app.getState().session.serverUrl, () => app.getState().sync.session?.token ?? '');
    const controller = createApprovalsController({
      db, store, api,
      names: () => {
        const { accounts, households, models } = app.getState().book;
        return nameLookup(accounts, households, models);
      },
    });
    setRuntime({ controller, store });
    return () => {
      controller.stop();
      setRuntime(null);
    };
  }, [db, app, visited]);
  if (!visited || !runtime) return null;
  return (
    <ApprovalsContext.Provider value={runtime}>
      <div className="workspace-screen" hidden={!active}><ApprovalsScreen /></div>
    </ApprovalsContext.Provider>
  );
}
