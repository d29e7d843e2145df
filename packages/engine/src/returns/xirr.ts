// Money-weighted return: XIRR compatible with spreadsheet XIRR (Excel, LibreOffice, Google Sheets).
// Cash flows are signed amounts from the investor's view (contributions negative, proceeds positive) on ISO dates;
// the rate r solves  Σ amountᵢ / (1 + r)^((dateᵢ − date₀) / 365) = 0   (ACT/365, date₀ = the earliest date).
// Root finding is robust: the NPV is scanned on a grid of rates in log(1 + r) from −99.9999 % to +10⁶ % to bracket
// every sign change, each bracket is solved by Brent's method, and when no sign change is seen Newton's method is
// tried from several starting points (a tangent root). Among several roots the one closest to the spreadsheet's
// default guess of 10 % is returned. Rates are decimal fractions per year (0.0734 = 7.34 %).
import type { IsoDate } from '@aw/domain';
import { dayNumber } from './day-count.ts';

export interface CashFlow {
  date: IsoDate;
  /** Investor's view: negative = money put in, positive = money taken out (or the final value). */
  amount: number;
}

/** The cash flows admit no rate: e.g. all flows have the same sign, or the NPV never crosses zero. */
export class IrrNoRootError extends Error {
  override name = 'IrrNoRootError';
}
/** The cash flows are malformed (fewer than two, not finite). */
export class IrrInputError extends Error {
  override name = 'IrrInputError';
}

const SPREADSHEET_GUESS = 0.1;

interface Prepared { years: Float64Array; amounts: Float64Array }

function prepare(flows: readonly CashFlow[]): Prepared {
  if (flows.length < 2) throw new IrrInputError(`XIRR needs at least two cash flows, got ${flows.length}`);
  const days = flows.map((f) => dayNumber(f.date));
  const first = Math.min(...days);
  const years = new Float64Array(flows.length);
  const amounts = new Float64Array(flows.length);
  let pos = false, neg = false;
  flows.forEach((f, i) => {
    if (!Number.isFinite(f.amount)) throw new IrrInputError(`cash flow on ${f.date} is not a finite number: ${f.amount}`);
    years[i] = (days[i]! - first) / 365;
    amounts[i] = f.amount;
    if (f.amount > 0) pos = true;
    if (f.amount < 0) neg = true;
  });
  if (!pos || !neg) {
    throw new IrrNoRootError('XIRR has no solution: the cash flows need at least one negative (contribution) and one positive (proceeds) amount');
  }
  return { years, amounts };
}

/** NPV as a function of x = ln(1 + r): Σ aᵢ e^(−x tᵢ). Well defined for every real x. */
function npvLog(p: Prepared, x: number): number {
  let s = 0;
  for (let i = 0; i < p.amounts.length; i++) s += p.amounts[i]! * Math.exp(-x * p.years[i]!);
  return s;
}
function npvLogDerivative(p: Prepared, x: number): number {
  let s = 0;
  for (let i = 0; i < p.amounts.length; i++) s -= p.years[i]! * p.amounts[i]! * Math.exp(-x * p.years[i]!);
  return s;
}

/** Net present value at annual rate r (ACT/365) of the flows. */
export function xnpv(rate: number, flows: readonly CashFlow[]): number {
  if (!(rate > -1)) throw new IrrInputError(`rate must be greater than -1, got ${rate}`);
  return npvLog(prepare(flows), Math.log1p(rate));
}

/** Brent's method on [a, b] with f(a), f(b) of opposite signs; returns x with |b − a| tolerance. */
export function brent(f: (x: number) => number, a: number, b: number, tol = 1e-14, maxIter = 200): number {
  let fa = f(a), fb = f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (fa * fb > 0) throw new IrrNoRootError('brent: the interval does not bracket a root');
  if (Math.abs(fa) < Math.abs(fb)) { [a, b] = [b, a]; [fa, fb] = [fb, fa]; }
  let c = a, fc = fa, d = b - a, mflag = true;
  for (let i = 0; i < maxIter; i++) {
    if (fb === 0 || Math.abs(b - a) <= tol * Math.max(1, Math.abs(b))) return b;
    let s: number;
    if (fa !== fc && fb !== fc) {
      s = (a * fb * fc) / ((fa - fb) * (fa - fc)) + (b * fa * fc) / ((fb - fa) * (fb - fc)) + (c * fa * fb) / ((fc - fa) * (fc - fb));
    } else {
      s = b - (fb * (b - a)) / (fb - fa);
    }
    const lo = (3 * a + b) / 4;
    const outside = (s - lo) * (s - b) > 0;
    if (outside || (mflag && Math.abs(s - b) >= Math.abs(b - c) / 2) || (!mflag && Math.abs(s - b) >= Math.abs(c - d) / 2)
      || (mflag && Math.abs(b - c) < tol) || (!mflag && Math.abs(c - d) < tol)) {
      s = (a + b) / 2;
      mflag = true;
    } else {
      mflag = false;
    }
    const fs = f(s);
    d = c; c = b; fc = fb;
    if (fa * fs < 0) { b = s; fb = fs; } else { a = s; fa = fs; }
    if (Math.abs(fa) < Math.abs(fb)) { [a, b] = [b, a]; [fa, fb] = [fb, fa]; }
  }
  return b;
}

/** All roots found in log space, ascending. */
function rootsLog(p: Prepared): number[] {
  // Grid in x = ln(1+r): dense near 0 (ordinary rates), wider further out.
  const lo = Math.log(1e-6), hi = Math.log(1e4);
  const grid: number[] = [];
  for (let x = lo; x < -1; x += 0.25) grid.push(x);
  for (let x = -1; x < 1; x += 0.01) grid.push(x);
  for (let x = 1; x < hi; x += 0.1) grid.push(x);
  grid.push(hi);
  const roots: number[] = [];
  let prevX = grid[0]!, prevF = npvLog(p, prevX);
  if (prevF === 0) roots.push(prevX);
  for (let i = 1; i < grid.length; i++) {
    const x = grid[i]!, fx = npvLog(p, x);
    if (fx === 0) roots.push(x);
    else if (prevF !== 0 && (prevF < 0) !== (fx < 0)) roots.push(brent((t) => npvLog(p, t), prevX, x));
    prevX = x; prevF = fx;
  }
  if (roots.length > 0) return roots;
  // No sign change on the grid: a tangent (double) root is the only possibility. Newton from several starts.
  const scale = p.amounts.reduce((s, a) => s + Math.abs(a), 0);
  for (const r0 of [SPREADSHEET_GUESS, 0, -0.5, 0.5, 2, -0.9, 10]) {
    let x = Math.log1p(r0);
    for (let k = 0; k < 100; k++) {
      const fx = npvLog(p, x), dx = npvLogDerivative(p, x);
      if (!Number.isFinite(fx) || dx === 0 || !Number.isFinite(dx)) break;
      const step = fx / dx;
      x -= step;
      if (Math.abs(step) < 1e-13) break;
    }
    if (Number.isFinite(x) && Math.abs(npvLog(p, x)) <= 1e-9 * scale) return [x];
  }
  return [];
}

/**
 * XIRR of the cash flows: the annual rate (ACT/365) at which their NPV is zero.
 * Throws IrrNoRootError with a readable reason when there is none.
 */
export function xirr(flows: readonly CashFlow[]): number {
  const p = prepare(flows);
  const roots = rootsLog(p).map((x) => Math.expm1(x));
  if (roots.length === 0) {
    throw new IrrNoRootError('XIRR has no solution: the net present value of these cash flows never reaches zero for any rate above -100%');
  }
  return roots.reduce((best, r) => (Math.abs(r - SPREADSHEET_GUESS) < Math.abs(best - SPREADSHEET_GUESS) ? r : best));
}

/** Every rate (ascending) at which the NPV is zero — more than one when the flows change sign several times. */
export function xirrAll(flows: readonly CashFlow[]): number[] {
  return rootsLog(prepare(flows)).map((x) => Math.expm1(x));
}
