// A proposal's explanation, shared by the review drawer and the approvals inbox: why it was proposed, its warnings,
// and its trades (side, symbol, quantity, price, amount, estimated gain on sells) each with the engine's reason.
import type { Proposal } from '@aw/domain';
import { gainClass, money, price, quantity, signedMoney } from '../../grid/format.ts';

export function ProposalDetails({ proposal, listTestId, itemTestId, grow = false }: {
  proposal: Pick<Proposal, 'reason' | 'warnings' | 'trades'>;
  listTestId: string;
  itemTestId: string;
  /** The trade list takes the drawer's remaining height. */
  grow?: boolean;
}) {
  return (
    <>
      <div className="panel-section"><div className="section-title">Why</div><div>{proposal.reason}</div></div>
      {proposal.warnings.length > 0 && (
        <div className="panel-section"><div className="section-title">Warnings</div>
          <ul className="warning-list">{proposal.warnings.map((w, i) => <li key={i}>{w}</li>)}</ul>
        </div>
      )}
      <div className={grow ? 'panel-section grow' : 'panel-section'}>
        <div className="section-title">Trades <span className="muted">{proposal.trades.length}</span></div>
        <ol className="trade-list" data-testid={listTestId}>
          {proposal.trades.map((t, i) => (
            <li className="trade" key={i} data-testid={itemTestId}>
              <div className="trade-head">
                <span className={`trade-side ${t.side}`}>{t.side.toUpperCase()}</span>
                <b>{t.symbol}</b>
                <span>{quantity(t.quantity)} @ {price(t.price)}</span>
                {t.side === 'sell' && <span className={gainClass(t.estGainCents)}>gain {signedMoney(t.estGainCents)}</span>}
                <span className="trade-amount">{money(t.amountCents)}</span>
              </div>
              <div className="trade-reason" data-testid="trade-reason">{t.reason}</div>
            </li>
          ))}
        </ol>
      </div>
    </>
  );
}
