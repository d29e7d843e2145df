// Bench client process: holds many authenticated stream connections, each subscribed to its own symbols, and
// records delivery latency (receipt time − the tick's provider time `t`, ms) in a 1 ms histogram, plus per message
// receipt − its newest tick's time (the path's own delay, without the batching-window wait).
// The measuring side is kept cheap because it shares the machine's cores with the server: each connection is a
// plain TCP socket speaking just enough RFC 6455 (upgrade handshake, masked client text frames, unmasked server
// frames, pong replies); price frames are never turned into strings or objects — `"t":<digits>` is read straight
// from the received bytes. Control messages (ready, subscribed, error) are parsed as JSON.
// Driven by the parent over IPC: start → {ready}, measure (reset counters), report → {hist,…}, exit.
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';

interface Start { cmd: 'start'; url: string; token: string; subs: string[][] }
const HIST_MAX = 10_000;
let hist = new Uint32Array(HIST_MAX + 1);
let freshHist = new Uint32Array(HIST_MAX + 1);
let messages = 0;
let ticks = 0;
let closed = 0;
let cpuAtMeasure = process.cpuUsage();
// How long a ready socket read waited for this process's loop (a receipt counted late reads as delivery latency).
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
const sockets: Socket[] = [];
const PRICES = Buffer.from('{"type":"prices"');
const T_KEY = Buffer.from('"t":');

/** Counts one prices message `buf[start, end)` and each tick's latency. */
function onPrices(buf: Buffer, start: number, end: number, now: number) {
  messages++;
  let newest = 0;
  for (let at = buf.indexOf(T_KEY, start); at >= 0 && at < end; at = buf.indexOf(T_KEY, at)) {
    let i = at + T_KEY.length;
    let t = 0;
    for (let c = buf[i]; c >= 48 && c <= 57; c = buf[++i]) t = t * 10 + (c - 48);
    if (t > newest) newest = t;
    hist[Math.min(HIST_MAX, Math.max(0, now - t))]++;
    ticks++;
    at = i;
  }
  if (newest) freshHist[Math.min(HIST_MAX, Math.max(0, now - newest))]++;
}

/** A masked client frame (RFC 6455 §5.3) of `opcode` with `payload`. */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? 2 : len < 65_536 ? 4 : 10;
  const out = Buffer.allocUnsafe(head + 4 + len);
  out[0] = 0x80 | opcode;
  if (head === 2) out[1] = 0x80 | len;
  else if (head === 4) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(len, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeUInt32BE(0, 2);
    out.writeUInt32BE(len, 6);
  }
  const mask = randomBytes(4);
  mask.copy(out, head);
  for (let i = 0; i < len; i++) out[head + 4 + i] = payload[i] ^ mask[i & 3];
  return out;
}
const sendText = (sock: Socket, obj: object) => sock.write(clientFrame(0x1, Buffer.from(JSON.stringify(obj))));

function open(url: string, token: string, symbols: string[]): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const sock = connect(Number(port), hostname);
    sock.setNoDelay(true);
    sockets.push(sock);
    let stage = 0; // 0 handshake, 1 waiting for ready, 2 waiting for subscribed, 3 streaming
    let pending: Buffer | null = null;
    const timer = setTimeout(() => reject(new Error('connect/subscribe timeout')), 60_000);
    const fail = (e: Error) => {
      clearTimeout(timer);
      reject(e);
    };
    sock.on('connect', () => {
      sock.write(`GET /api/v1/market/stream HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
        + `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    const control = (text: string) => {
      const m = JSON.parse(text);
      if (m.type === 'ready' && stage === 1) {
        stage = 2;
        sendText(sock, { type: 'subscribe', symbols });
      } else if (m.type === 'subscribed' && stage === 2) {
        stage = 3;
        clearTimeout(timer);
        resolve();
      } else if (m.type === 'error') fail(new Error(`${m.code}: ${m.message}`));
    };
    sock.on('data', (chunk: Buffer) => {
      const now = Date.now();
      const buf = pending ? Buffer.concat([pending, chunk]) : chunk;
      pending = null;
      let at = 0;
      if (stage === 0) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) {
          pending = buf;
          return;
        }
        const head = buf.toString('latin1', 0, end);
        if (!/^HTTP\/1\.1 101/.test(head)) return fail(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
        stage = 1;
        sendText(sock, { type: 'auth', token });
        at = end + 4;
      }
      // Server frames: FIN + opcode, unmasked length (7 / 16 / 64 bit), payload.
      while (buf.length - at >= 2) {
        const opcode = buf[at] & 0x0f;
        let len = buf[at + 1] & 0x7f;
        let p = at + 2;
        if (len === 126) {
          if (buf.length - at < 4) break;
          len = buf.readUInt16BE(at + 2);
          p = at + 4;
        } else if (len === 127) {
          if (buf.length - at < 10) break;
          len = buf.readUInt32BE(at + 2) * 2 ** 32 + buf.readUInt32BE(at + 6);
          p = at + 10;
        }
        if (buf.length - p < len) break;
        const end = p + len;
        if (opcode === 0x1) {
          if (stage === 3 && buf.compare(PRICES, 0, PRICES.length, p, p + PRICES.length) === 0) onPrices(buf, p, end, now);
          else control(buf.toString('utf8', p, end));
        } else if (opcode === 0x9) sock.write(clientFrame(0xa, buf.subarray(p, end)));
        else if (opcode === 0x8) sock.end();
        at = end;
      }
      if (at < buf.length) pending = buf.subarray(at);
    });
    sock.on('error', fail);
    sock.on('close', () => {
      closed++;
      fail(new Error('closed before subscribing'));
    });
  });
}

process.on('message', async (msg: Start | { cmd: string }) => {
  if (msg.cmd === 'start') {
    const { url, token, subs } = msg as Start;
    let failed = 0;
    let firstError = '';
    // Open in waves so the server's accept queue and auth checks are not flooded.
    for (let i = 0; i < subs.length; i += 100) {
      await Promise.all(subs.slice(i, i + 100).map((s) => open(url, token, s).catch((e: Error) => {
        failed++;
        firstError ||= e.message;
      })));
    }
    process.send!({ ready: subs.length - failed, failed, firstError });
  } else if (msg.cmd === 'measure') {
    hist = new Uint32Array(HIST_MAX + 1);
    freshHist = new Uint32Array(HIST_MAX + 1);
    messages = 0;
    ticks = 0;
    cpuAtMeasure = process.cpuUsage();
    loopDelay.reset();
    process.send!({ measuring: true });
  } else if (msg.cmd === 'report') {
    const sparse: Array<[number, number]> = [];
    hist.forEach((n, ms) => n && sparse.push([ms, n]));
    const fresh: Array<[number, number]> = [];
    freshHist.forEach((n, ms) => n && fresh.push([ms, n]));
    const cpu = process.cpuUsage(cpuAtMeasure);
    process.send!({ hist: sparse, fresh, messages, ticks, closed, cpuSec: (cpu.user + cpu.system) / 1e6, loop: { p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6 } });
  } else if (msg.cmd === 'exit') {
    for (const s of sockets) s.destroy();
    process.exit(0);
  }
});
// The parent went away (finished or crashed): do not linger.
process.on('disconnect', () => process.exit(0));
process.send!({ up: true });
