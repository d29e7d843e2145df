// The approval workflow through a real server (127.0.0.1:0, temp SQLite files, demo mode with its demo users and a
// 2-household demo book, the real market feature for fill prices): four-eyes, roles, teams, stale check,
// idempotency, the audit trail replicated to the team, bulk decisions, execution to the cent, the blotter, expiry.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import type { Account, ApprovalRecord, Proposal, TaxLot, Trade, Transaction } from '@aw/domain';
import { mulToCents } from '@aw/domain';
import { createServer, type RunningServer } from '../app.ts';
import { createUser } from '../auth/users.ts';
import { api, tempDir } from '../test/harness.ts';
import { createPriceLookup } from '../market/index.ts';
import { approvalsFeature, type ApprovalsFeature } from './index.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

const DAY = 86_400_000;
let clock = Date.now();
const tmp = tempDir('aw-approvals-');
let server: RunningServer;
let feature: ApprovalsFeature;
/** Runs once inside the next execution chunk, between its reads and its writes (simulates a concurrent client edit). */
let duringFill: (() => Promise<void>) | undefined;
const tokens: Record<string, string> = {};
let accounts: Account[] = [];
let lots: TaxLot[] = [];
const currencyOf = new Map<string, string>();

async function login(username: string, password = 'demo'): Promise<string> {
  const r = await api(server.url, 'POST', '/auth/login', { body: { username, password } });
  expect(r.status).toBe(200);
  return r.json.token;
}
const post = (who: string, path: string, body: unknown = {}) => api(server.url, 'POST', path, { token: tokens[who], body });
const book = () => server.ctx.book.collections as Record<string, any>;
const stored = async <T>(collection: string, id: string): Promise<T> => (await book()[collection].findOne(id).exec())?.toJSON() as T;
const auditOf = async (proposalId: string): Promise<ApprovalRecord[]> =>
  (await book().approvals.find({ selector: { proposalId }, sort: [{ at: 'asc' }] }).exec()).map((d: any) => d.toJSON());

/** A valid proposal for `account`: sell 1 share of its first lot (named), buy 1 share of another held symbol. */
function proposalFor(id: string, account: Account, extra: Partial<Proposal> = {}): Proposal {
  // securities in the account's currency, so cash moves by exactly the fill amounts
  const own = lots.filter((l) => l.accountId === account.id && currencyOf.get(l.symbol) === account.currency).sort((a, b) => a.id.localeCompare(b.id));
  const sellLot = own[0]!;
  const buySym = own.find((l) => l.symbol !== sellLot.symbol)!.symbol;
  const trades: Trade[] = [
    { symbol: sellLot.symbol, side: 'sell', quantity: 1, price: 100, amountCents: 10_000, lotIds: [sellLot.id], estGainCents: 0, reason: 'overweight' },
    { symbol: buySym, side: 'buy', quantity: 1, price: 100, amountCents: 10_000, lotIds: [], estGainCents: 0, reason: 'underweight' },
  ];
  return {
    id, teamId: account.teamId, householdId: account.householdId, accountId: account.id, modelId: account.modelId, authorId: 'u-alice',
    status: 'draft', reason: 'drift', trades, accountRevision: account.accountRevision, driftBefore: 0.08, driftAfter: 0.01,
    buyCents: 10_000, sellCents: 10_000, estGainCents: 0, estTaxCents: 0, warnings: [], approverId: '', decidedAt: 0, executedAt: 0,
    batchId: '', createdAt: clock, updatedAt: clock, ...extra,
  };
}
/** Client path: alice pushes new proposals through replication. */
async function pushProposals(who: string, docs: Proposal[]) {
  return post(who, '/api/v1/replication/proposals/0/push', docs.map((d) => ({ newDocumentState: d, assumedMasterState: null })));
}

beforeAll(async () => {
  server = await createServer(
    { port: 0, host: '127.0.0.1', dataDir: tmp.dir, demo: true, bodyLimitBytes: 5 * 1024 * 1024 },
    {
      logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      now: () => clock,
      demoHouseholds: 2,
      features: [(ctx) => {
        const market = createPriceLookup(ctx);
        const prices = {
          getPrices: async (symbols: Iterable<string>) => {
            const hook = duringFill;
            duringFill = undefined;
            await hook?.();
            return market.getPrices(symbols);
          },
          convert: market.convert,
        };
        return (feature = approvalsFeature({ executionEnabled: false, submittedTtlMs: 5 * DAY, prices })(ctx) as ApprovalsFeature);
      }],
    },
  );
  await createUser(server.ctx.sql, { username: 'nora', password: 'demo-north', teamId: 'north', role: 'reviewer' });
  for (const u of ['alice', 'bob', 'carol', 'dave']) tokens[u] = await login(u);
  tokens.nora = await login('nora', 'demo-north');
  accounts = (await book().accounts.find({ selector: { teamId: 'demo' }, sort: [{ id: 'asc' }] }).exec()).map((d: any) => d.toJSON());
  lots = (await book().lots.find({ selector: { teamId: 'demo' } }).exec()).map((d: any) => d.toJSON());
  for (const d of await book().securities.find().exec()) currencyOf.set(d.symbol, d.currency);
  expect(accounts.length).toBeGreaterThanOrEqual(6);
});
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

describe('submit and four-eyes', () => {
  it('alice drafts and submits (route and replication push); both transitions are audited', async () => {
    const r = await pushProposals('alice', [proposalFor('p-1', accounts[0]!), proposalFor('p-2', accounts[1]!)]);
    expect(r.status).toBe(200);
    expect(r.json).toEqual([]);
    const s = await post('alice', '/api/v1/proposals/p-1/submit', { comment: 'please review' });
    expect(s.status).toBe(200);
    expect(s.json).toMatchObject({ id: 'p-1', status: 'submitted', changed: true });
    // p-2: the client sets status submitted itself and pushes (allowed by the replication rules)
    const master = await stored<Proposal>('proposals', 'p-2');
    const push = await post('alice', '/api/v1/replication/proposals/0/push', [{ newDocumentState: { ...master, status: 'submitted', updatedAt: clock + 1 }, assumedMasterState: master }]);
    expect(push.json).toEqual([]);
    await feature.idle();
    expect((await auditOf('p-1')).map((a) => [a.action, a.actorId, a.fromStatus, a.toStatus, a.comment])).toEqual([['submit', 'u-alice', 'draft', 'submitted', 'please review']]);
    expect((await auditOf('p-2')).map((a) => [a.action, a.fromStatus, a.toStatus])).toEqual([['submit', 'draft', 'submitted']]);
  });

  it('an advisor cannot approve (403), not even a teammate\'s proposal', async () => {
    const r = await post('bob', '/api/v1/proposals/p-1/approve', { comment: 'lgtm' });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('forbidden');
    expect(r.json.error.message).toMatch(/reviewer/);
    expect((await stored<Proposal>('proposals', 'p-1')).status).toBe('submitted');
  });

  it('the author cannot approve their own proposal, even as a reviewer (403 four_eyes)', async () => {
    await book().proposals.insert(proposalFor('p-carol', accounts[2]!, { authorId: 'u-carol', status: 'submitted' }));
    const r = await post('carol', '/api/v1/proposals/p-carol/approve', {});
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('four_eyes');
    expect((await stored<Proposal>('proposals', 'p-carol')).status).toBe('submitted');
  });

  it('a reviewer of another team can neither see nor approve (404)', async () => {
    const r = await post('nora', '/api/v1/proposals/p-1/approve', {});
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('not_found');
    const bulk = await post('nora', '/api/v1/proposals/approve', { ids: ['p-1', 'p-2'] });
    expect(bulk.status).toBe(200);
    expect(bulk.json.results.map((x: any) => [x.id, x.ok, x.code])).toEqual([['p-1', false, 'not_found'], ['p-2', false, 'not_found']]);
    expect(bulk.json.results[0].status).toBeUndefined();
    expect((await stored<Proposal>('proposals', 'p-1')).status).toBe('submitted');
  });

  it('carol approves alice\'s proposal; approving twice is a no-op (200, no new audit record)', async () => {
    const r = await post('carol', '/api/v1/proposals/p-1/approve', { comment: 'ok, within policy' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id: 'p-1', status: 'approved', changed: true });
    expect(r.json.batchId).toMatch(/^batch-/);
    const p = await stored<Proposal>('proposals', 'p-1');
    expect(p).toMatchObject({ status: 'approved', approverId: 'u-carol', decidedAt: clock, batchId: r.json.batchId });
    const again = await post('carol', '/api/v1/proposals/p-1/approve', { comment: 'again' });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ status: 'approved', changed: false, batchId: r.json.batchId });
    expect((await auditOf('p-1')).map((a) => a.action)).toEqual(['submit', 'approve']);
    expect((await auditOf('p-1'))[1]).toMatchObject({ actorId: 'u-carol', comment: 'ok, within policy', fromStatus: 'submitted', toStatus: 'approved' });
  });

  it('reject path: carol rejects with a comment; a later approve answers 409 invalid_state', async () => {
    const r = await post('carol', '/api/v1/proposals/p-2/reject', { comment: 'too many trades' });
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('rejected');
    const a = await post('carol', '/api/v1/proposals/p-2/approve', {});
    expect(a.status).toBe(409);
    expect(a.json.error.code).toBe('invalid_state');
    expect((await auditOf('p-2')).map((x) => [x.action, x.toStatus, x.comment])).toEqual([['submit', 'submitted', ''], ['reject', 'rejected', 'too many trades']]);
  });

  it('a draft cannot be approved (409 invalid_state)', async () => {
    await pushProposals('alice', [proposalFor('p-draft', accounts[3]!)]);
    const r = await post('carol', '/api/v1/proposals/p-draft/approve', {});
    expect(r.status).toBe(409);
    expect(r.json.error.code).toBe('invalid_state');
  });
});

describe('stale check', () => {
  it('approving after the account changed answers 409 stale and marks the proposal stale (audited)', async () => {
    const acct = accounts[4]!;
    await pushProposals('alice', [proposalFor('p-stale', acct, { status: 'submitted' })]);
    // the account changes (a client edit bumps its revision) after the proposal was computed
    const master = await stored<Account>('accounts', acct.id);
    const edit = await post('alice', '/api/v1/replication/accounts/1/push', [{ newDocumentState: { ...master, cashCents: master.cashCents + 500_00, accountRevision: master.accountRevision + 1, updatedAt: clock + 2 }, assumedMasterState: master }]);
    expect(edit.json).toEqual([]);
    const r = await post('carol', '/api/v1/proposals/p-stale/approve', {});
    expect(r.status).toBe(409);
    expect(r.json.error).toMatchObject({ code: 'stale', status: 'stale' });
    expect((await stored<Proposal>('proposals', 'p-stale')).status).toBe('stale');
    await feature.idle();
    expect((await auditOf('p-stale')).map((a) => [a.action, a.fromStatus, a.toStatus])).toEqual([['submit', 'draft', 'submitted'], ['stale', 'submitted', 'stale']]);
    // a repeat is not an approval either
    expect((await post('carol', '/api/v1/proposals/p-stale/approve', {})).status).toBe(409);
  });
});

describe('request validation', () => {
  it.each([
    ['ids not an array', { ids: 'p-1' }],
    ['ids empty', { ids: [] }],
    ['an id of the wrong type', { ids: [42] }],
    ['too many ids', { ids: Array.from({ length: 5001 }, (_, i) => `p-${i}`) }],
    ['comment too long', { ids: ['p-1'], comment: 'x'.repeat(2001) }],
    ['comment not a string', { ids: ['p-1'], comment: 7 }],
    ['unknown field', { ids: ['p-1'], approver: 'u-carol' }],
  ])('bulk approve with %s → 400', async (_what, body) => {
    const r = await post('carol', '/api/v1/proposals/approve', body);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('invalid_body');
  });

  it('single approve with a non-string comment → 400; unauthenticated → 401', async () => {
    expect((await post('carol', '/api/v1/proposals/p-1/approve', { comment: ['x'] })).status).toBe(400);
    expect((await api(server.url, 'POST', '/api/v1/proposals/p-1/approve', { body: {} })).status).toBe(401);
  });
});

describe('execution by the simulated custodian', () => {
  it('fills approved trades at market: completed transactions, lots and cash to the cent, revision bumped; twice = once', async () => {
    const before = await stored<Proposal>('proposals', 'p-1');
    const acctBefore = await stored<Account>('accounts', before.accountId);
    const sellLotBefore = await stored<TaxLot>('lots', before.trades[0]!.lotIds[0]!);
    const report = await feature.executeNow();
    expect(report.executed).toBeGreaterThanOrEqual(1);
    const p = await stored<Proposal>('proposals', 'p-1');
    expect(p.status).toBe('executed');
    expect(p.executedAt).toBe(clock);
    const txs: Transaction[] = (await book().transactions.find({ selector: { proposalId: 'p-1' } }).exec()).map((d: any) => d.toJSON());
    expect(txs.map((t) => [t.type, t.symbol, t.quantity, t.status]).sort()).toEqual(
      [['buy', before.trades[1]!.symbol, 1, 'completed'], ['sell', before.trades[0]!.symbol, 1, 'completed']].sort(),
    );
    for (const t of txs) {
      expect(t.price).toBeGreaterThan(0);
      expect(t.amountCents).toBe(mulToCents(t.quantity, t.price));
    }
    const sell = txs.find((t) => t.type === 'sell')!;
    const buy = txs.find((t) => t.type === 'buy')!;
    // cash moves by exactly the fill amounts (securities in the account's currency)
    const acct = await stored<Account>('accounts', before.accountId);
    expect([sell.currency, buy.currency]).toEqual([acct.currency, acct.currency]);
    expect(acct.cashCents).toBe(acctBefore.cashCents + sell.amountCents - buy.amountCents);
    expect(acct.accountRevision).toBe(acctBefore.accountRevision + 1);
    // the named lot was relieved by 1 share, basis split exactly
    const sellLot = await stored<TaxLot>('lots', sellLotBefore.id);
    if (sellLotBefore.quantity > 1) {
      expect(sellLot.quantity).toBeCloseTo(sellLotBefore.quantity - 1, 6);
      expect(sellLot.costBasisCents).toBe(sellLotBefore.costBasisCents - Math.round((sellLotBefore.costBasisCents * 1) / sellLotBefore.quantity));
    } else {
      expect(sellLot).toBeUndefined();
    }
    // the buy opened a new lot with the exact fill amount as basis
    const newLots: TaxLot[] = (await book().lots.find({ selector: { accountId: acct.id, symbol: buy.symbol, acquiredDate: buy.date } }).exec()).map((d: any) => d.toJSON());
    expect(newLots.map((l) => [l.quantity, l.costBasisCents])).toContainEqual([1, buy.amountCents]);
    expect((await auditOf('p-1')).map((a) => [a.action, a.actorId, a.toStatus])).toEqual([
      ['submit', 'u-alice', 'submitted'], ['approve', 'u-carol', 'approved'], ['execute', 'system', 'executed'],
    ]);

    // executing again and approving again change nothing
    const again = await feature.executeNow();
    expect(again.executed).toBe(0);
    expect((await post('carol', '/api/v1/proposals/p-1/approve', {})).json).toMatchObject({ status: 'executed', changed: false });
    expect(await book().transactions.count({ selector: { proposalId: 'p-1' } }).exec()).toBe(2);
    expect((await stored<Account>('accounts', acct.id)).cashCents).toBe(acct.cashCents);
    expect(await auditOf('p-1')).toHaveLength(3);
  });

  it('an account edited by a client during the fill: the fill is withdrawn, then the proposal is stale', async () => {
    const acct = await stored<Account>('accounts', accounts[3]!.id);
    const lotsBefore = await book().lots.count({ selector: { accountId: acct.id } }).exec();
    await pushProposals('alice', [proposalFor('p-race', acct, { status: 'submitted' })]);
    expect((await post('carol', '/api/v1/proposals/p-race/approve', {})).status).toBe(200);
    duringFill = async () => {
      const doc = await book().accounts.findOne(acct.id).exec();
      await doc.incrementalPatch({ cashCents: acct.cashCents + 1, accountRevision: acct.accountRevision + 1 });
    };
    const first = await feature.executeNow();
    expect(first.executed).toBe(0);
    expect((await stored<Proposal>('proposals', 'p-race')).status).toBe('approved');
    expect(await book().transactions.count({ selector: { proposalId: 'p-race' } }).exec()).toBe(0);
    expect(await stored<Account>('accounts', acct.id)).toMatchObject({ cashCents: acct.cashCents + 1, accountRevision: acct.accountRevision + 1 });
    expect(await book().lots.count({ selector: { accountId: acct.id } }).exec()).toBe(lotsBefore);
    const second = await feature.executeNow();
    expect(second.stale).toBe(1);
    expect((await stored<Proposal>('proposals', 'p-race')).status).toBe('stale');
    expect((await auditOf('p-race')).map((a) => [a.action, a.toStatus])).toEqual([['submit', 'submitted'], ['approve', 'approved'], ['stale', 'stale']]);
  });

  it('the batch blotter lists the fills as CSV', async () => {
    const p = await stored<Proposal>('proposals', 'p-1');
    const r = await fetch(`${server.url}/api/v1/batches/${p.batchId}/blotter.csv`, { headers: { Authorization: `Bearer ${tokens.alice}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await r.text()).trim().split('\r\n');
    expect(lines[0]).toBe('date,account,symbol,side,quantity,price,amount,proposal,status');
    const txs: Transaction[] = (await book().transactions.find({ selector: { proposalId: 'p-1' } }).exec()).map((d: any) => d.toJSON());
    const expected = txs.sort((a, b) => a.id.localeCompare(b.id)).map((t) => [t.date, t.accountId, t.symbol, t.type, t.quantity, t.price, (t.amountCents / 100).toFixed(2), 'p-1', 'completed'].join(','));
    expect(lines.slice(1)).toEqual(expected);
    // another team cannot read it
    expect((await api(server.url, 'GET', `/api/v1/batches/${p.batchId}/blotter.csv`, { token: tokens.dave })).status).toBe(404);
  });
});

describe('audit trail', () => {
  it('replicates read-only to the team: pulled by alice, invisible to north, a client push is refused', async () => {
    const pulled = await api(server.url, 'GET', '/api/v1/replication/approvals/0/pull?limit=1000', { token: tokens.alice });
    expect(pulled.status).toBe(200);
    const mine = (pulled.json.documents as ApprovalRecord[]).filter((a) => a.proposalId === 'p-1').sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
    expect(mine.map((a) => a.action)).toEqual(['submit', 'approve', 'execute']);
    // the transitions chain: each record starts where the previous ended
    for (let i = 1; i < mine.length; i++) expect(mine[i]!.fromStatus).toBe(mine[i - 1]!.toStatus);
    const north = await api(server.url, 'GET', '/api/v1/replication/approvals/0/pull?limit=1000', { token: tokens.dave });
    expect(north.json.documents).toEqual([]);
    const forged = { ...mine[1]!, id: 'ap-forged', comment: 'approved by me' };
    const push = await post('alice', '/api/v1/replication/approvals/0/push', [{ newDocumentState: forged, assumedMasterState: null }]);
    expect(push.status).toBe(403);
    expect(await book().approvals.findOne('ap-forged').exec()).toBeNull();
    // a client cannot set server-only proposal fields either
    const draft = await stored<Proposal>('proposals', 'p-draft');
    const sneaky = await post('alice', '/api/v1/replication/proposals/0/push', [{ newDocumentState: { ...draft, status: 'approved', approverId: 'u-alice' }, assumedMasterState: draft }]);
    expect(sneaky.status).toBe(403);
  });
});

describe('bulk', () => {
  it('carol bulk-approves 1,000 proposals with per-id results', async () => {
    const fresh = await book().accounts.find({ selector: { teamId: 'demo' } }).exec();
    const docs = Array.from({ length: 1000 }, (_, i) => {
      const a = fresh[i % fresh.length].toJSON() as Account;
      return proposalFor(`pb-${String(i).padStart(4, '0')}`, a, { status: 'submitted' });
    });
    const approveRecords = await book().approvals.count({ selector: { action: 'approve' } }).exec();
    const ins = await book().proposals.bulkInsert(docs);
    expect(ins.error).toEqual([]);
    const ids = [...docs.map((d) => d.id), 'p-2', 'p-carol', 'nope'];
    const r = await post('carol', '/api/v1/proposals/approve', { ids, comment: 'quarterly rebalance' });
    expect(r.status).toBe(200);
    expect(r.json.results).toHaveLength(1003);
    expect(r.json.counts).toEqual({ approved: 1000, invalid_state: 1, four_eyes: 1, not_found: 1 });
    expect(r.json.results.slice(0, 2).map((x: any) => [x.id, x.ok, x.status])).toEqual([['pb-0000', true, 'approved'], ['pb-0001', true, 'approved']]);
    expect(r.json.results.slice(1000).map((x: any) => [x.id, x.code])).toEqual([['p-2', 'invalid_state'], ['p-carol', 'four_eyes'], ['nope', 'not_found']]);
    const batchId = r.json.batchId;
    expect(await book().proposals.count({ selector: { batchId, status: 'approved' } }).exec()).toBe(1000);
    expect(await book().approvals.count({ selector: { action: 'approve', comment: 'quarterly rebalance' } }).exec()).toBe(1000);
    // the same call again: every one already approved, nothing new written
    const again = await post('carol', '/api/v1/proposals/approve', { ids: docs.map((d) => d.id) });
    expect(again.json.counts).toEqual({ approved: 1000 });
    expect(again.json.results.every((x: any) => x.changed === false)).toBe(true);
    expect(await book().approvals.count({ selector: { action: 'approve' } }).exec()).toBe(approveRecords + 1000);
    // only the first proposal per account can execute; the rest are then stale (their account changed)
    const rep = await feature.executeNow();
    expect(rep.executed).toBe(new Set(docs.map((d) => d.accountId)).size);
    expect(rep.executed + rep.stale).toBe(1000);
  });
});

describe('metrics and expiry', () => {
  it('exposes the execution breaker state in /metrics', async () => {
    const r = await fetch(`${server.url}/metrics`);
    const text = await r.text();
    expect(text).toMatch(/^approvals_execution_breaker_state 0$/m);
    const approvals = Number(/^approvals_transitions_total\{action="approve"\} (\d+)$/m.exec(text)?.[1]);
    expect(approvals).toBe(await book().approvals.count({ selector: { action: 'approve' } }).exec());
  });

  it('submitted proposals older than the TTL expire in the sweep (audited by "system")', async () => {
    await pushProposals('alice', [proposalFor('p-old', accounts[5]!, { status: 'submitted' })]);
    expect(await feature.sweepNow()).toBe(0);
    clock += 5 * DAY + 1000;
    tokens.alice = await login('alice'); // sessions expired with the clock jump
    expect((await pushProposals('alice', [proposalFor('p-new', accounts[5]!, { status: 'submitted', createdAt: clock, updatedAt: clock })])).json).toEqual([]);
    // p-old and p-carol (submitted in the first test, never decided: its author may not approve it)
    expect(await feature.sweepNow()).toBe(2);
    expect((await stored<Proposal>('proposals', 'p-old')).status).toBe('expired');
    expect((await stored<Proposal>('proposals', 'p-carol')).status).toBe('expired');
    expect((await stored<Proposal>('proposals', 'p-new')).status).toBe('submitted');
    await feature.idle();
    expect((await auditOf('p-old')).map((a) => [a.action, a.actorId, a.toStatus])).toEqual([['submit', 'u-alice', 'submitted'], ['expire', 'system', 'expired']]);
  });
});
