import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocateCents, formatCents, mulToCents, toCents } from './money.ts';

describe('money', () => {
  it('converts decimals to cents without float drift', () => {
    expect(toCents('0.1')).toBe(10);
    expect(toCents(1.005)).toBe(101); // float 1.005 is 1.00499…, but its decimal text is 1.005
    expect(toCents('-2.345')).toBe(-235);
    expect(mulToCents(3, 0.1)).toBe(30);
    expect(mulToCents('0.333333', '3')).toBe(100);
    expect(mulToCents(1e-7, 1)).toBe(0);
  });
  it('rejects non-numbers', () => {
    expect(() => toCents('abc')).toThrow(/not a decimal/);
    expect(() => toCents(Number.NaN)).toThrow(/finite/);
  });
  it('formats', () => {
    expect(formatCents(123456789)).toBe('1,234,567.89');
    expect(formatCents(-5)).toBe('-0.05');
  });
  it('allocation conserves every cent', () => {
    fc.assert(fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.array(fc.integer({ min: 1, max: 1e6 }), { minLength: 1, maxLength: 20 }), (c, parts) => {
      const out = allocateCents(c, parts);
      return out.reduce((a, b) => a + b, 0) === c && out.every(Number.isInteger);
    }));
  });
});
