// Execution by a simulated custodian: approved proposals become transactions (one per trade, `proposalId` set)
// that are filled at the latest market prices (the market feature's batched price lookup: one lookup per chunk,
// never one per symbol), moving pending → processing → completed. Fills relieve lots (the trade's lotIds first,
// then FIFO), create lots for buys (basis = the fill amount, exact cents), move account cash (exact cents) and bump
// the account's accountRevision; the proposal then becomes `executed` (audited, actor "system").
// One chunk (at most `chunkSize` proposals) runs as one task of the feature's write queue. A proposal whose
// account changed since it was computed is marked `stale` instead; one with a symbol the market has no price for
// stays `approved` until a price arrives.
// Writes go transactions(pending) → transactions(processing, fill price) → accounts → lots → transactions
// (completed) → proposal(executed) → audit, each chunked, with the previous state (conflict detection).
// Recovery: RxDB offers no transaction across collections, so the accounts and lots writes go through a redo journal
// (execution-journal.ts). A run first replays open entries: the lots of every account whose write landed are brought
// to their target states (idempotently), the fills of an account whose write never landed are withdrawn. Then a
// chunk interrupted after the accounts write is finished (processing transactions + a moved account revision =
// already applied); one interrupted before it is redone.
// Units: money integer cents, prices per share (decimal), quantities shares (6 decimals), dates ISO, times epoch ms.
import { createHash } from 'node:crypto';
import { allocateCents, mulToCents, toCents, type Account, type ApprovalRecord, type Proposal, type Security, type TaxLot, type Transaction } from '@aw/domain';
import type { RxDatabase } from 'rxdb';
import type { Logger } from 'pino';
import { auditRecord, SYSTEM_ACTOR } from './audit.ts';
import { coll, findStored, plain, queryStored, writeChunked, type Stored, type WriteRow } from './book-io.ts';
import type { ExecutionJournal, JournalEntry, JournalLot } from './execution-journal.ts';
import type { WriteQueue } from './write-queue.ts';

/** What execution needs from the market feature (createPriceLookup's PriceService satisfies it). */
export interface FillPrices {
  getPrices(symbols: Iterable<string>): Promise<Map<string, { price: number }>>;
  convert(amount: number, from: string, to: string): Promise<number>;
}

export interface ExecutionDeps {
  book: RxDatabase<any>;
  queue: WriteQueue;
  now: () => number;
  prices: FillPrices;
  log: Logger;
  journal: ExecutionJournal;
  /** Crash-test seam: called after each durable step of a chunk; a throw here stops the chunk as a crash would. */
  checkpoint?: (stage: 'journal-opened' | 'accounts-written' | 'journal-narrowed') => void | Promise<void>;
}

export interface ChunkReport {
  /** Approved proposals looked at. */
  seen: number;
  executed: number;
  stale: number;
  unpriced: number;
  trades: number;
}

const round6 = (q: number) => Math.round(q * 1e6) / 1e6;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const shortHash = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 24);
/** Deterministic ids: a re-run of an interrupted chunk finds the same documents instead of duplicating them. */
export const transactionId = (proposalId: string, i: number) => `tx-${shortHash(proposalId)}-${i}`;
const lotId = (proposalId: string, i: number) => `lot-${shortHash(proposalId)}-${i}`;

interface Fill {
  tx: Transaction;
  lotWrites: Map<string, WriteRow<TaxLot>>;
}

/** Executes up to `chunkSize` approved proposals (oldest decision first). */
export async function executeChunk(deps: ExecutionDeps, chunkSize: number): Promise<ChunkReport> {
  return deps.queue.run(async () => {
    await replayJournal(deps);
    const report: ChunkReport = { seen: 0, executed: 0, stale: 0, unpriced: 0, trades: 0 };
    const proposalsC = coll(deps.book, 'proposals');
    const txC = coll(deps.book, 'transactions');
    const lotsC = coll(deps.book, 'lots');
    const accountsC = coll(deps.book, 'accounts');
    const approved = await queryStored<Proposal>(proposalsC, { status: 'approved' }, [{ updatedAt: 'asc' }], chunkSize);
    report.seen = approved.length;
    if (!approved.length) return report;
    const now = deps.now();
    const today = isoDate(now);

    const accounts = await findStored<Account>(accountsC, [...new Set(approved.map((p) => p.accountId))]);
    const existingTx = new Map<string, Stored<Transaction>[]>();
    for (const t of await queryStored<Transaction>(txC, { proposalId: { $in: approved.map((p) => p.id) } })) {
      const list = existingTx.get(t.proposalId) ?? [];
      list.push(t);
      existingTx.set(t.proposalId, list);
    }
    const symbols = [...new Set(approved.flatMap((p) => p.trades.map((t) => t.symbol)))];
    const quotes = await deps.prices.getPrices(symbols);
    const securities = await findStored<Security>(coll(deps.book, 'securities'), symbols);
    const lotsByAccount = new Map<string, Stored<TaxLot>[]>();
    for (const l of await queryStored<TaxLot>(lotsC, { accountId: { $in: [...accounts.keys()] } })) {
      const list = lotsByAccount.get(l.accountId) ?? [];
      list.push(l);
      lotsByAccount.set(l.accountId, list);
    }

    const proposalRows: WriteRow<Proposal>[] = [];
    const audits: ApprovalRecord[] = [];
    const finishOnly: Stored<Proposal>[] = []; // applied by an interrupted run: complete the paperwork only
    const fills = new Map<string, Fill[]>();
    const accountWrites = new Map<string, WriteRow<Account>>();

    for (const p of approved) {
      const stored = accounts.get(p.accountId);
      const prior = existingTx.get(p.id) ?? [];
      if (stored && stored.accountRevision !== p.accountRevision && prior.length && prior.every((t) => t.status !== 'pending')) {
        finishOnly.push(p);
        continue;
      }
      const account = accountWrites.get(p.accountId)?.document ?? (stored ? plain(stored) : undefined);
      if (!account || account.accountRevision !== p.accountRevision) {
        report.stale++;
        proposalRows.push({ previous: p, document: { ...plain(p), status: 'stale', updatedAt: now } });
        audits.push(auditRecord(p, 'stale', SYSTEM_ACTOR, 'approved', 'stale', now, `account ${p.accountId} changed after approval; not executed`));
        continue;
      }
      const missing = p.trades.map((t) => t.symbol).filter((s) => !quotes.has(s));
      if (missing.length) {
        report.unpriced++;
        deps.log.warn({ proposal: p.id, missing: missing.slice(0, 10) }, 'execution waits: no market price');
        continue;
      }
      const result = await fillProposal(deps, p, account, lotsByAccount.get(p.accountId) ?? [], quotes, securities, now, today);
      if (!result) {
        report.unpriced++;
        continue;
      }
      fills.set(p.id, result.fills);
      lotsByAccount.set(p.accountId, result.lotsAfter);
      accountWrites.set(p.accountId, { previous: stored, document: result.account });
      proposalRows.push({ previous: p, document: { ...plain(p), status: 'executed', executedAt: now, updatedAt: now } });
      audits.push(auditRecord(p, 'execute', SYSTEM_ACTOR, 'approved', 'executed', now, `filled ${result.fills.length} trade(s) at market`));
      report.executed++;
      report.trades += result.fills.length;
    }

    // 1. pending, 2. processing with the fill price.
    const allFills = [...fills.values()].flat();
    const txIds = allFills.map((f) => f.tx.id);
    let storedTx = await findStored<Transaction>(txC, txIds);
    await writeChunked(txC, allFills.filter((f) => !storedTx.has(f.tx.id)).map((f) => ({ document: { ...f.tx, status: 'pending' as const } })), deps.queue);
    storedTx = await findStored<Transaction>(txC, txIds);
    await writeChunked(txC, allFills.map((f) => ({ previous: storedTx.get(f.tx.id), document: { ...f.tx, status: 'processing' as const } })), deps.queue);
    // 3. accounts (cash, revision): an account a client changed meanwhile answers a conflict; its proposal's fills
    // are withdrawn (transactions deleted, nothing else written) and the next run finds the proposal stale.
    const lotRows = new Map<string, WriteRow<TaxLot>>();
    for (const f of [...fills.values()].flat()) for (const [id, row] of f.lotWrites) lotRows.set(id, row);
    const entry: JournalEntry = {
      id: `exec-${now}-${shortHash([...fills.keys()].join(','))}`, phase: 'accounts',
      accounts: [...accountWrites.values()].filter((w) => approved.some((p) => fills.has(p.id) && p.accountId === w.document.id)).map((w) => w.document),
      lots: [...lotRows.values()].map((r) => r.document),
      transactionIds: {},
    };
    for (const p of approved) if (fills.has(p.id)) (entry.transactionIds[p.accountId] ??= []).push(...fills.get(p.id)!.map((f) => f.tx.id));
    await deps.journal.open(entry);
    await deps.checkpoint?.('journal-opened');
    const acc = await writeChunked(accountsC, [...accountWrites.values()], deps.queue);
    await deps.checkpoint?.('accounts-written');
    if (acc.conflicts.size) {
      deps.log.warn({ accounts: [...acc.conflicts] }, 'execution: accounts changed during the fill (client edit); fills withdrawn');
      const withdrawn = new Set(approved.filter((p) => fills.has(p.id) && acc.conflicts.has(p.accountId)).map((p) => p.id));
      const dropTx = [...withdrawn].flatMap((id) => fills.get(id)!.map((f) => f.tx.id));
      const storedDrop = await findStored<Transaction>(txC, dropTx);
      await writeChunked(txC, [...storedDrop.values()].map((t) => ({ previous: t, document: { ...plain(t), updatedAt: now, _deleted: true } })), deps.queue);
      for (const id of withdrawn) {
        report.executed--;
        report.trades -= fills.get(id)!.length;
        fills.delete(id);
      }
      proposalRows.splice(0, proposalRows.length, ...proposalRows.filter((r) => !withdrawn.has(r.document.id)));
      audits.splice(0, audits.length, ...audits.filter((a) => !withdrawn.has(a.proposalId)));
    }
    // 4. lots; a lot touched by two trades of one proposal gets one write of its final state (same previous).
    const lotWrites = [...lotRows.values()].filter((r) => !acc.conflicts.has(r.document.accountId));
    await deps.journal.narrow(entry.id, lotWrites.map((r) => r.document));
    await deps.checkpoint?.('journal-narrowed');
    await writeChunked(lotsC, lotWrites, deps.queue);
    await deps.journal.close(entry.id);
    // 5. completed (plus the transactions of runs that were interrupted after step 4).
    const finishIds = new Set(finishOnly.map((p) => p.id));
    const toComplete = [...[...fills.values()].flat().map((f) => f.tx.id), ...finishOnly.flatMap((p) => (existingTx.get(p.id) ?? []).map((t) => t.id))];
    storedTx = await findStored<Transaction>(txC, toComplete);
    await writeChunked(txC, [...storedTx.values()].map((t) => ({ previous: t, document: { ...plain(t), status: 'completed' as const, updatedAt: now } })), deps.queue);
    for (const p of finishOnly) {
      proposalRows.push({ previous: p, document: { ...plain(p), status: 'executed', executedAt: now, updatedAt: now } });
      audits.push(auditRecord(p, 'execute', SYSTEM_ACTOR, 'approved', 'executed', now, 'filled (completed after an interrupted run)'));
      report.executed++;
    }
    // 6. proposals, 7. audit records of the transitions that were written.
    const written = await writeChunked(proposalsC, proposalRows, deps.queue);
    await writeChunked(coll(deps.book, 'approvals'), audits.filter((a) => written.written.has(a.proposalId)).map((document) => ({ document })), deps.queue);
    if (finishIds.size) deps.log.info({ proposals: finishIds.size }, 'execution: finished interrupted fills');
    return report;
  });
}

/** Finishes the ledger writes of runs that stopped between their accounts and lots writes (see the header). */
async function replayJournal(deps: ExecutionDeps): Promise<void> {
  for (const entry of await deps.journal.pending()) {
    let lots: JournalLot[] = entry.lots;
    if (entry.phase === 'accounts') {
      const stored = await findStored<Account>(coll(deps.book, 'accounts'), entry.accounts.map((a) => a.id));
      const landed = new Set(entry.accounts.filter((a) => sameDoc(stored.get(a.id), a)).map((a) => a.id));
      lots = entry.lots.filter((l) => landed.has(l.accountId));
      // Fills of an account whose write never landed are withdrawn: the next run re-prices or marks them stale.
      const drop = entry.accounts.filter((a) => !landed.has(a.id)).flatMap((a) => entry.transactionIds[a.id] ?? []);
      const txC = coll(deps.book, 'transactions');
      const storedTx = await findStored<Transaction>(txC, drop);
      await writeChunked(txC, [...storedTx.values()].filter((t) => !t._deleted)
        .map((t) => ({ previous: t, document: { ...plain(t), updatedAt: deps.now(), _deleted: true } })), deps.queue);
    }
    const lotsC = coll(deps.book, 'lots');
    const storedLots = await findStored<TaxLot>(lotsC, lots.map((l) => l.id));
    const rows = lots.filter((l) => !sameDoc(storedLots.get(l.id), l)).map((l) => ({ previous: storedLots.get(l.id), document: l }));
    const out = await writeChunked(lotsC, rows, deps.queue);
    if (out.conflicts.size) deps.log.error({ entry: entry.id, lots: [...out.conflicts].slice(0, 20) }, 'execution journal: lots changed before replay; left as found');
    deps.log.warn({ entry: entry.id, phase: entry.phase, lotsReplayed: out.written.size }, 'execution journal: finished an interrupted run');
    await deps.journal.close(entry.id);
  }
}

/** True when the stored document already is `target` (same domain fields, same deletion state). */
function sameDoc<T extends object>(stored: Stored<T> | undefined, target: T & { _deleted?: boolean }): boolean {
  if (!stored) return false;
  const { _deleted: wantDeleted = false, ...want } = target as Record<string, unknown>;
  if (stored._deleted !== wantDeleted) return false;
  const have = plain(stored) as Record<string, unknown>;
  const keys = new Set([...Object.keys(have), ...Object.keys(want)]);
  for (const k of keys) if (JSON.stringify(have[k]) !== JSON.stringify(want[k])) return false;
  return true;
}

async function fillProposal(
  deps: ExecutionDeps, p: Proposal, account: Account, lots: Stored<TaxLot>[], quotes: Map<string, { price: number }>,
  securities: Map<string, Security>, now: number, today: string,
): Promise<{ fills: Fill[]; account: Account; lotsAfter: Stored<TaxLot>[] } | null> {
  // Working copy of the account's lots: id → current state (quantity/basis after earlier fills of this proposal).
  const work = new Map(lots.map((l) => [l.id, { stored: l as Stored<TaxLot> | undefined, doc: plain(l) as TaxLot, deleted: false }]));
  let cash = account.cashCents;
  const fills: Fill[] = [];
  for (let i = 0; i < p.trades.length; i++) {
    const trade = p.trades[i]!;
    const price = quotes.get(trade.symbol)!.price;
    const currency = securities.get(trade.symbol)?.currency ?? account.currency;
    const lotWrites = new Map<string, WriteRow<TaxLot>>();
    let quantity = round6(trade.quantity);
    if (trade.side === 'sell') {
      const held = [...work.values()].filter((w) => !w.deleted && w.doc.symbol === trade.symbol);
      const byId = new Map(held.map((w) => [w.doc.id, w]));
      const named = trade.lotIds.map((id) => byId.get(id)).filter((w): w is NonNullable<typeof w> => !!w);
      const fifo = held.filter((w) => !trade.lotIds.includes(w.doc.id))
        .sort((a, b) => (a.doc.acquiredDate < b.doc.acquiredDate ? -1 : a.doc.acquiredDate > b.doc.acquiredDate ? 1 : a.doc.id < b.doc.id ? -1 : 1));
      const heldQty = round6(held.reduce((s, w) => s + w.doc.quantity, 0));
      if (heldQty <= 0) {
        deps.log.warn({ proposal: p.id, symbol: trade.symbol }, 'sell of a symbol the account no longer holds: trade skipped');
        continue;
      }
      quantity = Math.min(quantity, heldQty);
      let left = quantity;
      for (const w of [...named, ...fifo]) {
        if (left <= 1e-9) break;
        const take = round6(Math.min(left, w.doc.quantity));
        const rest = round6(w.doc.quantity - take);
        left = round6(left - take);
        if (rest <= 0) {
          w.deleted = true;
          lotWrites.set(w.doc.id, { previous: w.stored, document: { ...w.doc, updatedAt: now, _deleted: true } });
        } else {
          const [, basisRest] = allocateCents(w.doc.costBasisCents, [take, rest]);
          const [, washRest] = w.doc.washSaleAdjustmentCents ? allocateCents(w.doc.washSaleAdjustmentCents, [take, rest]) : [0, 0];
          w.doc = { ...w.doc, quantity: rest, costBasisCents: basisRest!, washSaleAdjustmentCents: washRest!, updatedAt: now };
          lotWrites.set(w.doc.id, { previous: w.stored, document: w.doc });
        }
      }
    }
    const amountCents = mulToCents(quantity, price);
    let cashCents = amountCents;
    if (currency !== account.currency) {
      try {
        cashCents = toCents((await deps.prices.convert(amountCents / 100, currency, account.currency)).toFixed(6));
      } catch (err) {
        deps.log.warn({ err, proposal: p.id, from: currency, to: account.currency }, 'execution waits: no FX rate');
        return null;
      }
    }
    if (trade.side === 'buy') {
      const doc: TaxLot = {
        id: lotId(p.id, i), teamId: account.teamId, householdId: account.householdId, accountId: account.id, symbol: trade.symbol,
        quantity, costBasisCents: amountCents, acquiredDate: today, holdingPeriodStart: today, washSaleAdjustmentCents: 0, updatedAt: now,
      };
      work.set(doc.id, { stored: undefined, doc, deleted: false });
      lotWrites.set(doc.id, { document: doc });
      cash -= cashCents;
    } else {
      cash += cashCents;
    }
    fills.push({
      lotWrites,
      tx: {
        id: transactionId(p.id, i), teamId: account.teamId, householdId: account.householdId, accountId: account.id, date: today,
        type: trade.side, symbol: trade.symbol, quantity, price, amountCents, feesCents: 0, currency, status: 'processing',
        lotMethod: 'fifo', proposalId: p.id, updatedAt: now,
      },
    });
  }
  const lotsAfter = [...work.values()].filter((w) => !w.deleted).map((w) => ({ ...(w.stored ?? {}), ...w.doc }) as Stored<TaxLot>);
  return { fills, account: { ...account, cashCents: cash, accountRevision: account.accountRevision + 1, updatedAt: Math.max(now, account.updatedAt) }, lotsAfter };
}
