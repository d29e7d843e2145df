// Offline-first behaviour against a real server process: edits made while the server is down converge after it
// restarts, and a server killed with SIGKILL during a push storm keeps every write it acknowledged.
import { afterAll, describe, expect, it } from 'vitest';
import { sampleBookDocs, type Household } from '@aw/domain';
import { login } from '@aw/sync-client';
import {
  addTestUsersTo, eventually, PASSWORD, seedBook, serverDocs, spawnServer, startClient, tempDir, type ServerProcess, type TestClient,
} from '../test/harness.ts';

const T = 1_795_000_000_000;
const sample = sampleBookDocs();
const hh = (i: number): Household => ({ ...sample.households, id: `hh-${String(i).padStart(3, '0')}`, name: `Household ${i}`, updatedAt: T });
const portOf = (url: string) => new URL(url).port;

const dirs: { remove(): void }[] = [];
const running: ServerProcess[] = [];
const clients: TestClient[] = [];
afterAll(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  for (const s of running) await s.stop('SIGKILL');
  for (const d of dirs) d.remove();
});

async function setup(households: number) {
  const tmp = tempDir();
  dirs.push(tmp);
  await addTestUsersTo(tmp.dir);
  await seedBook(tmp.dir, { households: Array.from({ length: households }, (_, i) => hh(i)) });
  const server = await spawnServer(tmp.dir);
  running.push(server);
  return { dir: tmp.dir, server };
}

async function client(url: string, username: string, opts = {}): Promise<TestClient> {
  const c = await startClient(url, username, { collections: ['households'], ...opts });
  clients.push(c);
  await c.repl.awaitInitialSync();
  return c;
}

describe('offline', { timeout: 300_000 }, () => {
  it('A edits while the server is down, B edits another field; both converge after restart', async () => {
    const { dir, server } = await setup(3);
    const a = await client(server.url, 'alice');
    const b = await client(server.url, 'bob');
    expect(await server.stop('SIGTERM')).toBe(0);
    await eventually(() => a.repl.status.state === 'offline' && b.repl.status.state === 'offline', 90_000, 'both offline');

    await (await a.db.households.findOne('hh-001').exec())!.incrementalPatch({ name: 'Renamed offline by A', updatedAt: T + 10 });
    await (await b.db.households.findOne('hh-001').exec())!.incrementalPatch({ notes: 'Note written offline by B', updatedAt: T + 20 });
    await (await b.db.households.findOne('hh-002').exec())!.incrementalPatch({ state: 'TX', updatedAt: T + 30 });
    await eventually(() => a.repl.status.pendingLocalChanges === 1 && b.repl.status.pendingLocalChanges === 2, 30_000, 'pending counts');

    const restarted = await spawnServer(dir, ['--port', portOf(server.url)]);
    running.push(restarted);
    const converged = async (c: TestClient) => {
      const d1 = await c.db.households.findOne('hh-001').exec();
      const d2 = await c.db.households.findOne('hh-002').exec();
      return d1?.name === 'Renamed offline by A' && d1?.notes === 'Note written offline by B' && d2?.state === 'TX';
    };
    await eventually(() => converged(a), 90_000, 'A converged');
    await eventually(() => converged(b), 90_000, 'B converged');
    await eventually(() => a.repl.status.pendingLocalChanges === 0 && b.repl.status.pendingLocalChanges === 0, 90_000, 'nothing pending');
    const root = await login(restarted.url, 'root', PASSWORD);
    const stored = (await serverDocs(restarted.url, root.token, 'households')).find((d) => d.id === 'hh-001');
    expect(stored).toMatchObject({ name: 'Renamed offline by A', notes: 'Note written offline by B' });
    const strip = (d: any) => ({ ...d.toJSON(), _rev: undefined, _meta: undefined });
    expect(strip(await a.db.households.findOne('hh-001').exec())).toEqual(strip(await b.db.households.findOne('hh-001').exec()));
  });
});

describe('crash', { timeout: 300_000 }, () => {
  it('kill -9 during a push storm loses no acknowledged write; clients resume after restart', async () => {
    const N = 40;
    const { dir, server } = await setup(N);
    // Record what the server acknowledged: the document states of every push answered 200 (minus conflicts).
    const acked = new Map<string, number>();
    const recordingFetch: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (res.ok && init?.method === 'POST' && String(input).endsWith('/push')) {
        const rows = JSON.parse(String(init.body)) as { newDocumentState: Household }[];
        const conflicts = new Set(((await res.clone().json()) as Household[]).map((d) => d.id));
        for (const r of rows) if (!conflicts.has(r.newDocumentState.id)) acked.set(r.newDocumentState.id, Math.max(acked.get(r.newDocumentState.id) ?? 0, r.newDocumentState.updatedAt));
      }
      return res;
    };
    const a = await client(server.url, 'alice', { fetchImpl: recordingFetch, pushBatchSize: 5 });
    const b = await client(server.url, 'bob');

    let edits = 0;
    let stop = false;
    const storm = (async () => {
      for (let round = 1; !stop; round++) {
        for (let i = 0; i < N && !stop; i++) {
          const doc = await a.db.households.findOne(hh(i).id).exec();
          await doc!.incrementalPatch({ notes: `round ${round}`, updatedAt: T + round * 1000 + i });
          edits++;
          if (i % 4 === 0) await new Promise((r) => setTimeout(r, 2));
        }
      }
    })();
    await eventually(() => acked.size >= 10, 90_000, 'some acknowledged pushes');
    expect(await server.stop('SIGKILL')).toBe(null);
    stop = true;
    await storm;
    const ackedAtKill = new Map(acked);
    expect(edits).toBeGreaterThan(10);

    const restarted = await spawnServer(dir, ['--port', portOf(server.url)]);
    running.push(restarted);
    const root = await login(restarted.url, 'root', PASSWORD);
    // Right after restart (before clients re-push): every acknowledged write is there (or a later one).
    const afterCrash = new Map((await serverDocs(restarted.url, root.token, 'households')).map((d) => [d.id, d.updatedAt as number]));
    for (const [id, updatedAt] of ackedAtKill) expect(afterCrash.get(id), id).toBeGreaterThanOrEqual(updatedAt);

    // Clients resume: A's remaining edits reach the server and B.
    const finalA = new Map((await a.db.households.find().exec()).map((d) => [d.id, d.updatedAt]));
    await eventually(async () => {
      await new Promise((r) => setTimeout(r, 250));
      const stored = new Map((await serverDocs(restarted.url, root.token, 'households')).map((d) => [d.id, d.updatedAt as number]));
      const missing = [...finalA].filter(([id, u]) => stored.get(id) !== u);
      if (missing.length === 0) return true;
      // Not yet: what is missing and A's replication state, in the timeout's message if it never comes.
      const nowA = new Map((await a.db.households.find().exec()).map((d) => [d.id, d.updatedAt]));
      throw new Error(`${missing.length} not on the server; A's replication ${JSON.stringify(a.repl.status)}; `
        + missing.slice(0, 3).map(([id, u]) => `${id} final=${u} nowA=${nowA.get(id)} server=${stored.get(id)}`).join(' | '));
    }, 90_000, 'A fully pushed');
    await eventually(async () => {
      const onB = new Map((await b.db.households.find().exec()).map((d) => [d.id, d.updatedAt]));
      return [...finalA].every(([id, u]) => onB.get(id) === u);
    }, 90_000, 'B caught up');
  });
});
