import { describe, expect, it } from 'vitest';
import { rebalanceAccount } from './household.ts';
import { account, lot, market, model, security } from './test-fixtures.ts';

// The hand-worked example: a $100,000 taxable account on a 60/30/10 model, bands ±5pp or ±25% of target.
//   VTI 400 × $200 = $80,000 (US Equity 80%: band max(5, 15) = 15pp → +20pp is out)
//   BND 150 × $80  = $12,000 (Bonds 12%:     band max(5, 7.5) = 7.5pp → −18pp is out)
//   VXUS 160 × $50 = $8,000  (Intl 8%:       band max(5, 2.5) = 5pp → −2pp is in)
// To target: sell $20,000 of VTI (100 shares), buy $18,000 of BND (225 shares); cash 0 → $2,000 (2%, within its 5pp).
// Lots of VTI: A 100 sh @ $150 (2020, long-term gain), B 200 sh @ $220 (June 2026, short-term LOSS), C 100 sh @ $190
// (March 2026, short-term gain). Loss lots first: 100 shares of B, realized −$2,000, no tax.
// Drift ½Σ|w−t|: before ½(0.20 + 0.18 + 0.02 + 0) = 0.20; after ½(0 + 0 + 0.02 + 0.02) = 0.02.
const secs = [security('VTI', 'US Equity', 'us-total'), security('ITOT', 'US Equity', 'us-total'), security('BND', 'Bonds', 'us-agg'),
  security('AGG', 'Bonds', 'us-agg'), security('VXUS', 'Intl Equity', 'intl')];
const m1 = model('m1', [['US Equity', 0.6, ['VTI']], ['Bonds', 0.3, ['BND']], ['Intl Equity', 0.1, ['VXUS']]]);
const mkt = market(secs, { VTI: 200, ITOT: 100, BND: 80, AGG: 100, VXUS: 50 }, [m1]);
const lots = () => [
  lot('VTI', 100, 15_000_00, '2020-01-02', { id: 'A' }),
  lot('VTI', 200, 44_000_00, '2026-06-01', { id: 'B' }),
  lot('VTI', 100, 19_000_00, '2026-03-01', { id: 'C' }),
  lot('BND', 150, 12_600_00, '2021-05-03', { id: 'D' }),
  lot('VXUS', 160, 7_000_00, '2019-07-01', { id: 'E' }),
];
const base = { account: account(), lots: lots(), taxBracket: 0.32, asOf: '2026-11-20' };

describe('rebalanceAccount: the hand-worked 3-asset account', () => {
  it('sells the loss lot of the overweight class and buys the underweight class to target', () => {
    const r = rebalanceAccount(base, mkt);
    expect(r.trades.map((t) => [t.side, t.symbol, t.quantity, t.amountCents, t.lotIds, t.estGainCents])).toEqual([
      ['sell', 'VTI', 100, 20_000_00, ['B'], -2_000_00],
      ['buy', 'BND', 225, 18_000_00, [], 0],
    ]);
    expect(r.sellCents).toBe(20_000_00);
    expect(r.buyCents).toBe(18_000_00);
    expect(r.cashAfterCents).toBe(2_000_00);
    expect(r.estGainCents).toBe(-2_000_00);
    expect(r.estTaxCents).toBe(0);
    expect(r.driftBefore).toBeCloseTo(0.2, 10);
    expect(r.driftAfter).toBeCloseTo(0.02, 10);
    expect(r.accountRevision).toBe(7);
    expect(r.warnings).toEqual([]);
    expect(r.drift.map((d) => [d.key, d.outOfBandBefore, d.outOfBandAfter])).toEqual([
      ['US Equity', true, false], ['Bonds', true, false], ['Intl Equity', false, false], ['CASH', false, false],
    ]);
  });

  it('explains every trade', () => {
    const r = rebalanceAccount(base, mkt);
    expect(r.trades[0]!.reason).toContain('US Equity is 80.0% vs target 60.0%');
    expect(r.trades[0]!.reason).toContain('1 loss lot');
    expect(r.trades[1]!.reason).toContain('Bonds is 12.0% vs target 30.0%');
    expect(r.reason).toMatch(/2 position\(s\) out of band/);
  });

  it('in band mode stops at 80% of the band instead of the target', () => {
    const r = rebalanceAccount(base, mkt, { goal: 'band' });
    // US Equity → 60% + 0.8 × 15pp = 72%: sell $8,000; Bonds → 30% − 0.8 × 7.5pp = 24%: buy $12,000 = 150 BND.
    // With no cash, US Equity sells $4,000 more (toward its target) to fund the buy: 60 VTI.
    expect(r.trades.map((t) => [t.side, t.symbol, t.quantity])).toEqual([['sell', 'VTI', 60], ['buy', 'BND', 150]]);
    expect(r.drift.every((d) => !d.outOfBandAfter)).toBe(true);
  });

  it('without loss lots, picks the lots with the lower estimated tax: HIFO where better, else long-term before short-term', () => {
    // Without lot B: VTI 200 = $40,000 (66.7%, in band), BND $12,000 (20%, out), VXUS $8,000 (13.3%, in band) = $60,000.
    // Bonds to target needs $6,000, raised by selling US Equity and Intl toward their targets (20 VTI, 40 VXUS).
    // VTI: lot A long-term $50/share (15%: $7.50 tax/share) vs lot C short-term $10/share (32%: $3.20/share): C is cheaper.
    const r = rebalanceAccount({ ...base, lots: lots().filter((l) => l.id !== 'B') }, mkt);
    expect(r.trades.map((t) => [t.side, t.symbol, t.quantity, t.lotIds])).toEqual([
      ['sell', 'VTI', 20, ['C']], ['sell', 'VXUS', 40, ['E']], ['buy', 'BND', 75, []],
    ]);
    expect([r.shortTermGainCents, r.longTermGainCents]).toEqual([200_00, 250_00]);
    expect(r.estTaxCents).toBe(101_50); // 200 × 32% + 250 × 15%
    expect(r.trades[0]!.reason).toMatch(/sells toward target to fund the buys/);
    // Lot A at $180 (long-term $20/share: $3.00 tax) vs C short-term $10/share ($3.20): the long-term lot wins.
    const r2 = rebalanceAccount({ ...base, lots: lots().filter((l) => l.id !== 'B').map((l) => (l.id === 'A' ? { ...l, costBasisCents: 18_000_00 } : l)) }, mkt);
    expect(r2.trades[0]!.lotIds).toEqual(['A']);
    expect(r2.estTaxCents).toBe(97_50);
  });

  it('respects the gains budget with a partial lot and says so', () => {
    const only = [lot('VTI', 400, 60_000_00, '2020-01-02', { id: 'A' }), lot('BND', 150, 12_600_00, '2021-05-03', { id: 'D' }), lot('VXUS', 160, 7_000_00, '2019-07-01', { id: 'E' })];
    const r = rebalanceAccount({ ...base, lots: only }, mkt, { gainsBudgetCents: 2_000_00 });
    // Long-term gain $50/share: $2,000 allows 40 shares.
    const sell = r.trades.find((t) => t.side === 'sell')!;
    expect(sell.quantity).toBe(40);
    expect(sell.estGainCents).toBe(2_000_00);
    expect(r.estGainCents).toBeLessThanOrEqual(2_000_00);
    expect(r.estTaxCents).toBe(300_00); // 15% long-term rate at the 32% bracket
    expect(r.warnings.join(' ')).toMatch(/capital-gains budget/);
    // The plan kept $2,000 of cash (2%, inside its band); the buy shrinks to the $6,000 left after the smaller sale.
    expect(r.trades.find((t) => t.side === 'buy')).toMatchObject({ symbol: 'BND', quantity: 75, amountCents: 6_000_00 });
  });

  it('never buys a symbol sold at a loss in the last 30 days; buys its TLH-group alternative instead', () => {
    const r = rebalanceAccount({ ...base, recentSales: [{ accountId: 'a2', symbol: 'BND', date: '2026-11-05', gainCents: -500_00 }] }, mkt);
    const buy = r.trades.find((t) => t.side === 'buy')!;
    expect(buy.symbol).toBe('AGG');
    expect(buy.quantity).toBe(180);
    expect(buy.reason).toMatch(/wash sale/);
    // Older than 30 days: no block.
    const old = rebalanceAccount({ ...base, recentSales: [{ accountId: 'a2', symbol: 'BND', date: '2026-10-20', gainCents: -500_00 }] }, mkt);
    expect(old.trades.find((t) => t.side === 'buy')!.symbol).toBe('BND');
  });

  it('states the reason when a wash sale leaves nothing to buy', () => {
    const noAlt = market(secs.filter((s) => s.symbol !== 'AGG'), { VTI: 200, BND: 80, VXUS: 50 }, [m1]);
    const r = rebalanceAccount({ ...base, recentSales: [{ accountId: 'a1', symbol: 'BND', date: '2026-11-19', gainCents: -1 }] }, noAlt);
    expect(r.trades.some((t) => t.side === 'buy' && t.symbol === 'BND')).toBe(false);
    const bonds = r.drift.find((d) => d.key === 'Bonds')!;
    expect(bonds.outOfBandAfter).toBe(true);
    expect(bonds.note).toMatch(/wash sale/);
  });

  it('never buys a restricted security', () => {
    const r = rebalanceAccount(base, mkt, { restricted: ['BND', 'AGG'] });
    expect(r.trades.some((t) => t.side === 'buy' && (t.symbol === 'BND' || t.symbol === 'AGG'))).toBe(false);
    expect(r.drift.find((d) => d.key === 'Bonds')!.note).toMatch(/BND is restricted/);
    // The equity sale's cash goes to the other underweight class (Intl to its target), the rest stays, with a reason.
    expect(r.trades.find((t) => t.side === 'buy')).toMatchObject({ symbol: 'VXUS', quantity: 40 });
    expect(r.drift.find((d) => d.key === 'CASH')!.note).toMatch(/no eligible buy/);
  });

  it('counts held-away positions in the value but never trades them', () => {
    const r = rebalanceAccount({ ...base, lots: lots().filter((l) => l.symbol !== 'VTI'), heldAway: [{ accountId: 'a1', symbol: 'VTI', quantity: 400 }] }, mkt);
    expect(r.valueCents).toBe(100_000_00);
    expect(r.trades.some((t) => t.symbol === 'VTI')).toBe(false);
    expect(r.drift.find((d) => d.key === 'US Equity')!.note).toMatch(/held away/);
  });

  it('sell-only and buy-only modes', () => {
    const sellOnly = rebalanceAccount(base, mkt, { mode: 'sell_only' });
    expect(sellOnly.trades.map((t) => t.side)).toEqual(['sell']);
    const buyOnly = rebalanceAccount({ ...base, account: account({ cashCents: 30_000_00 }) }, mkt, { mode: 'buy_only' });
    expect(buyOnly.trades.every((t) => t.side === 'buy')).toBe(true);
    expect(buyOnly.trades.length).toBeGreaterThan(0);
  });

  it('keeps the cash reserve and skips trades below the minimum', () => {
    const r = rebalanceAccount(base, mkt, { cashReserveCents: 5_000_00 });
    expect(r.cashAfterCents).toBeGreaterThanOrEqual(5_000_00);
    const big = rebalanceAccount(base, mkt, { minTradeCents: 19_000_00 });
    expect(big.trades.map((t) => t.symbol)).toEqual(['VTI']);
    expect(big.drift.find((d) => d.key === 'Bonds')!.note).toMatch(/below the minimum/);
  });

  it('supports fractional shares', () => {
    const r = rebalanceAccount({ ...base, account: account({ cashCents: 1_234_56 }) }, mkt, { fractionalShares: true });
    const buy = r.trades.find((t) => t.side === 'buy')!;
    expect(Number.isInteger(buy.quantity)).toBe(false);
    expect(r.cashAfterCents).toBeGreaterThanOrEqual(0);
  });

  it('does nothing when every position is within its band', () => {
    const calm = [lot('VTI', 300, 50_000_00, '2020-01-02'), lot('BND', 375, 30_000_00, '2020-01-02'), lot('VXUS', 200, 10_000_00, '2020-01-02')];
    const r = rebalanceAccount({ ...base, lots: calm }, mkt);
    expect(r.trades).toEqual([]);
    expect(r.reason).toMatch(/within their bands/);
  });

  it('in a tax-advantaged account estimates no tax', () => {
    const ira = lots().map((l) => ({ ...l, costBasisCents: 1_00 }));
    const r = rebalanceAccount({ ...base, account: account({ type: 'ira' }), lots: ira }, mkt);
    expect(r.trades.length).toBe(2);
    expect(r.estGainCents).toBe(0);
    expect(r.estTaxCents).toBe(0);
  });

  it('warns about a missing model or price instead of throwing', () => {
    expect(rebalanceAccount({ ...base, account: account({ modelId: 'nope' }) }, mkt).warnings[0]).toMatch(/not found/);
    const noPrice = market(secs, { VTI: 200, BND: 80 }, [m1]);
    expect(rebalanceAccount(base, noPrice).warnings.join(' ')).toMatch(/No price for VXUS/);
  });
});

describe('rebalanceAccount: positions quoted in another currency', () => {
  it('values them at the FX rate and never trades them', () => {
    const eur = { ...security('SAP', 'Intl Equity', ''), currency: 'EUR' };
    const fxMkt = { ...market([...secs, eur], { VTI: 200, BND: 80, VXUS: 50, SAP: 100 }, [m1]), fx: new Map([['EUR', 1.1]]) };
    const r = rebalanceAccount({ ...base, lots: [...lots(), lot('SAP', 10, 900_00, '2020-01-02')] }, fxMkt);
    expect(r.valueCents).toBe(100_000_00 + 1_100_00);
    expect(r.trades.some((t) => t.symbol === 'SAP')).toBe(false);
    expect(r.warnings.join(' ')).toMatch(/SAP is quoted in another currency/);
    const noRate = rebalanceAccount({ ...base, lots: [...lots(), lot('SAP', 10, 900_00, '2020-01-02')] }, { ...fxMkt, fx: new Map() });
    expect(noRate.valueCents).toBe(100_000_00);
    expect(noRate.warnings.join(' ')).toMatch(/No EUR\/USD rate for SAP/);
  });
});
