// A plain-DOM checkbox selection column for big AG Grids (the review grid's 100,000 proposals), instead of AG
// Grid's own (rowSelection.checkboxes): AG Grid's checkbox cell is a component tree with its own listeners per row
// (about 30% of a fast scroll frame), and its header "select all" box recounts every row after the filter on each
// model update (two passes over 100,000 rows per applied transaction batch). Here a cell is one
// <span class="ag-selection-checkbox"><input type="checkbox"></span> (the markup tests and CSS look for), with one
// delegated listener on the grid's host element. The selection lives in a SelectionModel the grid's owner keeps
// (ids), so it works with any row model, including the infinite one whose row nodes come and go. The header box
// is an action: checking it selects every selectable row the filters let through, unchecking clears the selection;
// it shows whether anything is selected.
import type { ColDef, GridApi, ICellRendererComp, ICellRendererParams, IHeaderComp } from 'ag-grid-community';

export const SELECTION_COL_ID = 'select';

export interface SelectionModel<T> {
  selectable(row: T): boolean;
  isSelected(id: string): boolean;
  anySelected(): boolean;
  /** A row's box was (un)checked. */
  toggle(id: string, on: boolean): void;
  /** The header box: select every selectable row that passes the filters, or clear the selection. */
  toggleAll(on: boolean): void;
}

/**
 * Renders `row`'s box into `el` (a selection cell, or a row line's span: grid/row-lines.ts): the box when the model
 * calls the row selectable, checked as selected; else nothing. `baseClass`: the element's own classes.
 */
export function renderSelectionBox<T extends { id: string }>(el: HTMLElement, model: SelectionModel<T>, row: T | undefined, baseClass = ''): void {
  if (!row || !model.selectable(row)) {
    el.className = baseClass;
    el.replaceChildren();
    return;
  }
  let box = el.firstChild as HTMLInputElement | null;
  if (!box) {
    el.className = baseClass ? `${baseClass} ag-selection-checkbox` : 'ag-selection-checkbox';
    box = document.createElement('input');
    box.type = 'checkbox';
    box.className = 'selection-box';
    box.setAttribute('aria-label', 'Select row');
    el.append(box);
  }
  box.checked = model.isSelected(row.id);
}

/** The selection column: a box on rows the model calls selectable (re-rendered when that changes). */
export function selectionColumn<T extends { id: string }>(model: SelectionModel<T>, headerLabel: string): ColDef<T> {
  class SelectionCell implements ICellRendererComp<T> {
    private readonly gui = document.createElement('span');
    init(p: ICellRendererParams<T>): void { renderSelectionBox(this.gui, model, p.data); }
    getGui(): HTMLElement { return this.gui; }
    refresh(p: ICellRendererParams<T>): boolean { renderSelectionBox(this.gui, model, p.data); return true; }
  }
  class SelectAllHeader implements IHeaderComp {
    private readonly gui = document.createElement('label');
    init(): void {
      const box = document.createElement('input');
      this.gui.className = 'selection-header';
      this.gui.title = headerLabel;
      box.type = 'checkbox';
      box.checked = model.anySelected();
      box.setAttribute('aria-label', headerLabel);
      box.addEventListener('change', () => model.toggleAll(box.checked));
      this.gui.append(box);
    }
    getGui(): HTMLElement { return this.gui; }
    refresh(): boolean { return true; }
  }
  return {
    colId: SELECTION_COL_ID, headerName: '', width: 38, minWidth: 38, maxWidth: 38, resizable: false, sortable: false, suppressMovable: true,
    suppressHeaderMenuButton: true, suppressHeaderFilterButton: true, filter: false, lockPosition: 'left',
    valueGetter: (p) => (p.data ? `${model.selectable(p.data)}` : ''),
    cellRenderer: SelectionCell, headerComponent: SelectAllHeader, cellClass: 'selection-cell',
  };
}

/** One delegated `change` listener on `host` (the grid's container) for every row box. Returns the cleanup. */
export function bindSelectionBoxes<T>(host: HTMLElement, model: SelectionModel<T>): () => void {
  const onChange = (e: Event) => {
    const box = e.target;
    if (!(box instanceof HTMLInputElement) || !box.classList.contains('selection-box')) return;
    const id = box.closest('[row-id]')?.getAttribute('row-id');
    if (id) model.toggle(id, box.checked);
  };
  host.addEventListener('change', onChange);
  return () => host.removeEventListener('change', onChange);
}

/**
 * Shows the model's selection in the rendered boxes (rows on screen, whether AG Grid rows or the lines of
 * grid/line-body.ts: any element with a `row-id`) and the header box.
 */
export function redrawSelection<T>(host: HTMLElement, api: GridApi<T>, model: SelectionModel<T>): void {
  if (api.isDestroyed()) return;
  for (const box of host.querySelectorAll<HTMLInputElement>('input.selection-box')) {
    const id = box.closest('[row-id]')?.getAttribute('row-id');
    if (id) box.checked = model.isSelected(id);
  }
  const header = host.querySelector<HTMLInputElement>('.selection-header input');
  if (header) header.checked = model.anySelected();
}
