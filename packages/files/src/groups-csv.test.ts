import { describe, expect, it } from 'vitest';
import { CsvImportError } from './csv-error.ts';
import { readGroupsCsv } from './groups-csv.ts';

describe('readGroupsCsv', () => {
  it('reads memberships, upper-casing symbols; a symbol may be in several groups', () => {
    const rows = readGroupsCsv('symbol,group\naapl,Technology\nAAPL,Large cap\nXOM,Energy\n', 'g.csv');
    expect(rows).toEqual([
      { line: 2, symbol: 'AAPL', group: 'Technology' },
      { line: 3, symbol: 'AAPL', group: 'Large cap' },
      { line: 4, symbol: 'XOM', group: 'Energy' },
    ]);
  });

  it('rejects the whole file with line and column for bad symbols, empty groups, repeats and missing columns', () => {
    const bad = () => readGroupsCsv('symbol,group\nA$PL,Tech\nXOM,\nMSFT,Tech\nmsft,Tech\n', 'g.csv');
    expect(bad).toThrow(CsvImportError);
    try {
      bad();
    } catch (e) {
      expect((e as CsvImportError).issues.map((i) => [i.line, i.column])).toEqual([[2, 'symbol'], [3, 'group'], [5, 'group']]);
      expect((e as Error).message).toMatch(/g\.csv:5 column "group": MSFT is already in group "Tech" on line 4/);
    }
    expect(() => readGroupsCsv('ticker,group\nA,B\n', 'g.csv')).toThrow(/column "symbol": required column is missing/);
  });
});
