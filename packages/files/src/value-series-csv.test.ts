import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CsvImportError, readValueSeriesCsv } from './index.ts';

const fail = (text: string) => {
  try {
    readValueSeriesCsv(text, 'v.csv');
  } catch (e) {
    expect(e).toBeInstanceOf(CsvImportError);
    return (e as CsvImportError).issues.map((i) => [i.line, i.column, i.reason]);
  }
  throw new Error('expected a CsvImportError');
};

describe('readValueSeriesCsv', () => {
  it('reads the sample; empty flow is 0', () => {
    const v = readValueSeriesCsv(readFileSync(new URL('../../../resources/samples/values.csv', import.meta.url), 'utf8'), 'values.csv');
    expect(v.length).toBeGreaterThan(12);
    expect(v[0]).toEqual({ date: '2024-01-31', value: 250000, flow: 0 });
    expect(v.filter((p) => p.flow !== 0).map((p) => p.flow)).toEqual([10000, 5000, -20000]);
  });

  it('allows a file without the flow column', () => {
    expect(readValueSeriesCsv('date,value\n2024-01-01,100\n2024-02-01,101.5\n', 'v.csv')).toEqual([
      { date: '2024-01-01', value: 100, flow: 0 }, { date: '2024-02-01', value: 101.5, flow: 0 },
    ]);
  });

  it('rejects decreasing dates, negative values, bad flows and too-short series', () => {
    expect(fail('date,value,flow\n2024-02-01,100,\n2024-01-01,-5,abc\n')).toEqual([
      [3, 'value', 'must be ≥ 0, got -5'],
      [3, 'flow', '"abc" is not a number (use plain decimals like 1234.56)'],
      [3, 'date', '2024-01-01 is not after 2024-02-01 (line 2); dates must increase'],
    ]);
    expect(fail('date,value,flow\n2024-02-01,100,\n')).toEqual([[0, '', 'a value series needs at least two rows, found 1']]);
  });
});
