// Small holdings views are valued on the UI thread, big ones on the warm worker: a user must see the same numbers
// either way, including for rows exactly as an RxDB read returns them (meta fields stripped by `delete`).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadHoldingsData } from '../db/holdings-query.ts';
import { writeBook } from '../db/seed.ts';
import { openTestDb, smallBook } from '../test-support.ts';
import { UI_THREAD_MAX_LOTS, valueHoldingsView } from './valuation-holdings.ts';
import type { HoldingsInput } from './valuation-service.ts';
import { householdInput as inputOf, strip, valuationClients } from './valuation-holdings.fixture.ts';

const client = valuationClients();
const book = smallBook(3);
const householdInput = (householdId: string): HoldingsInput => inputOf(book, householdId);

describe('holdings valuation on the UI thread', () => {
  it('values a small view without starting a worker, exactly as the warm worker does', async () => {
    const ui = client();
    const worker = client(0);
    for (const h of book.households) {
      const input = householdInput(h.id);
      expect(input.lots.length).toBeLessThanOrEqual(UI_THREAD_MAX_LOTS);
      const view = await ui.valuation.valueHoldings(input);
      expect(view.holdings.length).toBeGreaterThan(0);
      expect(strip(view)).toEqual(strip(await worker.valuation.valueHoldings(input)));
    }
    expect(ui.pool.liveWorkers()).toBe(0);
    expect(worker.pool.liveWorkers()).toBe(1);
  });

  it('sends a view above the bound to the warm worker', async () => {
    const input = householdInput(book.households[0]!.id);
    const { pool, valuation } = client(input.lots.length - 1);
    const view = await valuation.valueHoldings(input);
    expect(pool.liveWorkers()).toBe(1);
    expect(strip(view)).toEqual(strip(valueHoldingsView(input)));
  });

  it('gives both paths the same answer whatever prices and securities the lookup found', async () => {
    const ui = client();
    const worker = client(0);
    const input = householdInput(book.households[1]!.id);
    await fc.assert(fc.asyncProperty(
      fc.subarray(input.lots, { minLength: 1 }), fc.subarray(input.priceRows, { minLength: 1 }), fc.subarray(input.securities),
      fc.integer({ min: -1_000_000, max: 10_000_000_00 }),
      async (lots, priceRows, securities, cashCents) => {
        const sub = { lots, priceRows, securities, cashCents };
        expect(strip(await ui.valuation.valueHoldings(sub))).toEqual(strip(await worker.valuation.valueHoldings(sub)));
      }), { numRuns: 40 });
  });

  it('values the rows of a real RxDB read like clean copies of them', async () => {
    const db = await openTestDb();
    try {
      await writeBook(db, book);
      const hh = book.households[2]!;
      const data = await loadHoldingsData(db, { householdId: hh.id });
      const read = { lots: data.lots, priceRows: data.priceRows, securities: data.securities, cashCents: 0 };
      const clean = JSON.parse(JSON.stringify(read)) as HoldingsInput;
      expect(read.lots.length).toBe(book.lots.filter((l) => l.householdId === hh.id).length);
      expect(strip(valueHoldingsView(read))).toEqual(strip(valueHoldingsView(clean)));
    } finally {
      await db.close();
    }
  });

  it('rejects like a worker call when cancelled, terminated, or given nothing to value with', async () => {
    const { valuation } = client();
    const input = householdInput(book.households[0]!.id);
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(valuation.valueHoldings(input, { signal: ctrl.signal })).rejects.toMatchObject({ code: 'aborted' });
    await expect(valuation.valueHoldings({ ...input, priceRows: [] })).rejects.toMatchObject({ name: 'NoPricesError' });
    valuation.terminate();
    await expect(valuation.valueHoldings(input)).rejects.toMatchObject({ code: 'pool_terminated' });
  });
});
