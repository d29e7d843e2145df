import { describe, expect, it } from 'vitest';
import { rebalanceHousehold } from '../rebalance/household.ts';
import { account, lot, model, security } from '../rebalance/test-fixtures.ts';
import { packChunk, prepareJobContext, rebalanceChunk, unpackLots, type RebalanceJobContext } from './rebalance-chunk.ts';

const secs = [security('VTI', 'US Equity', 'us'), security('BND', 'Bonds', 'agg'), security('AGG', 'Bonds', 'agg')];
const m1 = model('m1', [['US Equity', 0.6, ['VTI']], ['Bonds', 0.4, ['BND']]]);
const ctx: RebalanceJobContext = { asOf: '2026-11-20', securities: secs, priceSymbols: ['VTI', 'BND', 'AGG'], prices: new Float64Array([200, 80, 100]), models: [m1] };
const accounts = [
  account({ id: 'h1-a1', householdId: 'h1', cashCents: 1_000_00 }), account({ id: 'h1-a2', householdId: 'h1', type: 'ira' }),
  account({ id: 'h2-a1', householdId: 'h2', teamId: 'north' }),
];
const lots = [
  lot('VTI', 100, 15_000_00, '2020-01-02', { accountId: 'h1-a1', householdId: 'h1', id: 'l1' }),
  lot('BND', 10.5, 900_00, '2026-11-01', { accountId: 'h1-a2', householdId: 'h1', id: 'l2', holdingPeriodStart: '2026-05-01', washSaleAdjustmentCents: 12_34 }),
  lot('BND', 500, 50_000_00, '2025-03-03', { accountId: 'h2-a1', householdId: 'h2', teamId: 'north', id: 'l3' }),
];
const lotsOf = (id: string) => lots.filter((l) => l.accountId === id);
const households = [{ id: 'h1', taxBracket: 0.24 }, { id: 'h2', taxBracket: 0.35 }];

describe('rebalance chunk wire format', () => {
  it('packs lots into transferable columns and unpacks the same lots', () => {
    const { chunk, transfer } = packChunk(households, accounts, lotsOf);
    expect(transfer.every((b) => b instanceof ArrayBuffer)).toBe(true);
    const back = unpackLots(structuredClone(chunk));
    expect(back.get('h1')!.map((l) => ({ ...l, updatedAt: 0 }))).toEqual(lots.slice(0, 2).map((l) => ({ ...l, updatedAt: 0 })));
    expect(back.get('h2')!).toHaveLength(1);
    expect(back.get('h2')![0]!.teamId).toBe('north');
  });

  it('gives the same proposals as rebalancing each household directly, one per account in chunk order', () => {
    const { chunk } = packChunk(households, accounts, lotsOf);
    const prepared = prepareJobContext(ctx);
    const out = rebalanceChunk(prepared, structuredClone(chunk));
    expect(out.proposals.map((p) => p.accountId)).toEqual(['h1-a1', 'h1-a2', 'h2-a1']);
    expect(out).toMatchObject({ accounts: 3, lots: 3 });
    const direct = rebalanceHousehold({ household: households[1]!, accounts: [accounts[2]!], lots: [lots[2]!], asOf: ctx.asOf }, prepared.market);
    expect(out.proposals[2]!.trades).toEqual(direct.accounts[0]!.trades);
    expect(out.proposals[2]!.trades.length).toBeGreaterThan(0);
    expect(out.trades).toBe(out.proposals.reduce((s, p) => s + p.trades.length, 0));
    expect(out.proposals[0]!.drift).toBeUndefined();
    expect(rebalanceChunk(prepareJobContext({ ...ctx, detail: true }), chunk).proposals[0]!.drift!.length).toBeGreaterThan(0);
  });
});
