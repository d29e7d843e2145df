// WS /api/v1/market/ingest (CONTRACTS section 4): a provider (role provider or admin) sends
// `{"type":"ticks","ticks":[{"s","p","t","v"?}],"id"?}` after the first-message auth. Ticks for symbols outside the
// security master are dropped and counted; the provider gets `{"type":"error","code":"unknown_symbol"}` naming
// some of them (at most one such error per second). With an `id`, the server answers
// `{"type":"ack","id","accepted","dropped"}` so a provider can bound its in-flight batches.
// Closing the connection marks the prices it delivered stale. Messages after the auth are parsed and validated by
// the ingest parser (ingest-parser.ts: on the main thread by default, or on a worker thread, after which the main
// thread only folds the parsed columns into the pipeline), answered in the order they arrived.
import type { Logger } from 'pino';
import type { AuthUser } from '../context.ts';
import type { Clock, LatencyProbe, TickSink } from './types.ts';
import { createWsSessions, send, sendError, type Session, type WsSessionOptions, type WsSessions } from './ws-session.ts';
import type { IngestParser } from './ingest-parser.ts';
import type { IngestPipeline } from './ingest-pipeline.ts';

export interface IngestRouteOptions extends WsSessionOptions {
  sink: TickSink & Pick<IngestPipeline, 'acceptColumns'>;
  /** Parses authenticated ingest messages (inline or in a worker thread, see ingest-parser.ts). */
  parser: IngestParser;
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
  /** The provider's answer to one ticks message: an ack when it carried an id, errors for dropped ticks. */
  const answer = (s: Session<IngestConn>, total: number, accepted: number, unknown: string[], hasId: boolean, id: unknown) => {
    const c = s.data!;
    const dropped = total - accepted;
    if (unknown.length) {
      const now = o.clock.now();
      if (now - c.lastUnknownErrorAt >= 1_000) {
        c.lastUnknownErrorAt = now;
        sendError(s.ws, 'unknown_symbol', `dropped ticks for symbols outside the security master, e.g. ${unknown.join(', ')}`, { symbols: unknown });
      }
    }
    if (hasId) send(s.ws, { type: 'ack', id, accepted, dropped });
    else if (dropped > accepted && dropped > 0 && !unknown.length) {
      sendError(s.ws, 'invalid_ticks', `dropped ${dropped} of ${total} ticks: each needs "s" (symbol), "p" (price > 0) and "t" (epoch ms), in time order per symbol`);
    }
  };

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
      onRawMessage(s, raw, reject) {
        o.parser.parse(raw, (r) => {
          // A batch parsed after its connection closed is still stored: the provider sent it.
          if (!r.ok) return reject(r.error);
          const { cols } = r;
          if (o.probe?.ingested) o.probe.ingested(cols.t, cols.n, Date.now());
          const { accepted, unknown } = o.sink.acceptColumns(r, s.data!.source);
          if (o.probe?.published) o.probe.published(cols.t, cols.n, Date.now());
          answer(s, cols.n + r.invalid + r.unknownCount, accepted, unknown, r.hasId, r.id);
        });
        return true;
      },
      // Messages that arrived while the auth check was running (parsed on this thread).
      onMessage(s, msg) {
        if (msg.type !== 'ticks') return `unknown message type ${JSON.stringify(msg.type).slice(0, 40)}: expected ticks`;
        if (!Array.isArray(msg.ticks)) return '"ticks" must be an array of {"s","p","t"}';
        const ticks = msg.ticks as Parameters<TickSink['ticks']>[0];
        const { accepted, unknown } = o.sink.ticks(ticks, s.data!.source);
        answer(s, ticks.length, accepted, unknown, msg.id !== undefined, msg.id);
      },
      onClose(s) {
        if (s.data) o.sink.disconnected(s.data.source, 'ingest connection closed');
      },
    },
    { maxMessageBytes: 4 * 1024 * 1024, ...o },
  );
}
