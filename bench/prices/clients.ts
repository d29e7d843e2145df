// Bench client process: holds many authenticated stream connections, each subscribed to its own symbols, and
// records delivery latency (receipt time − the tick's provider time `t`, ms) in a 1 ms histogram. The measuring
// side is kept cheap (no string or JSON per message) because it shares the machine's cores with the server.
// Driven by the parent over IPC: start → {ready}, measure (reset counters), report → {hist,…}, exit.
import WebSocket from 'ws';

interface Start { cmd: 'start'; url: string; token: string; subs: string[][] }
const HIST_MAX = 10_000;
let hist = new Uint32Array(HIST_MAX + 1);
let messages = 0;
let ticks = 0;
let closed = 0;
let cpuAtMeasure = process.cpuUsage();
const sockets: WebSocket[] = [];
const PRICES = Buffer.from('{"type":"prices"');
const T_KEY = Buffer.from('"t":');

/** Counts the message and each tick's latency, reading `"t":<digits>` straight from the frame's bytes. */
function onPrices(data: WebSocket.RawData) {
  const buf = data as Buffer;
  if (buf.compare(PRICES, 0, PRICES.length, 0, PRICES.length) !== 0) return;
  const now = Date.now();
  messages++;
  for (let at = buf.indexOf(T_KEY, 0); at >= 0; at = buf.indexOf(T_KEY, at)) {
    let i = at + T_KEY.length;
    let t = 0;
    for (let c = buf[i]; c >= 48 && c <= 57; c = buf[++i]) t = t * 10 + (c - 48);
    const lat = Math.max(0, now - t);
    hist[Math.min(HIST_MAX, lat)]++;
    ticks++;
    at = i;
  }
}

function open(url: string, token: string, symbols: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/market/stream`, { perMessageDeflate: false, skipUTF8Validation: true });
    let stage = 0;
    const timer = setTimeout(() => reject(new Error('connect/subscribe timeout')), 60_000);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
    ws.on('message', (data) => {
      if (stage === 2) return onPrices(data);
      const m = JSON.parse(data.toString());
      if (m.type === 'ready') {
        stage = 1;
        ws.send(JSON.stringify({ type: 'subscribe', symbols }));
      } else if (m.type === 'subscribed') {
        stage = 2;
        clearTimeout(timer);
        resolve();
      } else if (m.type === 'error') reject(new Error(`${m.code}: ${m.message}`));
    });
    ws.on('error', (e) => reject(e));
    ws.on('close', () => closed++);
    sockets.push(ws);
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
    messages = 0;
    ticks = 0;
    cpuAtMeasure = process.cpuUsage();
    process.send!({ measuring: true });
  } else if (msg.cmd === 'report') {
    const sparse: Array<[number, number]> = [];
    hist.forEach((n, ms) => n && sparse.push([ms, n]));
    const cpu = process.cpuUsage(cpuAtMeasure);
    process.send!({ hist: sparse, messages, ticks, closed, cpuSec: (cpu.user + cpu.system) / 1e6 });
  } else if (msg.cmd === 'exit') {
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  }
});
// The parent went away (finished or crashed): do not linger.
process.on('disconnect', () => process.exit(0));
process.send!({ up: true });
