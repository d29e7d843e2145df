// Reader of the value-series CSV (CONTRACTS.md section 2): `date,value,flow`. `value` is the portfolio's market
// value at the end of `date` before that date's external flow; `flow` the external cash flow at the end of `date`
// (+ contribution, − withdrawal; empty = 0). Dates strictly increase. Units: decimal amounts in one currency.
import type { IsoDate } from '@aw/domain';
import { IssueList } from './csv-error.ts';
import { checkWidth, mapColumns, parseCsvTable } from './csv-table.ts';
import { parseDate, parseNumber } from './csv-values.ts';

export interface ValuePoint {
  date: IsoDate;
  value: number;
  flow: number;
}

const COLUMNS = { required: ['date', 'value'], optional: ['flow'] } as const;

/** Parses a value series (at least two rows); throws CsvImportError listing every problem. */
export function readValueSeriesCsv(text: string, fileName: string): ValuePoint[] {
  const issues = new IssueList(fileName);
  const table = parseCsvTable(text, issues);
  const col = table && mapColumns(table, COLUMNS, issues);
  const out: ValuePoint[] = [];
  if (table && col) {
    let prev: { date: string; line: number } | null = null;
    for (const row of table.rows) {
      if (!checkWidth(row, table.header.length, issues)) continue;
      const cell = (name: string): string => (col[name] === undefined ? '' : row.cells[col[name]!]!);
      const before = issues.issues.length;
      const date = parseDate({ issues, line: row.line, column: 'date' }, cell('date'));
      const value = parseNumber({ issues, line: row.line, column: 'value' }, cell('value'), { min: 0 });
      const flow = parseNumber({ issues, line: row.line, column: 'flow' }, cell('flow'), { empty: 0 });
      if (date && prev && date <= prev.date) issues.add(row.line, 'date', `${date} is not after ${prev.date} (line ${prev.line}); dates must increase`);
      if (date) prev = { date, line: row.line };
      if (issues.issues.length > before || issues.truncated) continue;
      out.push({ date: date!, value: value!, flow: flow! });
    }
    if (table.rows.length < 2) issues.add(0, '', `a value series needs at least two rows, found ${table.rows.length}`);
  }
  issues.throwIfAny();
  return out;
}
