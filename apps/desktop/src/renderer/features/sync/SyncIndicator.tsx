// The top bar's sync indicator: connection state (synced/online, syncing, offline, session expired, a sync error), the number of
// local changes not yet pushed, and who is signed in (with sign-out). Without an account it offers to sign in.
import { useAppStore, useApp } from '../../stores/app-store.ts';
import { signOut } from './book-sync.ts';
import { clearSignIn } from './session-store.ts';
import { syncLabel } from './sync-label.ts';
import './sync.css';

export function SyncIndicator() {
  const store = useAppStore();
  const mode = useApp((s) => s.sync.mode);
  const status = useApp((s) => s.sync.status);
  const user = useApp((s) => s.sync.session?.user);
  if (mode === 'local') {
    return (
      <div className="sync-indicator">
        <span className="sync-pill idle" data-testid="sync-status" data-state="local" title="This book is not synced with a server account">
          <span className="dot" /> Local book · not synced
        </span>
        <button className="sync-action" data-testid="sign-in" onClick={() => {
          clearSignIn(localStorage, store.getState().session.serverUrl);
          store.getState().signedOut();
        }}>Sign in</button>
      </div>
    );
  }
  if (mode !== 'signed-in') return null;
  const label = syncLabel(status);
  const pending = status?.pendingLocalChanges ?? 0;
  return (
    <div className="sync-indicator">
      <span className={`sync-pill ${label.tone}`} data-testid="sync-status" data-state={label.tone} title={label.detail} role="status">
        <span className="dot" /> {label.text}
        {pending > 0 && <span className="sync-pending" data-testid="sync-pending" title={label.detail}>{pending} pending</span>}
      </span>
      {user && (
        <span className="sync-user" data-testid="sync-user">
          {user.username} <span className="muted">· {user.team || user.role}</span>
        </span>
      )}
      <button className="sync-action" data-testid="sign-out" onClick={() => void signOut(localStorage, store)}>Sign out</button>
    </div>
  );
}
