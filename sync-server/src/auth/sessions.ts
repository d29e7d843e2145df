// Bearer-token sessions. A token is 32 random bytes (base64url) handed to the client once; the server keeps only
// its sha256. A session ends 30 min after its last use (idle), 8 h after login (absolute), on logout, or when the
// user opens a 6th session (the oldest is revoked). Every successful use renews the idle timer.
// Times are epoch milliseconds from an injectable clock.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AuthUser, SqlDb } from '../context.ts';
import type { Role } from '@aw/domain';

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 8 * 60 * 60_000;
export const MAX_SESSIONS_PER_USER = 5;
/** Renewals closer together than this are not written (saves a write per request; idle error ≤ 1 s). */
const RENEW_GRANULARITY_MS = 1000;

export type Clock = () => number;

export type TokenCheck =
  | { ok: true; user: AuthUser; expiresAt: number }
  | { ok: false; code: 'invalid_token' | 'session_expired'; message: string };

interface SessionJoin {
  id: string;
  user_id: string;
  created_at: number;
  last_used_at: number;
  revoked_at: number | null;
  revoke_reason: string | null;
  username: string;
  team_id: string;
  role: Role;
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** When a session used at `lastUsedAt` and created at `createdAt` ends unless used again. */
export const sessionExpiresAt = (createdAt: number, lastUsedAt: number): number =>
  Math.min(lastUsedAt + SESSION_IDLE_MS, createdAt + SESSION_ABSOLUTE_MS);

export function createSessionStore(sql: SqlDb, now: Clock) {
  return {
    /** Opens a session for `userId`, revoking the oldest ones beyond the cap. Returns the token (shown once). */
    async open(userId: string): Promise<{ token: string; sessionId: string; expiresAt: number }> {
      const token = randomBytes(32).toString('base64url');
      const sessionId = randomUUID();
      const t = now();
      await sql.transaction(async (tx) => {
        await tx.run('INSERT INTO sessions (id, token_hash, user_id, created_at, last_used_at) VALUES (?, ?, ?, ?, ?)', [
          sessionId, hashToken(token), userId, t, t,
        ]);
        // Live sessions beyond the cap, oldest first, are revoked.
        const live = await tx.all<{ id: string }>(
          'SELECT id FROM sessions WHERE user_id = ? AND revoked_at IS NULL AND last_used_at > ? AND created_at > ? ORDER BY created_at DESC, rowid DESC',
          [userId, t - SESSION_IDLE_MS, t - SESSION_ABSOLUTE_MS],
        );
        for (const s of live.slice(MAX_SESSIONS_PER_USER)) {
          await tx.run("UPDATE sessions SET revoked_at = ?, revoke_reason = 'session_limit' WHERE id = ?", [t, s.id]);
        }
        // Housekeeping: forget sessions that ended more than a day ago.
        await tx.run('DELETE FROM sessions WHERE user_id = ? AND (last_used_at < ? OR created_at < ?)', [
          userId, t - SESSION_IDLE_MS - 86_400_000, t - SESSION_ABSOLUTE_MS - 86_400_000,
        ]);
      });
      return { token, sessionId, expiresAt: sessionExpiresAt(t, t) };
    },

    /** Checks a token and renews its idle timer; says why when it is not valid. */
    async check(token: string, renew = true): Promise<TokenCheck> {
      if (!token || token.length > 200) return { ok: false, code: 'invalid_token', message: 'missing or malformed bearer token' };
      const s = await sql.get<SessionJoin>(
        `SELECT s.id, s.user_id, s.created_at, s.last_used_at, s.revoked_at, s.revoke_reason, u.username, u.team_id, u.role
           FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`,
        [hashToken(token)],
      );
      if (!s) return { ok: false, code: 'invalid_token', message: 'unknown token: log in again' };
      if (s.revoked_at !== null) {
        return s.revoke_reason === 'session_limit'
          ? { ok: false, code: 'session_expired', message: `session ended: more than ${MAX_SESSIONS_PER_USER} sessions were opened for this user; log in again` }
          : { ok: false, code: 'invalid_token', message: 'session was logged out: log in again' };
      }
      const t = now();
      if (t >= s.created_at + SESSION_ABSOLUTE_MS) return { ok: false, code: 'session_expired', message: 'session expired (8 hours since login): log in again' };
      if (t >= s.last_used_at + SESSION_IDLE_MS) return { ok: false, code: 'session_expired', message: 'session expired (30 minutes without activity): log in again' };
      let lastUsed = s.last_used_at;
      if (renew && t - s.last_used_at >= RENEW_GRANULARITY_MS) {
        await sql.run('UPDATE sessions SET last_used_at = ? WHERE id = ? AND last_used_at < ?', [t, s.id, t]);
        lastUsed = t;
      }
      return {
        ok: true,
        user: { userId: s.user_id, username: s.username, teamId: s.team_id, role: s.role, sessionId: s.id },
        expiresAt: sessionExpiresAt(s.created_at, lastUsed),
      };
    },

    async revoke(sessionId: string, reason = 'logout'): Promise<void> {
      await sql.run('UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL', [now(), reason, sessionId]);
    },

    async countActive(): Promise<number> {
      const t = now();
      const r = await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM sessions WHERE revoked_at IS NULL AND last_used_at > ? AND created_at > ?', [
        t - SESSION_IDLE_MS, t - SESSION_ABSOLUTE_MS,
      ]);
      return r?.n ?? 0;
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
