// WS /api/v1/market/ingest (CONTRACTS section 4): a provider (role provider or admin) sends
// `{"type":"ticks","ticks":[{"s","p","t","v"?}],"id"?}` after the first-message auth. Ticks for symbols outside the
// security master are dropped and counted; the provider gets `{"type":"error","code":"unknown_symbol"}` naming
// some of them (at most one such error per second). With an `id`, the server answers
// `{"type":"ack","id","accepted","dropped"}` so a provider can bound its in-flight batches.
// Closing the connection marks the prices it delivered stale.
import type { Logger } from 'pino';
import type { AuthUser } from '../context.ts';
import type { Clock, LatencyProbe, TickSink } from './types.ts';
import { createWsSessions, send, sendError, type WsSessionOptions, type WsSessions } from './ws-session.ts';

export interface IngestRouteOptions extends WsSessionOptions {
  sink: TickSink;
  verifyToken(token: string): Promise<AuthUser | null>;
  log: Logger;
  clock: Clock;
  probe?: LatencyProbe;
}

interface IngestConn {
  source: string;
  lastUnknownErrorAt: number;
}

let nextSource = 1;

export function createIngestRoute(o: IngestRouteOptions): WsSessions<IngestConn> {
  return createWsSessions<IngestConn>(
    {
      name: 'market-ingest',
      roles: ['provider', 'admin'],
      verifyToken: o.verifyToken,
      log: o.log,
      clock: o.clock,
      onAuthed(s) {
        const source = `ingest:${s.user!.username}:${nextSource++}`;
        o.sink.connected(source);
        send(s.ws, { type: 'ready' });
        return { source, lastUnknownErrorAt: -Infinity };
      },
      onMessage(s, msg) {
        if (msg.type !== 'ticks') return `unknown message type ${JSON.stringify(msg.type).slice(0, 40)}: expected ticks`;
        if (!Array.isArray(msg.ticks)) return '"ticks" must be an array of {"s","p","t"}';
        const c = s.data!;
        const ticks = msg.ticks as Parameters<TickSink['ticks']>[0];
        o.probe?.ingested?.(ticks, Date.now());
        const { accepted, unknown } = o.sink.ticks(ticks, c.source);
        o.probe?.published?.(ticks, Date.now());
        const dropped = ticks.length - accepted;
        if (unknown.length) {
          const now = o.clock.now();
          if (now - c.lastUnknownErrorAt >= 1_000) {
            c.lastUnknownErrorAt = now;
            sendError(s.ws, 'unknown_symbol', `dropped ticks for symbols outside the security master, e.g. ${unknown.join(', ')}`, { symbols: unknown });
          }
        }
        if (msg.id !== undefined) send(s.ws, { type: 'ack', id: msg.id, accepted, dropped });
        else if (dropped > accepted && dropped > 0 && !unknown.length) {
          sendError(s.ws, 'invalid_ticks', `dropped ${dropped} of ${ticks.length} ticks: each needs "s" (symbol), "p" (price > 0) and "t" (epoch ms), in time order per symbol`);
        }
      },
      onClose(s) {
        if (s.data) o.sink.disconnected(s.data.source, 'ingest connection closed');
      },
    },
    { maxMessageBytes: 4 * 1024 * 1024, ...o },
  );
}
