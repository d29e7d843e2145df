// The life cycle both market ws endpoints share: first-message auth (`{"type":"auth","token"}` within
// `authTimeoutMs`, default 5 s), role check, JSON message parsing with `{"type":"error"}` replies for malformed
// input (the connection survives; more than `maxMalformedPerMinute` closes it with 4029), ws ping heartbeats every
// `pingIntervalMs` (30 s) and an idle close after `idleTimeoutMs` (5 min) without any message or pong.
// One shared sweep timer serves every connection (no per-connection timers: idle sockets stay small).
import type { WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { Role } from '@aw/domain';
import type { AuthUser, WsRoute } from '../context.ts';
import type { Clock } from './types.ts';

/** Close codes of the market ws endpoints (4000–4999 are application codes). */
export const CLOSE = {
  unauthorized: 4001,
  forbidden: 4003,
  idle: 4008,
  abuse: 4029,
  shutdown: 1001,
} as const;

export interface WsSessionOptions {
  authTimeoutMs?: number;
  idleTimeoutMs?: number;
  pingIntervalMs?: number;
  /** How often deadlines are checked. */
  sweepIntervalMs?: number;
  maxMessageBytes?: number;
  maxMalformedPerMinute?: number;
}

export interface Session<T> {
  ws: WebSocket;
  user: AuthUser | null;
  openedAt: number;
  lastActivity: number;
  malformed: number;
  malformedSince: number;
  closed: boolean;
  /** Messages that arrived while the auth check was running. */
  waiting: Array<Record<string, unknown>> | null;
  data: T | null;
}

export interface WsSessionHandlers<T> {
  roles: Role[];
  verifyToken(token: string): Promise<AuthUser | null>;
  /** Called once auth succeeded; returns the per-connection state. */
  onAuthed(s: Session<T>, auth: Record<string, unknown>): T;
  /** Handles one message; a returned string is a malformed-message reply (counted toward the abuse limit). */
  onMessage(s: Session<T>, msg: Record<string, unknown>): string | void;
  /**
   * Optional: takes an authenticated session's raw text message before it is parsed here (e.g. to parse it on
   * another thread); returns false to let it be parsed and passed to onMessage. `reject` sends the malformed-message
   * reply (counted toward the abuse limit), possibly later.
   */
  onRawMessage?(s: Session<T>, raw: Buffer, reject: (problem: string) => void): boolean;
  onClose(s: Session<T>): void;
  log: Logger;
  clock: Clock;
  name: string;
}

export interface WsSessions<T> {
  route: WsRoute;
  count(): number;
  authedCount(): number;
  sessions(): Iterable<Session<T>>;
  stop(): void;
}

export const send = (ws: WebSocket, msg: object): void => {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
};
export const sendError = (ws: WebSocket, code: string, message: string, extra: object = {}): void =>
  send(ws, { type: 'error', code, message, ...extra });

export function createWsSessions<T>(h: WsSessionHandlers<T>, o: WsSessionOptions = {}): WsSessions<T> {
  const authTimeoutMs = o.authTimeoutMs ?? 5_000;
  const idleTimeoutMs = o.idleTimeoutMs ?? 300_000;
  const pingIntervalMs = o.pingIntervalMs ?? 30_000;
  const sweepIntervalMs = o.sweepIntervalMs ?? Math.max(10, Math.min(1_000, authTimeoutMs / 5, pingIntervalMs / 5, idleTimeoutMs / 5));
  const maxMessageBytes = o.maxMessageBytes ?? 64 * 1024;
  const maxMalformed = o.maxMalformedPerMinute ?? 20;
  const all = new Set<Session<T>>();
  let authed = 0;
  let lastPingAt = h.clock.now();

  const close = (s: Session<T>, code: number, reason: string): void => {
    if (s.closed) return;
    s.closed = true;
    try {
      s.ws.close(code, reason.slice(0, 120));
    } catch {
      s.ws.terminate();
    }
    // A peer that never answers the close handshake is cut off.
    setTimeout(() => s.ws.terminate(), 2_000).unref();
  };

  const sweep = setInterval(() => {
    const now = h.clock.now();
    const ping = now - lastPingAt >= pingIntervalMs;
    if (ping) lastPingAt = now;
    for (const s of all) {
      if (s.closed) continue;
      if (!s.user) {
        // The deadline is for sending the auth message; a token check already under way gets extra time.
        const limit = s.waiting ? authTimeoutMs * 3 : authTimeoutMs;
        if (now - s.openedAt > limit) close(s, CLOSE.unauthorized, `auth timeout: send {"type":"auth","token"} within ${authTimeoutMs} ms`);
        continue;
      }
      if (now - s.lastActivity > idleTimeoutMs) close(s, CLOSE.idle, `idle for more than ${idleTimeoutMs} ms`);
      else if (ping && s.ws.readyState === s.ws.OPEN) s.ws.ping();
    }
  }, sweepIntervalMs);
  sweep.unref();

  function malformed(s: Session<T>, message: string): void {
    const now = h.clock.now();
    if (now - s.malformedSince > 60_000) {
      s.malformedSince = now;
      s.malformed = 0;
    }
    s.malformed++;
    if (s.malformed > maxMalformed) close(s, CLOSE.abuse, `too many malformed messages (more than ${maxMalformed} per minute)`);
    else sendError(s.ws, 'bad_message', message);
  }

  function dispatch(s: Session<T>, m: Record<string, unknown>): void {
    const problem = h.onMessage(s, m);
    if (typeof problem === 'string') malformed(s, problem);
  }

  function handleAuth(s: Session<T>, msg: Record<string, unknown>): void {
    if (msg.type !== 'auth' || typeof msg.token !== 'string' || !msg.token) {
      close(s, CLOSE.unauthorized, 'the first message must be {"type":"auth","token":"<token>"}');
      return;
    }
    s.waiting = [];
    h.verifyToken(msg.token).then(
      (user) => {
        if (s.closed) return;
        if (!user) return close(s, CLOSE.unauthorized, 'invalid or expired token: log in again');
        if (!h.roles.includes(user.role)) return close(s, CLOSE.forbidden, `role ${user.role} may not use this endpoint (needs ${h.roles.join(' or ')})`);
        s.user = user;
        s.lastActivity = h.clock.now();
        authed++;
        s.data = h.onAuthed(s, msg);
        const waiting = s.waiting ?? [];
        s.waiting = null;
        for (const m of waiting) if (!s.closed) dispatch(s, m);
      },
      (err) => {
        h.log.error({ err, endpoint: h.name }, 'token check failed');
        close(s, 1011, 'token check failed; try again');
      },
    );
  }

  const route: WsRoute = (ws) => {
    const now = h.clock.now();
    const s: Session<T> = { ws, user: null, openedAt: now, lastActivity: now, malformed: 0, malformedSince: now, closed: false, waiting: null, data: null };
    all.add(s);
    ws.on('pong', () => {
      s.lastActivity = h.clock.now();
    });
    ws.on('message', (raw, isBinary) => {
      if (s.closed) return;
      s.lastActivity = h.clock.now();
      const size = Array.isArray(raw) ? raw.reduce((n, b) => n + b.length, 0) : (raw as Buffer).byteLength;
      if (isBinary) return malformed(s, 'binary frames are not accepted: send JSON text');
      if (size > maxMessageBytes) return malformed(s, `message of ${size} bytes is larger than the limit of ${maxMessageBytes}`);
      if (s.user && h.onRawMessage && Buffer.isBuffer(raw) && h.onRawMessage(s, raw, (problem) => !s.closed && malformed(s, problem))) return;
      let msg: unknown;
      try {
        msg = JSON.parse(raw.toString());
      } catch {
        if (!s.user && !s.waiting) return close(s, CLOSE.unauthorized, 'the first message must be {"type":"auth","token":"<token>"}');
        return malformed(s, 'message is not valid JSON');
      }
      if (!msg || typeof msg !== 'object' || Array.isArray(msg) || typeof (msg as { type?: unknown }).type !== 'string') {
        if (!s.user && !s.waiting) return close(s, CLOSE.unauthorized, 'the first message must be {"type":"auth","token":"<token>"}');
        return malformed(s, 'message must be a JSON object with a string "type"');
      }
      const m = msg as Record<string, unknown>;
      if (s.user) return dispatch(s, m);
      if (s.waiting) {
        if (s.waiting.length >= 32) return close(s, CLOSE.abuse, 'too many messages before the auth check finished');
        s.waiting.push(m);
        return;
      }
      handleAuth(s, m);
    });
    const onGone = () => {
      if (!all.delete(s)) return;
      s.closed = true;
      if (s.user) {
        authed--;
        h.onClose(s);
      }
    };
    ws.on('close', onGone);
    ws.on('error', (err) => {
      h.log.debug({ err, endpoint: h.name }, 'ws error');
      onGone();
    });
  };

  return {
    route,
    count: () => all.size,
    authedCount: () => authed,
    sessions: () => all,
    stop() {
      clearInterval(sweep);
      for (const s of all) close(s, CLOSE.shutdown, 'server shutting down');
    },
  };
}
