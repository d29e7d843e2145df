import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LedgerTransaction } from '../returns/ledger.ts';
import { buildTaxLedger, TaxLedgerError, type TaxAccount } from './tax-ledger.ts';

let n = 0;
const t = (date: string, accountId: string, type: 'buy' | 'sell' | 'split', symbol: string, quantity: number, price: number, extra: Partial<LedgerTransaction> = {}): LedgerTransaction =>
  ({ id: `t${++n}`, date, accountId, type, symbol, quantity, price, ...extra });

describe('lot relief', () => {
  const buys = [t('2023-01-10', 'T1', 'buy', 'AAA', 10, 100), t('2023-06-10', 'T1', 'buy', 'AAA', 10, 120), t('2023-09-10', 'T1', 'buy', 'AAA', 10, 90)];
  const realizedFor = (lotMethod: 'fifo' | 'hifo' | 'lifo') =>
    buildTaxLedger({ transactions: [...buys, t('2024-03-01', 'T1', 'sell', 'AAA', 15, 110, { lotMethod })] }).realized
      .map((r) => [r.quantity, r.basisCents, r.proceedsCents, r.gainCents, r.term]);

  it('FIFO sells the oldest lots first; held > 1 year is long-term', () => {
    expect(realizedFor('fifo')).toEqual([[10, 100000, 110000, 10000, 'long'], [5, 60000, 55000, -5000, 'short']]);
  });
  it('HIFO sells the highest basis per share first', () => {
    expect(realizedFor('hifo')).toEqual([[10, 120000, 110000, -10000, 'short'], [5, 50000, 55000, 5000, 'long']]);
  });
  it('LIFO sells the newest lots first', () => {
    expect(realizedFor('lifo')).toEqual([[10, 90000, 110000, 20000, 'short'], [5, 60000, 55000, -5000, 'short']]);
  });
  it('is long-term only after the first anniversary', () => {
    const sell = (date: string) => buildTaxLedger({ transactions: [t('2024-03-15', 'T1', 'buy', 'AAA', 1, 10), t(date, 'T1', 'sell', 'AAA', 1, 11)] }).realized[0]!.term;
    expect(sell('2025-03-15')).toBe('short');
    expect(sell('2025-03-16')).toBe('long');
  });
  it('adds commissions to the basis, deducts them from proceeds, and splits keep the basis', () => {
    const l = buildTaxLedger({ transactions: [
      t('2024-01-02', 'T1', 'buy', 'AAA', 10, 100, { feesCents: 500 }),
      t('2024-02-01', 'T1', 'split', 'AAA', 2, 0),
      t('2024-03-01', 'T1', 'sell', 'AAA', 5, 60, { feesCents: 100 }),
    ] });
    expect(l.realized[0]).toMatchObject({ quantity: 5, basisCents: 25125, proceedsCents: 29900, gainCents: 4775 });
    expect(l.lots[0]).toMatchObject({ quantity: 15, costBasisCents: 75375 });
  });
  it('rejects selling more than is held, naming the transaction', () => {
    expect(() => buildTaxLedger({ transactions: [t('2024-01-02', 'T1', 'buy', 'AAA', 1, 10), t('2024-01-03', 'T1', 'sell', 'AAA', 2, 10)] }))
      .toThrow(TaxLedgerError);
    expect(() => buildTaxLedger({ transactions: [t('2024-01-03', 'T1', 'sell', 'AAA', 2, 10)] })).toThrow(/sell of 2 AAA in account T1 on 2024-01-03: only 0 shares/);
  });
});

describe('wash sales (IRS Pub. 550)', () => {
  const accounts: TaxAccount[] = [
    { id: 'T1', householdId: 'H', type: 'taxable' }, { id: 'T2', householdId: 'H', type: 'taxable' },
    { id: 'I1', householdId: 'H', type: 'ira' }, { id: 'X1', householdId: 'OTHER', type: 'taxable' },
  ];
  const ledger = (txs: LedgerTransaction[]) => buildTaxLedger({ transactions: txs, accounts });

  it('disallows a loss replaced within 30 days, adds it to the new basis and tacks the holding period', () => {
    const l = ledger([t('2024-01-02', 'T1', 'buy', 'AAA', 100, 50), t('2024-06-03', 'T1', 'sell', 'AAA', 100, 40), t('2024-06-20', 'T1', 'buy', 'AAA', 100, 42)]);
    expect(l.realized[0]).toMatchObject({ basisCents: 500000, proceedsCents: 400000, washSaleDisallowedCents: 100000, gainCents: 0 });
    // held 153 days (2024-01-02 → 2024-06-03): the new holding period starts 153 days before 2024-06-20
    expect(l.lots).toEqual([expect.objectContaining({ quantity: 100, costBasisCents: 520000, washSaleAdjustmentCents: 100000, acquiredDate: '2024-06-20', holdingPeriodStart: '2024-01-19' })]);
  });

  it('ignores purchases outside the 61-day window and in other households', () => {
    const l = ledger([t('2024-01-02', 'T1', 'buy', 'AAA', 100, 50), t('2024-06-03', 'T1', 'sell', 'AAA', 100, 40),
      t('2024-07-04', 'T1', 'buy', 'AAA', 100, 42), t('2024-06-04', 'X1', 'buy', 'AAA', 100, 42)]);
    expect(l.realized[0]!.washSaleDisallowedCents).toBe(0);
    // day 30 after the sale is inside
    const inside = ledger([t('2024-01-02', 'T1', 'buy', 'AAA', 100, 50), t('2024-06-03', 'T1', 'sell', 'AAA', 100, 40), t('2024-07-03', 'T1', 'buy', 'AAA', 1, 42)]);
    expect(inside.realized[0]!.washSaleDisallowedCents).toBe(1000);
  });

  it('prorates a partial replacement by shares', () => {
    const l = ledger([t('2024-01-02', 'T1', 'buy', 'AAA', 100, 50), t('2024-06-03', 'T1', 'sell', 'AAA', 100, 40), t('2024-06-10', 'T2', 'buy', 'AAA', 30, 41)]);
    expect(l.realized[0]).toMatchObject({ washSaleDisallowedCents: 30000, gainCents: -70000 });
    expect(l.lots[0]).toMatchObject({ accountId: 'T2', quantity: 30, costBasisCents: 123000 + 30000 });
  });

  it('matches replacements in the order bought; an IRA replacement loses the loss for good', () => {
    const l = ledger([t('2024-01-02', 'T1', 'buy', 'AAA', 100, 50), t('2024-06-03', 'T1', 'sell', 'AAA', 100, 40),
      t('2024-06-10', 'I1', 'buy', 'AAA', 40, 41), t('2024-06-12', 'T1', 'buy', 'AAA', 100, 42)]);
    expect(l.realized[0]).toMatchObject({ washSaleDisallowedCents: 100000, washSalePermanentCents: 40000, gainCents: 0 });
    const lots = l.lots.map((x) => [x.accountId, x.quantity, x.costBasisCents, x.washSaleAdjustmentCents, x.holdingPeriodStart]);
    expect(lots).toEqual([
      ['I1', 40, 164000, 0, '2024-06-10'],
      ['T1', 60, 252000 + 60000, 60000, '2024-01-11'], // 2024-06-12 − 153 days
      ['T1', 40, 168000, 0, '2024-06-12'],
    ]);
  });

  it('counts shares bought within 30 days before the sale that are still held after it', () => {
    const l = ledger([t('2024-01-02', 'T1', 'buy', 'AAA', 100, 50), t('2024-05-20', 'T1', 'buy', 'AAA', 50, 45), t('2024-06-03', 'T1', 'sell', 'AAA', 100, 40)]);
    expect(l.realized[0]).toMatchObject({ quantity: 100, washSaleDisallowedCents: 50000, gainCents: -50000 });
    expect(l.lots[0]).toMatchObject({ quantity: 50, costBasisCents: 225000 + 50000, acquiredDate: '2024-05-20' });
    // but not when the same sale disposes of them
    const all = ledger([t('2024-01-02', 'T1', 'buy', 'AAA', 100, 50), t('2024-05-20', 'T1', 'buy', 'AAA', 50, 45), t('2024-06-03', 'T1', 'sell', 'AAA', 150, 40)]);
    expect(all.realized.map((r) => r.washSaleDisallowedCents)).toEqual([0, 0]);
  });

  it('never makes a lot its own replacement', () => {
    const l = ledger([t('2024-05-20', 'T1', 'buy', 'AAA', 100, 50), t('2024-06-03', 'T1', 'sell', 'AAA', 50, 40)]);
    expect(l.realized[0]).toMatchObject({ washSaleDisallowedCents: 0, gainCents: -50000 });
    expect(l.washSales).toEqual([]);
  });

  it('handles several losses in the order of the sales; one replacement share absorbs one loss share', () => {
    const l = ledger([t('2024-01-02', 'T1', 'buy', 'AAA', 100, 50), t('2024-01-02', 'T2', 'buy', 'AAA', 100, 50),
      t('2024-06-03', 'T1', 'sell', 'AAA', 100, 40), t('2024-06-05', 'T2', 'sell', 'AAA', 100, 45), t('2024-06-10', 'T1', 'buy', 'AAA', 120, 41)]);
    expect(l.realized.map((r) => [r.accountId, r.washSaleDisallowedCents, r.gainCents])).toEqual([['T1', 100000, 0], ['T2', 10000, -40000]]);
    expect(l.lots.map((x) => [x.quantity, x.costBasisCents, x.washSaleAdjustmentCents])).toEqual([[100, 410000 + 100000, 100000], [20, 82000 + 10000, 10000]]);
  });

  it('carries an adjusted basis into a later loss that is washed again (chain)', () => {
    const l = ledger([t('2024-01-02', 'T1', 'buy', 'AAA', 10, 50), t('2024-06-03', 'T1', 'sell', 'AAA', 10, 40),
      t('2024-06-10', 'T1', 'buy', 'AAA', 10, 41), t('2024-06-20', 'T1', 'sell', 'AAA', 10, 39), t('2024-07-01', 'T1', 'buy', 'AAA', 10, 38)]);
    // second sale: basis 410 + 100 carried = 510, proceeds 390 → loss 120, washed again into the 07-01 lot
    expect(l.realized[1]).toMatchObject({ basisCents: 51000, basisAdjustmentCents: 10000, washSaleDisallowedCents: 12000, gainCents: 0 });
    expect(l.lots[0]).toMatchObject({ costBasisCents: 38000 + 12000, washSaleAdjustmentCents: 12000 });
  });

  it('does not list sales inside IRAs as realized, and IRA losses wash nothing', () => {
    const l = ledger([t('2024-01-02', 'I1', 'buy', 'AAA', 10, 50), t('2024-06-03', 'I1', 'sell', 'AAA', 10, 40), t('2024-06-04', 'T1', 'buy', 'AAA', 10, 40)]);
    expect(l.realized).toEqual([]);
    expect(l.lots[0]).toMatchObject({ accountId: 'T1', costBasisCents: 40000, washSaleAdjustmentCents: 0 });
  });
});

describe('wash-sale properties', () => {
  const accounts: TaxAccount[] = [{ id: 'T1', householdId: 'H', type: 'taxable' }, { id: 'T2', householdId: 'H', type: 'taxable' }, { id: 'I1', householdId: 'H', type: 'roth_ira' }];
  const op = fc.record({
    day: fc.integer({ min: 0, max: 150 }), account: fc.constantFrom('T1', 'T2', 'I1'), symbol: fc.constantFrom('AAA', 'BBB'),
    buy: fc.boolean(), quantity: fc.integer({ min: 1, max: 60 }), price: fc.integer({ min: 500, max: 1500 }), method: fc.constantFrom('fifo', 'hifo', 'lifo') as fc.Arbitrary<'fifo' | 'hifo' | 'lifo'>,
  });
  it('conserve basis and shares, never self-replace, and use each replacement share at most once', () => {
    fc.assert(fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
      const held = new Map<string, number>();
      const txs: LedgerTransaction[] = [];
      let buyCost = 0, bought = 0;
      const boughtByOrigin = new Map<string, number>();
      ops.sort((a, b) => a.day - b.day).forEach((o, i) => {
        const date = new Date(Date.UTC(2024, 0, 1 + o.day)).toISOString().slice(0, 10);
        const key = `${o.account}|${o.symbol}`;
        const price = o.price / 100;
        // sells only in taxable accounts (IRAs buy, so they can be replacements)
        if (o.buy || o.account === 'I1') {
          txs.push({ id: `b${i}`, date, accountId: o.account, type: 'buy', symbol: o.symbol, quantity: o.quantity, price });
          held.set(key, (held.get(key) ?? 0) + o.quantity);
          buyCost += o.quantity * o.price; bought += o.quantity;
          boughtByOrigin.set(`b${i}`, o.quantity);
        } else {
          const q = Math.min(held.get(key) ?? 0, o.quantity);
          if (q === 0) return;
          txs.push({ id: `s${i}`, date, accountId: o.account, type: 'sell', symbol: o.symbol, quantity: q, price, lotMethod: o.method });
          held.set(key, held.get(key)! - q);
        }
      });
      const l = buildTaxLedger({ transactions: txs, accounts });
      const disallowed = l.realized.reduce((s, r) => s + r.washSaleDisallowedCents, 0);
      const permanent = l.realized.reduce((s, r) => s + r.washSalePermanentCents, 0);
      const matched = l.washSales.reduce((s, m) => s + m.disallowedCents, 0);
      expect(matched).toBe(disallowed);
      // every disallowed cent not lost to an IRA is in some replacement's basis (open now or sold since)
      const added = l.lots.reduce((s, x) => s + x.washSaleAdjustmentCents, 0) + l.realized.reduce((s, r) => s + r.basisAdjustmentCents, 0);
      expect(added).toBe(disallowed - permanent);
      const basisOut = l.lots.reduce((s, x) => s + x.costBasisCents, 0) + l.realized.reduce((s, r) => s + r.basisCents, 0);
      expect(basisOut).toBe(buyCost + disallowed - permanent);
      const sharesOut = l.lots.reduce((s, x) => s + x.quantity, 0) + l.realized.reduce((s, r) => s + r.quantity, 0);
      expect(sharesOut).toBeCloseTo(bought, 6);
      const absorbed = new Map<string, number>();
      for (const m of l.washSales) {
        expect(m.replacementOriginId).not.toBe(m.lossOriginId);
        absorbed.set(m.replacementOriginId, (absorbed.get(m.replacementOriginId) ?? 0) + m.quantity);
      }
      for (const [origin, q] of absorbed) expect(q).toBeLessThanOrEqual(boughtByOrigin.get(origin)! + 1e-9);
      for (const r of l.realized) {
        expect(r.washSaleDisallowedCents).toBeGreaterThanOrEqual(0);
        expect(r.washSaleDisallowedCents).toBeLessThanOrEqual(Math.max(0, r.basisCents - r.proceedsCents));
      }
    }), { numRuns: 300 });
  });
});
