// WS /api/v1/market/stream (CONTRACTS section 4): after auth, `{"type":"subscribe"|"unsubscribe","symbols":[...]}`;
// the server answers `{"type":"subscribed","symbols":[current]}`, sends the latest known price of newly subscribed
// symbols, then `{"type":"prices","ticks":[{"s","p","t"}]}` batches from the stream hub. Errors:
// `too_many_symbols` (the whole subscribe is refused, nothing changes), `unknown_symbol` (known symbols of the
// same request are still subscribed), `bad_message`. The auth message may carry `"windowMs"` (10–maxWindowMs).
import type { Logger } from 'pino';
import type { AuthUser } from '../context.ts';
import type { StreamConn, StreamHub } from './stream-hub.ts';
import type { Clock, Tick } from './types.ts';
import { createWsSessions, send, sendError, type WsSessionOptions, type WsSessions } from './ws-session.ts';
import { textFrameSink } from './ws-frame.ts';

export interface StreamRouteOptions extends WsSessionOptions {
  hub: StreamHub;
  isKnown(symbol: string): boolean;
  /** Latest cached prices for a subscribe snapshot (no store access: must be cheap). */
  snapshot(symbols: string[]): Tick[];
  verifyToken(token: string): Promise<AuthUser | null>;
  log: Logger;
  clock: Clock;
  maxSymbols?: number;
  windowMs?: number;
  maxWindowMs?: number;
}

const SYMBOL_RE = /^[A-Za-z0-9.^=_-]{1,32}$/;

export function createStreamRoute(o: StreamRouteOptions): WsSessions<StreamConn> {
  const maxSymbols = o.maxSymbols ?? 50;
  const maxWindowMs = o.maxWindowMs ?? 100;
  const defaultWindowMs = Math.min(o.windowMs ?? 50, maxWindowMs);

  const parseSymbols = (msg: Record<string, unknown>): string[] | string => {
    const list = msg.symbols;
    if (!Array.isArray(list)) return '"symbols" must be an array of symbol strings';
    if (list.length > 1000) return '"symbols" may list at most 1000 entries';
    const out: string[] = [];
    for (const s of list) {
      if (typeof s !== 'string' || !SYMBOL_RE.test(s)) return `"symbols" entries must be ticker strings (got ${JSON.stringify(s)?.slice(0, 40)})`;
      if (!out.includes(s)) out.push(s);
    }
    return out;
  };

  return createWsSessions<StreamConn>(
    {
      name: 'market-stream',
      roles: ['advisor', 'reviewer', 'admin'],
      verifyToken: o.verifyToken,
      log: o.log,
      clock: o.clock,
      onAuthed(s, auth) {
        const asked = typeof auth.windowMs === 'number' && Number.isFinite(auth.windowMs) ? auth.windowMs : defaultWindowMs;
        const windowMs = Math.round(Math.min(maxWindowMs, Math.max(10, asked)));
        const ws = s.ws;
        const conn = o.hub.newConn(textFrameSink(ws), () => ws.bufferedAmount, windowMs);
        send(ws, { type: 'ready', windowMs, maxSymbols });
        return conn;
      },
      onMessage(s, msg) {
        const conn = s.data!;
        if (msg.type === 'subscribe' || msg.type === 'unsubscribe') {
          const symbols = parseSymbols(msg);
          if (typeof symbols === 'string') return symbols;
          if (msg.type === 'unsubscribe') {
            o.hub.unsubscribe(conn, symbols);
            send(s.ws, { type: 'subscribed', symbols: conn.symbols });
            return;
          }
          const known = symbols.filter((x) => o.isKnown(x));
          const unknown = symbols.filter((x) => !o.isKnown(x));
          const added = known.filter((x) => !conn.symbols.includes(x));
          if (conn.symbols.length + added.length > maxSymbols) {
            sendError(s.ws, 'too_many_symbols',
              `at most ${maxSymbols} symbols per connection: ${conn.symbols.length} subscribed, ${added.length} more asked; nothing was changed`);
            return;
          }
          if (unknown.length) {
            sendError(s.ws, 'unknown_symbol', `not in the security master: ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ', …' : ''}`, { symbols: unknown.slice(0, 50) });
          }
          if (added.length) {
            o.hub.subscribe(conn, added);
            o.hub.prime(conn, o.snapshot(added));
          }
          send(s.ws, { type: 'subscribed', symbols: conn.symbols });
          return;
        }
        if (msg.type === 'ping') {
          send(s.ws, { type: 'pong', t: o.clock.now() });
          return;
        }
        return `unknown message type ${JSON.stringify(msg.type).slice(0, 40)}: expected subscribe, unsubscribe or ping`;
      },
      onClose(s) {
        if (s.data) o.hub.remove(s.data);
      },
    },
    o,
  );
}
