// The lot packs' columnar form: any list of flat records decodes to the same records (fields absent stay absent;
// strings with the separator, mixed types, -0, NaN, big and fractional numbers survive), and an account's lots use
// the compact column kinds (constants, typed arrays, dictionary / joined strings), not plain arrays.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeColumns, encodeColumns } from './lot-columns.ts';
import { smallBook } from '../test-support.ts';

const value = fc.oneof(
  fc.integer(), fc.integer({ min: -3, max: 3 }), fc.double(), fc.constant(-0), fc.constant(2 ** 40 + 0.5),
  fc.string({ maxLength: 6 }), fc.constantFrom('a', 'b', 'a\u0000b', ''), fc.boolean(), fc.constant(null),
);
const rows = fc.array(fc.dictionary(fc.constantFrom('id', 'symbol', 'quantity', 'n', 'x'), value, { maxKeys: 5 }), { maxLength: 40 });

describe('lot columns (the lot packs\' stored form)', () => {
  it('decode to exactly the encoded rows, whatever their fields and values', () => {
    fc.assert(fc.property(rows, (rs) => {
      const back = decodeColumns<Record<string, unknown>>(structuredClone(encodeColumns(rs)));
      expect(back).toHaveLength(rs.length);
      back.forEach((r, i) => {
        expect(Object.keys(r).sort()).toEqual(Object.keys(rs[i]!).sort());
        for (const k of Object.keys(rs[i]!)) expect(Object.is(r[k], rs[i]![k]), `${k}: ${String(r[k])} vs ${String(rs[i]![k])}`).toBe(true);
      });
    }), { numRuns: 300 });
  });

  it('leave out the rows `skip` names', () => {
    const rs = [{ id: 'a', q: 1 }, { id: 'b', q: 2 }, { id: 'c', q: 3 }];
    expect(decodeColumns<{ id: string }>(encodeColumns(rs), (r) => r.id === 'b')).toEqual([rs[0], rs[2]]);
  });

  it('store an account\'s lots compactly: the account\'s own fields once, numbers in typed arrays, no plain arrays', () => {
    const book = smallBook(1);
    const account = book.accounts[0]!.id;
    const lots = book.lots.filter((l) => l.accountId === account);
    const packed = encodeColumns(lots);
    const kind = Object.fromEntries(packed.fields.map((f, i) => [f, packed.cols[i]!.k]));
    expect(kind).toMatchObject({ accountId: 'same', householdId: 'same', teamId: 'same', id: 'text' });
    expect(['i32', 'f64', 'same']).toContain(kind.quantity);
    expect(['i32', 'f64', 'same']).toContain(kind.costBasisCents);
    expect(Object.values(kind)).not.toContain('any');
    expect(decodeColumns(structuredClone(packed))).toEqual(lots);
  });
});
