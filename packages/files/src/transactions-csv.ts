// Reader of the transactions CSV (CONTRACTS.md section 2):
// `date,account,symbol,type,quantity,price[,fees][,currency][,lot_method]`. Rows are returned in file order
// (consumers apply them by date, file order within a date). Units: quantity in shares (for `split` the new:old
// ratio); price per share in the row's currency (the cash amount for cash rows); feesCents and amountCents
// integer cents, amountCents = quantity × price rounded once.
import { mulToCents, toCents, TRANSACTION_TYPES, type Cents, type IsoDate, type LotMethod, type TransactionType } from '@aw/domain';
import { IssueList } from './csv-error.ts';
import { checkWidth, mapColumns, parseCsvTable } from './csv-table.ts';
import { parseDate, parseEnum, parseName, parseNumber, parseSymbol, type CellRef } from './csv-values.ts';

export interface TransactionRow {
  /** Line of the row in its file, for messages of later steps (e.g. a sell of more than is held). */
  line: number;
  date: IsoDate;
  account: string;
  /** Upper-cased; '' for cash rows without a symbol. */
  symbol: string;
  type: TransactionType;
  quantity: number;
  price: number;
  amountCents: Cents;
  feesCents: Cents;
  currency: string;
  lotMethod: LotMethod;
}

export const CASH_TYPES: readonly TransactionType[] = ['deposit', 'withdrawal', 'fee', 'dividend'];
const LOT_METHODS = ['fifo', 'hifo', 'lifo'] as const;
const COLUMNS = { required: ['date', 'account', 'symbol', 'type', 'quantity', 'price'], optional: ['fees', 'currency', 'lot_method'] } as const;

/** Parses and validates a transactions file; throws CsvImportError listing every problem (nothing returned then). */
export function readTransactionsCsv(text: string, fileName: string): TransactionRow[] {
  const issues = new IssueList(fileName);
  const table = parseCsvTable(text, issues);
  const col = table && mapColumns(table, COLUMNS, issues);
  const out: TransactionRow[] = [];
  if (table && col) {
    for (const row of table.rows) {
      if (!checkWidth(row, table.header.length, issues)) continue;
      const cell = (name: string): string => (col[name] === undefined ? '' : row.cells[col[name]!]!);
      const ref = (column: string): CellRef => ({ issues, line: row.line, column });
      const before = issues.issues.length;

      const date = parseDate(ref('date'), cell('date'));
      const account = parseName(ref('account'), cell('account'), 'account');
      const type = parseEnum(ref('type'), cell('type'), TRANSACTION_TYPES);
      const isCash = type !== undefined && CASH_TYPES.includes(type);
      let symbol: string | undefined = '';
      if (cell('symbol') !== '' || (type !== undefined && !isCash)) symbol = parseSymbol(ref('symbol'), cell('symbol'));
      if (type && (type === 'deposit' || type === 'withdrawal') && cell('symbol') !== '') {
        issues.add(row.line, 'symbol', `a ${type} has no symbol; leave it empty`);
      }
      const quantity = parseNumber(ref('quantity'), cell('quantity'), { min: 0, exclusiveMin: true });
      if (isCash && quantity !== undefined && quantity !== 1) {
        issues.add(row.line, 'quantity', `a ${type} row has quantity 1 and the amount in price, got quantity ${cell('quantity')}`);
      }
      const price = type === 'split'
        ? parseNumber(ref('price'), cell('price'), { min: 0, empty: 0 })
        : parseNumber(ref('price'), cell('price'), { min: 0, exclusiveMin: true });
      const fees = parseNumber(ref('fees'), cell('fees'), { min: 0, empty: 0 });
      const currencyText = cell('currency').toUpperCase();
      const currency = currencyText === '' ? 'USD' : /^[A-Z]{3}$/.test(currencyText) ? currencyText
        : void issues.add(row.line, 'currency', `"${cell('currency')}" is not a 3-letter currency code`);
      const lotMethod = parseEnum(ref('lot_method'), cell('lot_method'), LOT_METHODS, 'fifo');

      if (issues.issues.length > before || issues.truncated) continue;
      out.push({
        line: row.line, date: date!, account: account!, symbol: symbol!, type: type!, quantity: quantity!, price: price!,
        amountCents: type === 'split' ? 0 : mulToCents(quantity!, price!), feesCents: toCents(fees!), currency: currency!,
        lotMethod: lotMethod!,
      });
    }
  }
  issues.throwIfAny();
  return out;
}
