// Authentication feature of the core: login/logout routes, bearer-token middleware, role checks, and the
// admin endpoint to add users. Login is rate-limited per username + client IP (10 failures per 5 minutes).
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { ROLES, type Role } from '@aw/domain';
import type { AuthUser, SqlDb } from '../context.ts';
import { HttpError, badRequest } from '../http/errors.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import { createRateLimiter } from './rate-limit.ts';
import { createSessionStore, type Clock, type SessionStore, type TokenCheck } from './sessions.ts';
import { createUser, findUserByName, UserInputError } from './users.ts';

export const LOGIN_MAX_FAILURES = 10;
export const LOGIN_WINDOW_MS = 5 * 60_000;

const loginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) });
const newUserBody = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(4).max(1024),
  team: z.string().max(64).default(''),
  role: z.enum(ROLES),
});

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  throw badRequest(body === undefined ? 'expected a JSON body (Content-Type: application/json)' : `${where}${issue.message}`, 'invalid_body');
}

export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

export interface Auth {
  sessions: SessionStore;
  check(token: string): Promise<TokenCheck>;
  verifyToken(token: string): Promise<AuthUser | null>;
  requireAuth: RequestHandler;
  requireRole(...roles: Role[]): RequestHandler;
  router: Router;
}

export function createAuth(sql: SqlDb, now: Clock): Auth {
  const sessions = createSessionStore(sql, now);
  const limiter = createRateLimiter(LOGIN_MAX_FAILURES, LOGIN_WINDOW_MS, now);

  const requireAuth: RequestHandler = async (req, res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (!token) throw new HttpError(401, 'unauthorized', 'missing "Authorization: Bearer <token>" header: log in first');
    const c = await sessions.check(token);
    if (!c.ok) throw new HttpError(401, c.code, c.message);
    res.locals.user = c.user;
    res.setHeader('X-Session-Expires-At', String(c.expiresAt));
    next();
  };

  const requireRole =
    (...roles: Role[]): RequestHandler =>
    (_req, res, next) => {
      const user = res.locals.user as AuthUser | undefined;
      if (!user) throw new HttpError(401, 'unauthorized', 'log in first');
      if (!roles.includes(user.role)) throw new HttpError(403, 'forbidden', `role ${user.role} may not do this (needs ${roles.join(' or ')})`);
      next();
    };

  const router = Router();
  router.post('/auth/login', async (req, res) => {
    const { username, password } = parseBody(loginBody, req.body);
    const key = `${username.toLowerCase()}|${req.ip}`;
    const waitMs = limiter.retryAfterMs(key);
    if (waitMs > 0) {
      const sec = Math.ceil(waitMs / 1000);
      throw new HttpError(429, 'rate_limited', `too many failed logins for "${username}": try again in ${sec} s`, { 'Retry-After': String(sec) });
    }
    const user = await findUserByName(sql, username.toLowerCase());
    const ok = await verifyPassword(password, user?.password_hash ?? (await dummyPasswordHash()));
    if (!user || !ok) {
      limiter.recordFailure(key);
      throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
    }
    limiter.reset(key);
    const s = await sessions.open(user.id);
    res.json({ token: s.token, expiresAt: s.expiresAt, user: { id: user.id, username: user.username, team: user.team_id, role: user.role } });
  });

  router.post('/auth/logout', requireAuth, async (_req, res) => {
    await sessions.revoke((res.locals.user as AuthUser).sessionId);
    res.json({ ok: true });
  });

  router.get('/auth/session', requireAuth, (_req, res) => {
    const u = res.locals.user as AuthUser;
    res.json({ user: { id: u.userId, username: u.username, team: u.teamId, role: u.role }, expiresAt: Number(res.getHeader('X-Session-Expires-At')) });
  });

  router.post('/api/v1/admin/users', requireAuth, requireRole('admin'), async (req, res) => {
    const b = parseBody(newUserBody, req.body);
    try {
      const u = await createUser(sql, { username: b.username, password: b.password, teamId: b.team, role: b.role }, now());
      res.status(201).json({ user: { id: u.id, username: u.username, team: u.team_id, role: u.role } });
    } catch (err) {
      if (err instanceof UserInputError) throw new HttpError(err.code === 'username_taken' ? 409 : 400, err.code, err.message);
      throw err;
    }
  });

  return {
    sessions,
    check: (token) => sessions.check(token),
    verifyToken: async (token) => {
      const c = await sessions.check(token);
      return c.ok ? c.user : null;
    },
    requireAuth,
    requireRole,
    router,
  };
}
