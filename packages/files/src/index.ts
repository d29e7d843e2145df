// @aw/files: readers of the files users bring (CONTRACTS.md section 2) — all-or-nothing, with errors naming file,
// line, column and reason — and the versioned JSON export/import of households and accounts.
export { CsvImportError, formatIssue, MAX_ISSUES, type CsvIssue } from './csv-error.ts';
export { isIsoDate } from './csv-values.ts';
export { CASH_TYPES, readTransactionsCsv, type TransactionRow } from './transactions-csv.ts';
export { detectPriceFormat, readPriceFile, readPricesCsv, type PriceBar, type PriceFile, type PriceFileFormat } from './prices-csv.ts';
export { readValueSeriesCsv, type ValuePoint } from './value-series-csv.ts';
export { readGroupsCsv, type GroupRow } from './groups-csv.ts';
export { checkAccountsKnown, defaultAccounts, readAccountsCsv, type AccountRow } from './accounts-csv.ts';
export {
  exportHouseholdsJson, HOUSEHOLDS_JSON_FORMAT, HOUSEHOLDS_JSON_VERSION, importHouseholdsJson, JsonImportError,
  type HouseholdsData, type HouseholdsJson, type JsonIssue,
} from './households-json.ts';
