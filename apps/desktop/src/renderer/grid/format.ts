// Display formatting shared by grids, panels and charts. Money arrives as integer cents (formatted exactly, no
// float rounding); prices and quantities as decimal numbers.
import { formatCents } from '@aw/domain';

export const money = (cents: number | null | undefined): string => {
  if (cents === null || cents === undefined) return '—';
  const s = formatCents(cents);
  return s.startsWith('-') ? `-$${s.slice(1)}` : `$${s}`;
};

/** Money with an explicit sign for gains: +$1.00 / -$1.00. */
export const signedMoney = (cents: number | null | undefined): string =>
  cents === null || cents === undefined ? '—' : cents > 0 ? `+${money(cents)}` : money(cents);

/** Whole dollars, compact for headers: $1.23M, $456.7K. */
export function compactMoney(cents: number): string {
  const d = cents / 100;
  const a = Math.abs(d);
  if (a >= 1e9) return `$${(d / 1e9).toFixed(2)}B`;
  if (a >= 1e6) return `$${(d / 1e6).toFixed(2)}M`;
  if (a >= 1e3) return `$${(d / 1e3).toFixed(1)}K`;
  return money(cents);
}

export const price = (p: number | null | undefined): string =>
  p === null || p === undefined ? '—' : p.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 });

export const quantity = (q: number): string => q.toLocaleString('en-US', { maximumFractionDigits: 6 });

export const percent = (w: number, digits = 1): string => `${(w * 100).toFixed(digits)}%`;

/** CSS class for a gain/loss value. */
export const gainClass = (cents: number | null | undefined): string => (!cents ? '' : cents > 0 ? 'gain' : 'loss');

export const ACCOUNT_TYPE_LABELS: Record<string, string> = { taxable: 'Taxable', ira: 'IRA', roth_ira: 'Roth IRA', '401k': '401(k)' };

export const RISK_LABELS: Record<string, string> = {
  conservative: 'Conservative', moderately_conservative: 'Mod. Conservative', moderate: 'Moderate',
  moderately_aggressive: 'Mod. Aggressive', aggressive: 'Aggressive',
};
