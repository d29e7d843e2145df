import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mulToCents } from '@aw/domain';
import { productCents } from './exact-cents.ts';

describe('productCents', () => {
  it('rounds half away from zero once', () => {
    expect(productCents(150, 10.005)).toBe(150_075);
    expect(productCents(1, 0.005)).toBe(1);
    expect(productCents(1, 0.004999)).toBe(0);
    expect(productCents(-1, 0.005)).toBe(-1);
    expect(productCents(0.1, 0.2)).toBe(2); // 0.02 exactly, no float drift
    expect(productCents(1_234_567.123456, 98_765.4321)).toBe(mulToCents(1_234_567.123456, 98_765.4321)); // BigInt path
  });
  it('agrees with mulToCents for 6-decimal quantities and prices', () => {
    const six = (max: number) => fc.integer({ min: -max, max }).map((n) => n / 1e6);
    fc.assert(fc.property(six(1e13), six(1e12), (q, p) => {
      expect(productCents(q, p)).toBe(mulToCents(q, p));
    }), { numRuns: 2000 });
  });
  it('falls back to exact decimal arithmetic for longer decimals', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e4, noNaN: true }), (q, p) => {
      expect(productCents(q, p)).toBe(mulToCents(q, p));
    }), { numRuns: 500 });
  });
});

describe('convertCents', () => {
  it('matches converting the decimal amount exactly', async () => {
    const { convertCents } = await import('./market.ts');
    fc.assert(fc.property(fc.integer({ min: -1e13, max: 1e13 }), fc.integer({ min: 1, max: 1e7 }).map((n) => n / 1e5), (c, rate) => {
      expect(convertCents(c, rate)).toBe(mulToCents((c / 100).toFixed(2), rate));
    }), { numRuns: 1000 });
  });
});
