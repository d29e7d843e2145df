// Trade blotter of an approval batch as CSV: `date,account,symbol,side,quantity,price,amount,proposal,status`,
// one row per transaction of the batch's executed proposals (fill date, fill price, amount in the transaction's
// currency as a decimal rounded to cents) and, for proposals not yet executed, one row per planned trade with
// the proposal's status. Rows in proposal-id then trade order. RFC 4180 quoting.
import { centsToNumber, type Proposal, type Transaction } from '@aw/domain';

export const BLOTTER_HEADER = ['date', 'account', 'symbol', 'side', 'quantity', 'price', 'amount', 'proposal', 'status'] as const;

function cell(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function blotterCsv(proposals: Proposal[], transactions: Transaction[]): string {
  const txByProposal = new Map<string, Transaction[]>();
  for (const t of transactions) {
    const list = txByProposal.get(t.proposalId) ?? [];
    list.push(t);
    txByProposal.set(t.proposalId, list);
  }
  const lines = [BLOTTER_HEADER.join(',')];
  for (const p of [...proposals].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const txs = (txByProposal.get(p.id) ?? []).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
    if (txs.length) {
      for (const t of txs) {
        lines.push([t.date, t.accountId, t.symbol, t.type, t.quantity, t.price, centsToNumber(t.amountCents).toFixed(2), p.id, t.status].map(cell).join(','));
      }
    } else {
      for (const t of p.trades) {
        lines.push([isoDate(p.decidedAt || p.updatedAt), p.accountId, t.symbol, t.side, t.quantity, t.price, centsToNumber(t.amountCents).toFixed(2), p.id, p.status].map(cell).join(','));
      }
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
