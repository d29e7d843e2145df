// Daily value series of an account from its transactions and daily closes, in the value-series convention of
// CONTRACTS section 2: the value at the end of a date BEFORE that date's external flow, and the flow at the end
// of the date. Dates are the price dates plus any transaction date without a price (weekend deposits), from the
// first transaction (or `from`) to `to`. A holding is valued at its last close on or before the date; before its
// first close, at its last trade price. Values are decimal amounts in the account's currency (one currency per
// account: the series does not convert FX).
import type { IsoDate, PriceMatrix } from '@aw/domain';
import { applyTransaction, cloneHoldings, emptyHoldings, sortByDate, type HoldingState, type LedgerTransaction } from './ledger.ts';
import type { ValuePoint } from './twr.ts';

export interface ValueSeriesOptions {
  /** First date of the series (default: the first transaction date). */
  from?: IsoDate;
  /** Last date of the series (default: the later of the last price date and the last transaction date). */
  to?: IsoDate;
  /** Holdings at the start of `from` (default: replayed from the transactions dated before `from`). */
  initial?: HoldingState;
}

/** Holdings after every transaction dated strictly before `date`. */
export function holdingsBefore(txs: readonly LedgerTransaction[], date: IsoDate): HoldingState {
  const h = emptyHoldings();
  for (const t of sortByDate(txs)) {
    if (t.date >= date) break;
    applyTransaction(h, t);
  }
  return h;
}

/** Binary search: the first index with dates[i] >= date. */
export function lowerBound(dates: readonly IsoDate[], date: IsoDate): number {
  let lo = 0, hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (dates[mid]! < date) lo = mid + 1; else hi = mid;
  }
  return lo;
}

export function buildValueSeries(txsIn: readonly LedgerTransaction[], prices: PriceMatrix, opts: ValueSeriesOptions = {}): ValuePoint[] {
  const txs = sortByDate(txsIn);
  if (txs.length === 0 && !opts.from) return [];
  const from = opts.from ?? txs[0]!.date;
  const lastTx = txs.length ? txs[txs.length - 1]!.date : from;
  const lastPrice = prices.dates.length ? prices.dates[prices.dates.length - 1]! : from;
  const to = opts.to ?? (lastTx > lastPrice ? lastTx : lastPrice);
  if (to < from) return [];

  const h = opts.initial ? cloneHoldings(opts.initial) : emptyHoldings();
  let k = 0;
  if (!opts.initial) for (; k < txs.length && txs[k]!.date < from; k++) applyTransaction(h, txs[k]!);
  else while (k < txs.length && txs[k]!.date < from) k++;

  // Columns of the symbols this account ever holds.
  const symbolSet = new Set<string>(h.shares.keys());
  for (const t of txs) if (t.symbol) symbolSet.add(t.symbol);
  const symbols = [...symbolSet];
  const colOf = new Map(prices.symbols.map((s, i) => [s, i]));
  const cols = symbols.map((s) => colOf.get(s) ?? -1);
  const slot = new Map(symbols.map((s, i) => [s, i]));
  const nSym = prices.symbols.length;
  const close = new Float64Array(symbols.length).fill(NaN);

  // Last close on or before the day before `from`, per symbol (scan back).
  let row = lowerBound(prices.dates, from);
  for (let j = 0; j < symbols.length; j++) {
    const c = cols[j]!;
    if (c < 0) continue;
    for (let d = row - 1; d >= 0; d--) {
      const v = prices.closes[d * nSym + c]!;
      if (!Number.isNaN(v)) { close[j] = v; break; }
    }
  }

  const shares = new Float64Array(symbols.length);
  const syncShares = (): void => { for (const [s, q] of h.shares) shares[slot.get(s)!] = q; };
  syncShares();

  const out: ValuePoint[] = [];
  const endRow = lowerBound(prices.dates, to) + (prices.dates[lowerBound(prices.dates, to)] === to ? 1 : 0);
  while (row < endRow || (k < txs.length && txs[k]!.date <= to)) {
    const pd = row < endRow ? prices.dates[row]! : undefined;
    const td = k < txs.length && txs[k]!.date <= to ? txs[k]!.date : undefined;
    const date = pd !== undefined && (td === undefined || pd <= td) ? pd : td!;
    if (pd === date) {
      const base = row * nSym;
      for (let j = 0; j < cols.length; j++) {
        const c = cols[j]!;
        if (c >= 0) {
          const v = prices.closes[base + c]!;
          if (!Number.isNaN(v)) close[j] = v;
        }
      }
      row++;
    }
    let flowCents = 0, touched = false;
    for (; k < txs.length && txs[k]!.date === date; k++) {
      flowCents += applyTransaction(h, txs[k]!);
      touched = true;
    }
    if (touched) syncShares();
    let mv = h.cashCents / 100;
    for (let j = 0; j < symbols.length; j++) {
      const q = shares[j]!;
      if (q === 0) continue;
      const p = Number.isNaN(close[j]!) ? (h.tradePrice.get(symbols[j]!) ?? 0) : close[j]!;
      mv += q * p;
    }
    const flow = flowCents / 100;
    out.push({ date, value: mv - flow, flow });
  }
  return out;
}
