// The trade detail drawer: one proposal's summary, its trades (side, symbol, quantity, price, amount, estimated
// gain) each with the engine's reason, and its warnings. Read from RxDB when opened (the grid rows carry no trades).
import { useEffect, useState } from 'react';
import type { Proposal } from '@aw/domain';
import { gainClass, money, percent, signedMoney } from '../../grid/format.ts';
import { useApp, useAppStore } from '../../stores/app-store.ts';
import { useRebalanceController } from './controller-context.ts';
import { ProposalDetails } from './ProposalDetails.tsx';

export function TradeDrawer({ proposalId }: { proposalId: string }) {
  const controller = useRebalanceController();
  const store = useAppStore();
  const row = useApp((s) => s.rebalance.rows.find((r) => r.id === proposalId));
  const [proposal, setProposal] = useState<Proposal | null | undefined>(undefined);
  const [error, setError] = useState('');
  const status = row?.status;
  useEffect(() => {
    let live = true;
    setError('');
    controller.proposal(proposalId).then((p) => { if (live) setProposal(p); }, (e: unknown) => { if (live) setError(String((e as Error).message ?? e)); });
    return () => { live = false; };
  }, [controller, proposalId, status]);

  return (
    <aside className="trade-drawer" data-testid="trade-drawer" aria-label="Proposal trades">
      <div className="panel-header">
        <div>
          <h2 data-testid="drawer-account">{row?.account ?? proposalId}</h2>
          <div className="muted">{row?.household} · {row?.model} · <span className={`badge ${status ?? ''}`} data-testid="drawer-status">{status}</span></div>
        </div>
        <button type="button" className="icon-button" aria-label="Close" data-testid="drawer-close" onClick={() => store.getState().openTradeDrawer(null)}>✕</button>
      </div>
      {error && <div className="banner error">{error}</div>}
      {proposal === null && <div className="banner warn">This proposal is no longer in the local book.</div>}
      {proposal && (
        <>
          <div className="kpis">
            <div className="kpi"><div className="kpi-label">Drift before → after</div><div className="kpi-value">{percent(proposal.driftBefore)} → {percent(proposal.driftAfter)}</div></div>
            <div className="kpi"><div className="kpi-label">Buys / sells</div><div className="kpi-value">{money(proposal.buyCents)} / {money(proposal.sellCents)}</div></div>
            <div className="kpi"><div className="kpi-label">Est. gain / tax</div><div className="kpi-value"><span className={gainClass(proposal.estGainCents)}>{signedMoney(proposal.estGainCents)}</span> / {money(proposal.estTaxCents)}</div></div>
          </div>
          <ProposalDetails proposal={proposal} listTestId="trade-list" itemTestId="trade" grow />
        </>
      )}
    </aside>
  );
}
