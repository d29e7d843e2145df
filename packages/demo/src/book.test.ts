import { describe, expect, it } from 'vitest';
import { ACCOUNT_TYPES, mulToCents, type TaxLot } from '@aw/domain';
import { bookFromJson, bookJsonChunks, DEMO_USERS, generateBook, latestCloses, type DemoBook } from './index.ts';

const small = (seed: number, households = 3) => generateBook({ households, seed, securities: 60, years: 3 });

describe('generateBook determinism', () => {
  it('gives identical books for the same seed and different books for another seed', () => {
    const a = small(7), b = small(7), c = small(8);
    expect(b).toEqual(a);
    expect(c.lots.map((l) => l.costBasisCents)).not.toEqual(a.lots.map((l) => l.costBasisCents));
    expect(Array.from(c.prices.closes.slice(-60))).not.toEqual(Array.from(a.prices.closes.slice(-60)));
  });

  it('makes a smaller book the prefix of a larger one with the same seed', () => {
    const a = small(3, 2), b = small(3, 6);
    expect(b.households.slice(0, 2)).toEqual(a.households);
    expect(b.lots.slice(0, a.lots.length)).toEqual(a.lots);
  });
});

describe('the 25-household demo book', () => {
  const book: DemoBook = generateBook({ households: 25, seed: 1 });
  const symbols = new Map(book.securities.map((s, i) => [s.symbol, i]));
  const dateIndex = new Map(book.prices.dates.map((d, i) => [d, i]));
  const S = book.prices.symbols.length;
  const closeOn = (l: TaxLot) => book.prices.closes[dateIndex.get(l.acquiredDate)! * S + symbols.get(l.symbol)!]!;
  const latest = latestCloses(book.prices);
  const endDate = book.prices.dates.at(-1)!;

  it('has the documented shape: 500 securities in 12 classes, ~4 accounts per household, ~40 lots per account', () => {
    expect(book.securities).toHaveLength(500);
    expect(new Set(book.securities.map((s) => s.assetClass)).size).toBe(12);
    expect(book.households).toHaveLength(25);
    expect(book.accounts.length / 25).toBeGreaterThan(3.4);
    expect(book.accounts.length / 25).toBeLessThan(4.6);
    expect(book.lots.length / book.accounts.length).toBeGreaterThan(35);
    expect(book.lots.length / book.accounts.length).toBeLessThan(45);
    expect(new Set(book.accounts.map((a) => a.type))).toEqual(new Set(ACCOUNT_TYPES));
    expect(book.models).toHaveLength(5);
    expect(book.prices.dates.length).toBeGreaterThan(2500);
    expect(endDate).toBe('2026-11-20');
    expect(book.prices.symbols).toEqual(book.securities.map((s) => s.symbol));
  });

  it('puts household i in team north when i % 5 === 4 and lists the demo users', () => {
    book.households.forEach((h, i) => expect(h.teamId).toBe(i % 5 === 4 ? 'north' : 'demo'));
    for (const a of book.accounts) expect(a.teamId).toBe(book.households.find((h) => h.id === a.householdId)!.teamId);
    expect(DEMO_USERS.map((u) => u.username)).toEqual(['alice', 'bob', 'carol', 'dave', 'feed']);
    expect(book.teams.find((t) => t.id === 'demo')!.members).toContainEqual({ userId: 'u-carol', role: 'reviewer' });
  });

  it('has non-USD securities, TLH groups of 2–4 and FX rates', () => {
    expect(new Set(book.securities.map((s) => s.currency))).toEqual(new Set(['USD', 'EUR', 'GBP', 'JPY']));
    const groups = new Map<string, number>();
    for (const s of book.securities) if (s.tlhGroup) groups.set(s.tlhGroup, (groups.get(s.tlhGroup) ?? 0) + 1);
    expect(groups.size).toBeGreaterThan(20);
    expect([...groups.values()].filter((n) => n < 2 || n > 4)).toEqual([]);
    expect(book.fx.symbols).toEqual(expect.arrayContaining(['EURUSD', 'GBPUSD', 'USDJPY', 'JPYUSD']));
    const eur = latestCloses(book.fx).get('EURUSD')!;
    expect(eur).toBeGreaterThan(0.7);
    expect(eur).toBeLessThan(1.6);
  });

  it('has later listings with no price before their first date, and positive prices otherwise', () => {
    let later = 0;
    const problems: string[] = [];
    for (let s = 0; s < S; s++) {
      if (Number.isNaN(book.prices.closes[s]!)) later++;
      let seen = false;
      for (let d = 0; d < book.prices.dates.length; d++) {
        const c = book.prices.closes[d * S + s]!;
        if (Number.isNaN(c) ? seen : !(c > 0)) problems.push(`${book.prices.symbols[s]} on ${book.prices.dates[d]}: ${c}`);
        if (!Number.isNaN(c)) seen = true;
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(later).toBeGreaterThan(3);
    expect(later).toBeLessThan(40);
  });

  it('books every lot at the close of its acquisition date, cost basis exact to the cent', () => {
    for (const l of book.lots) {
      expect(symbols.has(l.symbol), l.symbol).toBe(true);
      const close = closeOn(l);
      expect(Number.isNaN(close), `${l.id} bought before ${l.symbol} listed`).toBe(false);
      expect(l.costBasisCents).toBe(mulToCents(l.quantity, close));
      expect(l.quantity).toBeGreaterThan(0);
      expect(l.holdingPeriodStart).toBe(l.acquiredDate);
    }
  });

  it('has lots at a loss and at a gain, short-term and long-term', () => {
    const loss = book.lots.filter((l) => latest.get(l.symbol)! * l.quantity * 100 < l.costBasisCents).length;
    const yearAgo = `${Number(endDate.slice(0, 4)) - 1}${endDate.slice(4)}`;
    const short = book.lots.filter((l) => l.acquiredDate > yearAgo).length;
    expect(loss / book.lots.length).toBeGreaterThan(0.05);
    expect(loss / book.lots.length).toBeLessThan(0.6);
    expect(short / book.lots.length).toBeGreaterThan(0.03);
    expect(short / book.lots.length).toBeLessThan(0.3);
  });

  it('records a completed buy per lot and a few pending transactions', () => {
    const buys = book.transactions.filter((t) => t.status === 'completed');
    expect(buys).toHaveLength(book.lots.length);
    const lotByAccountDate = new Set(book.lots.map((l) => `${l.accountId}|${l.symbol}|${l.acquiredDate}|${l.costBasisCents}`));
    for (const t of buys) expect(lotByAccountDate.has(`${t.accountId}|${t.symbol}|${t.date}|${t.amountCents}`)).toBe(true);
    const pending = book.transactions.filter((t) => t.status !== 'completed');
    expect(pending.length).toBeGreaterThan(2);
    expect(pending.length).toBeLessThan(book.accounts.length / 2);
    for (const t of pending) {
      expect(t.date).toBe(endDate);
      expect(t.amountCents).toBe(mulToCents(t.quantity, t.price));
    }
    expect(generateBook({ households: 5, seed: 1, securities: 60, years: 2, history: false }).transactions.every((t) => t.status !== 'completed')).toBe(true);
  });

  it('gives five models whose weights sum to 1 with cash and preferred symbols of the right class', () => {
    const classOf = new Map(book.securities.map((s) => [s.symbol, s.assetClass]));
    for (const m of book.models) {
      expect(m.teamId).toBe('');
      expect(m.targets.reduce((a, t) => a + t.weight, 0)).toBeCloseTo(1, 12);
      expect(m.targets.some((t) => t.key === 'CASH')).toBe(true);
      for (const t of m.targets) {
        if (t.key === 'CASH') continue;
        expect(t.symbols.length).toBeGreaterThan(0);
        for (const sym of t.symbols) expect(classOf.get(sym)).toBe(t.key);
      }
    }
    expect(new Set(book.models.map((m) => m.riskProfile)).size).toBe(5);
    const modelIds = new Set(book.models.map((m) => m.id));
    for (const a of book.accounts) expect(modelIds.has(a.modelId)).toBe(true);
  });

  it('round-trips through its JSON form', () => {
    const b = generateBook({ households: 4, seed: 5, securities: 200, years: 2 });
    const unlisted = b.prices.closes.findIndex((c) => Number.isNaN(c));
    expect(unlisted).toBeGreaterThanOrEqual(0);
    const text = [...bookJsonChunks(b, { seed: 5 }, 4096)].join('');
    const back = bookFromJson(JSON.parse(text));
    expect(back).toEqual(b);
    expect(back.prices.closes[unlisted]).toBeNaN();
    expect(() => bookFromJson({ ...JSON.parse(text), version: 99 })).toThrow(/version 99/);
  });
});
