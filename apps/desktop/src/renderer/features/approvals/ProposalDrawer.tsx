// The inbox's detail drawer for one proposal, live from the replicated book: summary and status, the trades with
// the engine's reasons, the custodian's transactions once approved (pending → processing → completed), the
// audit trail (who, when, what, comment; written by the server, read-only here) and the batch's blotter download.
import { useEffect, useState } from 'react';
import { gainClass, money, percent, price, quantity, signedMoney } from '../../grid/format.ts';
import { useApprovals, useApprovalsRuntime } from './approvals-context.ts';
import type { ProposalView } from './approvals-controller.ts';
import { auditLines, formatDateTime, userLabel } from './inbox-rows.ts';
import { StatusBadge } from './InboxGrid.tsx';
import { ProposalDetails } from '../rebalance/ProposalDetails.tsx';

export function ProposalDrawer({ proposalId, onBlotter }: { proposalId: string; onBlotter(batchId: string): void }) {
  const { controller, store } = useApprovalsRuntime();
  const row = useApprovals((s) => s.rows.get(proposalId));
  const [view, setView] = useState<ProposalView | null>(null);
  useEffect(() => {
    setView(null);
    return controller.watchProposal(proposalId, setView);
  }, [controller, proposalId]);
  const p = view?.proposal;
  const status = p?.status ?? row?.status;

  return (
    <aside className="trade-drawer" data-testid="approval-drawer" aria-label="Proposal detail">
      <div className="panel-header">
        <div>
          <h2 data-testid="approval-drawer-account">{row?.account ?? proposalId}</h2>
          <div className="muted">{row?.household} · {row?.model} · {status && <span data-testid="approval-drawer-status"><StatusBadge status={status} /></span>}</div>
        </div>
        <button type="button" className="icon-button" aria-label="Close" data-testid="approval-drawer-close" onClick={() => store.getState().openDrawer(null)}>✕</button>
      </div>
      {view && !p && <div className="banner warn">This proposal is not in the local book (any more).</div>}
      {p && (
        <>
          <div className="kpis">
            <div className="kpi"><div className="kpi-label">Drift before → after</div><div className="kpi-value">{percent(p.driftBefore)} → {percent(p.driftAfter)}</div></div>
            <div className="kpi"><div className="kpi-label">Buys / sells</div><div className="kpi-value">{money(p.buyCents)} / {money(p.sellCents)}</div></div>
            <div className="kpi"><div className="kpi-label">Est. gain / tax</div><div className="kpi-value"><span className={gainClass(p.estGainCents)}>{signedMoney(p.estGainCents)}</span> / {money(p.estTaxCents)}</div></div>
          </div>
          <div className="panel-section meta">
            <span>Author <b>{userLabel(p.authorId)}</b></span>
            {row?.submittedAt ? <span>submitted {formatDateTime(row.submittedAt)}</span> : null}
            {p.approverId && <span>decided by <b>{userLabel(p.approverId)}</b> {formatDateTime(p.decidedAt)}</span>}
            {p.executedAt > 0 && <span>executed {formatDateTime(p.executedAt)}</span>}
            {p.batchId && (
              <button type="button" className="link-button" data-testid="drawer-blotter" onClick={() => onBlotter(p.batchId)}>Blotter CSV ({p.batchId})</button>
            )}
          </div>
          <ProposalDetails proposal={p} listTestId="approval-trades" itemTestId="approval-trade" />
          <div className="panel-section">
            <div className="section-title">Executed transactions <span className="muted">{view.transactions.length}</span></div>
            {view.transactions.length === 0
              ? <div className="muted" data-testid="fills-empty">{status === 'approved' ? 'Waiting for the custodian…' : 'None: the custodian executes approved proposals only.'}</div>
              : (
                <table className="fills" data-testid="fills">
                  <thead><tr><th>Date</th><th>Side</th><th>Symbol</th><th className="num">Quantity</th><th className="num">Price</th><th className="num">Amount</th><th>Status</th></tr></thead>
                  <tbody>
                    {view.transactions.map((t) => (
                      <tr key={t.id} data-testid="fill" data-status={t.status}>
                        <td>{t.date}</td><td className={`trade-side ${t.type}`}>{t.type.toUpperCase()}</td><td>{t.symbol}</td>
                        <td className="num">{quantity(t.quantity)}</td><td className="num">{price(t.price)}</td><td className="num">{money(t.amountCents)} {t.currency !== 'USD' ? t.currency : ''}</td>
                        <td><span className={`badge fill-${t.status}`}>{t.status}</span></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
          </div>
          <div className="panel-section grow">
            <div className="section-title">Audit trail <span className="muted">read-only, written by the server</span></div>
            <ol className="audit-trail" data-testid="audit-trail">
              {auditLines(view.audit).map((a) => (
                <li key={a.id} data-testid="audit-line" data-status={a.toStatus}>
                  <span className="audit-when">{formatDateTime(a.at)}</span> <b className="audit-who">{a.who}</b> <span className="audit-what">{a.what}</span>
                  {a.comment && <div className="audit-comment">“{a.comment}”</div>}
                </li>
              ))}
            </ol>
          </div>
        </>
      )}
    </aside>
  );
}
