// The warm valuation path against the stateless one: same answers while only market deltas cross, and live prices
// laid over the closes value holdings exactly (quantity × live price, to the cent). Holdings views are forced onto
// the warm worker here (uiThreadMaxLots 0); valuation-holdings.test.ts covers the UI-thread path.
import { describe, expect, it } from 'vitest';
import { mulToCents } from '@aw/domain';
import { smallBook } from '../test-support.ts';
import { valuationService } from './valuation-service.ts';
import { householdInput, strip, valuationClients } from './valuation-holdings.fixture.ts';
import { decodeHoldings, decodeLots, encodeHoldings, encodeLots } from './valuation-wire.ts';

/** Clients whose every view goes to the warm worker (uiThreadMaxLots 0). */
const makeClient = valuationClients();
const warmClient = () => makeClient(0).valuation;

describe('valuation wire form', () => {
  it('round-trips lots and valued holdings losslessly, unpriced ones included', () => {
    const book = smallBook(2);
    const input = householdInput(book, book.households[0]!.id);
    const sym = input.lots[0]!.symbol;
    const view = valuationService.valueHoldings({ ...input, priceRows: input.priceRows.filter((p) => p.symbol !== sym) });
    expect(view.holdings.some((h) => h.price === null && h.priceDate === null)).toBe(true);
    expect(decodeHoldings(encodeHoldings(view.holdings))).toEqual(view.holdings);
    const lots = input.lots.map((l) => ({ id: l.id, accountId: l.accountId, householdId: l.householdId, symbol: l.symbol, quantity: l.quantity,
      costBasisCents: l.costBasisCents, acquiredDate: l.acquiredDate, holdingPeriodStart: l.holdingPeriodStart }));
    expect(decodeLots(encodeLots(lots))).toEqual(lots);
  });
});

describe('warm valuation worker', () => {
  it('values every household like the stateless call, sending the market once', async () => {
    const book = smallBook(3);
    const client = warmClient();
    for (const h of book.households) {
      const input = householdInput(book, h.id);
      expect(strip(await client.valueHoldings(input))).toEqual(strip(valuationService.valueHoldings(input)));
    }
    // A changed close crosses as a delta and is used; a symbol the lookup no longer prices is unpriced.
    const input = householdInput(book, book.households[0]!.id);
    const sym = input.lots[0]!.symbol;
    const moved = { ...input, priceRows: input.priceRows.map((p) => (p.symbol === sym ? { ...p, closePrice: p.closePrice * 2 } : p)) };
    expect(strip(await client.valueHoldings(moved))).toEqual(strip(valuationService.valueHoldings(moved)));
    const dropped = { ...input, priceRows: input.priceRows.filter((p) => p.symbol !== sym) };
    const view = await client.valueHoldings(dropped);
    expect(view.totals.unpricedSymbols).toContain(sym);
    expect(strip(view)).toEqual(strip(valuationService.valueHoldings(dropped)));
  });

  it('revalues an open live view from ticks and falls back to the closes when they are dropped', async () => {
    const book = smallBook(2);
    const client = warmClient();
    const input = householdInput(book, book.households[0]!.id);
    const atClose = valuationService.valueHoldings(input);
    const opened = await client.live.open('hh', input);
    expect(opened.totals.marketValueCents).toBe(atClose.totals.marketValueCents);
    const usd = atClose.holdings.find((h) => h.currency === 'USD')!;
    const t = Date.parse('2030-01-02T15:00:00Z');
    const live = (await client.live.apply([{ s: usd.symbol, p: 123.45, t }], null, 'hh'))!;
    const h = live.holdings.find((x) => x.accountId === usd.accountId && x.symbol === usd.symbol)!;
    expect(h.price).toBe(123.45);
    expect(h.marketValueCents).toBe(mulToCents(usd.quantity, 123.45));
    expect(live.dayChangeCents[`${usd.accountId}|${usd.symbol}`]).toBe(h.marketValueCents - usd.marketValueCents);
    expect(live.priceSources[usd.symbol]).toEqual({ source: 'live', timeMs: t });
    expect(live.closeTotals.marketValueCents).toBe(atClose.totals.marketValueCents);
    // Every holding of that symbol (any account) moved; the totals follow.
    const moved = atClose.holdings.filter((x) => x.symbol === usd.symbol);
    const delta = moved.reduce((d, x) => d + mulToCents(x.quantity, 123.45) - x.marketValueCents, 0);
    expect(live.totals.marketValueCents - atClose.totals.marketValueCents).toBe(delta);
    // An older tick does not replace a newer one.
    const older = (await client.live.apply([{ s: usd.symbol, p: 1, t: t - 1000 }], null, 'hh'))!;
    expect(older.holdings.find((x) => x.symbol === usd.symbol)!.price).toBe(123.45);
    const back = (await client.live.apply([], 'all', 'hh'))!;
    expect(back.totals.marketValueCents).toBe(atClose.totals.marketValueCents);
    expect(back.priceSources[usd.symbol]!.source).toBe('close');
    await client.live.close('hh');
    expect(await client.live.apply([], null, 'hh')).toBeNull();
  });
});
