// Large pull pages (the initial-sync path: up to 20,000 documents per page, gzip-compressed when the client accepts
// it) on a real server over a real SQLite file. The property: a client that bulk-pulls and then continues with
// small pages, while the server keeps writing in between, ends with exactly the server's documents of its team,
// and never receives the same document version twice.
import { gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { sampleBookDocs, type Household } from '@aw/domain';
import { login } from '@aw/sync-client';
import type { RunningServer } from '../app.ts';
import { addTestUsersTo, api, PASSWORD, serverDocs, startServer, tempDir } from '../test/harness.ts';
import { MAX_PULL_LIMIT } from './pull-push.ts';

vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

const sample = sampleBookDocs();
const tmp = tempDir();
let server: RunningServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  await addTestUsersTo(tmp.dir);
  server = await startServer(tmp.dir, { bodyLimitBytes: 8 * 1024 * 1024 });
  for (const u of ['alice', 'dave', 'root', 'feed']) tokens[u] = (await login(server.url, u, PASSWORD)).token;
});
afterAll(async () => {
  await server.close();
  tmp.remove();
});

/** What the server stores, as written by the test (the only writer): id → document state. */
const model = new Map<string, Household>();
let clock = 1_795_000_000_000;

async function write(ids: string[], teamOf: (id: string) => string): Promise<void> {
  const rows = ids.map((id) => {
    const before = model.get(id);
    const next: Household = { ...(before ?? { ...sample.households, id, teamId: teamOf(id) }), name: `v${++clock}`, updatedAt: clock };
    return { row: { newDocumentState: next, assumedMasterState: before ?? null }, next };
  });
  const r = await api(server.url, 'POST', '/api/v1/replication/households/0/push', { token: tokens.root, body: rows.map((x) => x.row) });
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  expect(r.json).toEqual([]);
  for (const { next } of rows) model.set(next.id, next);
}

interface Page {
  documents: (Household & { _deleted: boolean })[];
  checkpoint: { id: string; lwt: number } | null;
}

/** One pull over raw HTTP, asking for gzip or not, decoding the body the way the wire delivers it. */
function pullRaw(token: string, limit: number, since: { id: string; lwt: number } | null, gzip: boolean): Promise<{ page: Page; encoding?: string }> {
  const q = new URLSearchParams({ limit: String(limit), lwt: String(since?.lwt ?? ''), id: since?.id ?? '' });
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname, port, path: `/api/v1/replication/households/0/pull?${q}`, headers: { Authorization: `Bearer ${token}`, 'Accept-Encoding': gzip ? 'gzip' : 'identity' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const encoding = res.headers['content-encoding'];
          const text = (encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
          if (res.statusCode !== 200) return reject(new Error(`pull ${res.statusCode}: ${text}`));
          resolve({ page: JSON.parse(text) as Page, encoding });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('bulk pull', () => {
  it('checkpoint continuity: bulk pages then small pages under interleaved server writes miss nothing and repeat nothing', async () => {
    let run = 0;
    const command = fc.oneof(
      fc.record({ kind: fc.constant('write' as const), fresh: fc.integer({ min: 0, max: 40 }), updates: fc.array(fc.nat(), { maxLength: 8 }), north: fc.boolean() }),
      fc.record({ kind: fc.constant('pull' as const), limit: fc.constantFrom(1, 2, 7, 1000, MAX_PULL_LIMIT), gzip: fc.boolean() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 14 }), fc.constantFrom('alice', 'dave'), async (commands, who) => {
        const prefix = `r${++run}`;
        let created = 0;
        const client = new Map<string, Household>();
        const seenVersions = new Set<string>();
        let checkpoint: Page['checkpoint'] = null;
        const team = who === 'alice' ? 'demo' : 'north';
        const apply = (page: Page) => {
          for (const d of page.documents) {
            const version = `${d.id}@${d.updatedAt}`;
            expect(seenVersions.has(version), `duplicate ${version}`).toBe(false);
            seenVersions.add(version);
            expect(d.teamId).toBe(team);
            client.set(d.id, d);
          }
          checkpoint = page.checkpoint ?? checkpoint;
        };
        // A bulk page first (the initial sync), then the interleaving.
        apply((await pullRaw(tokens[who], MAX_PULL_LIMIT, null, true)).page);
        for (const c of commands) {
          if (c.kind === 'write') {
            const existing = [...model.keys()];
            const ids = new Set<string>();
            for (let i = 0; i < c.fresh; i++) ids.add(`${prefix}-${c.north ? 'n' : 'd'}${created++}`);
            for (const u of c.updates) if (existing.length) ids.add(existing[u % existing.length]);
            if (ids.size) await write([...ids], (id) => (/-n\d+$/.test(id) ? 'north' : 'demo'));
          } else {
            apply((await pullRaw(tokens[who], c.limit, checkpoint, c.gzip)).page);
          }
        }
        // Continue with normal pages until the server has nothing newer.
        for (;;) {
          const { page } = await pullRaw(tokens[who], 1000, checkpoint, false);
          apply(page);
          if (page.documents.length < 1000) break;
        }
        const expected = [...model.values()].filter((d) => d.teamId === team);
        expect(client.size).toBe(expected.length);
        for (const d of expected) expect(client.get(d.id)?.updatedAt, d.id).toBe(d.updatedAt);
      }),
      { numRuns: 25 },
    );
    // The model is the server: an admin's full listing agrees.
    const stored = await serverDocs(server.url, tokens.root, 'households');
    expect(stored.map((d) => `${d.id}@${d.updatedAt}`).sort()).toEqual([...model.values()].map((d) => `${d.id}@${d.updatedAt}`).sort());
  });

  it('compresses a large page when the client accepts gzip, and sends the same documents either way', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `gz-${i}`);
    await write(ids, () => 'demo');
    const zipped = await pullRaw(tokens.alice, MAX_PULL_LIMIT, null, true);
    const plain = await pullRaw(tokens.alice, MAX_PULL_LIMIT, null, false);
    expect(zipped.encoding).toBe('gzip');
    expect(plain.encoding).toBeUndefined();
    expect(zipped.page).toEqual(plain.page);
    expect(zipped.page.documents.length).toBeGreaterThanOrEqual(300);
  });

  it('refuses bad page sizes and callers without access with a clear 4xx', async () => {
    const path = (q: string) => `/api/v1/replication/households/0/pull?${q}`;
    const tooBig = await api(server.url, 'GET', path(`limit=${MAX_PULL_LIMIT + 1}`), { token: tokens.alice });
    expect(tooBig.status).toBe(400);
    expect(tooBig.json.error.code).toBe('invalid_query');
    expect(tooBig.json.error.message).toContain(String(MAX_PULL_LIMIT));
    for (const q of ['limit=0', 'limit=abc', 'limit=2.5', 'lwt=-1', 'lwt=x']) {
      const r = await api(server.url, 'GET', path(q), { token: tokens.alice });
      expect(r.status, q).toBe(400);
      expect(r.json.error.code, q).toBe('invalid_query');
    }
    expect((await api(server.url, 'GET', path(`limit=${MAX_PULL_LIMIT}`))).status).toBe(401);
    expect((await api(server.url, 'GET', path(`limit=${MAX_PULL_LIMIT}`), { token: 'not-a-token' })).status).toBe(401);
    const provider = await api(server.url, 'GET', path(`limit=${MAX_PULL_LIMIT}`), { token: tokens.feed });
    expect(provider.status).toBe(403);
    expect(provider.json.error.code).toBe('forbidden');
  });
});
