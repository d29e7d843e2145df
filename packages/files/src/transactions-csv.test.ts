import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CsvImportError, MAX_ISSUES, readTransactionsCsv, type CsvIssue } from './index.ts';

const HEADER = 'date,account,symbol,type,quantity,price,fees,currency,lot_method';
const sample = readFileSync(new URL('../../../resources/samples/transactions.csv', import.meta.url), 'utf8');

/** The issues a bad file raises (fails the test if it does not throw). */
function issuesOf(text: string, file = 't.csv'): CsvIssue[] {
  try {
    readTransactionsCsv(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(CsvImportError);
    return (e as CsvImportError).issues;
  }
  throw new Error('expected a CsvImportError');
}

describe('readTransactionsCsv', () => {
  it('reads the sample file, including the wash-sale rows across a taxable and an IRA account', () => {
    const rows = readTransactionsCsv(sample, 'transactions.csv');
    expect(rows).toHaveLength(17);
    expect(rows[0]).toEqual({ line: 2, date: '2024-01-10', account: 'joint-brokerage', symbol: '', type: 'deposit', quantity: 1,
      price: 100000, amountCents: 10_000_000, feesCents: 0, currency: 'USD', lotMethod: 'fifo' });
    const vti = rows.filter((r) => r.symbol === 'VTI' && r.type !== 'dividend');
    expect(vti.map((r) => [r.date, r.account, r.type, r.quantity])).toEqual([
      ['2024-01-12', 'joint-brokerage', 'buy', 200], ['2024-08-05', 'joint-brokerage', 'sell', 100],
      ['2024-08-20', 'ira-rollover', 'buy', 50], ['2024-08-26', 'joint-brokerage', 'buy', 20],
    ]);
    expect(rows.find((r) => r.type === 'sell' && r.symbol === 'BND')!.lotMethod).toBe('hifo');
    expect(rows.find((r) => r.type === 'split')).toMatchObject({ symbol: 'NEWCO', quantity: 2, price: 0, amountCents: 0 });
    expect(rows.find((r) => r.line === 10)).toMatchObject({ type: 'sell', amountCents: 2_201_000, feesCents: 100 });
  });

  it('computes amounts exactly in cents and applies defaults for optional columns', () => {
    const rows = readTransactionsCsv('date,account,symbol,type,quantity,price\n2024-01-02,a,vti,buy,0.1,0.2\n2024-01-03,a,VTI,buy,3,19.995\n', 'x.csv');
    expect(rows.map((r) => [r.symbol, r.amountCents, r.feesCents, r.currency, r.lotMethod])).toEqual([
      ['VTI', 2, 0, 'USD', 'fifo'], ['VTI', 5999, 0, 'USD', 'fifo'],
    ]);
  });

  it('accepts columns in any order, a BOM, CRLF line ends, quoted fields and blank lines', () => {
    const text = '\uFEFFtype,date,account,symbol,quantity,price,currency\r\n\r\nbuy,2024-01-02,"Joint, brokerage",BRK.B,10,"412.50",eur\r\n';
    const [row] = readTransactionsCsv(text, 'x.csv');
    expect(row).toMatchObject({ line: 3, account: 'Joint, brokerage', symbol: 'BRK.B', price: 412.5, currency: 'EUR', amountCents: 412_500 });
  });

  it('names file, line, column and reason for each bad cell, and imports nothing', () => {
    const text = [HEADER,
      '2024-01-02,a,VTI,buy,10,100,,,',
      '2024-02-30,a,VTI,buy,10,100,,,', // not a calendar date
      '02/03/2024,a,VTI,buy,10,100,,,', // wrong format
      '2024-01-04,a,VTI,purchase,10,100,,,', // bad type
      '2024-01-05,a,VTI,buy,0,100,,,', // quantity not > 0
      '2024-01-06,a,VTI,buy,-5,100,,,', // negative
      '2024-01-07,a,VTI,buy,ten,100,,,', // not a number
      '2024-01-08,a,VTI,buy,10,1e3,,,', // exponent
      '2024-01-09,a,VTI,sell,10,100,,,fifo-ish', // bad lot method
      '2024-01-10,a,,deposit,2,500,,,', // cash row quantity must be 1
      '2024-01-11,a,,buy,10,100,,,', // buy without symbol
      '2024-01-12,a,VTI,buy,10,100,-1,,', // negative fee
      '2024-01-13,a,VTI,buy,10,100,,US Dollar,', // bad currency
      '2024-01-14,,VTI,buy,10,100,,,', // no account
      '2024-01-15,a,VTI,buy,10,100', // too few fields
      '2024-01-16,a,$VTI,buy,10,100,,,', // bad symbol
      '2024-01-17,a,VTI,withdrawal,1,100,,,', // withdrawal with a symbol
    ].join('\n');
    const issues = issuesOf(text, 'trades.csv');
    const brief = issues.map((i) => [i.line, i.column]);
    expect(brief).toEqual([
      [3, 'date'], [4, 'date'], [5, 'type'], [6, 'quantity'], [7, 'quantity'], [8, 'quantity'], [9, 'price'], [10, 'lot_method'],
      [11, 'quantity'], [12, 'symbol'], [13, 'fees'], [14, 'currency'], [15, 'account'], [16, ''], [17, 'symbol'], [18, 'symbol'],
    ]);
    expect(issues.every((i) => i.file === 'trades.csv')).toBe(true);
    expect(issues[0]!.reason).toMatch(/not a real calendar date/);
    expect(issues[1]!.reason).toMatch(/YYYY-MM-DD/);
    expect(issues[2]!.reason).toMatch(/"purchase" is not allowed; expected one of buy, sell/);
    expect(issues[3]!.reason).toMatch(/must be > 0/);
    expect(issues[13]!.reason).toMatch(/expected 9 fields like the header, found 6/);
    try {
      readTransactionsCsv(text, 'trades.csv');
    } catch (e) {
      expect((e as Error).message).toMatch(/^trades\.csv: 16 problems, nothing imported\n {2}trades\.csv:3 column "date": "2024-02-30" is not a real calendar date/);
    }
  });

  it('reports missing, unknown and duplicate columns', () => {
    expect(issuesOf('date,account,symbol,type,quantity\n2024-01-02,a,VTI,buy,1\n').map((i) => [i.line, i.column, i.reason]))
      .toEqual([[1, 'price', 'required column is missing']]);
    const issues = issuesOf('date,account,symbol,type,quantity,price,lot_methd,date\n');
    expect(issues.map((i) => i.column)).toEqual(['lot_methd', 'date']);
    expect(issues[0]!.reason).toMatch(/unknown column/);
    expect(issues[1]!.reason).toBe('duplicate column');
  });

  it('rejects an empty file and malformed quoting', () => {
    expect(issuesOf('')[0]).toMatchObject({ line: 0, reason: expect.stringMatching(/empty/) });
    expect(issuesOf(`${HEADER}\n2024-01-02,"a,VTI,buy,10,100,,,\n`)[0]!.reason).toMatch(/malformed CSV/);
  });

  it('counts lines of quoted fields spanning lines', () => {
    const issues = issuesOf(`${HEADER}\n2024-01-02,"multi\nline account",VTI,buy,10,100,,,\n2024-01-03,a,VTI,buy,x,100,,,\n`);
    expect(issues.map((i) => [i.line, i.column])).toEqual([[4, 'quantity']]);
  });

  it('caps the list of problems', () => {
    const rows = Array.from({ length: 200 }, (_, i) => `2024-01-02,a,VTI,buy,-${i + 1},100,,,`);
    let err: CsvImportError | undefined;
    try {
      readTransactionsCsv([HEADER, ...rows].join('\n'), 'big.csv');
    } catch (e) {
      err = e as CsvImportError;
    }
    expect(err!.issues).toHaveLength(MAX_ISSUES);
    expect(err!.truncated).toBe(true);
    expect(err!.message).toMatch(/50\+ problems/);
  });

  it('returns an empty list for a header-only file', () => {
    expect(readTransactionsCsv(`${HEADER}\n`, 'x.csv')).toEqual([]);
  });
});
