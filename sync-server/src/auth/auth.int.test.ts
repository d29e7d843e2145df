// Auth against a real in-process server (real SQLite file in a temp folder) with an injected clock:
// login, logout, idle/absolute expiry, renewal on use, the 5-session cap, the login rate limit, admin user creation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestUsers, api, PASSWORD, startServer, tempDir } from '../test/harness.ts';
import type { RunningServer } from '../app.ts';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from './sessions.ts';

let clock = 1_800_000_000_000;
const tmp = tempDir();
let server: RunningServer;
let url: string;

beforeAll(async () => {
  server = await startServer(tmp.dir, { now: () => clock });
  url = server.url;
  await addTestUsers(server.ctx.sql);
});
afterAll(async () => {
  await server.close();
  tmp.remove();
});

const loginAs = async (username: string, password = PASSWORD) => api(url, 'POST', '/auth/login', { body: { username, password } });
const session = async (token: string) => api(url, 'GET', '/auth/session', { token });

describe('login', () => {
  it('returns a token, its expiry and the user', async () => {
    const r = await loginAs('alice');
    expect(r.status).toBe(200);
    expect(r.json.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.json.expiresAt).toBe(clock + SESSION_IDLE_MS);
    expect(r.json.user).toEqual({ id: 'u-alice', username: 'alice', team: 'demo', role: 'advisor' });
    expect((await session(r.json.token)).status).toBe(200);
  });

  it('refuses a wrong password or an unknown user with the same message', async () => {
    const a = await loginAs('bob', 'nope');
    const b = await loginAs('nobody', 'nope');
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(a.json.error).toEqual({ code: 'invalid_credentials', message: 'wrong username or password' });
    expect(b.json.error).toEqual(a.json.error);
  });

  it('stores only hashes: neither the password nor the token is in the database', async () => {
    const r = await loginAs('alice');
    const rows = JSON.stringify(await server.ctx.sql.all('SELECT * FROM users')) + JSON.stringify(await server.ctx.sql.all('SELECT * FROM sessions'));
    expect(rows).not.toContain(PASSWORD);
    expect(rows).not.toContain(r.json.token);
  });

  it('rejects malformed bodies with 400 and a clear message', async () => {
    const missing = await api(url, 'POST', '/auth/login', { body: { username: 'alice' } });
    expect(missing.status).toBe(400);
    expect(missing.json.error.code).toBe('invalid_body');
    expect(missing.json.error.message).toContain('password');
    const wrongType = await api(url, 'POST', '/auth/login', { body: { username: 42, password: ['x'] } });
    expect(wrongType.status).toBe(400);
    const broken = await api(url, 'POST', '/auth/login', { rawBody: '{"username":' });
    expect(broken.status).toBe(400);
    expect(broken.json.error.code).toBe('malformed_json');
    const notJson = await api(url, 'POST', '/auth/login', { rawBody: 'username=alice', contentType: 'text/plain' });
    expect(notJson.status).toBe(400);
    expect(notJson.json.error.message).toMatch(/JSON body/);
  });

  it('rate-limits failed logins per username and address (429 with Retry-After), then lets them in again', async () => {
    clock += 5 * 60_000 + 1; // forget the failure of the previous test
    for (let i = 0; i < 10; i++) expect((await loginAs('bob', `wrong${i}`)).status).toBe(401);
    const limited = await loginAs('bob');
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // another user from the same address is not affected
    expect((await loginAs('carol')).status).toBe(200);
    clock += 5 * 60_000 + 1;
    expect((await loginAs('bob')).status).toBe(200);
  });
});

describe('sessions', () => {
  it('expire after 30 idle minutes with 401 session_expired', async () => {
    const { token } = (await loginAs('alice')).json;
    clock += SESSION_IDLE_MS - 1000;
    expect((await session(token)).status).toBe(200);
    clock += SESSION_IDLE_MS - 1000; // renewed by the previous call
    expect((await session(token)).status).toBe(200);
    clock += SESSION_IDLE_MS;
    const r = await session(token);
    expect(r.status).toBe(401);
    expect(r.json.error.code).toBe('session_expired');
    expect(r.json.error.message).toMatch(/30 minutes/);
  });

  it('expire 8 hours after login even when used all the time', async () => {
    const { token } = (await loginAs('alice')).json;
    const start = clock;
    while (clock < start + SESSION_ABSOLUTE_MS - 20 * 60_000) {
      clock += 20 * 60_000;
      expect((await session(token)).status).toBe(200);
    }
    clock = start + SESSION_ABSOLUTE_MS;
    const r = await session(token);
    expect(r.status).toBe(401);
    expect(r.json.error.code).toBe('session_expired');
    expect(r.json.error.message).toMatch(/8 hours/);
  });

  it('are capped at 5 per user: the 6th login revokes the oldest', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 6; i++) {
      tokens.push((await loginAs('carol')).json.token);
      clock += 1000;
    }
    const first = await session(tokens[0]);
    expect(first.status).toBe(401);
    expect(first.json.error.code).toBe('session_expired');
    for (const t of tokens.slice(1)) expect((await session(t)).status).toBe(200);
  });

  it('end on logout', async () => {
    const { token } = (await loginAs('dave')).json;
    expect((await api(url, 'POST', '/auth/logout', { token })).status).toBe(200);
    const r = await session(token);
    expect(r.status).toBe(401);
    expect(r.json.error.code).toBe('invalid_token');
  });

  it('refuse missing, malformed and unknown tokens', async () => {
    expect((await api(url, 'GET', '/auth/session')).json.error.code).toBe('unauthorized');
    expect((await api(url, 'GET', '/auth/session', { token: 'x'.repeat(500) })).status).toBe(401);
    expect((await api(url, 'GET', '/auth/session', { token: 'AAAA' })).json.error.code).toBe('invalid_token');
  });
});

describe('admin', () => {
  it('an admin adds users; others may not; duplicates and bad roles are refused', async () => {
    const root = (await loginAs('root')).json.token;
    const alice = (await loginAs('alice')).json.token;
    const body = { username: 'erin', password: 'pw-erin', team: 'north', role: 'reviewer' };
    expect((await api(url, 'POST', '/api/v1/admin/users', { token: alice, body })).status).toBe(403);
    const created = await api(url, 'POST', '/api/v1/admin/users', { token: root, body });
    expect(created.status).toBe(201);
    expect(created.json.user).toEqual({ id: 'u-erin', username: 'erin', team: 'north', role: 'reviewer' });
    expect((await api(url, 'POST', '/api/v1/admin/users', { token: root, body })).status).toBe(409);
    expect((await api(url, 'POST', '/api/v1/admin/users', { token: root, body: { ...body, username: 'x', role: 'king' } })).status).toBe(400);
    const login = await loginAs('erin', 'pw-erin');
    expect(login.json.user.role).toBe('reviewer');
  });
});

describe('server basics', () => {
  it('answers /healthz, /metrics, 404 for unknown routes, 413 for oversized bodies', async () => {
    expect((await api(url, 'GET', '/healthz')).json).toEqual({ ok: true });
    const metrics = await api(url, 'GET', '/metrics');
    expect(metrics.json).toContain('http_requests_total{method="POST",route="/auth/login",status="200"}');
    expect(metrics.json).toContain('auth_active_sessions');
    expect(metrics.json).toContain('http_request_duration_seconds_bucket');
    const nf = await api(url, 'GET', '/api/v1/nothing');
    expect(nf.status).toBe(404);
    expect(nf.json.error.code).toBe('not_found');
    const big = await api(url, 'POST', '/auth/login', { body: { username: 'alice', password: 'x'.repeat(2 * 1024 * 1024) } });
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe('payload_too_large');
    expect((await api(url, 'GET', '/healthz')).status).toBe(200);
  });
});
