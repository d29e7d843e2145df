import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocationBy, buildMarketSnapshot, NoPricesError, convertCents, holdingTerm, InvalidDateError, latestQuotes, oneYearAnniversary,
  valueBook, valueHoldings, type LotInput, type PriceRow, type SecurityInfo } from './index.ts';

const securities: SecurityInfo[] = [
  { symbol: 'AAA', name: 'Alpha Corp', assetClass: 'US Equity', sector: 'Technology', currency: 'USD' },
  { symbol: 'BBB', name: 'Beta AG', assetClass: 'Intl Equity', sector: 'Industrials', currency: 'EUR' },
  { symbol: 'CCC', name: 'Gamma plc', assetClass: 'Intl Equity', sector: 'Energy', currency: 'GBP' },
];
const priceRows: PriceRow[] = [
  { symbol: 'AAA', date: '2026-11-19', closePrice: 9, kind: 'security' },
  { symbol: 'AAA', date: '2026-11-20', closePrice: 10.005, kind: 'security' },
  { symbol: 'BBB', date: '2026-11-20', closePrice: 20, kind: 'security' },
  { symbol: 'CCC', date: '2026-11-20', closePrice: 5, kind: 'security' }, // no GBPUSD rate: unpriced
  { symbol: 'EURUSD', date: '2026-11-18', closePrice: 1.05, kind: 'fx' },
  { symbol: 'EURUSD', date: '2026-11-20', closePrice: 1.1, kind: 'fx' },
  { symbol: 'USDCHF', date: '2026-11-20', closePrice: 0.8, kind: 'fx' },
  { symbol: 'USDEUR', date: '2026-11-20', closePrice: 2, kind: 'fx' }, // ignored: the direct EURUSD wins
];
const market = buildMarketSnapshot({ priceRows, securities });
const lot = (id: string, accountId: string, householdId: string, symbol: string, quantity: number, costBasisCents: number,
  start: string): LotInput => ({ id, accountId, householdId, symbol, quantity, costBasisCents, acquiredDate: start, holdingPeriodStart: start });
const lots: LotInput[] = [
  lot('L1', 'A1', 'H1', 'AAA', 100, 90_000, '2020-01-01'),
  lot('L2', 'A1', 'H1', 'AAA', 50, 60_000, '2026-06-01'),
  lot('L3', 'A1', 'H1', 'BBB', 3, 6_000, '2024-01-01'),
  lot('L4', 'A2', 'H1', 'ZZZ', 1, 1_000, '2024-01-01'),
];

describe('holding period', () => {
  it('is long-term only after the first anniversary', () => {
    expect(holdingTerm('2025-01-15', '2026-01-15')).toBe('short');
    expect(holdingTerm('2025-01-15', '2026-01-16')).toBe('long');
    expect(holdingTerm('2026-06-01', '2026-11-20')).toBe('short');
  });
  it('treats a Feb 29 start as having its anniversary on Feb 28', () => {
    expect(oneYearAnniversary('2024-02-29')).toBe('2025-02-28');
    expect(holdingTerm('2024-02-29', '2025-02-28')).toBe('short');
    expect(holdingTerm('2024-02-29', '2025-03-01')).toBe('long');
  });
  it('rejects a malformed date with a named error', () => {
    expect(() => holdingTerm('2024/01/01', '2025-03-01')).toThrow(InvalidDateError);
  });
});

describe('market snapshot', () => {
  it('keeps the latest close per symbol and turns FX rows into rates', () => {
    expect(latestQuotes(priceRows).get('AAA')).toEqual({ price: 10.005, date: '2026-11-20' });
    expect(market.asOf).toBe('2026-11-20');
    expect(market.fxRates.get('EUR')).toBe(1.1);
    expect(market.fxRates.get('USD')).toBe(1);
    expect(market.fxRates.get('CHF')).toBe(1.25); // inverse pair USDCHF 0.8
    expect(market.prices.has('EURUSD')).toBe(false);
  });
  it('needs a price or an as-of date', () => {
    expect(() => buildMarketSnapshot({ priceRows: [], securities })).toThrow(NoPricesError);
    expect(buildMarketSnapshot({ priceRows: [], securities, asOf: '2026-01-02' }).asOf).toBe('2026-01-02');
  });
  it('converts cents at a rate, rounding half away from zero once', () => {
    expect(convertCents(12_345, 1.1)).toBe(13_580); // 123.45 × 1.1 = 135.795
    expect(convertCents(-12_345, 1.1)).toBe(-13_580);
    expect(convertCents(5, 1)).toBe(5);
    expect(convertCents(1, 0.5)).toBe(1); // 0.005 → 0.01
  });
});

describe('valueHoldings', () => {
  const holdings = valueHoldings(lots, market);
  const aaa = holdings.find((h) => h.symbol === 'AAA')!;
  it('values a position once and splits it over its lots exactly', () => {
    // 150 × 10.005 = 1,500.75
    expect(aaa.quantity).toBe(150);
    expect(aaa.marketValueCents).toBe(150_075);
    expect(aaa.lots.map((l) => l.marketValueCents)).toEqual([100_050, 50_025]);
    expect(aaa.costBasisCents).toBe(150_000);
    expect(aaa.unrealizedCents).toBe(75);
  });
  it('splits unrealized gain into long-term and short-term lots', () => {
    expect(aaa.lots.map((l) => l.term)).toEqual(['long', 'short']);
    expect(aaa.longTermGainCents).toBe(10_050);
    expect(aaa.shortTermGainCents).toBe(-9_975);
    expect(aaa.term).toBe('mixed');
  });
  it('converts foreign holdings at the latest FX rate', () => {
    const bbb = holdings.find((h) => h.symbol === 'BBB')!;
    expect(bbb.marketValueCents).toBe(6_600); // 3 × 20 EUR × 1.1
    expect(bbb.unrealizedCents).toBe(600);
    expect(bbb.term).toBe('long');
  });
  it('marks holdings without a price as unpriced, valued at 0', () => {
    const zzz = holdings.find((h) => h.symbol === 'ZZZ')!;
    expect(zzz).toMatchObject({ priced: false, price: null, marketValueCents: 0, unrealizedCents: 0, costBasisCents: 1_000 });
    const ccc = valueHoldings([lot('L9', 'A1', 'H1', 'CCC', 2, 900, '2024-01-01')], market)[0]!;
    expect(ccc).toMatchObject({ priced: false, price: 5, fxRate: null, marketValueCents: 0 });
  });
  it('orders holdings by account, then value descending', () => {
    expect(holdings.map((h) => `${h.accountId}:${h.symbol}`)).toEqual(['A1:AAA', 'A1:BBB', 'A2:ZZZ']);
  });
});

describe('valueBook', () => {
  const accounts = [
    { id: 'A1', householdId: 'H1', cashCents: 12_345 },
    { id: 'A2', householdId: 'H1', cashCents: 0 },
    { id: 'A3', householdId: 'H2', cashCents: 500 },
  ];
  const progress: [number, number][] = [];
  const book = valueBook(accounts, lots, market, (d, t) => progress.push([d, t]), 2);
  it('values accounts as holdings plus cash', () => {
    expect(book.accounts.map((a) => a.marketValueCents)).toEqual([169_020, 0, 500]);
    expect(book.accounts[0]).toMatchObject({ holdingsValueCents: 156_675, costBasisCents: 156_000, unrealizedCents: 675, holdingCount: 2 });
    expect(book.accounts[1]!.unpricedSymbols).toEqual(['ZZZ']);
  });
  it('rolls accounts up into households and the book', () => {
    expect(book.households.map((h) => [h.householdId, h.accountCount, h.marketValueCents])).toEqual([['H1', 2, 169_020], ['H2', 1, 500]]);
    expect(book.households[0]!.unpricedSymbols).toEqual(['ZZZ']);
    expect(book.totals.marketValueCents).toBe(169_520);
    expect(book.totals.cashCents).toBe(12_845);
  });
  it('allocates the book by asset class with cash as its own slice', () => {
    expect(book.allocation.map((s) => [s.key, s.valueCents])).toEqual([['US Equity', 150_075], ['Cash', 12_845], ['Intl Equity', 6_600]]);
    expect(book.allocation.reduce((w, s) => w + s.weight, 0)).toBeCloseTo(1, 12);
  });
  it('reports progress per chunk and at the end', () => {
    expect(progress).toEqual([[2, 3], [3, 3]]);
  });
});

describe('allocationBy', () => {
  it('groups by sector and gives zero weights to an empty book', () => {
    const holdings = valueHoldings(lots, market);
    expect(allocationBy(holdings, 'sector').map((s) => s.key)).toEqual(['Technology', 'Industrials']);
    expect(allocationBy([], 'assetClass')).toEqual([]);
    expect(allocationBy([], 'assetClass', -100)).toEqual([{ key: 'Cash', valueCents: -100, weight: 0 }]);
  });
});

describe('valuation invariants', () => {
  const lotArb = fc.record({
    account: fc.constantFrom('A1', 'A2', 'A3'),
    symbol: fc.constantFrom('AAA', 'BBB'),
    quantity: fc.integer({ min: 1, max: 10_000_000 }).map((q) => q / 1000),
    costBasisCents: fc.integer({ min: 0, max: 1e9 }),
    start: fc.constantFrom('2016-03-01', '2024-02-29', '2025-11-20', '2025-11-21', '2026-10-01'),
  });
  it('lot values sum to holdings, holdings to accounts, accounts to households and the book', () => {
    fc.assert(fc.property(fc.array(lotArb, { maxLength: 40 }), fc.array(fc.integer({ min: 0, max: 1e8 }), { minLength: 3, maxLength: 3 }),
      (rows, cash) => {
        const ls = rows.map((r, i) => lot(`L${i}`, r.account, r.account === 'A3' ? 'H2' : 'H1', r.symbol, r.quantity, r.costBasisCents, r.start));
        const accounts = ['A1', 'A2', 'A3'].map((id, i) => ({ id, householdId: id === 'A3' ? 'H2' : 'H1', cashCents: cash[i]! }));
        for (const h of valueHoldings(ls, market)) {
          expect(h.lots.reduce((s, l) => s + l.marketValueCents, 0)).toBe(h.marketValueCents);
          expect(h.shortTermGainCents + h.longTermGainCents).toBe(h.unrealizedCents);
          expect(Number.isInteger(h.marketValueCents)).toBe(true);
        }
        const book = valueBook(accounts, ls, market);
        expect(book.households.reduce((s, h) => s + h.marketValueCents, 0)).toBe(book.totals.marketValueCents);
        expect(book.accounts.reduce((s, a) => s + a.marketValueCents, 0)).toBe(book.totals.marketValueCents);
        expect(book.allocation.reduce((s, a) => s + a.valueCents, 0)).toBe(book.totals.marketValueCents);
        expect(book.totals.unrealizedCents).toBe(book.totals.holdingsValueCents - book.totals.costBasisCents);
      }));
  });
});
