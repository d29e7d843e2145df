import { describe, expect, it } from 'vitest';
import { harvestScan, type HarvestAccount, type HarvestLot } from './harvest.ts';
import { estimatedTaxSavedCents, longTermRateFor } from './tax-rates.ts';

const accounts: HarvestAccount[] = [
  { id: 'T1', householdId: 'H', type: 'taxable' }, { id: 'I1', householdId: 'H', type: 'ira' }, { id: 'T9', householdId: 'G', type: 'taxable' },
];
const lot = (id: string, accountId: string, symbol: string, quantity: number, basisDollars: number, acquiredDate: string, extra: Partial<HarvestLot> = {}): HarvestLot =>
  ({ id, accountId, symbol, quantity, costBasisCents: basisDollars * 100, acquiredDate, holdingPeriodStart: acquiredDate, ...extra });
const tlhGroups = new Map([['VTI', 'us-total'], ['ITOT', 'us-total'], ['SCHB', 'us-total'], ['BND', 'us-bond']]);

describe('tax rates', () => {
  it('derives the long-term rate from the bracket', () => {
    expect([0.1, 0.12, 0.22, 0.32, 0.35, 0.37].map(longTermRateFor)).toEqual([0, 0, 0.15, 0.15, 0.15, 0.2]);
    expect(estimatedTaxSavedCents(50000, 100000, 0.32)).toBe(31000);
  });
});

describe('harvest scan', () => {
  const base = {
    asOf: '2024-06-01', accounts, tlhGroups,
    households: [{ id: 'H', taxBracket: 0.32 }, { id: 'G', taxBracket: 0.37 }],
    prices: new Map([['VTI', 200], ['BND', 70], ['ITOT', 100]]),
  };

  it('groups loss lots per account and symbol and estimates the tax saved (hand-checked)', () => {
    const r = harvestScan({ ...base, lots: [
      lot('a', 'T1', 'VTI', 10, 3000, '2023-01-01'), // long-term loss $1,000
      lot('b', 'T1', 'VTI', 10, 2500, '2024-04-01'), // short-term loss $500
      lot('c', 'T1', 'VTI', 10, 1500, '2022-01-01'), // a gain: not harvested
      lot('d', 'I1', 'VTI', 10, 3000, '2023-01-01'), // IRA: no tax benefit
      lot('e', 'T1', 'XYZ', 10, 3000, '2023-01-01'), // no price
    ] });
    expect(r.candidates).toHaveLength(1);
    expect(r.candidates[0]).toMatchObject({
      accountId: 'T1', symbol: 'VTI', quantity: 20, lotIds: ['a', 'b'], unrealizedLossCents: 150000,
      shortTermLossCents: 50000, longTermLossCents: 100000,
      estimatedTaxSavedCents: 31000, // 0.32 × $500 + 0.15 × $1,000
      washSaleBlockedUntil: null, noRepurchaseThrough: '2024-07-01', replacement: 'ITOT', replacements: ['ITOT', 'SCHB'],
    });
    expect(r.lotsWithoutPrice).toBe(1);
  });

  it('is blocked until 31 days after a recent purchase in any household account that the harvest does not sell', () => {
    const r = harvestScan({ ...base, lots: [
      lot('a', 'T1', 'VTI', 10, 3000, '2023-01-01'),
      lot('f', 'I1', 'VTI', 5, 900, '2024-05-20'), // bought 12 days ago in the IRA, at a gain
    ] });
    expect(r.candidates[0]!.washSaleBlockedUntil).toBe('2024-06-20');
    // a recent lot that is itself sold by the harvest does not block; nor do shares that already absorbed a loss
    const r2 = harvestScan({ ...base, lots: [
      lot('a', 'T1', 'VTI', 10, 3000, '2023-01-01'), lot('g', 'T1', 'VTI', 5, 1100, '2024-05-25'),
      lot('h', 'T1', 'VTI', 5, 900, '2024-05-26', { replacementUsed: true }),
    ] });
    expect(r2.candidates[0]!.washSaleBlockedUntil).toBeNull();
    // a domain lot without the flag: a wash-sale adjustment means it already absorbed a loss
    const r4 = harvestScan({ ...base, lots: [lot('a', 'T1', 'VTI', 10, 3000, '2023-01-01'), lot('h', 'T1', 'VTI', 5, 900, '2024-05-26', { washSaleAdjustmentCents: 5000 })] });
    expect(r4.candidates[0]!.washSaleBlockedUntil).toBeNull();
    // a purchase 31 days ago no longer blocks
    const r3 = harvestScan({ ...base, lots: [lot('a', 'T1', 'VTI', 10, 3000, '2023-01-01'), lot('f', 'I1', 'VTI', 5, 900, '2024-05-01')] });
    expect(r3.candidates[0]!.washSaleBlockedUntil).toBeNull();
  });

  it('never proposes the same symbol or one sold at a loss within 30 days as the replacement', () => {
    const r = harvestScan({ ...base, lots: [lot('a', 'T1', 'VTI', 10, 3000, '2023-01-01')],
      recentLossSales: [{ householdId: 'H', symbol: 'ITOT', date: '2024-05-15' }, { householdId: 'G', symbol: 'SCHB', date: '2024-05-15' }] });
    expect(r.candidates[0]!.replacements).toEqual(['SCHB']);
    const none = harvestScan({ ...base, lots: [lot('a', 'T1', 'BND', 10, 3000, '2023-01-01')] });
    expect(none.candidates[0]!.replacement).toBeNull();
  });

  it('uses each household\'s own bracket and keeps households apart', () => {
    const r = harvestScan({ ...base, lots: [lot('a', 'T9', 'VTI', 10, 3000, '2024-01-01'), lot('f', 'I1', 'VTI', 5, 900, '2024-05-20')] });
    expect(r.candidates[0]).toMatchObject({ householdId: 'G', estimatedTaxSavedCents: 37000, washSaleBlockedUntil: null });
  });
});
