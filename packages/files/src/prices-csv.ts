// Readers of price files (CONTRACTS.md section 2), told apart by their header (a `symbol` column = long):
//   wide: `date,SYM1,SYM2,...` one close per symbol per date, empty cell = no price (e.g. before a listing);
//   long: `date,symbol,close[,open,high,low,volume]` one row per symbol and date.
// Both give a PriceMatrix: dates ascending, symbols in order of first appearance, NaN = no price.
// Units: prices per share in the security's currency; volume in shares.
import type { IsoDate, PriceMatrix } from '@aw/domain';
import { IssueList } from './csv-error.ts';
import { checkWidth, mapColumns, parseCsvTable, type CsvTable } from './csv-table.ts';
import { parseDate, parseNumber, parseSymbol, SYMBOL } from './csv-values.ts';

export type PriceFileFormat = 'wide' | 'long';

export interface PriceBar {
  line: number;
  date: IsoDate;
  symbol: string;
  close: number;
  /** NaN when the file has no such column or the cell is empty. */
  open: number;
  high: number;
  low: number;
  volume: number;
}

export interface PriceFile {
  format: PriceFileFormat;
  matrix: PriceMatrix;
  /** Long files only: every row with its optional open/high/low/volume. */
  bars: PriceBar[];
}

const LONG_COLUMNS = { required: ['date', 'symbol', 'close'], optional: ['open', 'high', 'low', 'volume'] } as const;

/** 'long' when the header has a `symbol` column (then `close` is required), else 'wide'. */
export function detectPriceFormat(header: readonly string[]): PriceFileFormat {
  return header.some((h) => h.toLowerCase() === 'symbol') ? 'long' : 'wide';
}

function buildMatrix(dates: IsoDate[], symbols: string[], cells: Map<string, number>): PriceMatrix {
  const sortedDates = [...dates].sort();
  const S = symbols.length;
  const closes = new Float64Array(sortedDates.length * S).fill(NaN);
  const di = new Map(sortedDates.map((d, i) => [d, i]));
  const si = new Map(symbols.map((s, i) => [s, i]));
  for (const [key, close] of cells) {
    const bar = key.indexOf('|');
    closes[di.get(key.slice(0, bar))! * S + si.get(key.slice(bar + 1))!] = close;
  }
  return { dates: sortedDates, symbols, closes };
}

function readWide(table: CsvTable, issues: IssueList): PriceFile {
  const [first, ...symbolCells] = table.header;
  if (first!.toLowerCase() !== 'date') issues.add(1, first!, 'the first column of a wide price file must be "date" (or use date,symbol,close)');
  const symbols: string[] = [];
  const seen = new Set<string>();
  for (const raw of symbolCells) {
    const sym = raw.toUpperCase();
    if (!SYMBOL.test(raw)) issues.add(1, raw, `"${raw}" is not a valid symbol`);
    else if (seen.has(sym)) issues.add(1, raw, 'duplicate symbol column');
    else seen.add(sym);
    symbols.push(sym);
  }
  if (symbolCells.length === 0) issues.add(1, '', 'no symbol columns: expected date,SYM1,SYM2,...');
  const dates: IsoDate[] = [];
  const cells = new Map<string, number>();
  const dateLine = new Map<string, number>();
  for (const row of table.rows) {
    if (!checkWidth(row, table.header.length, issues)) continue;
    const date = parseDate({ issues, line: row.line, column: 'date' }, row.cells[0]!);
    if (date && dateLine.has(date)) issues.add(row.line, 'date', `${date} already appears on line ${dateLine.get(date)}`);
    else if (date) {
      dateLine.set(date, row.line);
      dates.push(date);
    }
    for (let s = 0; s < symbols.length; s++) {
      const close = parseNumber({ issues, line: row.line, column: table.header[s + 1]! }, row.cells[s + 1]!, { min: 0, exclusiveMin: true, empty: NaN });
      if (date && close !== undefined && !Number.isNaN(close)) cells.set(`${date}|${symbols[s]}`, close);
    }
  }
  if (table.rows.length === 0) issues.add(0, '', 'no price rows after the header');
  issues.throwIfAny();
  return { format: 'wide', matrix: buildMatrix(dates, symbols, cells), bars: [] };
}

function readLong(table: CsvTable, issues: IssueList): PriceFile {
  const col = mapColumns(table, LONG_COLUMNS, issues);
  const bars: PriceBar[] = [];
  if (col) {
    const seen = new Map<string, number>();
    for (const row of table.rows) {
      if (!checkWidth(row, table.header.length, issues)) continue;
      const cell = (name: string): string => (col[name] === undefined ? '' : row.cells[col[name]!]!);
      const ref = (column: string) => ({ issues, line: row.line, column });
      const before = issues.issues.length;
      const date = parseDate(ref('date'), cell('date'));
      const symbol = parseSymbol(ref('symbol'), cell('symbol'));
      const close = parseNumber(ref('close'), cell('close'), { min: 0, exclusiveMin: true });
      const open = parseNumber(ref('open'), cell('open'), { min: 0, exclusiveMin: true, empty: NaN });
      const high = parseNumber(ref('high'), cell('high'), { min: 0, exclusiveMin: true, empty: NaN });
      const low = parseNumber(ref('low'), cell('low'), { min: 0, exclusiveMin: true, empty: NaN });
      const volume = parseNumber(ref('volume'), cell('volume'), { min: 0, empty: NaN });
      if (high !== undefined && low !== undefined && high < low) issues.add(row.line, 'high', `high ${high} is below low ${low}`);
      if (date && symbol) {
        const key = `${date}|${symbol}`;
        if (seen.has(key)) issues.add(row.line, 'symbol', `${symbol} on ${date} already appears on line ${seen.get(key)}`);
        else seen.set(key, row.line);
      }
      if (issues.issues.length > before || issues.truncated) continue;
      bars.push({ line: row.line, date: date!, symbol: symbol!, close: close!, open: open!, high: high!, low: low!, volume: volume! });
    }
    if (table.rows.length === 0) issues.add(0, '', 'no price rows after the header');
  }
  issues.throwIfAny();
  const symbols = [...new Set(bars.map((b) => b.symbol))];
  const dates = [...new Set(bars.map((b) => b.date))];
  return { format: 'long', matrix: buildMatrix(dates, symbols, new Map(bars.map((b) => [`${b.date}|${b.symbol}`, b.close]))), bars };
}

/** Parses a wide or long price file with everything it holds; throws CsvImportError listing every problem. */
export function readPriceFile(text: string, fileName: string): PriceFile {
  const issues = new IssueList(fileName);
  const table = parseCsvTable(text, issues);
  if (!table) {
    issues.throwIfAny();
    throw new Error('unreachable');
  }
  return detectPriceFormat(table.header) === 'long' ? readLong(table, issues) : readWide(table, issues);
}

/** Daily closes of a wide or long price file as a PriceMatrix; throws CsvImportError listing every problem. */
export function readPricesCsv(text: string, fileName: string): PriceMatrix {
  return readPriceFile(text, fileName).matrix;
}
