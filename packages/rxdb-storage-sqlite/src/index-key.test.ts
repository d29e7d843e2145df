// The compact SQL index keys must sort (as UTF-8 bytes, SQLite's TEXT order) exactly like RxDB's own indexable
// strings (JavaScript string order), including spaces, control characters, U+E000..U+FFFF and astral characters.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  fillWithDefaultSettings,
  getIndexableStringMonad,
  getStartIndexStringFromLowerBound,
  getStartIndexStringFromUpperBound,
  INDEX_MAX,
  INDEX_MIN,
} from 'rxdb';
import type { RxDocumentData, RxJsonSchema } from 'rxdb';
import { encodeString, indexKey } from './index-key.ts';

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
const bytes = (a: string, b: string) => sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
const js = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const chars = fc.constantFrom(' ', ' ', '\t', '\x00', '\x1f', '!', 'a', 'b', 'M', 'Z', 'ä', '\uE000', '\uFFFF', '😀', '0');
const str = (max: number) => fc.array(chars, { maxLength: max }).map((c) => c.join('').slice(0, max));

describe('encodeString', () => {
  it('orders like RxDB space padding', () => {
    fc.assert(
      fc.property(str(8), str(8), (a, b) => {
        expect(bytes(encodeString(a), encodeString(b))).toBe(js(a.padEnd(8, ' '), b.padEnd(8, ' ')));
      }),
      { numRuns: 5000 },
    );
  });
});

interface Doc {
  id: string;
  s: string;
  n: number;
  f: boolean;
}
const schema: RxJsonSchema<RxDocumentData<Doc>> = fillWithDefaultSettings<Doc>({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 8 },
    s: { type: 'string', maxLength: 8 },
    n: { type: 'number', minimum: -10, maximum: 10, multipleOf: 0.5 },
    f: { type: 'boolean' },
  },
  required: ['id', 's', 'n', 'f'],
});
const INDEX = ['s', 'f', 'n', 'id'];
const docArb = fc.record({
  id: str(8),
  s: str(8),
  n: fc.integer({ min: -20, max: 20 }).map((x) => x / 2),
  f: fc.boolean(),
}) as fc.Arbitrary<RxDocumentData<Doc>>;

describe('indexKey', () => {
  const ours = indexKey(schema as never, INDEX);
  const rxdb = getIndexableStringMonad(schema, INDEX);

  it('compound document keys order like getIndexableStringMonad', () => {
    fc.assert(
      fc.property(docArb, docArb, (a, b) => {
        expect(bytes(ours.ofDoc(a as never), ours.ofDoc(b as never))).toBe(js(rxdb(a), rxdb(b)));
      }),
      { numRuns: 5000 },
    );
  });

  it('range bounds (values and INDEX_MIN/INDEX_MAX sentinels) bracket documents like RxDB', () => {
    const bound = fc.oneof(fc.constant(INDEX_MIN), fc.constant(INDEX_MAX), fc.constant(null));
    fc.assert(
      fc.property(docArb, docArb, fc.array(bound, { minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 4 }), (d, b, sentinels, fixed) => {
        // First `fixed` fields of the bound come from document b, the rest are sentinels (as in RxDB query plans).
        const values = [b.s, b.f, b.n, b.id];
        const bounds = values.map((v, i) => (i < fixed ? v : sentinels[i]));
        const doc = ours.ofDoc(d as never);
        const lower = ours.lowerBound(bounds);
        const upper = ours.upperBound(bounds);
        const rxLower = getStartIndexStringFromLowerBound(schema, INDEX, bounds as never);
        const rxUpper = getStartIndexStringFromUpperBound(schema, INDEX, bounds as never);
        // Only strict relations are compared: RxDB's sentinels equal some exotic values ('\x00…', '\uFFFF…').
        if (js(rxdb(d), rxLower) !== 0) expect(bytes(doc, lower)).toBe(js(rxdb(d), rxLower));
        if (js(rxdb(d), rxUpper) !== 0) expect(bytes(doc, upper)).toBe(js(rxdb(d), rxUpper));
      }),
      { numRuns: 5000 },
    );
  });
});

