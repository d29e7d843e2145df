// The login screen: signs in to the sync server (POST /auth/login) so the team's book replicates to this desktop.
// Signed out it fills the window and also offers the local book without an account; after a session expired
// (`expired`) it lies over the book with the username fixed, says how many local changes wait to be pushed, and
// resumes the sync on success — nothing stored locally is dropped.
import { useState, type FormEvent } from 'react';
import { SyncHttpError } from '@aw/sync-client';
import { useApp, useAppStore } from '../../stores/app-store.ts';
import { LOGIN_MESSAGES, openLocalBook, signIn, signOut } from '../sync/book-sync.ts';
import './login.css';

function messageOf(err: unknown): string {
  if (err instanceof SyncHttpError) return LOGIN_MESSAGES[err.code] ?? err.message;
  return (err as Error).message || String(err);
}

export function LoginScreen({ expired = false }: { expired?: boolean }) {
  const store = useAppStore();
  const serverUrl = useApp((s) => s.session.serverUrl);
  const notice = useApp((s) => s.sync.notice);
  const current = useApp((s) => s.sync.session?.user.username ?? '');
  const pending = useApp((s) => s.sync.status?.pendingLocalChanges ?? 0);
  const [username, setUsername] = useState(expired ? current : '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError('Enter your username and password.');
      return;
    }
    setBusy(true);
    setError('');
    try {
      await signIn(localStorage, store, username, password);
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <div className={`login-backdrop ${expired ? 'overlay' : ''}`} data-testid="login-screen">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <div className="login-brand"><span className="logo">◆</span> Advisor Workstation</div>
        <h1 id="login-title">{expired ? 'Your session has expired' : 'Sign in'}</h1>
        <p className="login-lede">
          {expired
            ? `Sign in again to resume syncing. ${pending > 0 ? `${pending} local change${pending === 1 ? ' is' : 's are'}` : 'Your local changes are'} kept on this desktop and will be pushed.`
            : 'Sign in to sync your team’s client book. It stays available on this desktop when you are offline.'}
        </p>
        {notice && <div className="login-notice">{notice}</div>}
        <label className="field">
          <span>Username</span>
          <input
            autoFocus={!expired}
            autoComplete="username"
            data-testid="login-username"
            value={username}
            readOnly={expired}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            autoFocus={expired}
            autoComplete="current-password"
            data-testid="login-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && <div className="login-error" role="alert" data-testid="login-error">{error}</div>}
        <button className="primary-button" type="submit" disabled={busy} data-testid="login-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <div className="login-footer">
          <span className="muted small" title={serverUrl}>Server {serverUrl.replace(/^https?:\/\//, '')}</span>
          {expired ? (
            <button type="button" className="link-button" data-testid="login-sign-out" onClick={() => void signOut(localStorage, store)}>
              Sign out
            </button>
          ) : (
            <button type="button" className="link-button" data-testid="open-local-book" onClick={() => openLocalBook(localStorage, store)}>
              Open the local book offline
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
