// The review grid: one row per proposal (account, household, model, status, drift before/after, trades, buys,
// sells, estimated gains and taxes, warnings) for up to 100,000 rows. Rows arrive from the store's change records
// as AG Grid transactions (applyTransactionAsync batches them), never as a new 100,000-row array. Checkbox
// selection of draft proposals (select-all takes the filtered rows); a row click opens the trade drawer.
// The grid is AG Grid's own DOM renderer (createGrid), not ag-grid-react: React-rendered rows and cells cost
// 100–200 ms of main-thread time per fast scroll step at this size, the DOM renderer a fraction of that. Every
// cell is plain text (formatters and CSS classes: no cell renderers, no tooltips) and only 4 rows are rendered
// beyond the viewport: a fast scroll step builds ~20 new rows, and each cell component costs.
import { useEffect, useRef } from 'react';
import { createGrid, type ColDef, type GetRowIdParams, type GridApi, type GridOptions, type IRowNode,
  type RowSelectionOptions } from 'ag-grid-community';
import { gridTheme } from '../../grid/ag-grid.ts';
import { gainClass, percent } from '../../grid/format.ts';
import { useAppStore } from '../../stores/app-store.ts';
import { reviewMoney, type ReviewRow } from './review-rows.ts';

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
  valueFormatter: (p) => reviewMoney(p.value as number), ...extra,
});
const driftCol = (field: keyof ReviewRow, headerName: string): ColDef<ReviewRow> => ({
  field, headerName, type: 'rightAligned', filter: 'agNumberColumnFilter', width: 96, cellClass: 'num',
  valueFormatter: (p) => percent(p.value as number),
});

const columns: ColDef<ReviewRow>[] = [
  { field: 'account', headerName: 'Account', filter: 'agTextColumnFilter', flex: 1.2, minWidth: 150 },
  { field: 'household', headerName: 'Household', filter: 'agTextColumnFilter', flex: 1.2, minWidth: 150 },
  { field: 'model', headerName: 'Model', filter: 'agTextColumnFilter', flex: 1, minWidth: 130 },
  { field: 'status', headerName: 'Status', width: 100, filter: 'agTextColumnFilter', cellClass: (p) => `status-cell ${p.value as string}` },
  driftCol('driftBefore', 'Drift before'),
  driftCol('driftAfter', 'Drift after'),
  { field: 'trades', headerName: 'Trades', width: 80, type: 'rightAligned', filter: 'agNumberColumnFilter', cellClass: 'num' },
  moneyCol('buyCents', 'Buys'),
  moneyCol('sellCents', 'Sells'),
  moneyCol('estGainCents', 'Est. gain', { valueFormatter: (p) => reviewMoney(p.value as number, true), cellClass: (p) => `num ${gainClass(p.value as number)}` }),
  moneyCol('estTaxCents', 'Est. tax', { width: 110 }),
  { field: 'warnings', headerName: 'Warnings', filter: 'agTextColumnFilter', flex: 1.4, minWidth: 160, cellClass: 'warn-cell' },
];

// Grid options shared by every mount; the grid is created once per mount and later changes go through the API
// (ag-grid-react re-processed any option whose identity changed: an inline defaultColDef rebuilt every column on
// every count update).
const defaultColDef: ColDef<ReviewRow> = { sortable: true, resizable: true };
const rowSelection: RowSelectionOptions<ReviewRow> = {
  mode: 'multiRow', checkboxes: true, headerCheckbox: true, selectAll: 'filtered', enableClickSelection: false,
  isRowSelectable: (n) => n.data?.status === 'draft',
};
const getRowId = (p: GetRowIdParams<ReviewRow>) => p.data.id;

export function ReviewGrid({ filter, onSelectionChange, onCountChange, onApi }: {
  filter: ReviewFilter;
  onSelectionChange(ids: string[]): void;
  onCountChange(shown: number, total: number): void;
  onApi?(api: GridApi<ReviewRow> | null): void;
}) {
  const store = useAppStore();
  const host = useRef<HTMLDivElement>(null);
  const api = useRef<GridApi<ReviewRow> | null>(null);
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const props = useRef({ onSelectionChange, onCountChange, onApi });
  props.current = { onSelectionChange, onCountChange, onApi };

  useEffect(() => {
    const report = () => {
      const a = api.current;
      if (a && !a.isDestroyed()) {
        let total = 0;
        a.forEachNode(() => { total++; });
        props.current.onCountChange(a.getDisplayedRowCount(), total);
      }
    };
    const f = () => filterRef.current;
    const options: GridOptions<ReviewRow> = {
      theme: gridTheme,
      // The rows so far at once; later changes as transactions.
      rowData: store.getState().rebalance.rows,
      columnDefs: columns,
      defaultColDef,
      getRowId,
      quickFilterText: f().text,
      isExternalFilterPresent: () => f().status !== 'all' || f().warningsOnly || f().group !== null,
      doesExternalFilterPass: (n: IRowNode<ReviewRow>) => !!n.data && passesFilter(n.data, f()),
      rowSelection,
      onSelectionChanged: (e) => props.current.onSelectionChange(e.api.getSelectedRows().map((r) => r.id)),
      onModelUpdated: report,
      onRowClicked: (e) => {
        if ((e.event?.target as HTMLElement | null)?.closest('.ag-selection-checkbox')) return;
        if (e.data) store.getState().openTradeDrawer(e.data.id);
      },
      // Each applied batch re-runs the row pipeline over every row (~100,000): a few large batches, not many small.
      asyncTransactionWaitMillis: 500,
      animateRows: false,
      suppressCellFocus: true,
      rowBuffer: 4,
    };
    let seen = store.getState().rebalance.change.seq;
    const a = createGrid(host.current!, options);
    api.current = a;
    props.current.onApi?.(a);
    report();
    const unsubscribe = store.subscribe((s) => {
      const c = s.rebalance.change;
      if (c.seq === seen || a.isDestroyed()) return;
      seen = c.seq;
      if (c.kind === 'reset') a.setGridOption('rowData', c.rows);
      else if (c.kind === 'add') a.applyTransactionAsync({ add: c.rows });
      else a.applyTransactionAsync({ update: c.rows });
    });
    return () => {
      unsubscribe();
      api.current = null;
      props.current.onApi?.(null);
      a.destroy();
    };
  }, [store]);
  useEffect(() => {
    const a = api.current;
    if (a && !a.isDestroyed()) a.setGridOption('quickFilterText', filter.text);
  }, [filter.text]);
  useEffect(() => {
    const a = api.current;
    if (a && !a.isDestroyed()) a.onFilterChanged();
  }, [filter.status, filter.warningsOnly, filter.group]);

  return (
    <div className="grid-host" data-testid="review-grid">
      <div ref={host} style={{ height: '100%', width: '100%' }} />
    </div>
  );
}
