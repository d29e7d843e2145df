// The grouped view of the review (AG Grid community has no row grouping): one aggregated row per model or
// household — proposals, trades, buys, sells, estimated gains and taxes, largest drift before/after, warnings,
// drafts and submitted. Clicking a group drills into its proposals in the detail grid.
import { useMemo } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef } from 'ag-grid-community';
import { gridTheme } from '../../grid/ag-grid.ts';
import { gainClass, money, percent, signedMoney } from '../../grid/format.ts';
import { useApp, useAppStore } from '../../stores/app-store.ts';
import { groupRows, type GroupRow } from './review-rows.ts';

const num = (field: keyof GroupRow, headerName: string, width = 96): ColDef<GroupRow> =>
  ({ field, headerName, width, type: 'rightAligned', filter: 'agNumberColumnFilter', cellClass: 'num' });
const moneyCol = (field: keyof GroupRow, headerName: string): ColDef<GroupRow> =>
  ({ ...num(field, headerName, 130), valueFormatter: (p) => money(p.value as number) });

export function GroupGrid({ by }: { by: 'model' | 'household' }) {
  const store = useAppStore();
  const rows = useApp((s) => s.rebalance.rows);
  // Added rows grow `rows` in place: the change sequence says when to regroup.
  const seq = useApp((s) => s.rebalance.change.seq);
  const groups = useMemo(() => groupRows(rows, by), [rows, seq, by]);
  const columns = useMemo<ColDef<GroupRow>[]>(() => [
    { field: 'name', headerName: by === 'model' ? 'Model' : 'Household', filter: 'agTextColumnFilter', flex: 1.4, minWidth: 180, cellClass: 'group-link' },
    num('proposals', 'Proposals'), num('drafts', 'Drafts'), num('submitted', 'Submitted', 100), num('trades', 'Trades'),
    { ...num('maxDriftBefore', 'Max drift before', 130), valueFormatter: (p) => percent(p.value as number) },
    { ...num('maxDriftAfter', 'Max drift after', 120), valueFormatter: (p) => percent(p.value as number) },
    moneyCol('buyCents', 'Buys'), moneyCol('sellCents', 'Sells'),
    { ...moneyCol('estGainCents', 'Est. gain'), valueFormatter: (p) => signedMoney(p.value as number), cellClass: (p) => `num ${gainClass(p.value as number)}` },
    moneyCol('estTaxCents', 'Est. tax'), num('warnings', 'Warnings'),
  ], [by]);
  return (
    <div className="grid-host" data-testid="group-grid">
      <AgGridReact<GroupRow>
        theme={gridTheme}
        rowData={groups}
        columnDefs={columns}
        defaultColDef={{ sortable: true, resizable: true }}
        getRowId={(p) => p.data.key}
        onRowClicked={(e) => e.data && store.getState().setGroupFilter({ by, key: e.data.key, name: e.data.name })}
        animateRows={false}
        suppressCellFocus
      />
    </div>
  );
}
