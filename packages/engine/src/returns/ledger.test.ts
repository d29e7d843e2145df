import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mulToCents } from '@aw/domain';
import { mulCents } from './ledger.ts';

describe('mulCents', () => {
  it('rounds half away from zero like mulToCents', () => {
    expect(mulCents(3, 0.005)).toBe(2); // 1.5 cents → 2
    expect(mulCents(1, 0.125)).toBe(13);
    expect(mulCents(-1, 0.125)).toBe(-13);
    expect(mulCents(0.1, 0.3)).toBe(3);
    expect(mulCents(1e9, 1e9)).toBe(mulToCents(1e9, 1e9)); // beyond the fast path
  });
  it('property: equals the exact BigInt computation', () => {
    fc.assert(fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 1e8 }), (qMilli, pTenThousandths) => {
      const q = qMilli / 1000, p = pTenThousandths / 10000;
      expect(mulCents(q, p)).toBe(mulToCents(q, p));
    }), { numRuns: 2000 });
  });
});
