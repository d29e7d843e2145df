// Compact columnar form of a list of flat records (the lot packs' rows, db/holdings-packs.ts), made to be cheap for
// IndexedDB's structured clone and small enough to stay under Chromium's 64 KiB value-wrapping threshold for an
// account of ~1,000 lots (bigger values are moved to a blob file and cost an extra read). Each field is one column:
//   - 'same': every row holds the same value (or every row lacks the field: undefined);
//   - 'i32' / 'f64': every row holds a number; an Int32Array when all are integers in int32 range, else Float64Array;
//   - 'dict': strings with many repeats (distinct ≤ half the rows, at most 65,535): the distinct strings joined by
//     SEP plus one Uint16Array code per row;
//   - 'text': other strings, joined by SEP into ONE string (one clone instead of one per value);
//   - 'any': anything else (mixed types, absent in some rows, strings containing SEP), a plain array.
// Decoding gives rows equal to the input (same fields in the same order, absent fields absent; -0 stays -0 in
// 'f64' only, as the 'i32' test excludes it). No units: values are copied as they are.

/** Joins strings in 'dict' and 'text' columns; a column whose strings contain it is stored as 'any'. */
const SEP = '\u0000';

export type Column =
  | { k: 'same'; v: unknown }
  | { k: 'i32'; v: Int32Array }
  | { k: 'f64'; v: Float64Array }
  | { k: 'dict'; words: string; codes: Uint16Array }
  | { k: 'text'; v: string }
  | { k: 'any'; v: unknown[] };

export interface Columns { n: number; fields: string[]; cols: Column[] }

type Row = Record<string, unknown>;

function encodeColumn(values: unknown[]): Column {
  const n = values.length;
  const first = values[0];
  let same = true;
  let numbers = true;
  let ints = true;
  let strings = true;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (same && !Object.is(v, first)) same = false;
    if (typeof v === 'number') {
      strings = false;
      if (ints && !(Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff && !Object.is(v, -0))) ints = false;
    } else {
      numbers = false;
      if (typeof v !== 'string' || v.includes(SEP)) strings = false;
    }
  }
  if (same) return { k: 'same', v: first };
  if (numbers) return ints ? { k: 'i32', v: Int32Array.from(values as number[]) } : { k: 'f64', v: Float64Array.from(values as number[]) };
  if (!strings) return { k: 'any', v: values };
  const words = new Map<string, number>();
  const codes = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const s = values[i] as string;
    let c = words.get(s);
    if (c === undefined) {
      if (words.size >= 0xffff || words.size >= n / 2) return { k: 'text', v: (values as string[]).join(SEP) };
      words.set(s, c = words.size);
    }
    codes[i] = c;
  }
  return { k: 'dict', words: [...words.keys()].join(SEP), codes };
}

/** Encodes `rows` column by column: every field any row has, in first-seen order. */
export function encodeColumns(rows: readonly object[]): Columns {
  const fields: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const f of Object.keys(r)) if (!seen.has(f)) { seen.add(f); fields.push(f); }
  return { n: rows.length, fields, cols: fields.map((f) => encodeColumn(rows.map((r) => (r as Row)[f]))) };
}

/** The values of one column, or null for a 'same' column (its one value is `col.v`). */
function decodeColumn(col: Column, n: number): ArrayLike<unknown> | null {
  switch (col.k) {
    case 'same': return null;
    case 'i32': case 'f64': case 'any': return col.v;
    case 'text': return n === 0 ? [] : col.v.split(SEP);
    case 'dict': {
      const words = col.words.split(SEP);
      const out = new Array<string>(n);
      for (let i = 0; i < n; i++) out[i] = words[col.codes[i]!]!;
      return out;
    }
  }
}

/** The rows of `c`, fresh objects, field order as encoded; rows for which `skip(row)` is true are left out. */
export function decodeColumns<T>(c: Columns, skip?: (row: T) => boolean): T[] {
  const { n, fields } = c;
  const values = c.cols.map((col) => decodeColumn(col, n));
  const constants = c.cols.map((col) => (col.k === 'same' ? col.v : undefined));
  const out: T[] = [];
  for (let k = 0; k < n; k++) {
    const row: Row = {};
    for (let i = 0; i < fields.length; i++) {
      const vs = values[i];
      const v = vs ? vs[k] : constants[i];
      if (v !== undefined) row[fields[i]!] = v;
    }
    if (!skip || !skip(row as T)) out.push(row as T);
  }
  return out;
}
