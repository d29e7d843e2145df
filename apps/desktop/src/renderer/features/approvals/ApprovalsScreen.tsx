// The approvals inbox: filters (text, status, author, warnings only) over the grid of the team's submitted and
// decided proposals, the bulk decision bar (comment, approve / reject the selected, progress while the chunks are
// sent), the outcome of the last decision (counts, readable per-proposal failures, blotter downloads), and the
// detail drawer beside the grid. Advisors see it read-only with the reason (the server refuses them anyway).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useApp } from '../../stores/app-store.ts';
import { useApprovals, useApprovalsRuntime } from './approvals-context.ts';
import { downloadText } from './download.ts';
import { groupFailures, outcomeSummary, type Decision } from './bulk-decisions.ts';
import { DEFAULT_INBOX_FILTER, INBOX_STATUSES, type InboxFilter } from './inbox-rows.ts';
import { InboxGrid, type InboxGridHandle } from './InboxGrid.tsx';
import { ProposalDrawer } from './ProposalDrawer.tsx';

const n = (x: number) => x.toLocaleString('en-US');

export function ApprovalsScreen() {
  const { controller, store } = useApprovalsRuntime();
  const session = useApp((s) => s.sync.session);
  const drawerId = useApprovals((s) => s.drawerId);
  const run = useApprovals((s) => s.run);
  const loaded = useApprovals((s) => s.loaded);
  const rows = useApprovals((s) => s.rows);
  const [text, setText] = useState('');
  const [filter, setFilter] = useState<InboxFilter>(DEFAULT_INBOX_FILTER);
  const [selected, setSelected] = useState<string[]>([]);
  const [counts, setCounts] = useState({ shown: 0, total: 0 });
  const [comment, setComment] = useState('');
  const [hint, setHint] = useState('');
  const [blotterError, setBlotterError] = useState('');
  const grid = useRef<InboxGridHandle | null>(null);
  useEffect(() => { void controller.ensureLoaded(); }, [controller]);
  const onCountChange = useCallback((shown: number, total: number) => setCounts((c) => (c.shown === shown && c.total === total ? c : { shown, total })), []);
  const onHandle = useCallback((h: InboxGridHandle | null) => { grid.current = h; }, []);

  const role = session?.user.role;
  const canDecide = role === 'reviewer' || role === 'admin';
  const authors = useMemo(() => [...new Set([...rows.values()].map((r) => r.authorId))].sort(), [rows]);
  const running = run.status === 'running';

  const decide = async (decision: Decision) => {
    if (decision === 'reject' && !comment.trim()) {
      setHint('A rejection needs a comment: tell the advisor why.');
      return;
    }
    setHint('');
    const ids = selected;
    try {
      await controller.decide(ids, decision, comment.trim());
      grid.current?.clearSelection();
      setComment('');
    } catch {
      // the run's error is in the store
    }
  };

  const downloadBlotter = async (batchId: string) => {
    setBlotterError('');
    try {
      downloadText(`blotter-${batchId}.csv`, await controller.blotterCsv(batchId), 'text/csv');
    } catch (err) {
      setBlotterError(`Blotter download failed: ${(err as Error).message}`);
    }
  };

  const outcome = run.outcome;
  const accountOf = (id: string) => rows.get(id)?.account ?? id;
  return (
    <div className={`rebalance-screen approvals-screen ${drawerId ? 'with-drawer' : ''}`} data-testid="approvals-screen">
      <section className="book-main">
        {!canDecide && (
          <div className="banner warn" data-testid="approvals-readonly">
            Read-only: you are signed in {session ? <>as <b>{session.user.username}</b> ({role})</> : 'without a server account'}.
            Approving and rejecting is for a reviewer of your team who did not write the proposal (four-eyes rule); the
            sync server refuses it for anyone else.
          </div>
        )}
        <div className="toolbar">
          <h1 className="screen-title">Approvals</h1>
          <input className="search" type="search" placeholder="Filter proposals…" aria-label="Filter proposals" data-testid="approvals-search"
            value={text} onChange={(e) => setText(e.target.value)} />
          <select className="select" aria-label="Status" data-testid="approvals-status-filter" value={filter.status}
            onChange={(e) => setFilter({ ...filter, status: e.target.value as InboxFilter['status'] })}>
            <option value="all">All statuses</option>
            <option value="open">Waiting for a decision</option>
            {INBOX_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
          <select className="select" aria-label="Author" data-testid="approvals-author-filter" value={filter.authorId}
            onChange={(e) => setFilter({ ...filter, authorId: e.target.value })}>
            <option value="">All authors</option>
            {authors.map((a) => <option key={a} value={a}>{a.replace(/^u-/, '')}</option>)}
          </select>
          <label className="check"><input type="checkbox" checked={filter.warningsOnly} data-testid="approvals-warnings-only"
            onChange={(e) => setFilter({ ...filter, warningsOnly: e.target.checked })} /> With warnings</label>
          <span className="muted count" data-testid="approvals-count">
            {loaded ? `${n(counts.shown)} of ${n(counts.total)} proposals · ${n(selected.length)} selected` : 'Loading…'}
          </span>
        </div>
        {canDecide && (
          <div className="toolbar decision-bar" data-testid="decision-bar">
            <input className="search comment" type="text" placeholder="Comment for the audit trail (required to reject)" aria-label="Decision comment"
              data-testid="decision-comment" maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
            <button type="button" className="btn primary" data-testid="approve-selected" disabled={selected.length === 0 || running}
              onClick={() => void decide('approve')}>Approve {selected.length ? n(selected.length) : ''}</button>
            <button type="button" className="btn danger" data-testid="reject-selected" disabled={selected.length === 0 || running}
              onClick={() => void decide('reject')}>Reject {selected.length ? n(selected.length) : ''}</button>
            {running && run.progress && (
              <>
                <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} data-testid="decision-progress"
                  aria-valuenow={run.progress.total ? Math.round((100 * run.progress.done) / run.progress.total) : 0}>
                  <div className="progress-fill" style={{ width: `${run.progress.total ? (100 * run.progress.done) / run.progress.total : 0}%` }} />
                </div>
                <span className="muted">{run.decision === 'approve' ? 'Approving' : 'Rejecting'} {n(run.progress.done)} of {n(run.progress.total)}…</span>
                <button type="button" className="btn" onClick={() => controller.cancelDecision()}>Cancel</button>
              </>
            )}
          </div>
        )}
        {hint && <div className="banner warn" data-testid="decision-hint">{hint}</div>}
        {run.status === 'error' && <div className="banner error" data-testid="decision-error">Decision failed: {run.error}</div>}
        {outcome && run.status === 'done' && (
          <div className={`banner ${outcome.failed.length ? 'warn' : 'ok'} decision-result`} data-testid="decision-result">
            <div data-testid="decision-summary">{outcomeSummary(outcome)}</div>
            {groupFailures(outcome.failed).map((g) => (
              <div key={`${g.code}-${g.message}`} className="failure" data-testid="decision-failure" data-code={g.code}>
                <b>{n(g.ids.length)} × </b>{g.message}
                <span className="muted"> — {g.ids.slice(0, 4).map(accountOf).join(', ')}{g.ids.length > 4 ? ` and ${n(g.ids.length - 4)} more` : ''}</span>
              </div>
            ))}
            {outcome.batchIds.map((b) => (
              <button key={b} type="button" className="link-button" data-testid="result-blotter" onClick={() => void downloadBlotter(b)}>
                Download the trade blotter (CSV) of batch {b}
              </button>
            ))}
            <button type="button" className="icon-button dismiss" aria-label="Dismiss" onClick={() => store.getState().updateRun({ status: 'idle', outcome: null })}>✕</button>
          </div>
        )}
        {blotterError && <div className="banner error" data-testid="blotter-error">{blotterError}</div>}
        <InboxGrid filter={filter} text={text} canDecide={canDecide} onSelectionChange={setSelected} onCountChange={onCountChange} onHandle={onHandle} />
      </section>
      {drawerId && <ProposalDrawer proposalId={drawerId} onBlotter={downloadBlotter} />}
    </div>
  );
}
