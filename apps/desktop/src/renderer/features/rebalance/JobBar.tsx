// The bulk job bar: which accounts (all drifted / a model / a team / a name search), Run, Cancel, and the live
// progress bar with accounts done, chunks, ETA and workers. Everything shown comes from the store's job state.
import { useMemo, useState } from 'react';
import { useApp } from '../../stores/app-store.ts';
import { useRebalanceController } from './controller-context.ts';
import type { AccountScope } from './rebalance-job.ts';

const fmt = (n: number) => n.toLocaleString('en-US');
export const formatEta = (ms: number): string => {
  if (!Number.isFinite(ms)) return 'estimating…';
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
};

export function JobBar() {
  const controller = useRebalanceController();
  const job = useApp((s) => s.rebalance.job);
  const models = useApp((s) => s.book.models);
  const accounts = useApp((s) => s.book.accounts);
  const teams = useMemo(() => [...new Set(accounts.map((a) => a.teamId))].sort(), [accounts]);
  const [scopeKey, setScopeKey] = useState('drifted');
  const [text, setText] = useState('');
  const busy = job.status === 'running' || job.status === 'preparing';
  const scope = (): AccountScope => {
    if (scopeKey.startsWith('model:')) return { kind: 'model', modelId: scopeKey.slice(6) };
    if (scopeKey.startsWith('team:')) return { kind: 'team', teamId: scopeKey.slice(5) };
    if (scopeKey === 'search') return { kind: 'search', text };
    return { kind: 'drifted' };
  };
  const pct = job.accountsTotal > 0 ? (100 * job.accountsDone) / job.accountsTotal : job.status === 'done' ? 100 : 0;
  const status = job.status === 'running'
    ? `${fmt(job.accountsDone)} / ${fmt(job.accountsTotal)} accounts · chunk ${job.chunksDone}/${job.chunksTotal || '…'} · `
      + `${fmt(job.proposalsWritten)} proposals · ETA ${formatEta(job.etaMs)} · ${job.workers} workers`
    : job.message;

  return (
    <div className={`job-bar ${job.status}`} data-testid="job-bar" data-status={job.status}>
      <select className="select" aria-label="Accounts to rebalance" data-testid="job-scope" value={scopeKey} disabled={busy}
        onChange={(e) => setScopeKey(e.target.value)}>
        <option value="drifted">All drifted accounts</option>
        <optgroup label="By model">
          {models.map((m) => <option key={m.id} value={`model:${m.id}`}>{m.name}</option>)}
        </optgroup>
        <optgroup label="By team">
          {teams.map((t) => <option key={t} value={`team:${t}`}>Team {t}</option>)}
        </optgroup>
        <option value="search">Households/accounts matching…</option>
      </select>
      {scopeKey === 'search' && (
        <input className="search" type="search" placeholder="Name or id contains…" aria-label="Accounts matching" data-testid="job-search"
          value={text} disabled={busy} onChange={(e) => setText(e.target.value)} />
      )}
      <button type="button" className="btn primary" data-testid="job-run" disabled={busy} onClick={() => void controller.start(scope())}>
        Run bulk rebalance
      </button>
      <button type="button" className="btn danger" data-testid="job-cancel" disabled={!busy} onClick={() => controller.cancel()}>Cancel</button>
      {job.status !== 'idle' && (
        <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)} data-testid="job-progress">
          <div className="progress-fill" style={{ width: `${pct}%` }} />
        </div>
      )}
      <span className="job-text muted" data-testid="job-status">{status}</span>
    </div>
  );
}
