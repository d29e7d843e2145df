// The body of a big read-only grid under an AG Grid header (the review grid's 100,000 proposals): a scroller with
// a fixed pool of row lines (grid/row-lines.ts) that it moves and refills as it scrolls, instead of AG Grid's rows.
// Why: AG Grid creates and destroys a row controller and component (~33 event listeners) for every row that enters
// or leaves the viewport, ~20 KB of garbage a row; a fast scroll (600 px per 50 ms) made ~86 MB of garbage in 10 s
// on the UI thread, and V8's collections of it were the long tasks left during a bulk job (15–65 ms pauses, longer
// on 2 busy cores). Here the lines on screen are the only row elements there are: scrolling changes their position
// and texts, and allocates nothing but strings.
// The header stays AG Grid's, in a grid with no rows: sort, column filters, resize, move, hide/show and the
// selection column's header box; the lines follow its displayed columns, and its horizontal scroll and the body's
// follow each other. Zebra stripes and row borders are the spacer's background (no per-row work).
import type { GridApi } from 'ag-grid-community';
import { lineLayout, lineRules, layoutKey, boxesOf, type LineCell, type LineLayout } from './row-lines.ts';
import type { SelectionModel } from './selection-column.ts';

/** Rows drawn beyond each edge of the viewport. */
export const BUFFER_ROWS = 4;

/**
 * Lines moved and filled per animation frame. A fast scroll step (600 px) brings ~21 new rows; filled at once, their
 * script, text layout and paint made a ~20 ms frame, stretched past 50 ms on 2 cores shared with a bulk job's
 * workers. A few per frame keeps every frame small; at such speeds new rows show their texts a frame or two later.
 */
export const LINES_PER_FRAME = 8;

/** The due lines to fill now: at most `budget`, those for rows `first` ..< `end` (the viewport) first, in pool order. */
export function pickDue<L extends { want: number | null }>(due: readonly L[], budget: number, first: number, end: number): L[] {
  const inView = (l: L) => l.want !== null && l.want >= first && l.want < end;
  return [...due.filter(inView), ...due.filter((l) => !inView(l))].slice(0, budget);
}

/**
 * Which row index each line of the pool shows for rows `first` ..< `end`: a line already showing one of them keeps
 * it (no refill), the others take the missing indexes in order, lines left over show nothing (null), and lines are
 * added at the end when the pool is too small.
 */
export function planLines(current: readonly (number | null)[], first: number, end: number): (number | null)[] {
  const plan = current.slice();
  const shown = new Set<number>();
  for (let k = 0; k < plan.length; k++) {
    const i = plan[k];
    if (i !== null && i !== undefined && i >= first && i < end && !shown.has(i)) shown.add(i); else plan[k] = null;
  }
  let next = first;
  const take = (): number | null => {
    while (shown.has(next)) next++;
    return next < end ? next++ : null;
  };
  for (let k = 0; k < plan.length; k++) {
    if (plan[k] !== null) continue;
    const i = take();
    if (i === null) break;
    plan[k] = i;
  }
  for (let i = take(); i !== null; i = take()) plan.push(i);
  return plan;
}

/** The rows `first` ..< `end` to draw for a viewport at `top` px, `height` px high (rows of `rowHeight` px, `count` rows). */
export function rowsInView(top: number, height: number, rowHeight: number, count: number, buffer = BUFFER_ROWS): { first: number; end: number } {
  const first = Math.max(0, Math.floor(top / rowHeight) - buffer);
  const end = Math.min(count, Math.ceil((top + height) / rowHeight) + buffer);
  return { first: Math.min(first, end), end };
}

export interface LineRows<T> {
  readonly count: number;
  /** Rows `start` ..< `end`. */
  slice(start: number, end: number): T[];
}

export interface LineBodyOptions<T> {
  /** The header grid (no rows of its own): its displayed columns lay out the lines. */
  header: GridApi<T>;
  /** The header grid's element, whose horizontal scroll follows the body's. */
  headerEl: HTMLElement;
  rows: LineRows<T>;
  cells: Record<string, LineCell<T>>;
  selection?: SelectionModel<T>;
  rowHeight: number;
  label: string;
  /** Shown when there are no rows. */
  emptyText: string;
  onRowClick?(row: T): void;
}

export interface LineBody {
  /** The scroller (role grid). */
  readonly el: HTMLElement;
  /** The rows changed (count, order or contents): redraws the lines on screen. */
  refresh(): void;
  scrollToTop(): void;
  destroy(): void;
}

/** A line of the pool: the row it shows (index, row) and the row it is to show (want, wantRow). */
interface Line<T> { el: HTMLElement; index: number | null; row: T | undefined; want: number | null; wantRow: T | undefined }

const COLUMN_EVENTS = ['displayedColumnsChanged', 'columnResized', 'columnMoved', 'columnVisible', 'virtualColumnsChanged', 'gridSizeChanged'] as const;
let bodies = 0;

/** The header grid's horizontal scroller (AG Grid 36: `.ag-grid-viewport`; else the first element that scrolls sideways). */
function headerScroller(headerEl: HTMLElement): HTMLElement | null {
  const byClass = headerEl.querySelector<HTMLElement>('.ag-grid-viewport');
  if (byClass) return byClass;
  for (const el of headerEl.querySelectorAll<HTMLElement>('*')) {
    const ox = getComputedStyle(el).overflowX;
    if (ox === 'auto' || ox === 'scroll') return el;
  }
  return null;
}

/** A line body appended to `parent`. */
export function createLineBody<T extends { id: string }>(parent: HTMLElement, o: LineBodyOptions<T>): LineBody {
  const scope = `rl-${++bodies}`;
  const el = document.createElement('div');
  el.className = 'line-body';
  el.tabIndex = 0;
  el.setAttribute('role', 'grid');
  el.setAttribute('aria-label', o.label);
  el.dataset['emptyText'] = o.emptyText;
  const spacer = document.createElement('div');
  spacer.className = 'line-body-rows';
  spacer.setAttribute('role', 'rowgroup');
  spacer.style.setProperty('--h', `${o.rowHeight}px`);
  el.append(spacer);
  parent.append(el);
  const sheet = document.createElement('style');
  sheet.dataset['lineBody'] = scope;
  document.head.append(sheet);

  let layout: LineLayout<T> | null = null;
  let lines: Line<T>[] = [];
  let count = -1;
  let viewHeight = el.clientHeight;
  let destroyed = false;

  const lay = () => {
    const columns = o.header.getAllDisplayedColumns();
    const boxes = boxesOf(columns);
    if (layout && layout.key === layoutKey(boxes)) return false;
    layout = lineLayout(scope, columns, o.cells, o.selection);
    sheet.textContent = lineRules(scope, boxes);
    spacer.style.width = `${layout.width}px`;
    for (const l of lines) l.el.remove();
    lines = [];
    return true;
  };

  // Planning (on every scroll event and data change) says which row each line is to show; lines are moved and
  // filled in animation frames, at most LINES_PER_FRAME a frame, those in the viewport first. A line waiting for
  // its turn stays where it was, showing the row it shows (out of view): never a stale row at a new place.
  let frame = 0;
  const show = (line: Line<T>) => {
    const i = line.want!;
    const row = line.wantRow;
    if (line.index !== i) {
      if (line.el.hidden) line.el.hidden = false;
      line.el.style.transform = `translateY(${i * o.rowHeight}px)`;
      line.el.setAttribute('row-index', String(i));
      line.el.setAttribute('aria-rowindex', String(i + 1));
      line.index = i;
    }
    if (line.row !== row) {
      if (line.row?.id !== row?.id) line.el.setAttribute('row-id', row?.id ?? '');
      line.row = row;
      layout!.fill(line.el, row);
    }
  };
  const flush = () => {
    frame = 0;
    if (destroyed || !layout) return;
    const due = lines.filter((l) => l.want !== null && (l.want !== l.index || l.wantRow !== l.row));
    const view = rowsInView(el.scrollTop, viewHeight, o.rowHeight, count, 0);
    for (const line of pickDue(due, LINES_PER_FRAME, view.first, view.end)) show(line);
    if (due.length > LINES_PER_FRAME) frame = requestAnimationFrame(flush);
    else el.removeAttribute('aria-busy');
  };
  const render = () => {
    if (destroyed || !layout) return;
    const n = o.rows.count;
    if (n !== count) {
      count = n;
      spacer.style.height = `${n * o.rowHeight}px`;
      el.setAttribute('aria-rowcount', String(n));
      el.classList.toggle('empty', n === 0);
    }
    const { first, end } = rowsInView(el.scrollTop, viewHeight, o.rowHeight, n);
    const rows = o.rows.slice(first, end);
    const plan = planLines(lines.map((l) => l.want), first, end);
    for (let k = 0; k < plan.length; k++) {
      let line = lines[k];
      if (!line) {
        const lineEl = layout.create();
        lineEl.hidden = true;
        spacer.append(lineEl);
        line = { el: lineEl, index: null, row: undefined, want: null, wantRow: undefined };
        lines.push(line);
      }
      const i = plan[k] ?? null;
      line.want = i;
      line.wantRow = i === null ? undefined : rows[i - first];
      if (i === null && line.index !== null) {
        // A spare line: out of sight and out of queries by row (its spans keep their texts until it is used again).
        line.el.hidden = true;
        line.el.removeAttribute('row-index');
        line.el.removeAttribute('row-id');
        line.index = null;
        line.row = undefined;
      }
    }
    if (!frame) {
      // Busy until every line shows its row (assistive tech, and tests, wait for it).
      el.setAttribute('aria-busy', 'true');
      frame = requestAnimationFrame(flush);
    }
  };

  // Sideways: the header follows the body, and the body the header (a column moved into view, a header focused).
  let headerVp = headerScroller(o.headerEl);
  let left = 0;
  const onScroll = () => {
    if (el.scrollLeft !== left) {
      left = el.scrollLeft;
      headerVp ??= headerScroller(o.headerEl);
      if (headerVp && headerVp.scrollLeft !== left) headerVp.scrollLeft = left;
    }
    render();
  };
  const onHeaderScroll = (e: { direction: string; left: number }) => {
    if (e.direction === 'horizontal' && Math.abs(el.scrollLeft - e.left) >= 1) el.scrollLeft = e.left;
  };
  const onColumns = () => {
    if (destroyed || o.header.isDestroyed()) return;
    if (lay()) render();
  };
  const onClick = (e: MouseEvent) => {
    const target = e.target as HTMLElement | null;
    if (!target || target.closest('.ag-selection-checkbox')) return;
    const lineEl = target.closest('.row-line');
    const line = lines.find((l) => l.el === lineEl);
    if (line?.row) o.onRowClick?.(line.row);
  };
  const resize = new ResizeObserver(() => {
    if (el.clientHeight === viewHeight) return;
    viewHeight = el.clientHeight;
    render();
  });

  el.addEventListener('scroll', onScroll, { passive: true });
  el.addEventListener('click', onClick);
  o.header.addEventListener('bodyScroll', onHeaderScroll);
  for (const e of COLUMN_EVENTS) o.header.addEventListener(e, onColumns);
  resize.observe(el);
  lay();
  render();

  return {
    el,
    refresh: render,
    scrollToTop() {
      el.scrollTop = 0;
      render();
    },
    destroy() {
      destroyed = true;
      resize.disconnect();
      el.removeEventListener('scroll', onScroll);
      el.removeEventListener('click', onClick);
      if (frame) cancelAnimationFrame(frame);
      if (!o.header.isDestroyed()) {
        o.header.removeEventListener('bodyScroll', onHeaderScroll);
        for (const e of COLUMN_EVENTS) o.header.removeEventListener(e, onColumns);
      }
      sheet.remove();
      el.remove();
      lines = [];
    },
  };
}
