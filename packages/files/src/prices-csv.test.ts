import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CsvImportError, readPriceFile, readPricesCsv, type CsvIssue } from './index.ts';

const sample = (name: string) => readFileSync(new URL(`../../../resources/samples/${name}`, import.meta.url), 'utf8');
const close = (m: { dates: string[]; symbols: string[]; closes: Float64Array }, date: string, sym: string) =>
  m.closes[m.dates.indexOf(date) * m.symbols.length + m.symbols.indexOf(sym)];

function issuesOf(text: string): CsvIssue[] {
  try {
    readPricesCsv(text, 'p.csv');
  } catch (e) {
    expect(e).toBeInstanceOf(CsvImportError);
    return (e as CsvImportError).issues;
  }
  throw new Error('expected a CsvImportError');
}

describe('readPricesCsv', () => {
  it('reads the wide sample with a later listing as NaN before its first price', () => {
    const m = readPricesCsv(sample('prices-wide.csv'), 'prices-wide.csv');
    expect(m.symbols).toEqual(['VTI', 'SCHB', 'VXUS', 'BND', 'NEWCO']);
    expect(m.dates[0]).toBe('2024-01-02');
    expect(m.closes).toHaveLength(m.dates.length * 5);
    expect(close(m, '2024-01-12', 'VTI')).toBe(240);
    expect(close(m, '2025-01-31', 'NEWCO')).toBeNaN();
    expect(close(m, '2025-02-03', 'NEWCO')).toBe(18);
  });

  it('reads the long sample with open/high/low/volume', () => {
    const f = readPriceFile(sample('prices-long.csv'), 'prices-long.csv');
    expect(f.format).toBe('long');
    expect(f.matrix.symbols).toEqual(['VTI', 'BND', 'NEWCO']);
    expect(f.matrix.dates).toHaveLength(30);
    expect(f.bars).toHaveLength(90);
    for (const b of f.bars) {
      expect(b.high).toBeGreaterThanOrEqual(b.low);
      expect(close(f.matrix, b.date, b.symbol)).toBe(b.close);
    }
    const wide = readPricesCsv(sample('prices-wide.csv'), 'w.csv');
    expect(close(f.matrix, '2025-11-20', 'VTI')).toBe(close(wide, '2025-11-20', 'VTI'));
  });

  it('detects the format by header, sorts dates and fills gaps with NaN', () => {
    const m = readPricesCsv('Symbol,Date,Close\nAAA,2024-01-03,11\nBBB,2024-01-02,20\nAAA,2024-01-02,10\n', 'l.csv');
    expect(m.dates).toEqual(['2024-01-02', '2024-01-03']);
    expect(m.symbols).toEqual(['AAA', 'BBB']);
    expect(Array.from(m.closes)).toEqual([10, 20, 11, NaN]);
    const w = readPricesCsv('date,AAA,BBB\n2024-01-03,11,\n2024-01-02,10,20\n', 'w.csv');
    expect(w).toEqual(m);
  });

  it('reports bad wide files: header, dates, duplicates and values', () => {
    const issues = issuesOf('day,AAA,AAA,B$B\n2024-01-02,10,0,x\n2024-01-02,10,11,12\n2024-13-01,1,2,3\n');
    expect(issues.map((i) => [i.line, i.column])).toEqual([
      [1, 'day'], [1, 'AAA'], [1, 'B$B'], [2, 'AAA'], [2, 'B$B'], [3, 'date'], [4, 'date'],
    ]);
    expect(issues[3]!.reason).toMatch(/must be > 0/);
    expect(issues[5]!.reason).toMatch(/already appears on line 2/);
  });

  it('reports bad long files: missing close, duplicate rows, high below low', () => {
    expect(issuesOf('date,symbol,open\n').map((i) => [i.column, i.reason])).toEqual([['close', 'required column is missing']]);
    const issues = issuesOf('date,symbol,close,high,low\n2024-01-02,AAA,10,11,9\n2024-01-02,AAA,10,11,9\n2024-01-03,AAA,10,8,9\n2024-01-04,AAA,,,\n');
    expect(issues.map((i) => [i.line, i.column])).toEqual([[3, 'symbol'], [4, 'high'], [5, 'close']]);
  });

  it('rejects a file without price rows', () => {
    expect(issuesOf('date,AAA\n')[0]!.reason).toMatch(/no price rows/);
  });
});
