// Fast text for trade reasons and warnings (thousands of calls per chunk; Intl formatting is too slow here).
// Units: integer cents in, "-1,234.56" out (same text as formatCents of @aw/domain).

export function money(cents: number): string {
  const neg = cents < 0;
  const abs = Math.abs(Math.round(cents));
  let whole = String(Math.floor(abs / 100));
  for (let i = whole.length - 3; i > 0; i -= 3) whole = `${whole.slice(0, i)},${whole.slice(i)}`;
  const frac = abs % 100;
  return `${neg ? '-' : ''}${whole}.${frac < 10 ? '0' : ''}${frac}`;
}

/**
 * A weight difference in percentage points, signed: "+2.3pp", "-0.4pp". Latin-1 only ('-', not the typographic
 * minus): V8 stores a string with any other character at two bytes per character, so one '−' doubled the size of
 * every draft's JSON (stringified, stored in IndexedDB and parsed again) and of every proposal replicated to the server.
 */
export const pp = (x: number): string => `${x >= 0 ? '+' : '-'}${(Math.abs(x) * 100).toFixed(1)}pp`;

/** quantity × price rounded to the cent: the float product when it is clearly not near a half cent, else exact. */
export function amountCents(quantity: number, price: number, exact: (q: number, p: number) => number): number {
  const x = quantity * price * 100;
  const r = Math.round(x);
  const off = Math.abs(x - Math.trunc(x));
  return Math.abs(off - 0.5) > 1e-6 + Math.abs(x) * 1e-14 && Math.abs(x) < 2 ** 50 ? r : exact(quantity, price);
}
