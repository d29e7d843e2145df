// One element per row for big read-only AG Grids (the review grid's 100,000 proposals): every row is a full-width
// row whose renderer clones one prebuilt line (a <div> with a <span> per displayed column) and fills in the texts
// and classes, instead of AG Grid's ~13 cell controllers and components per row. The header stays AG Grid's (sort,
// column filters, resize, hide/show, the selection column's header box); the line follows the displayed columns.
// What a fast scroll frame costs is mostly style recalculation of the new rows' elements (trace attribution in
// bench/ui), so a line is built to be cheap to style:
// - Rows are NOT embedded full-width rows: an embedded one carries three lanes (pinned left, center, pinned right)
//   with wrappers and pseudo-elements, ~8 more styled boxes per row. A plain full-width row is the row, AG Grid's
//   anchor and the line. The anchor is sticky (AG Grid keeps full-width rows still on horizontal scroll); this
//   module's stylesheet makes it scroll with the columns like a normal row.
// - Column positions (left and width in px) are rules of that stylesheet, one per column (`.rl-N > .rl-cK`), not
//   inline styles on every span: measured in the grid's row container (under the theme's ~640 inherited custom
//   properties), lines whose spans carry inline styles cost about 3× the style recalculation of the same lines
//   styled by class. A column change rewrites the rules.
// - Lines are filled a few per animation frame (LINES_PER_FRAME, rows in the viewport first): a fast scroll step
//   that brings a whole viewport of new rows (~35) shows their row boxes at once and their texts over the next
//   frames, so no frame styles, lays out and paints more than a few rows' spans (the way AG Grid itself defers cell
//   renderers). A row that leaves the viewport before its turn is never filled.
// - AG Grid's row work for a scroll step runs in a task of its own, apart from the frame that renders it
//   (grid/row-work.ts); `attach` marks the grid's host `data-row-work="task"`, or `"frame"` if that could not be set up.
// Spans carry AG Grid's cell attributes (`col-id`, `role="gridcell"`), so tests and assistive tech find cells as
// before, but a small class of their own (`rl-cell`, styled in rebalance.css) instead of `.ag-cell`, which brings
// many theme rules to match and resolve for every span. The selection column's span holds the same plain checkbox
// as grid/selection-column.ts (renderSelectionBox), handled by its delegated listener.
import type { Column, GridApi, GridOptions, ICellRendererComp, ICellRendererParams } from 'ag-grid-community';
import { rowWorkInTasks } from './row-work.ts';
import { SELECTION_COL_ID, renderSelectionBox, type SelectionModel } from './selection-column.ts';

/** How a column's span shows a row: its text and extra CSS classes. */
export interface LineCell<T> {
  text(row: T): string;
  className?(row: T): string;
}

export interface RowLines<T> {
  /** Grid options that make every row one line (spread into the grid's options). */
  readonly options: Pick<GridOptions<T>, 'isFullWidthRow' | 'embedFullWidthRows' | 'fullWidthCellRenderer' | 'rowClass'>;
  /**
   * Follows the grid's displayed columns (moves, resizes, hide/show) and, from its first row on, runs its row work in
   * tasks (marking `host`); returns the cleanup.
   */
  attach(api: GridApi<T>, host: HTMLElement): () => void;
}

interface Slot<T> { colId: string; base: string; cell: LineCell<T> | null }

/** Where a displayed column sits in the line (px). */
export interface ColumnBox { colId: string; left: number; width: number }

const boxesOf = (columns: readonly Column[]): ColumnBox[] =>
  columns.map((c) => ({ colId: c.getColId(), left: c.getLeft() ?? 0, width: c.getActualWidth() }));
const layoutKey = (boxes: readonly ColumnBox[]) => boxes.map((b) => `${b.colId}:${b.left}:${b.width}`).join(',');
const COLUMN_EVENTS = ['displayedColumnsChanged', 'columnResized', 'columnMoved', 'columnVisible', 'virtualColumnsChanged'] as const;

/**
 * The stylesheet of one grid's lines (`scope`: the class on its rows and lines): each column's span at its left
 * and width, the line as wide as the columns, and AG Grid's full-width anchor scrolling with the columns.
 */
export function lineRules(scope: string, boxes: readonly ColumnBox[]): string {
  const width = boxes.reduce((w, b) => Math.max(w, b.left + b.width), 0);
  return [
    `.ag-row.${scope} > .ag-full-width-anchor { position: static; width: ${width}px; height: 100%; }`,
    `.row-line.${scope} { width: ${width}px; }`,
    ...boxes.map((b, i) => `.row-line.${scope} > .rl-c${i} { left: ${b.left}px; width: ${b.width}px; }`),
  ].join('\n');
}

let grids = 0;

/** Lines filled per animation frame: ~14 styled boxes each (a span per column, its text, the checkbox). */
export const LINES_PER_FRAME = 10;

/** A row's place, to fill the lines in the viewport first. */
interface RowPlace { readonly rowTop: number | null; readonly rowHeight?: number | null }
const inRange = (n: RowPlace, top: number, bottom: number) => n.rowTop !== null && n.rowTop < bottom && n.rowTop + (n.rowHeight ?? 0) > top;

/**
 * Which of the `waiting` lines to fill now: at most `budget`, those whose rows overlap the viewport (`top`..`bottom`,
 * px) first, each group in the order they came.
 */
export function pickLines<L extends { place: RowPlace }>(waiting: Iterable<L>, budget: number, top: number, bottom: number): L[] {
  const seen: L[] = [];
  const later: L[] = [];
  for (const w of waiting) {
    if (inRange(w.place, top, bottom)) { seen.push(w); if (seen.length >= budget) return seen; } else if (later.length < budget) later.push(w);
  }
  return seen.concat(later.slice(0, budget - seen.length));
}

/** Rows as lines of `cells` (by column id); a column without an entry shows nothing, the selection column a box. */
export function rowLines<T extends { id: string }>(cells: Record<string, LineCell<T>>, selection?: SelectionModel<T>): RowLines<T> {
  const scope = `rl-${++grids}`;
  let template: HTMLElement = document.createElement('div');
  let slots: Slot<T>[] = [];
  let laidOut = '';
  let sheet: HTMLStyleElement | null = null;

  const layOut = (columns: readonly Column[]) => {
    const boxes = boxesOf(columns);
    laidOut = layoutKey(boxes);
    if (!sheet) {
      sheet = document.createElement('style');
      sheet.dataset['rowLines'] = scope;
      document.head.append(sheet);
    }
    sheet.textContent = lineRules(scope, boxes);
    const line = document.createElement('div');
    line.className = `row-line ${scope}`;
    line.setAttribute('role', 'presentation');
    slots = columns.map((col, i) => {
      const colId = col.getColId();
      const def = col.getColDef();
      const types = Array.isArray(def.type) ? def.type : def.type ? [def.type] : [];
      const span = document.createElement('span');
      const fixed = typeof def.cellClass === 'string' ? def.cellClass : Array.isArray(def.cellClass) ? def.cellClass.join(' ') : '';
      const base = [...new Set(['rl-cell', `rl-c${i}`, types.includes('rightAligned') ? 'rl-right' : '', colId === SELECTION_COL_ID ? 'selection-cell' : '',
        ...fixed.split(' ')].filter(Boolean))].join(' ');
      span.className = base;
      span.setAttribute('role', 'gridcell');
      span.setAttribute('col-id', colId);
      span.setAttribute('aria-colindex', String(i + 1));
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

  // Lines waiting for their spans, in creation order; filled from one animation frame callback at a time.
  interface Waiting { line: Line; place: RowPlace }
  const waiting = new Map<Line, Waiting>();
  let frame = 0;
  let gridApi: GridApi<T> | null = null;
  let gridHost: HTMLElement | null = null;
  let undoRowWork: (() => void) | null | undefined;
  const fillSome = () => {
    frame = 0;
    if (!gridApi || gridApi.isDestroyed()) { waiting.clear(); return; }
    const { top, bottom } = gridApi.getVerticalPixelRange();
    for (const w of pickLines(waiting.values(), LINES_PER_FRAME, top, bottom)) {
      waiting.delete(w.line);
      w.line.build();
    }
    if (waiting.size > 0) frame = requestAnimationFrame(fillSome);
  };

  class Line implements ICellRendererComp<T> {
    private gui: HTMLElement = template.cloneNode(false) as HTMLElement;
    private row: T | undefined;
    private built = false;
    init(p: ICellRendererParams<T>): void {
      gridApi = p.api;
      if (undoRowWork === undefined && gridHost) {
        undoRowWork = rowWorkInTasks(p.node);
        gridHost.dataset['rowWork'] = undoRowWork ? 'task' : 'frame';
      }
      if (slots.length === 0) {
        // The first line of the grid: lay out by its columns (attach() keeps up with later changes).
        layOut(p.api.getAllDisplayedColumns());
        this.gui = template.cloneNode(false) as HTMLElement;
      }
      this.row = p.data;
      waiting.set(this, { line: this, place: p.node });
      frame ||= requestAnimationFrame(fillSome);
    }
    /** Its spans, from the line's template, filled with the row. */
    build(): void {
      for (const span of template.children) this.gui.append(span.cloneNode(true));
      this.built = true;
      fill(this.gui, this.row);
    }
    getGui(): HTMLElement { return this.gui; }
    refresh(p: ICellRendererParams<T>): boolean {
      this.row = p.data;
      if (!this.built) return true;
      // A line laid out for other columns is rebuilt (the grid re-creates the row when refresh answers false).
      if (this.gui.children.length !== slots.length) return false;
      fill(this.gui, p.data);
      return true;
    }
    destroy(): void {
      waiting.delete(this);
    }
  }

  return {
    options: { isFullWidthRow: () => true, embedFullWidthRows: false, fullWidthCellRenderer: Line, rowClass: scope },
    attach(api, host) {
      gridHost = host;
      const update = () => {
        if (api.isDestroyed()) return;
        const columns = api.getAllDisplayedColumns();
        if (layoutKey(boxesOf(columns)) === laidOut) return;
        layOut(columns);
        api.redrawRows();
      };
      update();
      for (const e of COLUMN_EVENTS) api.addEventListener(e, update);
      return () => {
        if (!api.isDestroyed()) for (const e of COLUMN_EVENTS) api.removeEventListener(e, update);
        sheet?.remove();
        sheet = null;
        if (frame) cancelAnimationFrame(frame);
        frame = 0;
        waiting.clear();
        undoRowWork?.();
        undoRowWork = undefined;
        gridHost = null;
      };
    },
  };
}
