// Fast exact money products for valuation loops: quantity × price rounded once to the cent (half away from
// zero), the same result as @aw/domain's mulToCents, without its decimal-string parsing when both factors have at
// most 6 decimals (shares and prices nearly always do). Falls back to mulToCents otherwise.
import { mulToCents, roundDiv, type Cents } from '@aw/domain';

const SCALE = 1e6;
const DIVISOR = 1e10; // (1e6 × 1e6) / 1e2: scaled product → cents
const DIVISOR_BIG = 10_000_000_000n;

/** x × 1e6 as an integer when x has at most 6 decimals (exactly), else null. */
function scaled(x: number): number | null {
  const s = Math.round(x * SCALE);
  return Number.isSafeInteger(s) && s / SCALE === x ? s : null;
}

/** quantity × price → cents, exactly (rounded half away from zero once). */
export function productCents(quantity: number, price: number): Cents {
  const a = scaled(quantity);
  const b = scaled(price);
  if (a === null || b === null) return mulToCents(quantity, price);
  const prod = a * b;
  if (Number.isSafeInteger(prod)) {
    const neg = prod < 0;
    const abs = neg ? -prod : prod;
    const q = Math.floor(abs / DIVISOR);
    const r = abs - q * DIVISOR; // exact: integers below 2^53
    const cents = 2 * r >= DIVISOR ? q + 1 : q;
    return neg ? 0 - cents : cents + 0; // + 0 turns -0 into 0
  }
  return Number(roundDiv(BigInt(a) * BigInt(b), DIVISOR_BIG));
}
