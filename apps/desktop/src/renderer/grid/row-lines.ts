// A row drawn as one line: a <div> with a <span> per displayed column, placed by a per-grid stylesheet, for big
// read-only grids whose body is grid/line-body.ts (the review grid's 100,000 proposals). The columns are an AG Grid
// header's (sort, column filters, resize, move, hide/show, the selection column's header box); a line follows them.
// What a line is built for is cheap style and layout on every fast scroll step:
// - Column positions (left and width in px) are rules of the grid's stylesheet, one per column (`.rl-N > .rl-cK`),
//   not inline styles on every span (measured under AG Grid's theme: inline styles cost about 3× the style
//   recalculation of the same lines styled by class). A column change rewrites the rules.
// - Spans carry AG Grid's cell attributes (`col-id`, `role="gridcell"`), so tests and assistive tech find cells as
//   in any grid, but a small class of their own (`rl-cell`, styled in rebalance.css) instead of `.ag-cell` and its
//   many theme rules. The selection column's span holds the plain checkbox of grid/selection-column.ts.
// - Filling a line writes only what changed, and a text into the span's existing text node: a line shown again
//   for another row allocates nothing but its strings.
import type { Column } from 'ag-grid-community';
import { SELECTION_COL_ID, renderSelectionBox, type SelectionModel } from './selection-column.ts';

/** How a column's span shows a row: its text and extra CSS classes. */
export interface LineCell<T> {
  text(row: T): string;
  className?(row: T): string;
}

/** Where a displayed column sits in the line (px). */
export interface ColumnBox { colId: string; left: number; width: number }

export const boxesOf = (columns: readonly Column[]): ColumnBox[] =>
  columns.map((c) => ({ colId: c.getColId(), left: c.getLeft() ?? 0, width: c.getActualWidth() }));
export const layoutKey = (boxes: readonly ColumnBox[]) => boxes.map((b) => `${b.colId}:${b.left}:${b.width}`).join(',');
export const lineWidth = (boxes: readonly ColumnBox[]) => boxes.reduce((w, b) => Math.max(w, b.left + b.width), 0);

/** The stylesheet of one grid's lines (`scope`: the class on its lines): the line as wide as the columns, each span at its column. */
export function lineRules(scope: string, boxes: readonly ColumnBox[]): string {
  return [
    `.row-line.${scope} { width: ${lineWidth(boxes)}px; }`,
    ...boxes.map((b, i) => `.row-line.${scope} > .rl-c${i} { left: ${b.left}px; width: ${b.width}px; }`),
  ].join('\n');
}

/** One layout of the displayed columns: the empty line to clone and how to fill a line with a row. */
export interface LineLayout<T> {
  /** The columns it was laid out for (layoutKey). */
  readonly key: string;
  readonly width: number;
  /** A new line: the line element with a span per column, empty. */
  create(): HTMLElement;
  /** Shows `row` (or nothing) in `line`, writing only what differs from what it shows. */
  fill(line: HTMLElement, row: T | undefined): void;
}

interface Slot<T> { colId: string; base: string; cell: LineCell<T> | null }

const setText = (span: HTMLElement, text: string) => {
  const t = span.firstChild;
  if (t && t.nodeType === Node.TEXT_NODE && !t.nextSibling) {
    if (t.nodeValue !== text) t.nodeValue = text;
  } else if (span.textContent !== text) span.textContent = text;
};

/**
 * Lays out `columns` (an AG Grid header's displayed columns) as lines of class `row-line <scope>`: a column without
 * an entry in `cells` shows nothing, the selection column a box (with `selection`).
 */
export function lineLayout<T extends { id: string }>(scope: string, columns: readonly Column[], cells: Record<string, LineCell<T>>,
  selection?: SelectionModel<T>): LineLayout<T> {
  const boxes = boxesOf(columns);
  const template = document.createElement('div');
  template.className = `row-line ${scope}`;
  template.setAttribute('role', 'row');
  const slots: Slot<T>[] = columns.map((col, i) => {
    const colId = col.getColId();
    const def = col.getColDef();
    const types = Array.isArray(def.type) ? def.type : def.type ? [def.type] : [];
    const fixed = typeof def.cellClass === 'string' ? def.cellClass : Array.isArray(def.cellClass) ? def.cellClass.join(' ') : '';
    const base = [...new Set(['rl-cell', `rl-c${i}`, types.includes('rightAligned') ? 'rl-right' : '', colId === SELECTION_COL_ID ? 'selection-cell' : '',
      ...fixed.split(' ')].filter(Boolean))].join(' ');
    const span = document.createElement('span');
    span.className = base;
    span.setAttribute('role', 'gridcell');
    span.setAttribute('col-id', colId);
    span.setAttribute('aria-colindex', String(i + 1));
    template.append(span);
    return { colId, base, cell: cells[colId] ?? null };
  });
  return {
    key: layoutKey(boxes),
    width: lineWidth(boxes),
    create: () => template.cloneNode(true) as HTMLElement,
    fill(line, row) {
      const spans = line.children;
      for (let i = 0; i < slots.length; i++) {
        const s = slots[i]!;
        const span = spans[i] as HTMLElement;
        if (s.colId === SELECTION_COL_ID) {
          if (selection) renderSelectionBox(span, selection, row, s.base);
          continue;
        }
        const extra = row && s.cell?.className ? s.cell.className(row) : '';
        const className = extra ? `${s.base} ${extra}` : s.base;
        if (span.className !== className) span.className = className;
        setText(span, row && s.cell ? s.cell.text(row) : '');
      }
    },
  };
}
