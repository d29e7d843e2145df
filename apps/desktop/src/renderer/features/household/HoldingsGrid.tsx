// Holdings of the selected household: one row per account and symbol, with cost basis, unrealized gain and its
// short/long-term split.
import { useMemo } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef } from 'ag-grid-community';
import { gridTheme } from '../../grid/ag-grid.ts';
import { gainClass, money, price, quantity, signedMoney } from '../../grid/format.ts';
import type { HoldingValuation } from '../../workers/valuation-client.ts';

type Row = HoldingValuation & { accountLabel: string };

const gainCol = (field: keyof Row, headerName: string): ColDef<Row> => ({
  field, headerName, type: 'rightAligned', width: 118, filter: 'agNumberColumnFilter',
  valueFormatter: (p) => signedMoney(p.value as number), cellClass: (p) => `num ${gainClass(p.value as number)}`,
});

const columns: ColDef<Row>[] = [
  { field: 'accountLabel', headerName: 'Account', width: 140, filter: 'agTextColumnFilter' },
  { field: 'symbol', headerName: 'Symbol', width: 84, pinned: 'left', cellClass: 'strong', filter: 'agTextColumnFilter' },
  { field: 'name', headerName: 'Name', width: 180, filter: 'agTextColumnFilter' },
  { field: 'quantity', headerName: 'Quantity', type: 'rightAligned', width: 96, valueFormatter: (p) => quantity(p.value as number), cellClass: 'num' },
  { field: 'price', headerName: 'Price', type: 'rightAligned', width: 90, valueFormatter: (p) => price(p.value as number | null), cellClass: 'num' },
  { field: 'marketValueCents', headerName: 'Market value', type: 'rightAligned', width: 124, sort: 'desc', valueFormatter: (p) => money(p.value as number), cellClass: 'num strong' },
  { field: 'costBasisCents', headerName: 'Cost basis', type: 'rightAligned', width: 118, valueFormatter: (p) => money(p.value as number), cellClass: 'num' },
  gainCol('unrealizedCents', 'Unrealized'),
  gainCol('shortTermGainCents', 'Short-term'),
  gainCol('longTermGainCents', 'Long-term'),
  { field: 'term', headerName: 'Term', width: 76, valueFormatter: (p) => (p.value === 'mixed' ? 'Mixed' : p.value === 'long' ? 'Long' : 'Short') },
  { field: 'assetClass', headerName: 'Asset class', width: 130, filter: 'agTextColumnFilter' },
];

export function HoldingsGrid({ holdings, accountNames }: { holdings: HoldingValuation[] | null; accountNames: Record<string, string> }) {
  const rows = useMemo<Row[] | null>(() => holdings && holdings.map((h) => ({ ...h, accountLabel: accountNames[h.accountId] ?? h.accountId })),
    [holdings, accountNames]);
  return (
    <div className="grid-host" data-testid="holdings-grid">
      <AgGridReact<Row>
        theme={gridTheme}
        rowData={rows}
        loading={rows === null}
        columnDefs={columns}
        defaultColDef={{ sortable: true, resizable: true }}
        getRowId={(p) => `${p.data.accountId}|${p.data.symbol}`}
        suppressCellFocus
        animateRows={false}
      />
    </div>
  );
}
