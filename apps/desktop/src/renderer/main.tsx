// Renderer entry: reads the runtime config (preload API or web-mode meta tags), opens the client book in
// IndexedDB (RxDB + Dexie storage) once the session gate picks it (the signed-in user's or the local one), creates
// the store and renders the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { App } from './app/App.tsx';
import { loadRuntimeConfig } from './app/runtime-config.ts';
import { openBookDb } from './db/book-db.ts';
import { createAppStore, StoreProvider } from './stores/app-store.ts';
import { SessionGate } from './features/sync/SessionGate.tsx';
import './styles.css';

async function boot(): Promise<void> {
  const rootEl = document.getElementById('root')!;
  const root = createRoot(rootEl);
  try {
    const store = createAppStore();
    store.getState().setAppInfo(await loadRuntimeConfig());
    const openDb = (name: string) => openBookDb(getRxStorageDexie(), { name, devMode: import.meta.env.DEV });
    root.render(
      <StrictMode>
        <StoreProvider store={store}>
          <SessionGate openDb={openDb}>{(db, loadBook) => <App db={db} loadBook={loadBook} />}</SessionGate>
        </StoreProvider>
      </StrictMode>,
    );
  } catch (err) {
    root.render(<div className="splash error">Could not start: {(err as Error).message}</div>);
  }
}

void boot();
