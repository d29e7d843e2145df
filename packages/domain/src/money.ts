// Exact money: ledger values are integer cents. Conversions go through decimal strings and BigInt,
// never through float multiplication, so 0.1 + 0.2 style drift cannot reach a ledger value.
import type { Cents } from './types.ts';

export class MoneyError extends Error {
  override name = 'MoneyError';
}

const SCALE = 12; // decimal places kept for intermediate products

/** A finite number or decimal string → BigInt scaled by 10^SCALE (exact for the decimal text of the value). */
function toScaled(value: number | string): bigint {
  const text = typeof value === 'number' ? numberToDecimal(value) : value.trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new MoneyError(`not a decimal number: ${JSON.stringify(value)}`);
  const frac = (m[3] ?? '').padEnd(SCALE, '0');
  if (frac.length > SCALE && /[1-9]/.test(frac.slice(SCALE))) {
    // More precision than we keep: round half away from zero at SCALE.
    const kept = BigInt((m[2] || '0') + frac.slice(0, SCALE));
    const up = Number(frac[SCALE]) >= 5 ? 1n : 0n;
    return (m[1] === '-' ? -1n : 1n) * (kept + up);
  }
  const v = BigInt((m[2] || '0') + frac.slice(0, SCALE));
  return m[1] === '-' ? -v : v;
}

function numberToDecimal(n: number): string {
  if (!Number.isFinite(n)) throw new MoneyError(`not a finite number: ${n}`);
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

/** Divide a scaled value down to an integer, rounding half away from zero. */
export function roundDiv(v: bigint, d: bigint): bigint {
  const q = v / d;
  const r = v % d;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  return twice >= d ? q + (v < 0n ? -1n : 1n) : q;
}

/** "12.345" or 12.345 → 1235 cents (half away from zero). */
export function toCents(amount: number | string): Cents {
  return Number(roundDiv(toScaled(amount), 10n ** BigInt(SCALE - 2)));
}

/** quantity × price, rounded once to the cent. */
export function mulToCents(quantity: number | string, price: number | string): Cents {
  const product = toScaled(quantity) * toScaled(price); // scaled by 10^(2*SCALE)
  return Number(roundDiv(product, 10n ** BigInt(2 * SCALE - 2)));
}

/** Split `cents` in proportion to `parts` (e.g. shares), exactly: the pieces sum to `cents` (largest remainder). */
export function allocateCents(cents: Cents, parts: number[]): Cents[] {
  const total = parts.reduce((a, b) => a + b, 0);
  if (parts.length === 0) return [];
  if (total <= 0) throw new MoneyError('allocateCents needs positive parts');
  const raw = parts.map((p) => (cents * p) / total);
  const out = raw.map((x) => Math.trunc(x));
  let rest = cents - out.reduce((a, b) => a + b, 0);
  const order = raw.map((x, i) => ({ i, frac: Math.abs(x - Math.trunc(x)) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  const step = rest >= 0 ? 1 : -1;
  for (let k = 0; rest !== 0; k = (k + 1) % order.length) { out[order[k]!.i]! += step; rest -= step; }
  return out;
}

/** Cents → decimal number rounded to cents (for JSON outputs). */
export const centsToNumber = (cents: Cents): number => Math.round(cents) / 100;

/** Cents → "1,234.56" (en-US grouping), with a leading '-' for negatives. */
export function formatCents(cents: Cents, currency = ''): string {
  const neg = cents < 0;
  const abs = Math.abs(Math.round(cents));
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  const frac = String(abs % 100).padStart(2, '0');
  return `${neg ? '-' : ''}${currency ? currency + ' ' : ''}${whole}.${frac}`;
}
