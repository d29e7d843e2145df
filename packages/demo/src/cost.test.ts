import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mulToCents } from '@aw/domain';
import { costCents } from './book.ts';

describe('costCents (the generator\'s fast exact quantity × price)', () => {
  it("equals the decimal-exact mulToCents up to 1M shares at $50,000 (product < 2^53)", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1_000_000_000 }), fc.integer({ min: 1, max: 5_000_000 }), (qtyMilli, priceCents) => {
      expect(costCents(qtyMilli, priceCents)).toBe(mulToCents(qtyMilli / 1000, priceCents / 100));
    }), { numRuns: 2000 });
  });
});
