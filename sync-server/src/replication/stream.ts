// WS /api/v1/replication/stream: live changes of every book collection the caller may read.
// Protocol (JSON text frames):
//   client → {"type":"auth","token":"…","collections"?:["households",…]}   (first message, within 5 s)
//   server → {"type":"ready","user":{"id","team","role"}}
//   server → {"type":"changes","collection":"households","documents":[…],"checkpoint":{"id","lwt"}}
//   server → {"type":"error","code","message"} followed by close 4401 (auth) / 4403 (role) / 1008 (protocol)
// Documents the caller may not read are filtered out of every event. The session is re-checked every 30 s (without
// renewing it); an ended session closes the socket with 4401. A client that cannot keep up (more than 8 MB
// unsent) is closed with 1013 and resynchronizes when it reconnects. Heartbeat: ws ping every 30 s.
import type { Subscription } from 'rxjs';
import type { WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { AuthUser } from '../context.ts';
import type { TokenCheck } from '../auth/sessions.ts';
import { canRead, mayReplicate, type Doc } from './access.ts';
import type { ReplicatedCollection } from './book-collections.ts';
import type { ServerMetrics } from '../http/metrics.ts';

export const AUTH_TIMEOUT_MS = 5000;
export const SESSION_RECHECK_MS = 30_000;
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

interface Conn {
  ws: WebSocket;
  user: AuthUser;
  token: string;
  collections: Set<string>;
}

export function createReplicationStream(deps: {
  collections: Map<string, ReplicatedCollection>;
  checkToken(token: string, renew: boolean): Promise<TokenCheck>;
  log: Logger;
  metrics: ServerMetrics;
}) {
  const conns = new Set<Conn>();
  const subs: Subscription[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const send = (ws: WebSocket, msg: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  const refuse = (ws: WebSocket, closeCode: number, code: string, message: string) => {
    send(ws, { type: 'error', code, message });
    ws.close(closeCode, code);
  };

  function start(): void {
    for (const rc of deps.collections.values()) {
      subs.push(
        rc.handler.masterChangeStream$.subscribe((ev) => {
          if (ev === 'RESYNC' || conns.size === 0) return;
          for (const c of conns) {
            if (!c.collections.has(rc.name) || c.ws.readyState !== c.ws.OPEN) continue;
            const documents = (ev.documents as Doc[]).filter((d) => canRead(c.user, rc.name, d));
            if (documents.length === 0) continue;
            if (c.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
              c.ws.close(1013, 'client too slow; reconnect to resync');
              continue;
            }
            send(c.ws, { type: 'changes', collection: rc.name, documents, checkpoint: ev.checkpoint });
            deps.metrics.replicationStreamEvents.inc({ collection: rc.name });
          }
        }),
      );
    }
  }

  function handle(ws: WebSocket): void {
    let conn: Conn | undefined;
    let authenticating = false;
    const authTimer = setTimeout(() => refuse(ws, 4401, 'auth_timeout', `send {"type":"auth","token"} within ${AUTH_TIMEOUT_MS / 1000} s`), AUTH_TIMEOUT_MS);
    let alive = true;
    const heartbeat = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, SESSION_RECHECK_MS);
    timers.add(heartbeat);
    ws.on('pong', () => (alive = true));
    const recheck = setInterval(async () => {
      if (!conn) return;
      const c = await deps.checkToken(conn.token, false).catch(() => null);
      if (c && !c.ok) refuse(ws, 4401, c.code, c.message);
    }, SESSION_RECHECK_MS);
    timers.add(recheck);
    ws.on('close', () => {
      clearTimeout(authTimer);
      clearInterval(heartbeat);
      clearInterval(recheck);
      timers.delete(heartbeat);
      timers.delete(recheck);
      if (conn) conns.delete(conn);
    });

    ws.on('message', async (data, isBinary) => {
      let msg: { type?: unknown; token?: unknown; collections?: unknown };
      try {
        msg = JSON.parse(isBinary ? '' : data.toString());
      } catch {
        return refuse(ws, 1008, 'malformed_message', 'messages must be JSON objects');
      }
      if (conn || authenticating) {
        if (conn && msg?.type === 'ping') send(ws, { type: 'pong' });
        return;
      }
      if (msg?.type !== 'auth' || typeof msg.token !== 'string') {
        return refuse(ws, 4401, 'unauthorized', 'the first message must be {"type":"auth","token":"<bearer token>"}');
      }
      clearTimeout(authTimer);
      authenticating = true;
      const check = await deps.checkToken(msg.token, true).catch(() => null);
      if (!check) return refuse(ws, 1011, 'internal', 'could not check the token');
      if (!check.ok) return refuse(ws, 4401, check.code, check.message);
      if (!mayReplicate(check.user)) return refuse(ws, 4403, 'forbidden', `role ${check.user.role} may not replicate book data`);
      const wanted = Array.isArray(msg.collections) ? msg.collections.map(String) : [...deps.collections.keys()];
      const unknown = wanted.filter((n) => !deps.collections.has(n));
      if (unknown.length) return refuse(ws, 1008, 'unknown_collection', `unknown collection(s): ${unknown.join(', ')}`);
      conn = { ws, user: check.user, token: msg.token, collections: new Set(wanted) };
      conns.add(conn);
      send(ws, { type: 'ready', user: { id: check.user.userId, team: check.user.teamId, role: check.user.role } });
    });
  }

  async function stop(): Promise<void> {
    for (const s of subs) s.unsubscribe();
    subs.length = 0;
    for (const t of timers) clearInterval(t);
    for (const c of conns) c.ws.close(1001, 'server shutting down');
    conns.clear();
  }

  return { start, handle, stop, connectionCount: () => conns.size };
}
