import { describe, expect, it } from 'vitest';
import type { Account, Household, Model } from '@aw/domain';
import { bookRows } from './book-rows.ts';

const hh = (id: string, name: string) => ({ id, name }) as Household;
const acct = (id: string, householdId: string, name: string, modelId = 'm1') =>
  ({ id, householdId, name, type: 'taxable', custodian: 'Schwab', modelId, cashCents: 100 }) as Account;

describe('bookRows', () => {
  it('joins accounts with households, models and valuations, sorted by household then account', () => {
    const rows = bookRows([hh('h1', 'Young'), hh('h2', 'Abbott')], [acct('a1', 'h1', 'IRA'), acct('a2', 'h2', 'Trust', 'gone'), acct('a3', 'h1', 'Brokerage')],
      [{ id: 'm1', name: 'Growth' } as Model], { a1: { marketValueCents: 5000, unrealizedCents: -10 } as never });
    expect(rows.map((r) => [r.household, r.account, r.model, r.marketValueCents])).toEqual([
      ['Abbott', 'Trust', 'gone', null], ['Young', 'Brokerage', 'Growth', null], ['Young', 'IRA', 'Growth', 5000]]);
    expect(rows[2]).toMatchObject({ cashCents: 100, unrealizedCents: -10, drift: null });
  });
  it('drops accounts whose household is not in the book', () => {
    expect(bookRows([], [acct('a1', 'h1', 'IRA')], [], {})).toEqual([]);
  });
});
