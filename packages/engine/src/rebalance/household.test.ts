import { describe, expect, it } from 'vitest';
import { rebalanceHousehold } from './household.ts';
import { defaultLocation, locateHousehold } from './asset-location.ts';
import { account, lot, market, model, security } from './test-fixtures.ts';

const secs = [security('LRG', 'US Large Cap', 'sp500'), security('LRG2', 'US Large Cap', 'sp500'), security('SML', 'US Small Cap', 'small'),
  security('BND', 'US Bonds', 'agg'), security('AGG', 'US Bonds', 'agg')];
const m = model('m1', [['US Large Cap', 0.5, ['LRG']], ['US Small Cap', 0.2, ['SML']], ['US Bonds', 0.3, ['BND']]]);
const mkt = market(secs, { LRG: 100, LRG2: 50, SML: 50, BND: 100, AGG: 50 }, [m]);
const hh = { id: 'h1', taxBracket: 0.24 };
const asOf = '2026-11-20';

// Three accounts each holding the model mix: taxable $100k, IRA $60k, Roth $40k = $200k.
function mixLots(accountId: string, valueDollars: number, basisFactor: number) {
  return [
    lot('LRG', (valueDollars * 0.5) / 100, Math.round(valueDollars * 0.5 * 100 * basisFactor), '2020-01-02', { accountId, id: `${accountId}-L` }),
    lot('SML', (valueDollars * 0.2) / 50, Math.round(valueDollars * 0.2 * 100 * basisFactor), '2020-01-02', { accountId, id: `${accountId}-S` }),
    lot('BND', (valueDollars * 0.3) / 100, Math.round(valueDollars * 0.3 * 100 * basisFactor), '2020-01-02', { accountId, id: `${accountId}-B` }),
  ];
}
const accounts = [account({ id: 'tax' }), account({ id: 'ira', type: 'ira' }), account({ id: 'roth', type: 'roth_ira' })];
const lots = [...mixLots('tax', 100_000, 0.5), ...mixLots('ira', 60_000, 0.5), ...mixLots('roth', 40_000, 0.5)];

describe('asset location', () => {
  it('classifies demo asset classes', () => {
    expect(['US Large Cap', 'Intl Developed', 'US Small Cap', 'Emerging Markets', 'US Bonds', 'TIPS', 'REITs', 'Municipal Bonds'].map(defaultLocation))
      .toEqual(['taxable', 'taxable', 'roth', 'roth', 'deferred', 'deferred', 'deferred', 'taxable']);
  });

  it('places bonds in the IRA, small caps in the Roth, large caps in the taxable account', () => {
    const placed = locateHousehold(accounts.map((a, i) => ({ account: a, valueCents: [100_000_00, 60_000_00, 40_000_00][i]!, model: m })), mkt, {});
    const w = (id: string) => Object.fromEntries(placed.get(id)!.targets.map((t) => [t.key, Number(t.weight.toFixed(6))]));
    expect(w('ira')).toMatchObject({ 'US Bonds': 1, 'US Large Cap': 0, 'US Small Cap': 0 });
    expect(w('roth')).toMatchObject({ 'US Small Cap': 1, 'US Bonds': 0, 'US Large Cap': 0 });
    expect(w('tax')).toMatchObject({ 'US Large Cap': 1, 'US Bonds': 0, 'US Small Cap': 0 });
  });

  it('moves the household toward the location; the tax-advantaged accounts do the heavy lifting', () => {
    const plain = rebalanceHousehold({ household: hh, accounts, lots, asOf }, mkt);
    expect(plain.accounts.flatMap((a) => a.trades)).toEqual([]);
    const located = rebalanceHousehold({ household: hh, accounts, lots, asOf }, mkt, { assetLocation: true, gainsBudgetCents: 0 });
    const byId = Object.fromEntries(located.accounts.map((a) => [a.accountId, a]));
    expect(byId.ira!.trades.filter((t) => t.side === 'buy').map((t) => t.symbol)).toEqual(['BND']);
    expect(byId.roth!.trades.filter((t) => t.side === 'buy').map((t) => t.symbol)).toEqual(['SML']);
    // Taxable: every lot has a gain and the budget is 0, so nothing is sold there, with the reason stated.
    expect(byId.tax!.trades).toEqual([]);
    expect(byId.tax!.warnings.join(' ')).toMatch(/capital-gains budget/);
    expect(located.gainsCents).toBeLessThanOrEqual(0);
    expect(located.warnings[0]).toMatch(/Asset location/);
  });
});

describe('household wash-sale and budget', () => {
  it('a loss sold in one account blocks buying the symbol in another account: the TLH alternative is bought', () => {
    // Taxable: 100% bonds (BND bought at $120, now $100: a loss) → sells bonds. IRA: all cash → buys bonds.
    const accts = [account({ id: 'a-tax' }), account({ id: 'b-ira', type: 'ira', cashCents: 50_000_00 })];
    const l = [lot('BND', 500, 60_000_00, '2025-01-02', { accountId: 'a-tax', id: 'x1' })];
    const r = rebalanceHousehold({ household: hh, accounts: accts, lots: l, asOf }, mkt);
    const [tax, ira] = r.accounts;
    const sell = tax!.trades.find((t) => t.side === 'sell')!;
    expect(sell.symbol).toBe('BND');
    expect(sell.estGainCents).toBeLessThan(0);
    const bondBuy = ira!.trades.find((t) => t.side === 'buy' && (t.symbol === 'BND' || t.symbol === 'AGG'))!;
    expect(bondBuy.symbol).toBe('AGG');
    expect(bondBuy.reason).toMatch(/sold at a loss in this run/);
  });

  it('a loss sale is washed when the household bought the symbol within 30 days', () => {
    const accts = [account({ id: 'a-tax' }), account({ id: 'b-ira', type: 'ira' })];
    const l = [lot('BND', 500, 60_000_00, '2025-01-02', { accountId: 'a-tax', id: 'x1' }), lot('BND', 10, 1_000_00, '2026-11-10', { accountId: 'b-ira', id: 'x2' }),
      lot('LRG', 10, 1_000_00, '2020-01-02', { accountId: 'b-ira', id: 'x3' })];
    const r = rebalanceHousehold({ household: hh, accounts: accts, lots: l, asOf }, mkt);
    const sell = r.accounts[0]!.trades.find((t) => t.side === 'sell')!;
    expect(sell.estGainCents).toBe(0);
    expect(sell.reason).toMatch(/wash sale/);
  });

  it('shares one gains budget across the household\'s taxable accounts', () => {
    const accts = [account({ id: 't1' }), account({ id: 't2' })];
    const l = [lot('LRG', 1000, 10_000_00, '2020-01-02', { accountId: 't1', id: 'g1' }), lot('LRG', 1000, 10_000_00, '2020-01-02', { accountId: 't2', id: 'g2' })];
    const r = rebalanceHousehold({ household: hh, accounts: accts, lots: l, asOf }, mkt, { gainsBudgetCents: 5_000_00 });
    expect(r.gainsCents).toBeLessThanOrEqual(5_000_00);
    expect(r.accounts[0]!.estGainCents).toBeGreaterThan(0);
    expect(r.accounts[1]!.trades.filter((t) => t.side === 'sell')).toEqual([]);
  });
});
