import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCents, mulToCents } from '@aw/domain';
import { amountCents, money } from './format.ts';

describe('fast money text and amounts', () => {
  it('formats like formatCents', () => {
    fc.assert(fc.property(fc.integer({ min: -1e13, max: 1e13 }), (c) => { expect(money(c)).toBe(formatCents(c)); }));
  });
  it('rounds quantity × price exactly like mulToCents', () => {
    const qty = fc.oneof(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 1e9 }).map((x) => x / 1e6), fc.integer({ min: 1, max: 1e5 }).map((x) => x / 1e3));
    const price = fc.oneof(fc.integer({ min: 1, max: 1e6 }).map((x) => x / 100), fc.double({ min: 0.01, max: 5000, noNaN: true }), fc.integer({ min: 1, max: 1e8 }).map((x) => x / 1e4));
    fc.assert(fc.property(qty, price, (q, p) => { expect(amountCents(q, p, mulToCents)).toBe(mulToCents(q, p)); }), { numRuns: 5_000 });
    expect(amountCents(1, 0.005, mulToCents)).toBe(1); // a half cent goes through the exact path
  });
});
