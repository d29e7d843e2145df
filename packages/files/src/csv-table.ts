// Parsing a user CSV into a header and rows with their line numbers (papaparse does the quoting rules).
// UTF-8 text, optional BOM, comma-separated, any newline style; quoted fields may span lines; blank lines
// are skipped. Structural problems (bad quotes, wrong field counts, duplicate or unknown columns) become issues.
import Papa from 'papaparse';
import { IssueList } from './csv-error.ts';

export interface CsvRow {
  /** 1-based line where the row starts. */
  line: number;
  /** Cells by column index, trimmed. */
  cells: string[];
}

export interface CsvTable {
  /** Header cells, trimmed (case kept). */
  header: string[];
  rows: CsvRow[];
}

/** Parses `text`; returns null (with issues added) when there is no usable header. */
export function parseCsvTable(text: string, issues: IssueList): CsvTable | null {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const rows: CsvRow[] = [];
  let header: string[] | null = null;
  let start = 0;
  let line = 1;
  Papa.parse<string[]>(normalized, {
    delimiter: ',',
    newline: '\n',
    step(result) {
      const rowLine = line;
      const end = result.meta.cursor;
      for (let i = start; i < end && i < normalized.length; i++) if (normalized.charCodeAt(i) === 10) line++;
      start = end;
      for (const e of result.errors) issues.add(rowLine, '', `malformed CSV: ${e.message.toLowerCase()}`);
      const cells = result.data.map((c) => c.trim());
      if (cells.every((c) => c === '')) return; // blank line
      if (header === null) header = cells;
      else rows.push({ line: rowLine, cells });
    },
  });
  if (header === null) {
    issues.add(0, '', 'the file is empty: expected a header row');
    return null;
  }
  return { header, rows };
}

export interface ColumnSpec {
  required: readonly string[];
  optional: readonly string[];
}

/**
 * Maps lower-cased header names to column indexes; reports missing required, unknown and duplicate columns.
 * Returns null when a required column is missing.
 */
export function mapColumns(table: CsvTable, spec: ColumnSpec, issues: IssueList): Record<string, number> | null {
  const index: Record<string, number> = {};
  const allowed = new Set([...spec.required, ...spec.optional]);
  table.header.forEach((raw, i) => {
    const name = raw.toLowerCase();
    if (name in index) issues.add(1, raw, 'duplicate column');
    else if (!allowed.has(name)) issues.add(1, raw, `unknown column (expected ${[...spec.required, ...spec.optional].join(', ')})`);
    else index[name] = i;
  });
  const missing = spec.required.filter((c) => !(c in index));
  for (const c of missing) issues.add(1, c, 'required column is missing');
  return missing.length ? null : index;
}

/** Checks that a row has exactly as many fields as the header. */
export function checkWidth(row: CsvRow, width: number, issues: IssueList): boolean {
  if (row.cells.length === width) return true;
  issues.add(row.line, '', `expected ${width} fields like the header, found ${row.cells.length}`);
  return false;
}
