// Team replication against a real server process (SQLite files in a temp folder) with real RxDB clients in Node:
// edits flow both ways inside a team, nothing crosses teams, refused pushes change nothing, bad input gets a clear 4xx.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 300_000 });
import { WebSocket } from 'ws';
import { bookCollections, sampleBookDocs, type BookCollectionName } from '@aw/domain';
import type { Household, Proposal } from '@aw/domain';
import { login, SyncHttpError } from '@aw/sync-client';
import {
  addTestUsersTo, api, eventually, PASSWORD, seedBook, serverDocs, spawnServer, startClient, tempDir,
  type ServerProcess, type TestClient,
} from '../test/harness.ts';

const T = 1_795_000_000_000;
const sample = sampleBookDocs();
const hh = (id: string, teamId: string, name: string): Household => ({ ...sample.households, id, teamId, name, updatedAt: T });
const prop = (id: string, status: Proposal['status'], extra: Partial<Proposal> = {}): Proposal => ({
  ...sample.proposals, id, status, authorId: 'u-alice', ...extra,
});

const tmp = tempDir();
let server: ServerProcess;
let url: string;
const tokens: Record<string, string> = {};
const clients: TestClient[] = [];

beforeAll(async () => {
  await addTestUsersTo(tmp.dir);
  await seedBook(tmp.dir, {
    households: [hh('hh-d1', 'demo', 'Rivera Family'), hh('hh-d2', 'demo', 'Chen Family'), hh('hh-n1', 'north', 'Okafor Family')],
    proposals: [
      prop('p-draft', 'draft'),
      prop('p-approved', 'approved', { approverId: 'u-carol', decidedAt: T + 5 }),
      prop('p-north', 'draft', { teamId: 'north', authorId: 'u-dave' }),
    ],
    approvals: [sample.approvals],
  });
  server = await spawnServer(tmp.dir, ['--body-limit', '1mb']);
  url = server.url;
  for (const u of ['alice', 'bob', 'carol', 'dave', 'root', 'feed']) tokens[u] = (await login(url, u, PASSWORD)).token;
});
afterAll(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  expect(await server.stop()).toBe(0);
  tmp.remove();
});

async function client(username: string, collections: any[] = ['households', 'proposals'], opts = {}): Promise<TestClient> {
  const c = await startClient(url, username, { collections, ...opts });
  clients.push(c);
  await c.repl.awaitInitialSync();
  return c;
}
const version = (collection: string) => bookCollections[collection as BookCollectionName]?.schema.version ?? 0;
const push = (who: string, collection: string, rows: unknown, v = version(collection)) =>
  api(url, 'POST', `/api/v1/replication/${collection}/${v}/push`, { token: tokens[who], body: rows });
const pull = (who: string, collection: string, query = '') =>
  api(url, 'GET', `/api/v1/replication/${collection}/${version(collection)}/pull?limit=100${query}`, { token: tokens[who] });

describe('inside a team', () => {
  it('two clients of team demo replicate an edit both ways', async () => {
    const a = await client('alice');
    const b = await client('bob');
    const docA = await a.db.households.findOne('hh-d1').exec();
    await docA!.incrementalPatch({ notes: 'called about college savings', updatedAt: T + 100 });
    await eventually(async () => (await b.db.households.findOne('hh-d1').exec())?.notes === 'called about college savings', 60_000, 'A → B');
    const docB = await b.db.households.findOne('hh-d2').exec();
    await docB!.incrementalPatch({ name: 'Chen-Park Family', updatedAt: T + 200 });
    await eventually(async () => (await a.db.households.findOne('hh-d2').exec())?.name === 'Chen-Park Family', 60_000, 'B → A');
    const stored = await serverDocs(url, tokens.root, 'households');
    expect(stored.find((d) => d.id === 'hh-d1').notes).toBe('called about college savings');
    expect(stored.find((d) => d.id === 'hh-d2').name).toBe('Chen-Park Family');
  });

  it('a reviewer reads the team book but cannot change it', async () => {
    const r = await pull('carol', 'households');
    expect(r.status).toBe(200);
    expect(r.json.documents.map((d: Household) => d.id).sort()).toEqual(['hh-d1', 'hh-d2']);
    const before = await serverDocs(url, tokens.root, 'households');
    const res = await push('carol', 'households', [{ newDocumentState: { ...before[0], name: 'X' }, assumedMasterState: before[0] }]);
    expect(res.status).toBe(403);
    expect(res.json.error.message).toMatch(/reviewers/);
    expect(await serverDocs(url, tokens.root, 'households')).toEqual(before);
  });

  it('a provider may not replicate at all', async () => {
    expect((await pull('feed', 'households')).status).toBe(403);
  });
});

describe('between teams', () => {
  it('a north client never receives a demo document, neither by pull nor by stream', async () => {
    const d = await client('dave');
    expect((await d.db.households.find().exec()).map((x) => x.id)).toEqual(['hh-n1']);
    expect((await d.db.proposals.find().exec()).map((x) => x.id)).toEqual(['p-north']);
    // a demo edit, then a north edit: once the north edit arrived, the demo one would have too
    const demoBefore = (await serverDocs(url, tokens.root, 'households')).find((x) => x.id === 'hh-d1');
    expect((await push('bob', 'households', [{ newDocumentState: { ...demoBefore, notes: 'secret', updatedAt: T + 300 }, assumedMasterState: demoBefore }])).status).toBe(200);
    const north = (await serverDocs(url, tokens.root, 'households')).find((x) => x.id === 'hh-n1');
    expect((await push('root', 'households', [{ newDocumentState: { ...north, notes: 'north note', updatedAt: T + 301 }, assumedMasterState: north }])).status).toBe(200);
    await eventually(async () => (await d.db.households.findOne('hh-n1').exec())?.notes === 'north note', 60_000, 'north edit');
    expect(await d.db.households.findOne('hh-d1').exec()).toBeNull();
    const direct = await pull('dave', 'households');
    expect(direct.json.documents.map((x: Household) => x.id)).toEqual(['hh-n1']);
  });

  it("pushes of another team's documents get 403 and the stored data is unchanged", async () => {
    const before = await serverDocs(url, tokens.root, 'households');
    const demoDoc = before.find((x) => x.id === 'hh-d1');
    const cases = [
      // overwrite a demo document it guessed the content of
      [{ newDocumentState: { ...demoDoc, name: 'hijacked' }, assumedMasterState: demoDoc }],
      // claim the demo document for north
      [{ newDocumentState: { ...demoDoc, teamId: 'north', name: 'hijacked' }, assumedMasterState: null }],
      // create a document in team demo, together with a harmless north edit (the whole batch is refused)
      [{ newDocumentState: hh('hh-new-north', 'north', 'Fine') }, { newDocumentState: hh('hh-new-demo', 'demo', 'Planted') }],
    ];
    for (const rows of cases) {
      const r = await push('dave', 'households', rows);
      expect(r.status).toBe(403);
      expect(r.json.error.code).toBe('forbidden');
      expect(r.json.error.message).toMatch(/nothing was stored/);
      // never leaks the demo document in the answer
      expect(JSON.stringify(r.json)).not.toContain('Rivera');
    }
    expect(await serverDocs(url, tokens.root, 'households')).toEqual(before);
  });

  it('an advisor cannot move a document to another team', async () => {
    const before = await serverDocs(url, tokens.root, 'households');
    const own = before.find((x) => x.id === 'hh-d2');
    const r = await push('alice', 'households', [{ newDocumentState: { ...own, teamId: 'north' }, assumedMasterState: own }]);
    expect(r.status).toBe(403);
    expect(r.json.error.message).toMatch(/team of a document cannot be changed/);
    expect(await serverDocs(url, tokens.root, 'households')).toEqual(before);
  });

  it('global collections are readable by everyone and writable by no advisor', async () => {
    const r = await push('alice', 'securities', [{ newDocumentState: sample.securities }]);
    expect(r.status).toBe(403);
    expect((await push('root', 'securities', [{ newDocumentState: sample.securities }])).status).toBe(200);
    const read = await api(url, 'GET', '/api/v1/replication/securities/0/pull', { token: tokens.dave });
    expect(read.json.documents.map((s: { symbol: string }) => s.symbol)).toEqual(['VTI']);
  });
});

describe('server-only fields', () => {
  const proposals = () => serverDocs(url, tokens.root, 'proposals');

  it('clients may submit a draft but not approve, set the approver, or touch an approved proposal', async () => {
    const before = await proposals();
    const draft = before.find((p) => p.id === 'p-draft');
    const approved = before.find((p) => p.id === 'p-approved');
    const refused = [
      { newDocumentState: { ...draft, status: 'approved' }, assumedMasterState: draft },
      { newDocumentState: { ...draft, approverId: 'u-alice' }, assumedMasterState: draft },
      { newDocumentState: { ...draft, executedAt: T + 9 }, assumedMasterState: draft },
      { newDocumentState: { ...approved, reason: 'changed after approval' }, assumedMasterState: approved },
      { newDocumentState: { ...approved, status: 'draft' }, assumedMasterState: approved },
      { newDocumentState: prop('p-new', 'approved', { approverId: 'u-alice', decidedAt: T }) },
    ];
    for (const row of refused) {
      const r = await push('alice', 'proposals', [row]);
      expect(r.status, JSON.stringify(row.newDocumentState).slice(0, 80)).toBe(403);
    }
    expect(await proposals()).toEqual(before);
    const ok = await push('alice', 'proposals', [{ newDocumentState: { ...draft, status: 'submitted', updatedAt: T + 50 }, assumedMasterState: draft }]);
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual([]);
    expect((await proposals()).find((p) => p.id === 'p-draft').status).toBe('submitted');
  });

  it('approval records are written by the server only', async () => {
    const before = await serverDocs(url, tokens.root, 'approvals');
    expect(before.map((a) => a.id)).toContain('apr-1');
    const r = await push('root', 'approvals', [{ newDocumentState: { ...sample.approvals, id: 'apr-forged' } }]);
    expect(r.status).toBe(403);
    expect(r.json.error.message).toMatch(/server only/);
    // (the approvals feature may add its own audit records meanwhile, e.g. for the submission above)
    const after = await serverDocs(url, tokens.root, 'approvals');
    expect(after.map((a) => a.id)).not.toContain('apr-forged');
    for (const doc of before) expect(after).toContainEqual(doc);
  });

  it('a refused local change reverts to the server state on the client, and the rest of the batch still syncs', async () => {
    const rejected: SyncHttpError[] = [];
    const a = await client('alice', ['proposals', 'households'], { onRejected: (_c: string, e: SyncHttpError) => rejected.push(e) });
    const p = await a.db.proposals.findOne('p-approved').exec();
    await p!.incrementalPatch({ reason: 'sneaky edit', updatedAt: T + 1000 });
    await eventually(async () => rejected.length > 0, 60_000, 'the 403');
    await eventually(async () => (await a.db.proposals.findOne('p-approved').exec())?.reason === sample.proposals.reason, 60_000, 'revert');
    expect(a.repl.status.lastError?.code).toBe('forbidden');
  });
});

describe('conflicts', () => {
  it('a stale push gets the current master back; a stale push of a hidden document gets 403, not the document', async () => {
    const current = (await serverDocs(url, tokens.root, 'households')).find((x) => x.id === 'hh-d2');
    const stale = { ...current, name: 'old name', updatedAt: T };
    const r = await push('alice', 'households', [{ newDocumentState: { ...current, state: 'NY' }, assumedMasterState: stale }]);
    expect(r.status).toBe(200);
    expect(r.json).toEqual([current]);
    const hidden = await push('dave', 'households', [{ newDocumentState: { ...current, notes: 'x' }, assumedMasterState: stale }]);
    expect(hidden.status).toBe(403);
    expect(JSON.stringify(hidden.json)).not.toContain(current.name);
  });
});

describe('bad input', () => {
  it('answers 4xx with a clear message, stores nothing and stays up', async () => {
    const before = await serverDocs(url, tokens.root, 'households');
    const valid = hh('hh-valid', 'demo', 'Valid');
    const checks: [Promise<{ status: number; json: any }>, number, string | RegExp][] = [
      [api(url, 'POST', '/api/v1/replication/households/0/push', { token: tokens.alice, rawBody: '[{"newDocumentState":' }), 400, 'malformed_json'],
      [push('alice', 'households', { not: 'an array' }), 400, /JSON array/],
      [push('alice', 'households', [{ newDocumentState: 'x' }]), 400, /row 0/],
      [push('alice', 'households', [{ newDocumentState: { ...valid, id: 7 } }]), 400, /non-empty string/],
      [push('alice', 'households', [{ newDocumentState: valid }, { newDocumentState: { ...valid, id: 'hh-bad', taxBracket: 'high' } }]), 400, /hh-bad.*taxBracket/],
      [push('alice', 'households', [{ newDocumentState: { ...valid, id: 'hh-bad2', unexpected: true } }]), 400, /hh-bad2/],
      [push('alice', 'households', [{ newDocumentState: valid }, { newDocumentState: valid }]), 400, /twice/],
      [push('alice', 'households', [{ newDocumentState: { ...valid, notes: 'x'.repeat(1100 * 1024) } }]), 413, 'payload_too_large'],
      [push('alice', 'nosuch', []), 404, /unknown collection "nosuch"/],
      [push('alice', 'households', [], 3), 400, /schema version 0 on this server, the client sent 3/],
      [push('alice', 'households', [], 'v1' as any), 400, /integer/],
      [api(url, 'GET', '/api/v1/replication/households/0/pull?lwt=abc', { token: tokens.alice }), 400, /lwt/],
      [api(url, 'GET', '/api/v1/replication/households/0/pull?limit=0', { token: tokens.alice }), 400, /limit/],
      [api(url, 'GET', '/api/v1/replication/households/0/pull', { token: 'not-a-token' }), 401, 'invalid_token'],
      [api(url, 'GET', '/api/v1/replication/households/0/pull'), 401, 'unauthorized'],
      [api(url, 'POST', '/api/v1/replication/households/0/push', { token: 'bad', body: [{ newDocumentState: valid }] }), 401, 'invalid_token'],
    ];
    for (const [req, status, expected] of checks) {
      const r = await req;
      expect(r.status, JSON.stringify(r.json)).toBe(status);
      expect(typeof r.json.error.message).toBe('string');
      if (typeof expected === 'string') expect(r.json.error.code).toBe(expected);
      else expect(r.json.error.message).toMatch(expected);
    }
    expect(await serverDocs(url, tokens.root, 'households')).toEqual(before);
    expect((await api(url, 'GET', '/healthz')).json).toEqual({ ok: true });
  });

  it('the stream refuses connections without a valid first auth message', async () => {
    const wsUrl = `${url.replace('http', 'ws')}/api/v1/replication/stream`;
    const closeOf = (first: string) =>
      new Promise<{ code: number; msgs: any[] }>((resolve) => {
        const ws = new WebSocket(wsUrl);
        const msgs: any[] = [];
        ws.on('open', () => ws.send(first));
        ws.on('message', (m) => msgs.push(JSON.parse(String(m))));
        ws.on('close', (code) => resolve({ code, msgs }));
      });
    const noAuth = await closeOf(JSON.stringify({ type: 'subscribe' }));
    expect(noAuth.code).toBe(4401);
    const bad = await closeOf(JSON.stringify({ type: 'auth', token: 'nope' }));
    expect(bad.code).toBe(4401);
    expect(bad.msgs[0]).toMatchObject({ type: 'error', code: 'invalid_token' });
    const provider = await closeOf(JSON.stringify({ type: 'auth', token: tokens.feed }));
    expect(provider.code).toBe(4403);
    const garbage = await closeOf('{{{');
    expect(garbage.code).toBe(1008);
  });
});

describe('sessions on the client', () => {
  it('a revoked token pauses replication and calls onAuthError; local edits survive and sync after a new login', async () => {
    const errors: SyncHttpError[] = [];
    const c = await client('bob', ['households'], { onAuthError: (e: SyncHttpError) => errors.push(e) });
    expect((await api(url, 'POST', '/auth/logout', { token: c.token })).status).toBe(200);
    const doc = await c.db.households.findOne('hh-d2').exec();
    await doc!.incrementalPatch({ state: 'WA', updatedAt: T + 5000 });
    await eventually(async () => errors.length === 1, 60_000, 'onAuthError');
    expect(c.repl.status.authExpired).toBe(true);
    expect(c.repl.status.state).toBe('offline');
    expect((await c.db.households.findOne('hh-d2').exec())?.state).toBe('WA');
    const fresh = await login(url, 'bob', PASSWORD);
    await c.repl.resume(fresh.token);
    await eventually(async () => (await serverDocs(url, tokens.root, 'households')).find((x) => x.id === 'hh-d2').state === 'WA', 60_000, 'push after resume');
    expect(c.repl.status.authExpired).toBe(false);
  });
});
