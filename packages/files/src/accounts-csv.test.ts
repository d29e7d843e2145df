import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkAccountsKnown, CsvImportError, defaultAccounts, readAccountsCsv, readTransactionsCsv } from './index.ts';

const sample = (name: string) => readFileSync(new URL(`../../../resources/samples/${name}`, import.meta.url), 'utf8');

describe('readAccountsCsv', () => {
  it('reads the sample and covers every account of the sample transactions', () => {
    const accounts = readAccountsCsv(sample('accounts.csv'), 'accounts.csv');
    expect(accounts.map((a) => [a.account, a.household, a.type])).toEqual([
      ['joint-brokerage', 'Rivera Family', 'taxable'], ['ira-rollover', 'Rivera Family', 'ira'], ['roth', 'Rivera Family', 'roth_ira'],
    ]);
    const tx = readTransactionsCsv(sample('transactions.csv'), 'transactions.csv');
    expect(() => checkAccountsKnown(tx, accounts, 'transactions.csv')).not.toThrow();
    expect(() => checkAccountsKnown(tx, accounts.slice(0, 2), 'transactions.csv')).toThrow(/transactions\.csv:7 column "account": account "roth" is not in the accounts file/);
  });

  it('rejects unknown types and duplicate accounts', () => {
    let err: CsvImportError | undefined;
    try {
      readAccountsCsv('account,household,type\na,H,taxable\na,H,ira\nb,,Roth IRA\n', 'acc.csv');
    } catch (e) {
      err = e as CsvImportError;
    }
    expect(err!.issues.map((i) => [i.line, i.column])).toEqual([[3, 'account'], [4, 'household'], [4, 'type']]);
    expect(err!.issues[2]!.reason).toMatch(/expected one of taxable, ira, roth_ira, 401k/);
  });

  it('defaults every account to taxable in one household', () => {
    expect(defaultAccounts(['x', 'y', 'x'], 'hh')).toEqual([
      { line: 0, account: 'x', household: 'hh', type: 'taxable' }, { line: 0, account: 'y', household: 'hh', type: 'taxable' },
    ]);
  });
});
