// Cell parsers shared by the CSV readers: they return a value or report an issue (and return undefined).
// Numbers are plain decimals ("1234.5", "-0.25"); no thousands separators, no exponents, no currency signs.
import type { IssueList } from './csv-error.ts';

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const SYMBOL = /^[A-Za-z0-9.\-^=_]{1,32}$/;

export interface CellRef { issues: IssueList; line: number; column: string }

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

export function parseDate(ref: CellRef, s: string): string | undefined {
  if (s === '') return void ref.issues.add(ref.line, ref.column, 'date is empty');
  if (!ISO_DATE.test(s)) return void ref.issues.add(ref.line, ref.column, `"${s}" is not a date in the form YYYY-MM-DD`);
  if (!isIsoDate(s)) return void ref.issues.add(ref.line, ref.column, `"${s}" is not a real calendar date`);
  return s;
}

export interface NumberRule { min?: number; exclusiveMin?: boolean; empty?: number }

/** A decimal number obeying `rule`; `rule.empty` is the value of an empty cell (otherwise empty is an error). */
export function parseNumber(ref: CellRef, s: string, rule: NumberRule = {}): number | undefined {
  if (s === '') {
    if (rule.empty !== undefined) return rule.empty;
    return void ref.issues.add(ref.line, ref.column, 'value is empty');
  }
  if (!DECIMAL.test(s)) return void ref.issues.add(ref.line, ref.column, `"${s}" is not a number (use plain decimals like 1234.56)`);
  const n = Number(s);
  if (!Number.isFinite(n)) return void ref.issues.add(ref.line, ref.column, `"${s}" is out of range`);
  if (rule.min !== undefined && (rule.exclusiveMin ? n <= rule.min : n < rule.min)) {
    return void ref.issues.add(ref.line, ref.column, `must be ${rule.exclusiveMin ? '>' : '≥'} ${rule.min}, got ${s}`);
  }
  return n;
}

export function parseEnum<T extends string>(ref: CellRef, s: string, values: readonly T[], empty?: T): T | undefined {
  const v = s.toLowerCase();
  if (v === '' && empty !== undefined) return empty;
  if ((values as readonly string[]).includes(v)) return v as T;
  return void ref.issues.add(ref.line, ref.column, `${s === '' ? 'value is empty' : `"${s}" is not allowed`}; expected one of ${values.join(', ')}`);
}

export function parseSymbol(ref: CellRef, s: string): string | undefined {
  if (s === '') return void ref.issues.add(ref.line, ref.column, 'symbol is empty');
  if (!SYMBOL.test(s)) return void ref.issues.add(ref.line, ref.column, `"${s}" is not a valid symbol (letters, digits, . - ^ = _; at most 32)`);
  return s.toUpperCase();
}

export function parseName(ref: CellRef, s: string, what: string, maxLength = 64): string | undefined {
  if (s === '') return void ref.issues.add(ref.line, ref.column, `${what} is empty`);
  if (s.length > maxLength) return void ref.issues.add(ref.line, ref.column, `${what} is longer than ${maxLength} characters`);
  return s;
}
