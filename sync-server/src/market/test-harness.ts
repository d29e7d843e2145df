// Test and bench harness: a real sync server (H6's createServer: express, ws, SQLite file in a temp folder) with
// the market feature mounted with injected options, users alice (advisor), feed (provider) and root (admin)
// logged in through the real /auth/login, and small ws client helpers that collect messages.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import WebSocket from 'ws';
import { createServer, type RunningServer } from '../app.ts';
import type { FeatureFactory } from '../context.ts';
import { createUser } from '../auth/users.ts';
import { marketFeature, type MarketFeature, type MarketOptions } from './index.ts';

export interface Harness {
  server: RunningServer;
  market: MarketFeature;
  url: string;
  wsUrl: string;
  tokens: { alice: string; feed: string; root: string };
  dataDir: string;
  close(): Promise<void>;
}

export async function startHarness(opts: MarketOptions, o: { dataDir?: string; logLevel?: string; extraFeatures?: FeatureFactory[] } = {}): Promise<Harness> {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'aw-market-'));
  let market!: MarketFeature;
  const factory = marketFeature(opts);
  const server = await createServer(
    { port: 0, host: '127.0.0.1', dataDir, demo: false, bodyLimitBytes: 5 * 1024 * 1024 },
    {
      logger: pino({ level: o.logLevel ?? 'silent' }),
      features: [
        async (ctx) => {
          market = (await factory(ctx)) as MarketFeature;
          return market;
        },
        ...(o.extraFeatures ?? []),
      ],
    },
  );
  const sql = server.ctx.sql;
  await createUser(sql, { username: 'alice', password: 'pw-alice', teamId: 'demo', role: 'advisor' });
  await createUser(sql, { username: 'feed', password: 'pw-feed', teamId: '', role: 'provider' });
  await createUser(sql, { username: 'root', password: 'pw-root', teamId: '', role: 'admin' });
  const login = async (username: string) => {
    const r = await fetch(`${server.url}/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: `pw-${username}` }),
    });
    if (!r.ok) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
    return ((await r.json()) as { token: string }).token;
  };
  const tokens = { alice: await login('alice'), feed: await login('feed'), root: await login('root') };
  return {
    server, market, url: server.url, wsUrl: server.url.replace(/^http/, 'ws'), tokens, dataDir,
    async close() {
      await server.close();
      if (!o.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type Msg = Record<string, any>;

/** A ws client that records every message and close. */
export interface TestClient {
  ws: WebSocket;
  messages: Msg[];
  closed: Promise<{ code: number; reason: string }>;
  send(msg: unknown): void;
  /** Waits for the first not yet awaited message matching `pred`. */
  waitFor(pred: (m: Msg) => boolean, timeoutMs?: number): Promise<Msg>;
}

export async function connect(wsUrl: string, path: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
  const ws = new WebSocket(`${wsUrl}${path}`, { perMessageDeflate: false, ...options });
  const messages: Msg[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    messages.push(JSON.parse(data.toString()));
    for (const w of waiters) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const consumed = new Set<number>();
  return {
    ws, messages, closed,
    send: (msg) => ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg)),
    waitFor(pred, timeoutMs = 5_000) {
      return new Promise<Msg>((resolve, reject) => {
        const check = () => {
          for (let i = 0; i < messages.length; i++) {
            if (!consumed.has(i) && pred(messages[i])) {
              consumed.add(i);
              const m = messages[i];
              waiters.delete(check);
              clearTimeout(timer);
              resolve(m);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages.slice(-5))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/** Connects and authenticates; resolves after the server's `ready`. */
export async function connectAuthed(h: Harness, path: '/api/v1/market/stream' | '/api/v1/market/ingest', token: string, extra: object = {}): Promise<TestClient> {
  const c = await connect(h.wsUrl, path);
  c.send({ type: 'auth', token, ...extra });
  await c.waitFor((m) => m.type === 'ready');
  return c;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A universe of test symbols S0000…S{n-1}. */
export const testSymbols = (n: number, prefix = 'S'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);
