import { describe, expect, it } from 'vitest';
import { sampleBookDocs, type Proposal, type Transaction } from '@aw/domain';
import { blotterCsv } from './blotter.ts';

const s = sampleBookDocs();

describe('blotter CSV', () => {
  it('lists fills of executed proposals and planned trades of the others, quoting where needed', () => {
    const executed: Proposal = { ...s.proposals, id: 'p-b', accountId: 'acc,1', status: 'executed' };
    const pending: Proposal = {
      ...s.proposals, id: 'p-a', accountId: 'acc-2', status: 'approved', decidedAt: Date.UTC(2026, 10, 20, 15),
      trades: [{ symbol: 'VTI', side: 'buy', quantity: 2.5, price: 101.1, amountCents: 25_275, lotIds: [], estGainCents: 0, reason: 'x' }],
    };
    const tx = (i: number, over: Partial<Transaction>): Transaction => ({
      ...s.transactions, id: `tx-h-${i}`, proposalId: 'p-b', accountId: 'acc,1', date: '2026-11-21', status: 'completed', ...over,
    });
    const csv = blotterCsv([executed, pending], [
      tx(10, { type: 'buy', symbol: 'BND', quantity: 3, price: 72.015, amountCents: 21_605 }),
      tx(2, { type: 'sell', symbol: 'VTI', quantity: 1.5, price: 250, amountCents: 37_500 }),
    ]);
    expect(csv.split('\r\n')).toEqual([
      'date,account,symbol,side,quantity,price,amount,proposal,status',
      '2026-11-20,acc-2,VTI,buy,2.5,101.1,252.75,p-a,approved',
      '2026-11-21,"acc,1",VTI,sell,1.5,250,375.00,p-b,completed',
      '2026-11-21,"acc,1",BND,buy,3,72.015,216.05,p-b,completed',
      '',
    ]);
  });
});
