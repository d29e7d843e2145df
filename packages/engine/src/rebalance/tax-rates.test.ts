import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, estimateTaxCents, isLongTerm, longTermRateFor } from './tax-rates.ts';

describe('holding periods and tax estimates', () => {
  it('is long-term only after the anniversary', () => {
    expect(isLongTerm('2025-11-20', '2026-11-20')).toBe(false);
    expect(isLongTerm('2025-11-20', '2026-11-21')).toBe(true);
    expect(isLongTerm('2024-02-29', '2025-03-01')).toBe(true);
  });
  it('counts days across months and years', () => {
    expect(daysBetween('2026-10-21', '2026-11-20')).toBe(30);
    expect(addDays('2026-11-20', -30)).toBe('2026-10-21');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });
  it('nets short- and long-term results before applying the rates', () => {
    expect(longTermRateFor(0.12)).toBe(0);
    expect(longTermRateFor(0.32)).toBe(0.15);
    expect(longTermRateFor(0.37)).toBe(0.2);
    expect(estimateTaxCents(1_000_00, 2_000_00, 0.32, 0.15)).toBe(620_00);
    expect(estimateTaxCents(-500_00, 2_000_00, 0.32, 0.15)).toBe(225_00);
    expect(estimateTaxCents(1_000_00, -1_500_00, 0.32, 0.15)).toBe(0);
    expect(estimateTaxCents(1_000_00, -400_00, 0.32, 0.15)).toBe(192_00);
  });
});
