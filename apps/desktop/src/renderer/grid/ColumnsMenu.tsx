// A "Columns" menu for AG Grid community (whose column chooser is an enterprise feature): a checkbox per column
// with a header name, showing or hiding it. Lets big grids start with fewer columns (cheaper rows) while every
// column stays one click away.
import { useEffect, useState } from 'react';
import type { GridApi } from 'ag-grid-community';

interface ColumnChoice { id: string; name: string; visible: boolean }

function choicesOf(api: GridApi<unknown>): ColumnChoice[] {
  return (api.getColumns() ?? [])
    .filter((c) => !!c.getColDef().headerName)
    .map((c) => ({ id: c.getColId(), name: c.getColDef().headerName!, visible: c.isVisible() }));
}

export function ColumnsMenu<T>({ api, testId }: { api: GridApi<T> | null; testId?: string }) {
  const [choices, setChoices] = useState<ColumnChoice[]>([]);
  useEffect(() => {
    if (!api || api.isDestroyed()) { setChoices([]); return undefined; }
    const a = api as GridApi<unknown>;
    const update = () => { if (!a.isDestroyed()) setChoices(choicesOf(a)); };
    update();
    a.addEventListener('columnVisible', update);
    return () => { if (!a.isDestroyed()) a.removeEventListener('columnVisible', update); };
  }, [api]);
  return (
    <details className="columns-menu" data-testid={testId}>
      <summary className="btn" aria-label="Choose columns">Columns</summary>
      <div className="columns-menu-list" role="group" aria-label="Shown columns">
        {choices.map((c) => (
          <label key={c.id} className="check">
            <input type="checkbox" checked={c.visible} data-col={c.id} disabled={!api}
              onChange={(e) => api?.setColumnsVisible([c.id], e.target.checked)} /> {c.name}
          </label>
        ))}
      </div>
    </details>
  );
}
