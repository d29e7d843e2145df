// Tax-loss harvesting candidates of a household (taxable accounts): the loss, estimated tax saved at the
// household's bracket, the replacement from the same TLH group, and wash-sale warnings (a recent purchase in any
// of the household's accounts blocks the sale until a date). Computed in the analytics worker.
import { useMemo } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef } from 'ag-grid-community';
import { gridTheme } from '../../grid/ag-grid.ts';
import { money, quantity } from '../../grid/format.ts';
import { useApp } from '../../stores/app-store.ts';
import type { HarvestCandidate } from '../../workers/analytics-client.ts';
import { Progress } from './Progress.tsx';

export function HarvestView() {
  const harvest = useApp((s) => s.analytics.harvest);
  const householdId = useApp((s) => s.analytics.householdId);
  const accounts = useApp((s) => s.book.accounts);
  const names = useMemo(() => new Map(accounts.map((a) => [a.id, a.name])), [accounts]);
  const r = harvest.householdId === householdId ? harvest.result : null;
  const columns = useMemo<ColDef<HarvestCandidate>[]>(() => [
    { headerName: 'Account', valueGetter: (p) => names.get(p.data!.accountId) ?? p.data!.accountId, colId: 'account', flex: 1.2 },
    { headerName: 'Symbol', field: 'symbol', width: 90 },
    { headerName: 'Shares', field: 'quantity', valueFormatter: (p) => quantity(p.value), type: 'rightAligned', width: 100 },
    { headerName: 'Basis', field: 'basisCents', valueFormatter: (p) => money(p.value), type: 'rightAligned' },
    { headerName: 'Market value', field: 'marketValueCents', valueFormatter: (p) => money(p.value), type: 'rightAligned' },
    { headerName: 'Unrealized loss', field: 'unrealizedLossCents', valueFormatter: (p) => money(-p.value), type: 'rightAligned', cellClass: 'loss' },
    { headerName: 'Short / long term', colId: 'term', valueGetter: (p) => `${money(p.data!.shortTermLossCents)} / ${money(p.data!.longTermLossCents)}`, type: 'rightAligned', flex: 1.2 },
    { headerName: 'Est. tax saved', field: 'estimatedTaxSavedCents', valueFormatter: (p) => money(p.value), type: 'rightAligned', cellClass: 'gain', sort: 'desc' },
    { headerName: 'Replacement', field: 'replacement', valueFormatter: (p) => p.value ?? '—', width: 110 },
    { headerName: 'Wash-sale warning', field: 'washSaleBlockedUntil', flex: 1.4,
      valueFormatter: (p) => (p.value ? `Blocked until ${p.value}: recent purchase` : `OK · no rebuy through ${p.data!.noRepurchaseThrough}`),
      cellClass: (p) => (p.value ? 'warn-cell' : 'muted') },
  ], [names]);
  if (!householdId) return <div className="analytics-empty">Choose a household to scan for tax-loss harvesting.</div>;
  return (
    <div className="analytics-view" data-testid="harvest-view" data-status={harvest.householdId === householdId ? harvest.status : 'idle'}>
      {harvest.status === 'loading' && <Progress progress={harvest.progress} testId="harvest-progress" />}
      {harvest.status === 'error' && <div className="banner error" data-testid="harvest-error">Could not scan: {harvest.error}</div>}
      {r && (
        <div className="kpis">
          <div className="kpi"><div className="kpi-label">Candidates</div><div className="kpi-value" data-testid="harvest-count">{r.candidates.length}</div></div>
          <div className="kpi"><div className="kpi-label">Harvestable losses</div><div className="kpi-value loss" data-testid="harvest-loss">{money(r.totalLossCents)}</div></div>
          <div className="kpi"><div className="kpi-label">Est. tax saved</div><div className="kpi-value gain" data-testid="harvest-saved">{money(r.totalTaxSavedCents)}</div></div>
          <div className="kpi"><div className="kpi-label">Wash-sale blocked</div><div className="kpi-value" data-testid="harvest-blocked">{r.candidates.filter((c) => c.washSaleBlockedUntil).length}</div></div>
          <div className="kpi"><div className="kpi-label">Prices as of</div><div className="kpi-value">{r.asOf}</div></div>
        </div>
      )}
      <div className="analytics-grid" data-testid="harvest-grid">
        <AgGridReact<HarvestCandidate> theme={gridTheme} rowData={r?.candidates ?? []} columnDefs={columns}
          getRowId={(p) => `${p.data.accountId}|${p.data.symbol}`} defaultColDef={{ sortable: true, resizable: true, flex: 1 }}
          overlayNoRowsTemplate={harvest.status === 'loading' ? 'Scanning…' : 'No lots below their basis in taxable accounts.'} />
      </div>
    </div>
  );
}
