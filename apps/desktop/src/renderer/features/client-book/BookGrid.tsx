// The client book grid: one row per account (household, account, type, market value, cash, model, drift), quick
// search, an account-type filter and column filters. Clicking a row opens its household.
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, GridApi, IRowNode, RowClickedEvent } from 'ag-grid-community';
import { gridTheme } from '../../grid/ag-grid.ts';
import { ACCOUNT_TYPE_LABELS, gainClass, money, signedMoney } from '../../grid/format.ts';
import { useApp, useAppStore } from '../../stores/app-store.ts';
import { bookRows, type BookRow } from './book-rows.ts';

const moneyCol = (field: keyof BookRow, headerName: string, extra: Partial<ColDef<BookRow>> = {}): ColDef<BookRow> => ({
  field, headerName, type: 'rightAligned', filter: 'agNumberColumnFilter', width: 140,
  valueFormatter: (p) => money(p.value as number | null), ...extra,
});

const allColumns: ColDef<BookRow>[] = [
  { field: 'household', headerName: 'Household', filter: 'agTextColumnFilter', flex: 1.3, minWidth: 160 },
  { field: 'account', headerName: 'Account', filter: 'agTextColumnFilter', flex: 1.2, minWidth: 150 },
  { field: 'type', headerName: 'Type', width: 96, filter: 'agTextColumnFilter', valueFormatter: (p) => ACCOUNT_TYPE_LABELS[p.value as string] ?? String(p.value) },
  { field: 'custodian', headerName: 'Custodian', width: 110, filter: 'agTextColumnFilter' },
  moneyCol('marketValueCents', 'Market value', { sort: 'desc', cellClass: 'num strong' }),
  moneyCol('cashCents', 'Cash', { width: 120, cellClass: 'num' }),
  moneyCol('unrealizedCents', 'Unrealized', {
    width: 130, valueFormatter: (p) => signedMoney(p.value as number | null), cellClass: (p) => `num ${gainClass(p.value as number | null)}`,
  }),
  { field: 'model', headerName: 'Model', filter: 'agTextColumnFilter', flex: 1, minWidth: 140 },
  { field: 'drift', headerName: 'Drift', width: 80, type: 'rightAligned', valueFormatter: () => '—', headerTooltip: 'Drift from the model (with rebalancing)' },
];

/** Beside the household panel the grid keeps the columns that matter most (no custodian, model or drift). */
const COMPACT_HIDDEN = new Set(['custodian', 'model', 'drift']);

export function BookGrid({ onCountChange, compact }: { onCountChange(shown: number, total: number): void; compact: boolean }) {
  const columns = useMemo(() => allColumns.map((c) => ({ ...c, hide: compact && COMPACT_HIDDEN.has(String(c.field)) })), [compact]);
  const store = useAppStore();
  const households = useApp((s) => s.book.households);
  const accounts = useApp((s) => s.book.accounts);
  const models = useApp((s) => s.book.models);
  const valuations = useApp((s) => s.valuation.accounts);
  const search = useApp((s) => s.filter.search);
  const accountType = useApp((s) => s.filter.accountType);
  const selectedId = useApp((s) => s.household.selectedId);
  const rows = useMemo(() => bookRows(households, accounts, models, valuations), [households, accounts, models, valuations]);
  const api = useRef<GridApi<BookRow> | null>(null);
  const typeRef = useRef(accountType);
  typeRef.current = accountType;
  useEffect(() => {
    if (api.current && !api.current.isDestroyed()) api.current.onFilterChanged();
  }, [accountType]);

  const report = useCallback(() => {
    const a = api.current;
    if (a && !a.isDestroyed()) onCountChange(a.getDisplayedRowCount(), a.getGridOption('rowData')?.length ?? 0);
  }, [onCountChange]);

  return (
    <div className="grid-host" data-testid="book-grid">
      <AgGridReact<BookRow>
        theme={gridTheme}
        rowData={rows}
        columnDefs={columns}
        defaultColDef={{ sortable: true, resizable: true, suppressHeaderMenuButton: false }}
        getRowId={(p) => p.data.accountId}
        quickFilterText={search}
        isExternalFilterPresent={() => typeRef.current !== 'all'}
        doesExternalFilterPass={(n: IRowNode<BookRow>) => n.data?.type === typeRef.current}
        rowClassRules={{ 'row-selected-household': (p) => p.data?.householdId === selectedId }}
        onGridReady={(e) => { api.current = e.api; report(); }}
        onModelUpdated={report}
        onRowClicked={(e: RowClickedEvent<BookRow>) => e.data && store.getState().selectHousehold(e.data.householdId)}
        animateRows={false}
        suppressCellFocus
        tooltipShowDelay={300}
      />
    </div>
  );
}
