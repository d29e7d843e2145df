// The contract between the server's core (app, auth, db) and its features (replication, market, approvals).
// A feature is a plain object of routes, ws routes and lifecycle hooks; the core mounts it.
import type { IncomingMessage } from 'node:http';
import type { RequestHandler, Router } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { WebSocket } from 'ws';
import type { RxDatabase } from 'rxdb';
import type { Role } from '@aw/domain';

/** The authenticated caller, set on `res.locals.user` by `auth.requireAuth`. */
export interface AuthUser {
  userId: string;
  username: string;
  teamId: string;
  role: Role;
  sessionId: string;
}

export interface RunResult { changes: number; lastID: number }

/** Promise wrapper over one sqlite3 connection (raw tables: auth, sessions, market data, audit). */
export interface SqlDb {
  run(sql: string, params?: unknown[]): Promise<RunResult>;
  get<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T | undefined>;
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
  /** Runs `fn` inside BEGIN IMMEDIATE … COMMIT (ROLLBACK on throw); calls are serialized. */
  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  demo: boolean;
  /** Largest accepted JSON body, bytes. */
  bodyLimitBytes: number;
}

export interface ServerContext {
  config: ServerConfig;
  /** `${dataDir}/server.sqlite`, WAL mode. */
  sql: SqlDb;
  auth: {
    verifyToken(token: string): Promise<AuthUser | null>;
    requireAuth: RequestHandler;
    requireRole(...roles: Role[]): RequestHandler;
  };
  log: Logger;
  metrics: Registry;
  /** Server clock (epoch ms); tests inject one. Added by H6. */
  now: () => number;
  /**
   * The server's copy of the book (RxDB with every book collection, on the SQLite RxStorage): the security master
   * (`book.collections.securities`), proposals for approvals, etc. Writes made here replicate to the desktops.
   * NOTE: open-source RxDB allows 13 open collections per PROCESS and the book uses 10, so features keep their own
   * data in `sql` (raw tables), not in new RxDB collections. Added by H6.
   */
  book: RxDatabase<any>;
}

/** Handler for one ws path; the first message must be `{"type":"auth","token"}` (use auth.verifyToken). */
export type WsRoute = (ws: WebSocket, req: IncomingMessage) => void;

export interface Feature {
  name: string;
  /** Mounted at '/'; routes carry their full path (e.g. /api/v1/market/prices). */
  router?: Router;
  /** ws upgrade handlers by exact path, e.g. '/api/v1/market/stream'. */
  wsRoutes?: Record<string, WsRoute>;
  start?(): Promise<void>;
  /** Drain and release resources; called on SIGTERM before the database closes. */
  stop?(): Promise<void>;
}

export type FeatureFactory = (ctx: ServerContext) => Promise<Feature> | Feature;
