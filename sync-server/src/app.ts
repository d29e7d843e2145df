// The sync server's core: opens the data folder (SQLite file + server RxDB), builds the Express 5 app and the ws
// upgrade routing, mounts the features (replication, market, approvals) and owns clean shutdown.
// `createServer(config)` is what `main.ts` and the integration tests call.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import express from 'express';
import pino, { type Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Feature, FeatureFactory, ServerConfig, ServerContext, SqlDb } from './context.ts';
import { openSqlDb } from './db/sql-db.ts';
import { createAuthTables } from './auth/auth-tables.ts';
import { createAuth } from './auth/index.ts';
import type { Clock } from './auth/sessions.ts';
import { errorHandler, notFoundHandler } from './http/errors.ts';
import { createMetrics, type ServerMetrics } from './http/metrics.ts';
import { openServerBook, type ServerBook } from './db/book-db.ts';
import { createReplicationFeature } from './replication/index.ts';
import type { Auth } from './auth/index.ts';
import { seedDemo } from './demo-seed.ts';
import { createMarketFeature } from './market/index.ts';
import { createApprovalsFeature } from './approvals/index.ts';

export interface CreateServerOptions {
  /** Clock for sessions and rate limits (tests move it forward). Default Date.now. */
  now?: Clock;
  logger?: Logger;
  /** Extra features mounted after the built-in ones (tests, embedding). */
  features?: FeatureFactory[];
  /** Households of the demo book seeded on the first demo-mode run (default 25). */
  demoHouseholds?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  ctx: ServerContext;
  close(): Promise<void>;
}

/** The data folder is in use by another live server process (or in this process). */
export class DataDirInUseError extends Error {
  constructor(dir: string, pid: number) {
    super(`data folder ${dir} is in use by another server (process ${pid}); stop it first or pick another --data folder`);
    this.name = 'DataDirInUseError';
  }
}

const heldDirs = new Set<string>();

function takeLock(dataDir: string): () => void {
  const lockFile = join(dataDir, 'server.lock');
  if (heldDirs.has(dataDir)) throw new DataDirInUseError(dataDir, process.pid);
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    let alive = false;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch (err) {
        alive = (err as { code?: string }).code === 'EPERM';
      }
    }
    if (alive) throw new DataDirInUseError(dataDir, pid);
  }
  writeFileSync(lockFile, String(process.pid));
  heldDirs.add(dataDir);
  return () => {
    heldDirs.delete(dataDir);
    rmSync(lockFile, { force: true });
  };
}

function corsMiddleware(): express.RequestHandler {
  // Bearer tokens (no cookies), so any origin may call: the renderer runs from file://, app:// or a dev port.
  return (req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
    res.setHeader('Access-Control-Expose-Headers', 'X-Total-Count, X-Session-Expires-At, Retry-After');
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };
}

/** Feature factories mounted by every server, in order. */
function builtInFeatures(book: ServerBook, metrics: ServerMetrics, auth: Auth): [string, FeatureFactory][] {
  return [
    ['replication', createReplicationFeature(book, metrics, (token, renew) => auth.sessions.check(token, renew))],
    ['market', createMarketFeature],
    ['approvals', createApprovalsFeature],
  ];
}

export async function createServer(config: ServerConfig, options: CreateServerOptions = {}): Promise<RunningServer> {
  const now = options.now ?? Date.now;
  const log = options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info', base: undefined });
  mkdirSync(config.dataDir, { recursive: true });
  const releaseLock = takeLock(config.dataDir);

  const cleanups: (() => Promise<void> | void)[] = [releaseLock];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch((err) => log.error({ err }, 'cleanup failed'));
    cleanups.length = 0;
  };

  let sql: SqlDb;
  let book: ServerBook;
  const features: Feature[] = [];
  try {
    sql = await openSqlDb(join(config.dataDir, 'server.sqlite'));
    cleanups.push(() => sql.close());
    await createAuthTables(sql);
    book = await openServerBook(config.dataDir);
    cleanups.push(() => book.close());
    for (const [collection, m] of Object.entries(book.migrations)) log.info({ collection, ...m }, 'book collection migrated to its new schema version');
    if (config.demo) await seedDemo(sql, book.db, log, now(), options.demoHouseholds);
  } catch (err) {
    await cleanup();
    throw err;
  }

  const auth = createAuth(sql, now);
  const metrics = createMetrics(() => auth.sessions.countActive());
  const ctx: ServerContext = {
    config,
    sql,
    auth: { verifyToken: auth.verifyToken, requireAuth: auth.requireAuth, requireRole: auth.requireRole },
    log,
    metrics: metrics.registry,
    now,
    book: book.db,
  };

  try {
    // Built-in features first, then extra ones; an extra feature named like a built-in one (e.g. a test's own
    // "market" with injected options) replaces the built-in one.
    const builtIn = builtInFeatures(book, metrics, auth);
    const extras: Feature[] = [];
    for (const factory of options.features ?? []) extras.push(await factory(ctx));
    const replaced = new Set(extras.map((f) => f.name));
    for (const [name, factory] of builtIn) if (!replaced.has(name)) features.push(await factory(ctx));
    features.push(...extras);
    for (const f of features) {
      await f.start?.();
      log.debug({ feature: f.name }, 'feature started');
    }
  } catch (err) {
    for (const f of features.reverse()) await f.stop?.().catch(() => undefined);
    await cleanup();
    throw err;
  }

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(metrics.httpMiddleware);
  app.use(corsMiddleware());
  app.use(express.json({ limit: config.bodyLimitBytes, strict: false }));
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  app.use(auth.router);
  for (const f of features) if (f.router) app.use(f.router);
  app.use(notFoundHandler);
  app.use(errorHandler(log, config.bodyLimitBytes));

  const wsRoutes = new Map<string, (ws: WebSocket, req: IncomingMessage) => void>();
  for (const f of features) for (const [path, handler] of Object.entries(f.wsRoutes ?? {})) wsRoutes.set(path, handler);
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.bodyLimitBytes });

  const server = createHttpServer(app);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const handler = wsRoutes.get(path);
    if (!handler || closing) {
      socket.end(`HTTP/1.1 ${closing ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      metrics.wsConnections.inc({ path });
      ws.on('close', () => metrics.wsConnections.dec({ path }));
      ws.on('error', (err) => log.debug({ err, path }, 'ws error'));
      handler(ws, req);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (err) => {
    for (const f of features.reverse()) await f.stop?.().catch(() => undefined);
    await cleanup();
    throw err;
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  log.info({ url, dataDir: config.dataDir, demo: config.demo }, 'sync server listening');

  let closing = false;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      closing = true;
      log.info('sync server shutting down');
      // Stop accepting; in-flight requests finish, idle keep-alive sockets close now, the rest after 10 s.
      const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
      const force = setTimeout(() => {
        server.closeAllConnections();
        for (const ws of wss.clients) ws.terminate();
      }, 10_000);
      force.unref();
      for (const f of [...features].reverse()) await f.stop?.().catch((err) => log.error({ err, feature: f.name }, 'feature stop failed'));
      await httpClosed;
      clearTimeout(force);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await cleanup();
      log.info('sync server stopped');
    })());

  return { url, port, ctx, close };
}
