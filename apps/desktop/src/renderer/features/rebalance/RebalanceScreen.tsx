// The rebalance screen: the bulk job bar over the review — group-by (none / model / household), filters (text,
// status, warnings only), a Columns menu, the proposals grid or the grouped summary, bulk submit of the selected drafts, and the
// trade drawer beside the grid.
import { useCallback, useLayoutEffect, useState } from 'react';
import type { GridApi } from 'ag-grid-community';
import { PROPOSAL_STATUSES } from '@aw/domain';
import { ColumnsMenu } from '../../grid/ColumnsMenu.tsx';
import { useApp, useAppStore } from '../../stores/app-store.ts';
import { useRebalanceController } from './controller-context.ts';
import { GroupGrid } from './GroupGrid.tsx';
import { JobBar } from './JobBar.tsx';
import { ReviewGrid, type ReviewFilter } from './ReviewGrid.tsx';
import type { GroupBy, ReviewRow } from './review-rows.ts';
import { TradeDrawer } from './TradeDrawer.tsx';

export function RebalanceScreen() {
  const controller = useRebalanceController();
  const store = useAppStore();
  const groupBy = useApp((s) => s.rebalance.groupBy);
  const groupFilter = useApp((s) => s.rebalance.groupFilter);
  const drawerId = useApp((s) => s.rebalance.drawerId);
  const [text, setText] = useState('');
  const [status, setStatus] = useState('all');
  const [warningsOnly, setWarningsOnly] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [counts, setCounts] = useState({ shown: 0, total: 0 });
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [gridApi, setGridApi] = useState<GridApi<ReviewRow> | null>(null);
  // A layout effect: the first page is requested before the grid's own (passive) effect builds the grid, so the
  // worker reads while the grid is created.
  useLayoutEffect(() => { void controller.ensureLoaded(); }, [controller]);
  const onCountChange = useCallback((shown: number, total: number) => setCounts((c) => (c.shown === shown && c.total === total ? c : { shown, total })), []);
  const filter: ReviewFilter = { text, status, warningsOnly, group: groupFilter };

  const submit = async () => {
    setSubmitting(true);
    setNotice(null);
    try {
      const n = await controller.submit(selected);
      setNotice({ kind: 'ok', text: `${n.toLocaleString('en-US')} proposals submitted for approval` });
    } catch (err) {
      setNotice({ kind: 'error', text: `Submit failed: ${(err as Error).message}` });
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className={`rebalance-screen ${drawerId ? 'with-drawer' : ''}`} data-testid="rebalance-screen">
      <section className="book-main">
        <JobBar />
        <div className="toolbar">
          <h1 className="screen-title">Review</h1>
          <select className="select" aria-label="Group by" data-testid="group-by" value={groupBy}
            onChange={(e) => store.getState().setGroupBy(e.target.value as GroupBy)}>
            <option value="none">No grouping</option>
            <option value="model">Group by model</option>
            <option value="household">Group by household</option>
          </select>
          {groupBy === 'none' && (
            <>
              <input className="search" type="search" placeholder="Filter proposals…" aria-label="Filter proposals" data-testid="review-search"
                value={text} onChange={(e) => setText(e.target.value)} />
              <select className="select" aria-label="Status" data-testid="status-filter" value={status} onChange={(e) => setStatus(e.target.value)}>
                <option value="all">All statuses</option>
                {PROPOSAL_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
              </select>
              <label className="check"><input type="checkbox" checked={warningsOnly} data-testid="warnings-only"
                onChange={(e) => setWarningsOnly(e.target.checked)} /> With warnings</label>
              <ColumnsMenu api={gridApi} testId="review-columns" />
              {groupFilter && (
                <span className="drill" data-testid="group-filter">{groupFilter.by === 'model' ? 'Model' : 'Household'}: {groupFilter.name}
                  <button type="button" className="icon-button" aria-label="Clear group filter" onClick={() => store.getState().setGroupFilter(null)}>✕</button>
                </span>
              )}
            </>
          )}
          <span className="muted count" data-testid="review-count">
            {groupBy === 'none' ? `${counts.shown.toLocaleString('en-US')} of ${counts.total.toLocaleString('en-US')} proposals · ${selected.length.toLocaleString('en-US')} selected` : ''}
          </span>
          <button type="button" className="btn primary" data-testid="submit-selected" disabled={groupBy !== 'none' || selected.length === 0 || submitting}
            onClick={() => void submit()}>
            Submit {selected.length > 0 ? selected.length.toLocaleString('en-US') : ''} for approval
          </button>
        </div>
        {notice && <div className={`banner ${notice.kind === 'error' ? 'error' : 'ok'}`} data-testid="review-notice">{notice.text}</div>}
        <div className="workspace-screen" hidden={groupBy !== 'none'}>
          <ReviewGrid filter={filter} onSelectionChange={setSelected} onCountChange={onCountChange} onApi={setGridApi} />
        </div>
        {groupBy !== 'none' && <GroupGrid by={groupBy} />}
      </section>
      {drawerId && <TradeDrawer proposalId={drawerId} />}
    </div>
  );
}
