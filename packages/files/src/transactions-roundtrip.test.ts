import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mulToCents, toCents } from '@aw/domain';
import { readTransactionsCsv } from './index.ts';

/** Decimal text with up to `dp` decimals of an integer count of 10^-dp units. */
const decimal = (units: number, dp: number) => (units / 10 ** dp).toFixed(dp);
const day = fc.integer({ min: 0, max: 365 * 30 }).map((d) => new Date(Date.UTC(2000, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
const securityRow = fc.record({
  date: day, account: fc.constantFrom('joint', 'ira', 'Roth "kids", 2'), symbol: fc.constantFrom('VTI', 'brk.b', 'SAP.DE'),
  type: fc.constantFrom('buy', 'sell'), qty: fc.integer({ min: 1, max: 10_000_000 }), price: fc.integer({ min: 1, max: 100_000_000 }),
  fees: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }), currency: fc.constantFrom('', 'USD', 'eur'),
  lot: fc.constantFrom('', 'fifo', 'HIFO', 'lifo'),
});
const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

describe('readTransactionsCsv (property)', () => {
  it('reads back every valid row it is given, with exact cents', () => {
    fc.assert(fc.property(fc.array(securityRow, { minLength: 1, maxLength: 30 }), (rows) => {
      const text = ['date,account,symbol,type,quantity,price,fees,currency,lot_method', ...rows.map((r) => [
        r.date, csvCell(r.account), r.symbol, r.type, decimal(r.qty, 3), decimal(r.price, 4), r.fees === undefined ? '' : decimal(r.fees, 2), r.currency, r.lot,
      ].join(','))].join('\r\n');
      const read = readTransactionsCsv(text, 'p.csv');
      expect(read).toHaveLength(rows.length);
      read.forEach((t, i) => {
        const r = rows[i]!;
        expect(t.line).toBe(i + 2);
        expect(t.account).toBe(r.account);
        expect(t.symbol).toBe(r.symbol.toUpperCase());
        expect(t.amountCents).toBe(mulToCents(decimal(r.qty, 3), decimal(r.price, 4)));
        expect(t.feesCents).toBe(r.fees === undefined ? 0 : toCents(decimal(r.fees, 2)));
        expect(t.currency).toBe(r.currency === '' ? 'USD' : r.currency.toUpperCase());
        expect(t.lotMethod).toBe(r.lot === '' ? 'fifo' : r.lot.toLowerCase());
      });
    }), { numRuns: 200 });
  });
});
