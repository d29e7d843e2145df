// Reader of a security-groups CSV (an extension of CONTRACTS.md section 2, used by `advisor optimize|frontier
// --groups`): `symbol,group`, one membership per row, e.g. the sector or asset class of each security. A symbol may
// belong to several groups (one row each); a repeated (symbol, group) pair is an error.
import { IssueList } from './csv-error.ts';
import { checkWidth, mapColumns, parseCsvTable } from './csv-table.ts';
import { parseName, parseSymbol } from './csv-values.ts';

export interface GroupRow {
  line: number;
  /** Upper-cased. */
  symbol: string;
  group: string;
}

const COLUMNS = { required: ['symbol', 'group'], optional: [] } as const;

/** Parses a groups file; throws CsvImportError listing every problem. */
export function readGroupsCsv(text: string, fileName: string): GroupRow[] {
  const issues = new IssueList(fileName);
  const table = parseCsvTable(text, issues);
  const col = table && mapColumns(table, COLUMNS, issues);
  const out: GroupRow[] = [];
  if (table && col) {
    const seen = new Map<string, number>();
    for (const row of table.rows) {
      if (!checkWidth(row, table.header.length, issues)) continue;
      const before = issues.issues.length;
      const symbol = parseSymbol({ issues, line: row.line, column: 'symbol' }, row.cells[col.symbol!]!);
      const group = parseName({ issues, line: row.line, column: 'group' }, row.cells[col.group!]!, 'group', 200);
      if (issues.issues.length > before || issues.truncated) continue;
      const key = `${symbol}\u0000${group}`;
      if (seen.has(key)) issues.add(row.line, 'group', `${symbol} is already in group "${group}" on line ${seen.get(key)}`);
      else seen.set(key, row.line);
      out.push({ line: row.line, symbol: symbol!, group: group! });
    }
  }
  issues.throwIfAny();
  return out;
}
