// Crash recovery of execution through a real server restart (temp SQLite files, demo book, real market prices):
// a chunk stopped after each durable step (journal opened, accounts written, journal narrowed) is finished by the
// restarted server exactly once — every sold lot relieved once, every bought lot created once, cash moved by exactly
// the completed fills, the proposal executed with one audit record, and no journal entry left behind.
import { afterEach, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import type { Account, ApprovalRecord, Proposal, TaxLot, Trade, Transaction } from '@aw/domain';
import { createServer, type RunningServer } from '../app.ts';
import { api, tempDir } from '../test/harness.ts';
import { approvalsFeature, type ApprovalsFeature } from './index.ts';
import type { ExecutionDeps } from './execution.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

type Stage = Parameters<NonNullable<ExecutionDeps['checkpoint']>>[0];
const tmp = tempDir('aw-exec-recovery-');
let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function start(crashAt?: Stage): Promise<{ server: RunningServer; feature: ApprovalsFeature }> {
  let feature!: ApprovalsFeature;
  let armed = crashAt;
  const s = await createServer(
    { port: 0, host: '127.0.0.1', dataDir: tmp.dir, demo: true, bodyLimitBytes: 5 * 1024 * 1024 },
    {
      logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      demoHouseholds: 2,
      features: [(ctx) => (feature = approvalsFeature({
        executionEnabled: false,
        executionCheckpoint: (stage) => {
          if (stage === armed) {
            armed = undefined;
            throw new Error(`simulated crash at ${stage}`);
          }
        },
      })(ctx) as ApprovalsFeature)],
    },
  );
  server = s;
  return { server: s, feature };
}

const col = (s: RunningServer, name: string) => (s.ctx.book.collections as Record<string, any>)[name];
const all = async <T>(s: RunningServer, name: string, selector: Record<string, unknown>): Promise<T[]> =>
  (await col(s, name).find({ selector }).exec()).map((d: any) => d.toJSON() as T);

async function login(s: RunningServer, username: string): Promise<string> {
  const r = await api(s.url, 'POST', '/auth/login', { body: { username, password: 'demo' } });
  expect(r.status).toBe(200);
  return r.json.token;
}

/** Sell 1 share of the account's first same-currency lot, buy 1 share of another held symbol. */
function proposalFor(id: string, account: Account, lots: TaxLot[], currencyOf: Map<string, string>): Proposal {
  const own = lots.filter((l) => l.accountId === account.id && currencyOf.get(l.symbol) === account.currency).sort((a, b) => a.id.localeCompare(b.id));
  const sellLot = own[0]!;
  const buySym = own.find((l) => l.symbol !== sellLot.symbol)!.symbol;
  const trades: Trade[] = [
    { symbol: sellLot.symbol, side: 'sell', quantity: 1, price: 100, amountCents: 10_000, lotIds: [sellLot.id], estGainCents: 0, reason: 'overweight' },
    { symbol: buySym, side: 'buy', quantity: 1, price: 100, amountCents: 10_000, lotIds: [], estGainCents: 0, reason: 'underweight' },
  ];
  const now = Date.now();
  return {
    id, teamId: account.teamId, householdId: account.householdId, accountId: account.id, modelId: account.modelId, authorId: 'u-alice',
    status: 'draft', reason: 'drift', trades, accountRevision: account.accountRevision, driftBefore: 0.08, driftAfter: 0.01,
    buyCents: 10_000, sellCents: 10_000, estGainCents: 0, estTaxCents: 0, warnings: [], approverId: '', decidedAt: 0, executedAt: 0,
    batchId: '', createdAt: now, updatedAt: now,
  };
}

describe.each<Stage>(['journal-opened', 'accounts-written', 'journal-narrowed'])('a crash at %s', (stage) => {
  it('is finished exactly once by the restarted server', async () => {
    const first = await start(stage);
    const s = first.server;
    const accounts = (await all<Account>(s, 'accounts', { teamId: 'demo' })).sort((a, b) => a.id.localeCompare(b.id)).slice(0, 3);
    const lotsBefore = await all<TaxLot>(s, 'lots', { accountId: { $in: accounts.map((a) => a.id) } });
    const currencyOf = new Map<string, string>((await all<{ symbol: string; currency: string }>(s, 'securities', {})).map((x) => [x.symbol, x.currency]));
    const ids = accounts.map((a) => `p-${stage}-${a.id}`);
    const proposals = accounts.map((a, i) => proposalFor(ids[i]!, a, lotsBefore, currencyOf));
    const alice = await login(s, 'alice');
    const carol = await login(s, 'carol');
    const push = await api(s.url, 'POST', '/api/v1/replication/proposals/0/push', { token: alice, body: proposals.map((d) => ({ newDocumentState: d, assumedMasterState: null })) });
    expect(push.json).toEqual([]);
    for (const id of ids) expect((await api(s.url, 'POST', `/api/v1/proposals/${id}/submit`, { token: alice, body: {} })).status).toBe(200);
    for (const id of ids) expect((await api(s.url, 'POST', `/api/v1/proposals/${id}/approve`, { token: carol, body: {} })).json.status).toBe('approved');

    await expect(first.feature.executeNow()).rejects.toThrow(`simulated crash at ${stage}`);
    await s.close();
    server = null;

    const { server: again, feature } = await start();
    const report = await feature.executeNow();
    expect(report.stale).toBe(0);
    // A second run changes nothing more.
    expect((await feature.executeNow()).executed).toBe(0);

    for (const [i, account] of accounts.entries()) {
      const p = proposals[i]!;
      const stored = (await col(again, 'proposals').findOne(p.id).exec()).toJSON() as Proposal;
      expect(stored.status).toBe('executed');
      const audit = await all<ApprovalRecord>(again, 'approvals', { proposalId: p.id });
      expect(audit.filter((a) => a.action === 'execute')).toHaveLength(1);
      const txs = await all<Transaction>(again, 'transactions', { proposalId: p.id });
      expect(txs).toHaveLength(2);
      expect(txs.every((t) => t.status === 'completed')).toBe(true);

      const sell = p.trades[0]!;
      const buy = p.trades[1]!;
      const lotsAfter = await all<TaxLot>(again, 'lots', { accountId: account.id });
      const soldBefore = lotsBefore.find((l) => l.id === sell.lotIds[0])!;
      const soldAfter = lotsAfter.find((l) => l.id === soldBefore.id);
      // relieved exactly once: one share less (or gone when it held one share)
      if (soldBefore.quantity > 1) expect(soldAfter!.quantity).toBeCloseTo(soldBefore.quantity - 1, 6);
      else expect(soldAfter).toBeUndefined();
      const newLots = lotsAfter.filter((l) => !lotsBefore.some((b) => b.id === l.id));
      expect(newLots.map((l) => [l.symbol, l.quantity])).toEqual([[buy.symbol, 1]]);

      const accountAfter = (await col(again, 'accounts').findOne(account.id).exec()).toJSON() as Account;
      const sellTx = txs.find((t) => t.type === 'sell')!;
      const buyTx = txs.find((t) => t.type === 'buy')!;
      expect(accountAfter.cashCents).toBe(account.cashCents + sellTx.amountCents - sellTx.feesCents - buyTx.amountCents - buyTx.feesCents);
      expect(accountAfter.accountRevision).toBe(account.accountRevision + 1);
      expect(newLots[0]!.costBasisCents).toBe(buyTx.amountCents + buyTx.feesCents);
    }
    expect(await again.ctx.sql.all('SELECT id FROM execution_journal')).toEqual([]);
  });
});
