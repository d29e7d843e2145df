// Sends a stream-hub message (a payload after FRAME_HEADROOM free bytes, see stream-hub.ts) as one unmasked
// WebSocket text frame (RFC 6455 §5.2, server → client): the 2/4/10-byte header is written into the headroom just
// before the payload and the socket gets one buffer in one write — no second copy, no header allocation, no
// corked two-part write. Falls back to ws.send (the same frame, built by ws) whenever ws itself might have frames
// queued or must transform the payload: an extension was negotiated (per-message deflate) or its sender is busy.
import type { WebSocket } from 'ws';
import type { Socket } from 'node:net';

/** The ws internals used here (ws 8): the raw socket and the sender's queue state (0 = idle). */
interface WsInternals {
  _socket?: Socket;
  _sender?: { _state?: number; _queue?: unknown[] };
}

/**
 * A FrameSink for one open connection: writes `frame[payloadAt..]` (payloadAt ≥ 10) as a text frame, or nothing
 * once the connection is no longer open. Extensions are negotiated in the handshake, so they are checked once.
 */
export function textFrameSink(ws: WebSocket): (frame: Buffer, payloadAt: number) => void {
  const w = ws as unknown as WsInternals;
  const direct = !ws.extensions && w._socket !== undefined && w._sender !== undefined;
  return (frame, payloadAt) => {
    if (ws.readyState !== ws.OPEN) return;
    const sender = w._sender;
    if (!direct || sender!._state !== 0 || (sender!._queue?.length ?? 0) > 0) {
      ws.send(frame.subarray(payloadAt), { binary: false });
      return;
    }
    const len = frame.length - payloadAt;
    let at: number;
    if (len < 126) {
      at = payloadAt - 2;
      frame[at + 1] = len;
    } else if (len < 65_536) {
      at = payloadAt - 4;
      frame[at + 1] = 126;
      frame.writeUInt16BE(len, at + 2);
    } else {
      at = payloadAt - 10;
      frame[at + 1] = 127;
      frame.writeUInt32BE(Math.floor(len / 2 ** 32), at + 2);
      frame.writeUInt32BE(len >>> 0, at + 6);
    }
    frame[at] = 0x81; // FIN + text
    w._socket!.write(at === 0 ? frame : frame.subarray(at));
  };
}
