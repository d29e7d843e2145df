// Holdings of the selected household: one row per account and symbol, with the price (live or the local close),
// its age and a stale marker, the day's change, cost basis, unrealized gain and its short/long-term split.
// Reports the symbols of the rows on screen (AG Grid's rendered rows, no buffer rows) so only those are streamed.
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, GridApi } from 'ag-grid-community';
import { gridTheme } from '../../grid/ag-grid.ts';
import { gainClass, money, price, quantity, signedMoney } from '../../grid/format.ts';
import type { HoldingValuation, PriceSource } from '../../workers/valuation-client.ts';
import { formatAge, isPriceStale } from '../market/price-age.ts';
import { useNow } from '../market/use-price-feed.ts';

export type Row = HoldingValuation & {
  accountLabel: string;
  /** Value now minus value at the close; null when valued at the close. */
  dayChangeCents: number | null;
  source: PriceSource | null;
};

interface Ctx { now: number; feedUp: boolean }

const stale = (r: Row | undefined, ctx: Ctx): boolean =>
  !!r?.source && isPriceStale(r.source.timeMs, ctx.now, ctx.feedUp);

const gainCol = (field: keyof Row, headerName: string): ColDef<Row> => ({
  field, headerName, type: 'rightAligned', width: 118, filter: 'agNumberColumnFilter',
  valueFormatter: (p) => signedMoney(p.value as number), cellClass: (p) => `num ${gainClass(p.value as number)}`,
});

const columns: ColDef<Row>[] = [
  { field: 'accountLabel', headerName: 'Account', width: 140, filter: 'agTextColumnFilter' },
  { field: 'symbol', headerName: 'Symbol', width: 84, pinned: 'left', cellClass: 'strong', filter: 'agTextColumnFilter' },
  { field: 'name', headerName: 'Name', width: 180, filter: 'agTextColumnFilter' },
  { field: 'quantity', headerName: 'Quantity', type: 'rightAligned', width: 96, valueFormatter: (p) => quantity(p.value as number), cellClass: 'num' },
  {
    field: 'price', headerName: 'Price', type: 'rightAligned', width: 96, valueFormatter: (p) => price(p.value as number | null),
    cellClass: (p) => `num ${p.data?.source?.source === 'live' ? 'live-price' : 'close-price'} ${stale(p.data, p.context as Ctx) ? 'stale' : ''}`,
  },
  {
    colId: 'priceAge', headerName: 'Age', width: 104, sortable: false,
    valueGetter: (p) => (p.data?.source ? formatAge((p.context as Ctx).now - p.data.source.timeMs) : '—'),
    cellRenderer: (p: { value: string; data?: Row; context: Ctx }) => (
      <span className={stale(p.data, p.context) ? 'stale-age' : 'fresh-age'} title={p.data?.source?.source === 'live' ? 'Live price' : 'Local daily close'}>
        {stale(p.data, p.context) && <span className="stale-mark" aria-label="stale">⚠ </span>}{p.value}{p.data?.source?.source === 'close' ? ' · close' : ''}
      </span>
    ),
  },
  { field: 'marketValueCents', headerName: 'Market value', type: 'rightAligned', width: 124, sort: 'desc', valueFormatter: (p) => money(p.value as number), cellClass: 'num strong' },
  { ...gainCol('dayChangeCents', 'Today'), valueFormatter: (p) => (p.value === null ? '—' : signedMoney(p.value as number)) },
  { field: 'costBasisCents', headerName: 'Cost basis', type: 'rightAligned', width: 118, valueFormatter: (p) => money(p.value as number), cellClass: 'num' },
  gainCol('unrealizedCents', 'Unrealized'),
  gainCol('shortTermGainCents', 'Short-term'),
  gainCol('longTermGainCents', 'Long-term'),
  { field: 'term', headerName: 'Term', width: 76, valueFormatter: (p) => (p.value === 'mixed' ? 'Mixed' : p.value === 'long' ? 'Long' : 'Short') },
  { field: 'assetClass', headerName: 'Asset class', width: 130, filter: 'agTextColumnFilter' },
];

/** Distinct symbols of the rows AG Grid renders now (rowBuffer 0: the rows in the viewport). */
function shownSymbols(api: GridApi<Row>): string[] {
  const out = new Set<string>();
  for (const n of api.getRenderedNodes()) if (n.data) out.add(n.data.symbol);
  return [...out];
}

export interface HoldingsGridProps {
  holdings: HoldingValuation[] | null;
  accountNames: Record<string, string>;
  sources?: Record<string, PriceSource>;
  dayChangeCents?: Record<string, number>;
  /** The live feed is up (stream open or polling answers). */
  feedUp: boolean;
  onVisibleSymbols?: (symbols: string[]) => void;
}

export function HoldingsGrid({ holdings, accountNames, sources, dayChangeCents, feedUp, onVisibleSymbols }: HoldingsGridProps) {
  const api = useRef<GridApi<Row> | null>(null);
  const now = useNow(1000);
  const rows = useMemo<Row[] | null>(() => holdings && holdings.map((h) => {
    const key = `${h.accountId}|${h.symbol}`;
    return { ...h, accountLabel: accountNames[h.accountId] ?? h.accountId, dayChangeCents: dayChangeCents?.[key] ?? null,
      source: sources?.[h.symbol] ?? null };
  }), [holdings, accountNames, sources, dayChangeCents]);
  // One context object for the grid's life (mutated, then the age and price cells refreshed).
  const context = useRef<Ctx>({ now, feedUp });
  useEffect(() => {
    context.current.now = now;
    context.current.feedUp = feedUp;
    api.current?.refreshCells({ columns: ['price', 'priceAge'], force: true });
  }, [now, feedUp]);

  const report = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // At most one report per 120 ms (a throttle, not a debounce: live updates re-render rows many times a second).
  const onViewport = useCallback(() => {
    if (report.current !== undefined) return;
    report.current = setTimeout(() => {
      report.current = undefined;
      if (api.current && !api.current.isDestroyed()) onVisibleSymbols?.(shownSymbols(api.current));
    }, 120);
  }, [onVisibleSymbols]);
  useEffect(() => () => clearTimeout(report.current), []);

  return (
    <div className="grid-host" data-testid="holdings-grid">
      <AgGridReact<Row>
        theme={gridTheme}
        rowData={rows}
        loading={rows === null}
        columnDefs={columns}
        defaultColDef={{ sortable: true, resizable: true }}
        getRowId={(p) => `${p.data.accountId}|${p.data.symbol}`}
        context={context.current}
        rowBuffer={0}
        onGridReady={(e) => { api.current = e.api; }}
        onViewportChanged={onViewport}
        onModelUpdated={onViewport}
        onBodyScrollEnd={onViewport}
        suppressCellFocus
        animateRows={false}
      />
    </div>
  );
}
