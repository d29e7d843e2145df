// The review grid: one row per proposal (account, household, model, status, drift before/after, trades, buys,
// sells, estimated gains and taxes, warnings) for 100,000 rows and more, over a ReviewView (review-view.ts) that
// holds the rows, the filters and the sort. The header is AG Grid's (sort by header, column filters, resize, move,
// the Columns menu, the selection column's "select all" box) in a grid with no rows; the body is a line body
// (grid/line-body.ts): a fixed pool of one-element row lines that scrolling moves and refills. AG Grid's own rows
// (a controller and component with ~33 listeners each, created and destroyed as rows scroll by) made ~86 MB of
// garbage per 10 s of fast scrolling, and the UI thread's collections of it were the long tasks left during a bulk
// job; React-rendered rows cost 100–200 ms per fast scroll step before that. Rows come from the store's change
// records (add / update / reset); a running job's new rows are shown at most every 500 ms (a redraw of the lines on
// screen, whatever the number of rows). Filters: the screen's (status, warnings only, group drill-down, quick
// text) and the header's column filters, applied by the view; so is the sort. Checkbox selection of draft
// proposals (plain-DOM boxes, grid/selection-column.ts; ids held here; the header box selects the filtered
// drafts). A row click opens the trade drawer. Buys, sells and the estimated tax start hidden (the Columns menu).
import { useEffect, useRef } from 'react';
import { createGrid, type ColDef, type GridApi, type GridOptions, type SortModelItem } from 'ag-grid-community';
import { ROW_HEIGHT, gridTheme } from '../../grid/ag-grid.ts';
import { gainClass, percent } from '../../grid/format.ts';
import { createLineBody } from '../../grid/line-body.ts';
import type { LineCell } from '../../grid/row-lines.ts';
import { bindSelectionBoxes, redrawSelection, selectionColumn, type SelectionModel } from '../../grid/selection-column.ts';
import { useAppStore } from '../../stores/app-store.ts';
import { reviewMoney, type ReviewRow } from './review-rows.ts';
import { createReviewView, type ColumnFilter, type ReviewFilter } from './review-view.ts';

export type { ReviewFilter } from './review-view.ts';
export { passesFilter } from './review-view.ts';

/** How often a running job's new rows are shown. */
const REFRESH_MS = 500;

/**
 * The data columns: the header's definition (sort, filter, width; filtering and sorting run in the view on the
 * row's raw values) and how the row's line shows the value (grid/row-lines.ts). Buys, sells and the estimated tax
 * start hidden (the Columns menu shows them): fewer spans per line to build and lay out.
 */
interface ReviewColumn { def: ColDef<ReviewRow>; cell: LineCell<ReviewRow> }
const text = (field: keyof ReviewRow): LineCell<ReviewRow> => ({ text: (r) => String(r[field]) });
const moneyCol = (field: 'buyCents' | 'sellCents' | 'estTaxCents', headerName: string, width = 120): ReviewColumn => ({
  def: { field, headerName, type: 'rightAligned', filter: 'agNumberColumnFilter', width, cellClass: 'num', hide: true },
  cell: { text: (r) => reviewMoney(r[field]) },
});
const driftCol = (field: 'driftBefore' | 'driftAfter', headerName: string): ReviewColumn => ({
  def: { field, headerName, type: 'rightAligned', filter: 'agNumberColumnFilter', width: 96, cellClass: 'num' },
  cell: { text: (r) => percent(r[field]) },
});

export const REVIEW_COLUMNS: readonly ReviewColumn[] = [
  { def: { field: 'account', headerName: 'Account', filter: 'agTextColumnFilter', flex: 1.2, minWidth: 150 }, cell: text('account') },
  { def: { field: 'household', headerName: 'Household', filter: 'agTextColumnFilter', flex: 1.2, minWidth: 150 }, cell: text('household') },
  { def: { field: 'model', headerName: 'Model', filter: 'agTextColumnFilter', flex: 1, minWidth: 130 }, cell: text('model') },
  { def: { field: 'status', headerName: 'Status', width: 100, filter: 'agTextColumnFilter' },
    cell: { text: (r) => r.status, className: (r) => `status-cell ${r.status}` } },
  driftCol('driftBefore', 'Drift before'),
  driftCol('driftAfter', 'Drift after'),
  { def: { field: 'trades', headerName: 'Trades', width: 80, type: 'rightAligned', filter: 'agNumberColumnFilter', cellClass: 'num' }, cell: text('trades') },
  moneyCol('buyCents', 'Buys'),
  moneyCol('sellCents', 'Sells'),
  { def: { field: 'estGainCents', headerName: 'Est. gain', type: 'rightAligned', filter: 'agNumberColumnFilter', width: 120, cellClass: 'num' },
    cell: { text: (r) => reviewMoney(r.estGainCents, true), className: (r) => gainClass(r.estGainCents) } },
  moneyCol('estTaxCents', 'Est. tax', 110),
  { def: { field: 'warnings', headerName: 'Warnings', filter: 'agTextColumnFilter', flex: 1.4, minWidth: 160, cellClass: 'warn-cell' }, cell: text('warnings') },
];
const lineCells: Record<string, LineCell<ReviewRow>> = Object.fromEntries(REVIEW_COLUMNS.map((c) => [c.def.field!, c.cell]));

const defaultColDef: ColDef<ReviewRow> = { sortable: true, resizable: true };

/** The header's sort, in the order the columns were sorted by. */
const sortOf = (api: GridApi<ReviewRow>): SortModelItem[] => api.getColumnState()
  .filter((c) => c.sort)
  .sort((a, b) => (a.sortIndex ?? 0) - (b.sortIndex ?? 0))
  .map((c) => ({ colId: c.colId, sort: c.sort! }));

export function ReviewGrid({ filter, onSelectionChange, onCountChange, onApi }: {
  filter: ReviewFilter;
  onSelectionChange(ids: string[]): void;
  onCountChange(shown: number, total: number): void;
  onApi?(api: GridApi<ReviewRow> | null): void;
}) {
  const store = useAppStore();
  const host = useRef<HTMLDivElement>(null);
  const grid = useRef<{ api: GridApi<ReviewRow>; requery(): void } | null>(null);
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const props = useRef({ onSelectionChange, onCountChange, onApi });
  props.current = { onSelectionChange, onCountChange, onApi };

  useEffect(() => {
    const el = host.current!;
    const view = createReviewView(store.getState().rebalance.rows, { filter: filterRef.current, columnFilters: {}, sort: [] });
    const report = () => props.current.onCountChange(view.shown, view.total);
    const selected = new Set<string>();
    let a: GridApi<ReviewRow> | null = null;
    const selectionChanged = () => {
      if (a) redrawSelection(el, a, selection);
      props.current.onSelectionChange([...selected]);
    };
    const selection: SelectionModel<ReviewRow> = {
      selectable: (r) => r.status === 'draft',
      isSelected: (id) => selected.has(id),
      anySelected: () => selected.size > 0,
      toggle(id, on) {
        if (on && view.row(id)?.status === 'draft') selected.add(id); else selected.delete(id);
        selectionChanged();
      },
      toggleAll(on) {
        selected.clear();
        if (on) for (const id of view.ids((r) => r.status === 'draft')) selected.add(id);
        selectionChanged();
      },
    };
    const headerEl = document.createElement('div');
    headerEl.className = 'line-grid-header';
    el.append(headerEl);
    const options: GridOptions<ReviewRow> = {
      theme: gridTheme,
      columnDefs: [selectionColumn(selection, 'Select all filtered drafts'), ...REVIEW_COLUMNS.map((c) => c.def)],
      defaultColDef,
      rowData: [],
      domLayout: 'autoHeight',
      suppressNoRowsOverlay: true,
      suppressCellFocus: true,
    };
    a = createGrid(headerEl, options);
    const api = a;
    const lines = createLineBody(el, {
      header: api, headerEl, rows: { get count() { return view.shown; }, slice: (start, end) => view.slice(start, end) },
      cells: lineCells, selection, rowHeight: ROW_HEIGHT, label: 'Proposals',
      emptyText: 'No proposals to show: run a bulk rebalance, or change the filters.',
      onRowClick: (r) => store.getState().openTradeDrawer(r.id),
    });
    // The screen's filters or the header's sort or column filters changed: the new view from the top.
    const requery = () => {
      if (api.isDestroyed()) return;
      if (!view.setQuery({ filter: filterRef.current, columnFilters: api.getFilterModel() as Record<string, ColumnFilter>, sort: sortOf(api) })) return;
      report();
      lines.scrollToTop();
    };
    api.addEventListener('sortChanged', requery);
    api.addEventListener('filterChanged', requery);
    const unbindBoxes = bindSelectionBoxes(el, selection);
    grid.current = { api, requery };
    props.current.onApi?.(api);
    report();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const refresh = () => {
      timer = null;
      lines.refresh();
    };
    let seen = store.getState().rebalance.change.seq;
    const unsubscribe = store.subscribe((s) => {
      const c = s.rebalance.change;
      if (c.seq === seen || api.isDestroyed()) return;
      seen = c.seq;
      if (c.kind === 'reset') view.reset(c.rows); else view.upsert(c.rows);
      report();
      // Selected rows that are no longer drafts (submitted, or changed by replication) leave the selection.
      let dropped = false;
      for (const r of c.rows) if (selected.has(r.id) && r.status !== 'draft') { selected.delete(r.id); dropped = true; }
      if (c.kind === 'reset') for (const id of selected) if (view.row(id)?.status !== 'draft') { selected.delete(id); dropped = true; }
      if (dropped) selectionChanged();
      timer ??= setTimeout(refresh, c.kind === 'add' ? REFRESH_MS : 0);
    });
    return () => {
      unsubscribe();
      unbindBoxes();
      if (timer) clearTimeout(timer);
      grid.current = null;
      props.current.onApi?.(null);
      lines.destroy();
      api.destroy();
      headerEl.remove();
    };
  }, [store]);
  useEffect(() => {
    grid.current?.requery();
  }, [filter.text, filter.status, filter.warningsOnly, filter.group]);

  return (
    <div className="grid-host" data-testid="review-grid">
      <div ref={host} className="line-grid" />
    </div>
  );
}
