// One element per row for big read-only AG Grids (the review grid's 100,000 proposals): every row is an embedded
// full-width row whose renderer clones one prebuilt line (a <div> with a positioned <span> per displayed column)
// and fills in the texts and classes, instead of AG Grid's ~13 cell controllers and components per row. A fast
// scroll step builds ~20 new rows: with per-cell controllers that was 18–69 ms of script (plus layout) per frame,
// here it is one clone and ~13 text writes per row. The header stays AG Grid's (sort, column filters, resize,
// hide/show, the selection column's header box); the line follows the displayed columns (left and width in px,
// re-laid out when they change). Spans carry AG Grid's cell attributes (`col-id`, `role="gridcell"`), so tests
// and assistive tech find cells as before, but a small class of their own (`rl-cell`, styled in rebalance.css)
// instead of `.ag-cell`, which brings many theme rules to match and resolve for every span. The selection
// column's span holds the same plain checkbox as grid/selection-column.ts (renderSelectionBox), handled by its delegated listener.
import type { Column, GridApi, GridOptions, ICellRendererComp, ICellRendererParams } from 'ag-grid-community';
import { SELECTION_COL_ID, renderSelectionBox, type SelectionModel } from './selection-column.ts';

/** How a column's span shows a row: its text and extra CSS classes. */
export interface LineCell<T> {
  text(row: T): string;
  className?(row: T): string;
}

export interface RowLines<T> {
  /** Grid options that make every row one line (spread into the grid's options). */
  readonly options: Pick<GridOptions<T>, 'isFullWidthRow' | 'embedFullWidthRows' | 'fullWidthCellRenderer'>;
  /** Follows the grid's displayed columns (moves, resizes, hide/show); returns the cleanup. */
  attach(api: GridApi<T>): () => void;
}

interface Slot<T> { colId: string; base: string; cell: LineCell<T> | null }

const layoutKey = (columns: readonly Column[]) => columns.map((c) => `${c.getColId()}:${c.getLeft() ?? 0}:${c.getActualWidth()}`).join(',');
const COLUMN_EVENTS = ['displayedColumnsChanged', 'columnResized', 'columnMoved', 'columnVisible', 'virtualColumnsChanged'] as const;

/** Rows as lines of `cells` (by column id); a column without an entry shows nothing, the selection column a box. */
export function rowLines<T extends { id: string }>(cells: Record<string, LineCell<T>>, selection?: SelectionModel<T>): RowLines<T> {
  let template: HTMLElement = document.createElement('div');
  let slots: Slot<T>[] = [];
  let laidOut = '';

  const layOut = (columns: readonly Column[]) => {
    laidOut = layoutKey(columns);
    const line = document.createElement('div');
    line.className = 'row-line';
    line.setAttribute('role', 'presentation');
    slots = columns.map((col, i) => {
      const colId = col.getColId();
      const def = col.getColDef();
      const types = Array.isArray(def.type) ? def.type : def.type ? [def.type] : [];
      const span = document.createElement('span');
      const fixed = typeof def.cellClass === 'string' ? def.cellClass : Array.isArray(def.cellClass) ? def.cellClass.join(' ') : '';
      const base = ['rl-cell', types.includes('rightAligned') ? 'rl-right' : '', colId === SELECTION_COL_ID ? 'selection-cell' : '', fixed].filter(Boolean).join(' ');
      span.className = base;
      span.setAttribute('role', 'gridcell');
      span.setAttribute('col-id', colId);
      span.setAttribute('aria-colindex', String(i + 1));
      span.style.left = `${col.getLeft() ?? 0}px`;
      span.style.width = `${col.getActualWidth()}px`;
      line.append(span);
      return { colId, base, cell: cells[colId] ?? null };
    });
    template = line;
  };

  const fill = (gui: HTMLElement, row: T | undefined) => {
    const spans = gui.children;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      const span = spans[i] as HTMLElement;
      if (s.colId === SELECTION_COL_ID) {
        if (selection) renderSelectionBox(span, selection, row, s.base);
        continue;
      }
      // Only what changed is written (a refreshed line keeps its unchanged texts: no style or layout work for them).
      const extra = row && s.cell?.className ? s.cell.className(row) : '';
      const className = extra ? `${s.base} ${extra}` : s.base;
      if (span.className !== className) span.className = className;
      const text = row && s.cell ? s.cell.text(row) : '';
      if (span.textContent !== text) span.textContent = text;
    }
  };

  // Embedded full-width rows get a renderer per section (pinned left, center, pinned right): the line lives in the
  // center one; the pinned sections (these grids pin nothing) hold an empty element.
  class Line implements ICellRendererComp<T> {
    private gui: HTMLElement = template.cloneNode(true) as HTMLElement;
    private pinned = false;
    init(p: ICellRendererParams<T>): void {
      if (p.pinned) {
        this.pinned = true;
        this.gui = document.createElement('div');
        return;
      }
      if (slots.length === 0) {
        // The first line of the grid: lay out by its columns (attach() keeps up with later changes).
        layOut(p.api.getAllDisplayedColumns());
        this.gui = template.cloneNode(true) as HTMLElement;
      }
      fill(this.gui, p.data);
    }
    getGui(): HTMLElement { return this.gui; }
    refresh(p: ICellRendererParams<T>): boolean {
      if (this.pinned) return true;
      // A line laid out for other columns is rebuilt (the grid re-creates the row when refresh answers false).
      if (this.gui.children.length !== slots.length) return false;
      fill(this.gui, p.data);
      return true;
    }
  }

  return {
    options: { isFullWidthRow: () => true, embedFullWidthRows: true, fullWidthCellRenderer: Line },
    attach(api) {
      const update = () => {
        if (api.isDestroyed()) return;
        const columns = api.getAllDisplayedColumns();
        if (layoutKey(columns) === laidOut) return;
        layOut(columns);
        api.redrawRows();
      };
      update();
      for (const e of COLUMN_EVENTS) api.addEventListener(e, update);
      return () => { if (!api.isDestroyed()) for (const e of COLUMN_EVENTS) api.removeEventListener(e, update); };
    },
  };
}
