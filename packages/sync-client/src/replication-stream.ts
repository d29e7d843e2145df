// One WebSocket to /api/v1/replication/stream shared by all replicated collections: authenticates with the first
// message, dispatches `changes` events per collection, and reconnects with backoff (250 ms doubling to 5 s).
// `onReady` fires on every (re)connection, which the replication turns into a RESYNC (pull what was missed).
// An auth failure (close code 4401/4403) stops reconnecting until `reconnect()` is called with a new token.
// Works with the browser WebSocket and with Node's `ws` (pass it as `WebSocketImpl`).

export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: any) => void) | null;
  onmessage: ((ev: { data: any }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: any) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketCtor = new (url: string) => WebSocketLike;

export interface StreamChanges {
  collection: string;
  documents: any[];
  checkpoint: { id: string; lwt: number };
}

export interface ReplicationStreamOptions {
  wsUrl: string;
  getToken(): string;
  collections: string[];
  WebSocketImpl: WebSocketCtor;
  onReady(): void;
  onChanges(ev: StreamChanges): void;
  onDown(reason: string): void;
  onAuthError(code: string, message: string): void;
}

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 5000;

export function openReplicationStream(o: ReplicationStreamOptions) {
  let ws: WebSocketLike | undefined;
  let closed = false;
  let authFailed = false;
  let backoffMs = MIN_BACKOFF_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ready = false;

  const schedule = () => {
    if (closed || authFailed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      connect();
    }, backoffMs);
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
  };

  function connect(): void {
    if (closed || authFailed) return;
    let lastError: { code: string; message: string } | undefined;
    let sock: WebSocketLike;
    try {
      sock = new o.WebSocketImpl(o.wsUrl);
    } catch (err) {
      o.onDown(`cannot open ${o.wsUrl}: ${(err as Error).message}`);
      schedule();
      return;
    }
    ws = sock;
    sock.onopen = () => sock.send(JSON.stringify({ type: 'auth', token: o.getToken(), collections: o.collections }));
    sock.onmessage = (ev) => {
      let msg: any;
      try {
        msg = JSON.parse(typeof ev.data === 'string' ? ev.data : String(ev.data));
      } catch {
        return;
      }
      if (msg.type === 'ready') {
        ready = true;
        backoffMs = MIN_BACKOFF_MS;
        o.onReady();
      } else if (msg.type === 'changes') {
        o.onChanges(msg as StreamChanges);
      } else if (msg.type === 'error') {
        lastError = { code: String(msg.code), message: String(msg.message) };
      }
    };
    sock.onerror = () => undefined;
    sock.onclose = (ev) => {
      if (ws === sock) ws = undefined;
      const wasReady = ready;
      ready = false;
      if (closed) return;
      if (ev.code === 4401 || ev.code === 4403) {
        authFailed = true;
        o.onAuthError(lastError?.code ?? 'unauthorized', lastError?.message ?? `stream refused (${ev.code})`);
        return;
      }
      o.onDown(wasReady ? `stream closed (${ev.code}${ev.reason ? `: ${ev.reason}` : ''})` : 'sync server unreachable');
      schedule();
    };
  }

  connect();
  return {
    isReady: () => ready,
    /** Reconnects now (after a new login, or to retry sooner than the backoff). */
    reconnect(): void {
      authFailed = false;
      backoffMs = MIN_BACKOFF_MS;
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (ws) ws.close(1000, 'reconnect');
      else connect();
    },
    close(): void {
      closed = true;
      if (timer) clearTimeout(timer);
      ws?.close(1000, 'client closed');
      ws = undefined;
    },
  };
}
