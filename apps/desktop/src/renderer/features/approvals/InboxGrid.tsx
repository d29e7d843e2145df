// The inbox grid: one row per proposal of the team that left the drafts (account, household, model, author,
// submitted at, status badge, trades, buys, sells, estimated gain and tax, warnings, execution progress,
// approver). Rows arrive from the inbox store's change records as AG Grid transactions; statuses update live as
// replication brings them. Checkbox selection of submitted proposals only, for reviewers (plain-DOM boxes,
// grid/selection-column.ts, ids held here; the header box selects the filtered submitted ones); a row click opens
// the detail drawer.
import { useEffect, useMemo, useRef } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, GridApi, IRowNode, RowClickedEvent } from 'ag-grid-community';
import { gridTheme } from '../../grid/ag-grid.ts';
import { gainClass, money, signedMoney } from '../../grid/format.ts';
import { bindSelectionBoxes, redrawSelection, selectionColumn, type SelectionModel } from '../../grid/selection-column.ts';
import { useApprovalsRuntime } from './approvals-context.ts';
import { formatDateTime, passesInboxFilter, statusBadge, type InboxFilter, type InboxRow } from './inbox-rows.ts';

const moneyCol = (field: keyof InboxRow, headerName: string, extra: Partial<ColDef<InboxRow>> = {}): ColDef<InboxRow> => ({
  field, headerName, type: 'rightAligned', filter: 'agNumberColumnFilter', width: 116, cellClass: 'num',
  valueFormatter: (p) => money(p.value as number), ...extra,
});

export function StatusBadge({ status }: { status: InboxRow['status'] }) {
  const b = statusBadge(status);
  return <span className={`badge ${status}`} title={b.hint} data-status={status}>{b.label}</span>;
}

const dataColumns: ColDef<InboxRow>[] = [
  { field: 'account', headerName: 'Account', filter: 'agTextColumnFilter', flex: 1.2, minWidth: 150 },
  { field: 'household', headerName: 'Household', filter: 'agTextColumnFilter', flex: 1.1, minWidth: 140 },
  { field: 'model', headerName: 'Model', filter: 'agTextColumnFilter', flex: 1, minWidth: 120 },
  { field: 'author', headerName: 'Author', filter: 'agTextColumnFilter', width: 90 },
  { field: 'submittedAt', headerName: 'Submitted', width: 130, sort: 'desc', valueFormatter: (p) => formatDateTime(p.value as number) },
  { field: 'status', headerName: 'Status', width: 100, filter: 'agTextColumnFilter', cellRenderer: (p: { value: InboxRow['status'] }) => <StatusBadge status={p.value} /> },
  { field: 'trades', headerName: 'Trades', width: 78, type: 'rightAligned', filter: 'agNumberColumnFilter', cellClass: 'num' },
  moneyCol('buyCents', 'Buys'),
  moneyCol('sellCents', 'Sells'),
  moneyCol('estGainCents', 'Est. gain', { valueFormatter: (p) => signedMoney(p.value as number), cellClass: (p) => `num ${gainClass(p.value as number)}` }),
  moneyCol('estTaxCents', 'Est. tax', { width: 104 }),
  { field: 'warnings', headerName: 'Warnings', filter: 'agTextColumnFilter', flex: 1.2, minWidth: 140, tooltipField: 'warnings', cellClass: 'warn-cell' },
  { field: 'execution', headerName: 'Execution', width: 170, filter: 'agTextColumnFilter' },
  { field: 'approver', headerName: 'Decided by', width: 96, filter: 'agTextColumnFilter' },
];

/** What the screen may do with the grid: clear the selection (after a decision). */
export interface InboxGridHandle { clearSelection(): void }

const decidable = (r: InboxRow) => r.status === 'submitted';

export function InboxGrid({ filter, text, canDecide, onSelectionChange, onCountChange, onHandle }: {
  filter: InboxFilter;
  text: string;
  canDecide: boolean;
  onSelectionChange(ids: string[]): void;
  onCountChange(shown: number, total: number): void;
  onHandle?(handle: InboxGridHandle | null): void;
}) {
  const { store } = useApprovalsRuntime();
  const api = useRef<GridApi<InboxRow> | null>(null);
  const host = useRef<HTMLDivElement>(null);
  const notifySelection = useRef(onSelectionChange);
  notifySelection.current = onSelectionChange;
  // The selected ids (submitted proposals only) and the selection column over them.
  const selected = useRef(new Set<string>());
  const { selection, selectionChanged } = useMemo(() => {
    const ids = selected.current;
    const changed = () => {
      if (host.current && api.current) redrawSelection(host.current, api.current, model);
      notifySelection.current([...ids]);
    };
    const model: SelectionModel<InboxRow> = {
      selectable: decidable,
      isSelected: (id) => ids.has(id),
      anySelected: () => ids.size > 0,
      toggle(id, on) {
        const row = api.current?.getRowNode(id)?.data;
        if (on && row && decidable(row)) ids.add(id); else ids.delete(id);
        changed();
      },
      toggleAll(on) {
        ids.clear();
        if (on) api.current?.forEachNodeAfterFilter((n) => { if (n.data && decidable(n.data)) ids.add(n.data.id); });
        changed();
      },
    };
    return { selection: model, selectionChanged: changed };
  }, []);
  /** Keeps the selected ids `keep` accepts (still decidable, still there); tells the screen if any went. */
  const pruneSelection = (keep: (id: string) => boolean) => {
    let dropped = false;
    for (const id of selected.current) if (!keep(id)) { selected.current.delete(id); dropped = true; }
    if (dropped) selectionChanged();
  };
  const columns = useMemo(() => (canDecide ? [selectionColumn(selection, 'Select all filtered submitted proposals'), ...dataColumns] : dataColumns),
    [canDecide, selection]);
  useEffect(() => {
    const el = host.current;
    if (!el) return undefined;
    const unbind = bindSelectionBoxes(el, selection);
    onHandle?.({ clearSelection: () => selection.toggleAll(false) });
    return () => { unbind(); onHandle?.(null); };
  }, [selection, onHandle]);
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const initialRows = useMemo(() => [...store.getState().rows.values()], [store]);
  const seen = useRef(store.getState().change.seq);
  const report = () => {
    const a = api.current;
    if (a && !a.isDestroyed()) {
      let total = 0;
      a.forEachNode(() => { total++; });
      onCountChange(a.getDisplayedRowCount(), total);
    }
  };
  useEffect(() => store.subscribe((s) => {
    const c = s.change;
    const a = api.current;
    if (c.seq === seen.current || !a || a.isDestroyed()) return;
    seen.current = c.seq;
    const rows = new Map(c.rows.map((r) => [r.id, r]));
    // A proposal that left 'submitted' (or the inbox) can no longer be decided: it leaves the selection.
    if (c.kind === 'reset') {
      a.setGridOption('rowData', c.rows);
      pruneSelection((id) => { const r = rows.get(id); return !!r && decidable(r); });
    } else if (c.kind === 'add') a.applyTransactionAsync({ add: c.rows });
    else if (c.kind === 'update') {
      a.applyTransactionAsync({ update: c.rows }, () => pruneSelection((id) => { const r = rows.get(id); return !r || decidable(r); }));
    } else a.applyTransactionAsync({ remove: c.rows }, () => pruneSelection((id) => !rows.has(id)));
  }), [store]);
  useEffect(() => {
    const a = api.current;
    if (a && !a.isDestroyed()) a.onFilterChanged();
  }, [filter.status, filter.warningsOnly, filter.authorId]);

  return (
    <div className="grid-host" data-testid="approvals-grid" ref={host}>
      <AgGridReact<InboxRow>
        theme={gridTheme}
        rowData={initialRows}
        columnDefs={columns}
        defaultColDef={{ sortable: true, resizable: true }}
        getRowId={(p) => p.data.id}
        quickFilterText={text}
        isExternalFilterPresent={() => filterRef.current.status !== 'all' || filterRef.current.warningsOnly || filterRef.current.authorId !== ''}
        doesExternalFilterPass={(n: IRowNode<InboxRow>) => !!n.data && passesInboxFilter(n.data, filterRef.current)}
        onGridReady={(e) => { api.current = e.api; report(); }}
        onGridPreDestroyed={() => { api.current = null; }}
        onModelUpdated={report}
        onRowClicked={(e: RowClickedEvent<InboxRow>) => {
          if ((e.event?.target as HTMLElement | null)?.closest('.ag-selection-checkbox')) return;
          if (e.data) store.getState().openDrawer(e.data.id);
        }}
        asyncTransactionWaitMillis={100}
        animateRows={false}
        suppressCellFocus
        tooltipShowDelay={300}
      />
    </div>
  );
}
