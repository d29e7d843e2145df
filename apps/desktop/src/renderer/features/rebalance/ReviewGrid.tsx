// The review grid: one row per proposal (account, household, model, status, drift before/after, trades, buys,
// sells, estimated gains and taxes, warnings) for 100,000 rows and more. AG Grid's Infinite Row Model over a
// ReviewView (review-view.ts) that holds the rows, the filters and the sort: the grid asks for blocks of 100 rows
// by position. With the client-side row model every applied batch of new rows re-ran AG Grid's row pipeline
// (sort, flatten, row positions, and the select-all box's recount) over all ~100,000 rows, a 100–300 ms task per
// batch during a bulk job; here a batch is added to the view in proportion to its size, and the grid re-reads only
// its cached blocks (at most 10), at most every 500 ms. Rows come from the store's change records (add / update /
// reset). Filters: the screen's (status, warnings only, group drill-down, quick text) and the column filters,
// applied by the view; sort by column header, by the view. Checkbox selection of draft proposals (plain-DOM boxes,
// grid/selection-column.ts; ids held here; the header box selects the filtered drafts). A row click opens the
// trade drawer. The grid is AG Grid's own DOM renderer (createGrid), not ag-grid-react: React-rendered rows and
// cells cost 100–200 ms per fast scroll step at this size. Each row is one line (grid/row-lines.ts: a full-width
// row holding a line of spans placed by a per-grid stylesheet, filled a few lines per frame) instead of AG Grid's
// per-cell controllers, which cost 18–69 ms of script per fast scroll frame; buys, sells and the estimated tax
// start hidden (the Columns menu shows them); only 4 rows are rendered beyond the viewport.
import { useEffect, useRef } from 'react';
import { createGrid, type ColDef, type GetRowIdParams, type GridApi, type GridOptions, type IDatasource, type SortModelItem } from 'ag-grid-community';
import { gridTheme } from '../../grid/ag-grid.ts';
import { gainClass, percent } from '../../grid/format.ts';
import { rowLines, type LineCell } from '../../grid/row-lines.ts';
import { bindSelectionBoxes, redrawSelection, selectionColumn, type SelectionModel } from '../../grid/selection-column.ts';
import { useAppStore } from '../../stores/app-store.ts';
import { reviewMoney, type ReviewRow } from './review-rows.ts';
import { createReviewView, type ColumnFilter, type ReviewFilter, type ReviewView } from './review-view.ts';

export type { ReviewFilter } from './review-view.ts';
export { passesFilter } from './review-view.ts';

/** Rows per block the grid asks for, blocks it keeps, and how often a running job's new rows are shown. */
const BLOCK_ROWS = 500;
const MAX_BLOCKS = 10;
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
const getRowId = (p: GetRowIdParams<ReviewRow>) => p.data.id;

export function ReviewGrid({ filter, onSelectionChange, onCountChange, onApi }: {
  filter: ReviewFilter;
  onSelectionChange(ids: string[]): void;
  onCountChange(shown: number, total: number): void;
  onApi?(api: GridApi<ReviewRow> | null): void;
}) {
  const store = useAppStore();
  const host = useRef<HTMLDivElement>(null);
  const grid = useRef<{ api: GridApi<ReviewRow>; view: ReviewView; requery(): void } | null>(null);
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const props = useRef({ onSelectionChange, onCountChange, onApi });
  props.current = { onSelectionChange, onCountChange, onApi };

  useEffect(() => {
    const el = host.current!;
    // The grid's own column filters and sort, as last asked for in getRows.
    let columnFilters: Record<string, ColumnFilter> = {};
    let sort: SortModelItem[] = [];
    const view = createReviewView(store.getState().rebalance.rows, { filter: filterRef.current, columnFilters, sort });
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
    const lines = rowLines(lineCells, selection);
    const datasource: IDatasource = {
      getRows(p) {
        columnFilters = (p.filterModel ?? {}) as Record<string, ColumnFilter>;
        sort = p.sortModel;
        if (view.setQuery({ filter: filterRef.current, columnFilters, sort })) report();
        p.successCallback(view.slice(p.startRow, p.endRow), view.shown);
      },
    };
    const options: GridOptions<ReviewRow> = {
      theme: gridTheme,
      columnDefs: [selectionColumn(selection, 'Select all filtered drafts'), ...REVIEW_COLUMNS.map((c) => c.def)],
      ...lines.options,
      defaultColDef,
      getRowId,
      rowModelType: 'infinite',
      datasource,
      cacheBlockSize: BLOCK_ROWS,
      maxBlocksInCache: MAX_BLOCKS,
      infiniteInitialRowCount: Math.max(1, view.shown),
      onRowClicked: (e) => {
        if ((e.event?.target as HTMLElement | null)?.closest('.ag-selection-checkbox')) return;
        if (e.data) store.getState().openTradeDrawer(e.data.id);
      },
      animateRows: false,
      suppressCellFocus: true,
      rowBuffer: 4,
    };
    a = createGrid(el, options);
    const api = a;
    const unbindBoxes = bindSelectionBoxes(el, selection);
    const detachLines = lines.attach(api, el);
    // The screen's filters changed: a new view from the top.
    const requery = () => {
      if (!view.setQuery({ filter: filterRef.current, columnFilters, sort })) return;
      report();
      if (view.shown > 0) api.ensureIndexVisible(0, 'top');
      api.setRowCount(view.shown, true);
      view.takeChangedFrom();
      api.purgeInfiniteCache();
    };
    grid.current = { api, view, requery };
    props.current.onApi?.(api);
    report();
    let timer: ReturnType<typeof setTimeout> | null = null;
    // Shows the view's changes: the new row count, and a reload of the cached blocks only if one of them holds a
    // changed position (a running job's rows, unsorted, land past the end: usually nothing to reload).
    const refresh = () => {
      timer = null;
      if (api.isDestroyed()) return;
      const from = view.takeChangedFrom();
      api.setRowCount(view.shown, true);
      const blocks = Object.values(api.getCacheBlockState() as Record<string, { startRow: number; endRow: number }>);
      if (blocks.some((b) => b.endRow > from)) api.refreshInfiniteCache();
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
      detachLines();
      if (timer) clearTimeout(timer);
      grid.current = null;
      props.current.onApi?.(null);
      api.destroy();
    };
  }, [store]);
  useEffect(() => {
    grid.current?.requery();
  }, [filter.text, filter.status, filter.warningsOnly, filter.group]);

  return (
    <div className="grid-host" data-testid="review-grid">
      <div ref={host} style={{ height: '100%', width: '100%' }} />
    </div>
  );
}
