// The server command line: startup errors are clear and exit 1, SIGTERM drains (ws closed with 1001, exit 0),
// add-user creates a user that can log in.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { api, spawnServer, tempDir } from './test/harness.ts';

vi.setConfig({ testTimeout: 400_000 });
const MAIN = join(import.meta.dirname, 'main.ts');
const dirs: { remove(): void }[] = [];
afterAll(() => dirs.forEach((d) => d.remove()));
const dir = () => {
  const t = tempDir('aw-main-');
  dirs.push(t);
  return t.dir;
};
const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { input, encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'warn' }, timeout: 120_000 });

describe('sync-server command line', () => {
  it('refuses a corrupt database file with a clear message and exit 1', () => {
    const d = dir();
    writeFileSync(join(d, 'server.sqlite'), 'this is not a database, just text that is long enough to have a header');
    const r = run(['--port', '0', '--data', d]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot open database .*server\.sqlite: the file is not a SQLite database/);
  });

  it('rejects bad options with a message', () => {
    const r = run(['--port', 'eighty']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/not a port/);
  });

  it('add-user creates a user from stdin; a duplicate is refused', async () => {
    const d = dir();
    const ok = run(['add-user', '--username', 'erin', '--password-stdin', '--team', 'north', '--role', 'advisor', '--data', d], 'erin-pw\n');
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/added user erin \(id u-erin, team "north", role advisor\)/);
    const dup = run(['add-user', '--username', 'erin', '--password-stdin', '--team', 'north', '--role', 'advisor', '--data', d], 'another-pw\n');
    expect(dup.status).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);
    const bad = run(['add-user', '--username', 'x', '--password-stdin', '--role', 'king', '--data', d], 'x\n');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/must be one of/);

    const server = await spawnServer(d);
    try {
      const login = await api(server.url, 'POST', '/auth/login', { body: { username: 'erin', password: 'erin-pw' } });
      expect(login.json.user).toEqual({ id: 'u-erin', username: 'erin', team: 'north', role: 'advisor' });
      // a second server on the same data folder is refused
      const second = run(['--port', '0', '--data', d]);
      expect(second.status).toBe(1);
      expect(second.stderr).toMatch(/in use by another server/);

      // SIGTERM: open streams are closed with 1001, the process exits 0
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/replication/stream`);
      const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
      await new Promise((resolve) => ws.on('open', resolve));
      ws.send(JSON.stringify({ type: 'auth', token: login.json.token }));
      await new Promise((resolve) => ws.on('message', resolve));
      expect(await server.stop('SIGTERM')).toBe(0);
      expect(await closed).toBe(1001);
      expect(server.stderr()).not.toMatch(/error/i);
    } finally {
      await server.stop('SIGKILL');
    }
  });

  it('seeds the demo users and book on the first --demo run only', async () => {
    const d = dir();
    const first = await spawnServer(d, ['--demo']);
    let token: string;
    let households: number;
    try {
      const login = await api(first.url, 'POST', '/auth/login', { body: { username: 'alice', password: 'demo' } });
      expect(login.json.user).toEqual({ id: 'u-alice', username: 'alice', team: 'demo', role: 'advisor' });
      token = login.json.token;
      const pulled = await api(first.url, 'GET', '/api/v1/replication/households/0/pull?limit=1000', { token });
      households = pulled.json.documents.length;
      expect(households).toBe(20); // 25 demo households, every fifth belongs to north
      for (const u of ['bob', 'carol', 'dave', 'feed']) expect((await api(first.url, 'POST', '/auth/login', { body: { username: u, password: 'demo' } })).status).toBe(200);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    const second = await spawnServer(d, ['--demo']);
    try {
      const login = await api(second.url, 'POST', '/auth/login', { body: { username: 'alice', password: 'demo' } });
      const pulled = await api(second.url, 'GET', '/api/v1/replication/households/0/pull?limit=1000', { token: login.json.token });
      expect(pulled.json.documents.length).toBe(households);
    } finally {
      await second.stop();
    }
    // never outside demo mode
    const plain = dir();
    const p = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', '--data', plain], { stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolve) => {
      let out = '';
      p.stdout.on('data', (c) => {
        out += c;
        const m = /listening on (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
    });
    expect((await api(url, 'POST', '/auth/login', { body: { username: 'alice', password: 'demo' } })).status).toBe(401);
    p.kill('SIGTERM');
    await new Promise((r) => p.once('exit', r));
  });
});
