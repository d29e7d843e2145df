// The review grid: one row per proposal (account, household, model, status, drift before/after, trades, buys,
// sells, estimated gains and taxes, warnings) for up to 100,000 rows. Rows arrive from the store's change records
// as AG Grid transactions (applyTransactionAsync batches them), never as a new 100,000-row array. Checkbox
// selection of draft proposals (select-all takes the filtered rows); a row click opens the trade drawer.
import { useEffect, useMemo, useRef } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, GridApi, IRowNode, RowClickedEvent } from 'ag-grid-community';
import { gridTheme } from '../../grid/ag-grid.ts';
import { gainClass, money, percent, signedMoney } from '../../grid/format.ts';
import { useAppStore } from '../../stores/app-store.ts';
import type { ReviewRow } from './review-rows.ts';

export interface ReviewFilter {
  text: string;
  status: string;
  warningsOnly: boolean;
  group: { by: 'model' | 'household'; key: string } | null;
}

export function passesFilter(r: ReviewRow, f: ReviewFilter): boolean {
  if (f.status !== 'all' && r.status !== f.status) return false;
  if (f.warningsOnly && r.warningCount === 0) return false;
  if (f.group && (f.group.by === 'model' ? r.modelId : r.householdId) !== f.group.key) return false;
  return true;
}

const moneyCol = (field: keyof ReviewRow, headerName: string, extra: Partial<ColDef<ReviewRow>> = {}): ColDef<ReviewRow> => ({
  field, headerName, type: 'rightAligned', filter: 'agNumberColumnFilter', width: 120, cellClass: 'num',
  valueFormatter: (p) => money(p.value as number), ...extra,
});
const driftCol = (field: keyof ReviewRow, headerName: string): ColDef<ReviewRow> => ({
  field, headerName, type: 'rightAligned', filter: 'agNumberColumnFilter', width: 96, cellClass: 'num',
  valueFormatter: (p) => percent(p.value as number),
});

const columns: ColDef<ReviewRow>[] = [
  { field: 'account', headerName: 'Account', filter: 'agTextColumnFilter', flex: 1.2, minWidth: 150 },
  { field: 'household', headerName: 'Household', filter: 'agTextColumnFilter', flex: 1.2, minWidth: 150 },
  { field: 'model', headerName: 'Model', filter: 'agTextColumnFilter', flex: 1, minWidth: 130 },
  { field: 'status', headerName: 'Status', width: 100, filter: 'agTextColumnFilter',
    cellRenderer: (p: { value: string }) => <span className={`badge ${p.value}`}>{p.value}</span> },
  driftCol('driftBefore', 'Drift before'),
  driftCol('driftAfter', 'Drift after'),
  { field: 'trades', headerName: 'Trades', width: 80, type: 'rightAligned', filter: 'agNumberColumnFilter', cellClass: 'num' },
  moneyCol('buyCents', 'Buys'),
  moneyCol('sellCents', 'Sells'),
  moneyCol('estGainCents', 'Est. gain', { valueFormatter: (p) => signedMoney(p.value as number), cellClass: (p) => `num ${gainClass(p.value as number)}` }),
  moneyCol('estTaxCents', 'Est. tax', { width: 110 }),
  { field: 'warnings', headerName: 'Warnings', filter: 'agTextColumnFilter', flex: 1.4, minWidth: 160, tooltipField: 'warnings', cellClass: 'warn-cell' },
];

export function ReviewGrid({ filter, onSelectionChange, onCountChange, onApi }: {
  filter: ReviewFilter;
  onSelectionChange(ids: string[]): void;
  onCountChange(shown: number, total: number): void;
  onApi?(api: GridApi<ReviewRow> | null): void;
}) {
  const store = useAppStore();
  const api = useRef<GridApi<ReviewRow> | null>(null);
  const filterRef = useRef(filter);
  filterRef.current = filter;
  // The initial rows once; later changes as transactions.
  const initialRows = useMemo(() => store.getState().rebalance.rows, [store]);
  const seen = useRef(store.getState().rebalance.change.seq);
  const report = () => {
    const a = api.current;
    if (a && !a.isDestroyed()) {
      let total = 0;
      a.forEachNode(() => { total++; });
      onCountChange(a.getDisplayedRowCount(), total);
    }
  };
  useEffect(() => store.subscribe((s) => {
    const c = s.rebalance.change;
    const a = api.current;
    if (c.seq === seen.current || !a || a.isDestroyed()) return;
    seen.current = c.seq;
    if (c.kind === 'reset') a.setGridOption('rowData', c.rows);
    else if (c.kind === 'add') a.applyTransactionAsync({ add: c.rows });
    else a.applyTransactionAsync({ update: c.rows });
  }), [store]);
  useEffect(() => {
    const a = api.current;
    if (a && !a.isDestroyed()) a.onFilterChanged();
  }, [filter.status, filter.warningsOnly, filter.group]);

  return (
    <div className="grid-host" data-testid="review-grid">
      <AgGridReact<ReviewRow>
        theme={gridTheme}
        rowData={initialRows}
        columnDefs={columns}
        defaultColDef={{ sortable: true, resizable: true }}
        getRowId={(p) => p.data.id}
        quickFilterText={filter.text}
        isExternalFilterPresent={() => filterRef.current.status !== 'all' || filterRef.current.warningsOnly || filterRef.current.group !== null}
        doesExternalFilterPass={(n: IRowNode<ReviewRow>) => !!n.data && passesFilter(n.data, filterRef.current)}
        rowSelection={{ mode: 'multiRow', checkboxes: true, headerCheckbox: true, selectAll: 'filtered', enableClickSelection: false,
          isRowSelectable: (n) => n.data?.status === 'draft' }}
        onSelectionChanged={(e) => onSelectionChange(e.api.getSelectedRows().map((r) => r.id))}
        onGridReady={(e) => { api.current = e.api; onApi?.(e.api); report(); }}
        onGridPreDestroyed={() => { api.current = null; onApi?.(null); }}
        onModelUpdated={report}
        onRowClicked={(e: RowClickedEvent<ReviewRow>) => {
          if ((e.event?.target as HTMLElement | null)?.closest('.ag-selection-checkbox')) return;
          if (e.data) store.getState().openTradeDrawer(e.data.id);
        }}
        asyncTransactionWaitMillis={100}
        animateRows={false}
        suppressCellFocus
        tooltipShowDelay={300}
      />
    </div>
  );
}
