// Compact, order-preserving index keys: the SQL key column of an RxDB index sorts (as SQLite TEXT, byte order)
// exactly like RxDB's own indexable string of that index (custom-index.ts: string fields padded with spaces to
// maxLength, numbers as fixed-width digits, booleans '0'/'1'), but without the padding, so keys are ~4x shorter.
//
// Numbers and booleans: RxDB's own fixed-width parts (getIndexMeta(...).getIndexStringPart / getNumberIndexString).
// Strings: RxDB compares `value.padEnd(maxLength, ' ')`, i.e. a value behaves as if followed by endless spaces. We
// write '\x01' + chars + ' M', where a run of k spaces followed by char c becomes ' A'+k (c below space) or
// ' Z'+(9999-k) (c above space), so ' A…' < ' M' (end) < ' Z…'; trailing spaces are dropped. Range sentinels:
// '\x00' (below every value, RxDB's '\x00'-padding) and '\x02' (above every value, RxDB's INDEX_MAX padding).
// UTF-16 vs UTF-8: characters U+E000..U+FFFF get a U+10FFFF prefix so byte order equals JavaScript's order.
import { getIndexMeta, getNumberIndexString, getStringLengthOfIndexNumber, INDEX_MAX, INDEX_MIN } from 'rxdb';
import type { RxDocumentData, RxJsonSchema } from 'rxdb';

const STR = '\x01';
const STR_MIN = '\x00';
const STR_MAX = '\x02';
const END = ' M';
const NEEDS_WORK = /[ \uE000-\uFFFF]/;

/** Order-preserving encoding of one string field value (see module header). */
export function encodeString(value: string): string {
  if (!NEEDS_WORK.test(value)) return STR + value + END;
  let out = STR;
  const n = value.length;
  let i = 0;
  while (i < n) {
    const ch = value[i];
    if (ch !== ' ') {
      out += ch >= '\uE000' ? '\u{10FFFF}' + ch : ch;
      i++;
      continue;
    }
    let j = i;
    while (j < n && value[j] === ' ') j++;
    if (j === n) break; // trailing spaces are padding
    const k = Math.min(j - i, 9999);
    out += value[j] < ' ' ? ' A' + String(k).padStart(4, '0') : ' Z' + String(9999 - k).padStart(4, '0');
    i = j;
  }
  return out + END;
}

type Bound = string | boolean | number | null | undefined;
interface FieldKey {
  ofDoc: (doc: RxDocumentData<unknown>) => string;
  lower: (bound: Bound) => string;
  upper: (bound: Bound) => string;
}

function fieldKeys(schema: RxJsonSchema<RxDocumentData<unknown>>, index: string[]): FieldKey[] {
  return getIndexMeta(schema, index).map((meta) => {
    const type = meta.schemaPart.type;
    if (type === 'string') {
      const getValue = meta.getValue;
      return {
        ofDoc: (doc) => encodeString((getValue(doc) as string) || ''),
        lower: (b) => (typeof b === 'string' ? (b === INDEX_MAX ? STR_MAX : encodeString(b)) : STR_MIN),
        upper: (b) => (typeof b === 'string' && b !== INDEX_MAX ? encodeString(b) : b === INDEX_MIN ? STR_MIN : STR_MAX),
      };
    }
    if (type === 'boolean') {
      return {
        ofDoc: meta.getIndexStringPart,
        lower: (b) => (b === null || b === INDEX_MIN ? '0' : b === INDEX_MAX ? '1' : b ? '1' : '0'),
        upper: (b) => (b === null || b === INDEX_MAX ? '1' : b === INDEX_MIN ? '0' : b ? '1' : '0'),
      };
    }
    const lengths = getStringLengthOfIndexNumber(meta.schemaPart);
    const width = lengths.nonDecimals + lengths.decimals;
    return {
      ofDoc: meta.getIndexStringPart,
      lower: (b) =>
        b === null || b === INDEX_MIN
          ? '0'.repeat(width)
          : b === INDEX_MAX
            ? getNumberIndexString(lengths, lengths.maximum)
            : getNumberIndexString(lengths, b as number),
      upper: (b) =>
        b === null || b === INDEX_MAX
          ? '9'.repeat(width)
          : b === INDEX_MIN
            ? '0'.repeat(width)
            : getNumberIndexString(lengths, b as number),
    };
  });
}

export interface IndexKey {
  ofDoc: (doc: RxDocumentData<unknown>) => string;
  lowerBound: (bounds: Bound[]) => string;
  upperBound: (bounds: Bound[]) => string;
}

export function indexKey(schema: RxJsonSchema<RxDocumentData<unknown>>, index: string[]): IndexKey {
  const fields = fieldKeys(schema, index);
  const n = fields.length;
  return {
    ofDoc: (doc) => {
      let s = '';
      for (let i = 0; i < n; i++) s += fields[i].ofDoc(doc);
      return s;
    },
    lowerBound: (bounds) => fields.map((f, i) => f.lower(bounds[i])).join(''),
    upperBound: (bounds) => fields.map((f, i) => f.upper(bounds[i])).join(''),
  };
}
