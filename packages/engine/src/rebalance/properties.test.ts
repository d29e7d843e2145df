// Property tests of the rebalance invariants over random households (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Account, TaxLot } from '@aw/domain';
import { rebalanceHousehold } from './household.ts';
import type { HeldAwayPosition, HouseholdInput, RebalanceOptions } from './options.ts';
import { addDays } from './tax-rates.ts';
import { account, market, model, security } from './test-fixtures.ts';

const AS_OF = '2026-11-20';
const SECS = [security('A1', 'Equity', 'g-eq'), security('A2', 'Equity', 'g-eq'), security('B1', 'Bonds', 'g-bd'), security('B2', 'Bonds', 'g-bd'),
  security('C1', 'Intl', ''), security('X1', 'Other', '')];
const SYMBOLS = SECS.map((s) => s.symbol);

const cents = (max: number) => fc.integer({ min: 0, max });
const price = fc.integer({ min: 100, max: 50_000 }).map((c) => c / 100);
const date = fc.integer({ min: 0, max: 1400 }).map((d) => addDays(AS_OF, -d));

const lotArb = fc.record({
  symbol: fc.constantFrom(...SYMBOLS), whole: fc.boolean(), qty: fc.integer({ min: 1, max: 2_000_000 }), basisPerShare: fc.integer({ min: 50, max: 60_000 }), date,
});
const accountArb = fc.record({
  type: fc.constantFrom<Account['type']>('taxable', 'taxable', 'ira', 'roth_ira', '401k'),
  cash: cents(5_000_000), lots: fc.array(lotArb, { maxLength: 8 }),
  heldAway: fc.array(fc.record({ symbol: fc.constantFrom(...SYMBOLS), qty: fc.integer({ min: 1, max: 500 }) }), { maxLength: 2 }),
});
const scenarioArb = fc.record({
  prices: fc.tuple(...SYMBOLS.map(() => price)),
  weights: fc.tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 3 })),
  bandAbs: fc.integer({ min: 1, max: 10 }).map((x) => x / 100),
  bandRel: fc.integer({ min: 0, max: 50 }).map((x) => x / 100),
  accounts: fc.array(accountArb, { minLength: 1, maxLength: 3 }),
  recentSales: fc.array(fc.record({ symbol: fc.constantFrom(...SYMBOLS), daysAgo: fc.integer({ min: 0, max: 60 }), gain: fc.integer({ min: -100_000, max: 100_000 }) }), { maxLength: 3 }),
  opts: fc.record({
    goal: fc.constantFrom<RebalanceOptions['goal']>('target', 'band'),
    mode: fc.constantFrom<RebalanceOptions['mode']>('full', 'full', 'sell_only', 'buy_only'),
    minTradeCents: fc.constantFrom(0, 1_00, 50_00, 1_000_00),
    cashReserveCents: fc.constantFrom(0, 0, 10_000, 500_000),
    cashReservePct: fc.constantFrom(0, 0, 0.02),
    fractionalShares: fc.boolean(),
    restricted: fc.subarray(SYMBOLS, { maxLength: 2 }),
    gainsBudgetCents: fc.option(fc.integer({ min: 0, max: 2_000_000 }), { nil: null }),
    assetLocation: fc.boolean(),
  }),
});

type Scenario = fc.Arbitrary<typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never>;
function build(s: Scenario extends fc.Arbitrary<infer T> ? T : never): { input: HouseholdInput; mkt: ReturnType<typeof market>; opts: Partial<RebalanceOptions> } {
  const [we, wb, wi, wc] = s.weights;
  const total = we + wb + wi + wc || 1;
  const targets: Array<[string, number, string[]]> = [['Equity', we / total, ['A1', 'A2']], ['Bonds', wb / total, ['B1']], ['Intl', wi / total, ['C1']]];
  if (wc > 0) targets.push(['CASH', wc / total, []]);
  if (total === 1 && we + wb + wi + wc === 0) targets[0]![1] = 1;
  const m = model('m1', targets, s.bandAbs, s.bandRel);
  const mkt = market(SECS, Object.fromEntries(SYMBOLS.map((sym, i) => [sym, s.prices[i]!])), [m]);
  const accounts: Account[] = [];
  const lots: TaxLot[] = [];
  const heldAway: HeldAwayPosition[] = [];
  s.accounts.forEach((a, k) => {
    const id = `acc-${k}`;
    accounts.push(account({ id, type: a.type, cashCents: a.cash }));
    a.lots.forEach((l, j) => {
      const quantity = l.whole ? Math.max(1, Math.round(l.qty / 1000)) : l.qty / 1e4;
      lots.push({ id: `${id}-lot-${j}`, teamId: 'demo', householdId: 'h1', accountId: id, symbol: l.symbol, quantity,
        costBasisCents: Math.max(1, Math.round(quantity * l.basisPerShare)), acquiredDate: l.date, holdingPeriodStart: l.date, washSaleAdjustmentCents: 0, updatedAt: 0 });
    });
    for (const h of a.heldAway) heldAway.push({ accountId: id, symbol: h.symbol, quantity: h.qty });
  });
  const recentSales = s.recentSales.map((r, k) => ({ accountId: `acc-${k % accounts.length}`, symbol: r.symbol, date: addDays(AS_OF, -r.daysAgo), gainCents: r.gain }));
  return { input: { household: { id: 'h1', taxBracket: 0.32 }, accounts, lots, heldAway, recentSales, asOf: AS_OF }, mkt, opts: s.opts };
}

const runs = { numRuns: 400 };

describe('rebalance invariants (property)', () => {
  it('every position ends inside its band or the reason is stated; no trade below the minimum; restricted never bought', () => {
    fc.assert(fc.property(scenarioArb, (s) => {
      const { input, mkt, opts } = build(s);
      const r = rebalanceHousehold(input, mkt, opts);
      for (const a of r.accounts) {
        for (const d of a.drift) if (d.outOfBandAfter) expect(d.note.length).toBeGreaterThan(0);
        for (const t of a.trades) {
          expect(t.amountCents).toBeGreaterThanOrEqual(opts.minTradeCents!);
          expect(t.quantity).toBeGreaterThan(0);
          if (t.side === 'buy') expect(opts.restricted).not.toContain(t.symbol);
          if (t.side === 'buy' && !opts.fractionalShares) expect(Number.isInteger(t.quantity)).toBe(true);
        }
        // Explanations are Latin-1 (one byte per character in V8: half the size of every stored draft; see plan.ts).
        for (const text of [a.reason, ...a.warnings, ...a.trades.map((t) => t.reason), ...a.drift.map((d) => d.note)]) expect(text).not.toMatch(/[\u0100-\uffff]/);
        if (opts.mode === 'sell_only') expect(a.trades.every((t) => t.side === 'sell')).toBe(true);
        if (opts.mode === 'buy_only') expect(a.trades.every((t) => t.side === 'buy')).toBe(true);
      }
    }), runs);
  });

  it('cash never goes negative and the reserve holds unless a warning says why', () => {
    fc.assert(fc.property(scenarioArb, (s) => {
      const { input, mkt, opts } = build(s);
      const r = rebalanceHousehold(input, mkt, opts);
      for (const a of r.accounts) {
        expect(a.cashAfterCents).toBe(a.cashBeforeCents + a.sellCents - a.buyCents);
        expect(a.cashAfterCents).toBeGreaterThanOrEqual(0);
        const floor = Math.max(opts.cashReserveCents!, opts.cashReservePct! * a.valueCents);
        if (a.cashAfterCents < floor - 0.5 && a.trades.length > 0) expect(a.warnings.join(' ')).toMatch(/below the reserve/);
        // Buys never dig further below the reserve.
        if (a.buyCents > 0) expect(a.cashAfterCents).toBeGreaterThanOrEqual(Math.min(floor, a.cashBeforeCents + a.sellCents) - 0.5);
      }
    }), runs);
  });

  it('sells never exceed the held quantity and relieve only the account\'s own lots of that symbol', () => {
    fc.assert(fc.property(scenarioArb, (s) => {
      const { input, mkt, opts } = build(s);
      const r = rebalanceHousehold(input, mkt, opts);
      for (const a of r.accounts) {
        for (const t of a.trades.filter((x) => x.side === 'sell')) {
          const own = input.lots.filter((l) => l.accountId === a.accountId && l.symbol === t.symbol);
          const held = own.reduce((q, l) => q + l.quantity, 0);
          expect(t.quantity).toBeLessThanOrEqual(held + 1e-6);
          for (const id of t.lotIds) expect(own.map((l) => l.id)).toContain(id);
        }
      }
    }), runs);
  });

  it('no buy triggers a wash sale: nothing sold at a loss in 30 days (before or in this run) anywhere in the household is bought', () => {
    fc.assert(fc.property(scenarioArb, (s) => {
      const { input, mkt, opts } = build(s);
      const r = rebalanceHousehold(input, mkt, opts);
      const blocked = new Set(input.recentSales!.filter((x) => x.gainCents < 0 && x.date >= addDays(AS_OF, -30)).map((x) => x.symbol));
      for (const a of r.accounts) for (const t of a.trades) if (t.side === 'sell' && t.estGainCents < 0) blocked.add(t.symbol);
      for (const a of r.accounts) for (const t of a.trades) if (t.side === 'buy') expect(blocked.has(t.symbol)).toBe(false);
    }), runs);
  });

  it('the household gains budget is respected', () => {
    fc.assert(fc.property(scenarioArb, (s) => {
      const { input, mkt, opts } = build(s);
      if (opts.gainsBudgetCents === null) return;
      const r = rebalanceHousehold(input, mkt, opts);
      const taxableGains = r.accounts.filter((a) => input.accounts.find((x) => x.id === a.accountId)!.type === 'taxable').reduce((g, a) => g + a.estGainCents, 0);
      expect(taxableGains).toBeLessThanOrEqual(opts.gainsBudgetCents!);
    }), runs);
  });

  it('is deterministic: the same input (in any order) gives a deep-equal output', () => {
    fc.assert(fc.property(scenarioArb, (s) => {
      const { input, mkt, opts } = build(s);
      const a = rebalanceHousehold(input, mkt, opts);
      const b = rebalanceHousehold(structuredClone(input), mkt, opts);
      const c = rebalanceHousehold({ ...input, accounts: [...input.accounts].reverse(), lots: [...input.lots].reverse() }, mkt, opts);
      expect(b).toEqual(a);
      expect(c).toEqual(a);
    }), { numRuns: 200 });
  });
});
