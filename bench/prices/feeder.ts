// Bench feeder process: one provider on the ws ingest endpoint. `paced` sends `ticksPerSec` ticks (random symbols,
// random-walk prices, t = send time) in a batch every 5 ms; `max` keeps `inflight` batches of `batch` ticks in flight
// (acknowledged by id) for `seconds` and reports how many the server accepted. Driven over IPC.
import WebSocket from 'ws';

const MAX_BATCH = 10_000;

interface Run { cmd: 'run'; url: string; token: string; symbols: string[]; mode: 'paced' | 'max'; ticksPerSec: number; seconds: number; batch: number; inflight: number }

function connect(url: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/market/ingest`, { perMessageDeflate: false });
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
    ws.once('message', (d) => {
      const m = JSON.parse(d.toString());
      if (m.type === 'ready') resolve(ws);
      else reject(new Error(`ingest auth: ${d.toString()}`));
    });
    ws.on('error', reject);
  });
}

async function run(r: Run) {
  const ws = await connect(r.url, r.token);
  const n = r.symbols.length;
  const prefix = r.symbols.map((s) => `{"s":${JSON.stringify(s)},"p":`);
  const price = new Float64Array(n).fill(100);
  let seedState = 12345;
  const rand = () => ((seedState = (seedState * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const batchJson = (count: number, id?: number): string => {
    const now = Date.now();
    const parts = new Array<string>(count);
    for (let k = 0; k < count; k++) {
      const i = Math.floor(rand() * n);
      price[i] = Math.max(1, price[i] * (1 + (rand() - 0.5) * 0.002));
      parts[k] = `${prefix[i]}${price[i].toFixed(4)},"t":${now}}`;
    }
    return `{"type":"ticks"${id === undefined ? '' : `,"id":${id}`},"ticks":[${parts.join(',')}]}`;
  };
  let sent = 0;
  let accepted = 0;
  let errors = 0;
  let maxBuffered = 0;
  let firstError = '';
  let closedWith = '';
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString());
    if (m.type === 'ack') accepted += m.accepted;
    else if (m.type === 'error') {
      errors++;
      firstError ||= `${m.code}: ${m.message}`;
    }
  });
  ws.on('close', (code, reason) => {
    closedWith ||= `${code} ${reason.toString()}`;
  });
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const endAt = started + r.seconds * 1000;
  if (r.mode === 'paced') {
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const now = performance.now();
        if (now >= endAt) {
          clearInterval(timer);
          return resolve();
        }
        let due = Math.floor(((now - started) / 1000) * r.ticksPerSec) - sent;
        // After a stall (a starved feeder) the catch-up goes out in messages of at most MAX_BATCH ticks, well under
        // the ingest endpoint's 4 MB message limit (a larger one would be refused and its ticks lost).
        while (due > 0) {
          const n = Math.min(due, MAX_BATCH);
          ws.send(batchJson(n));
          sent += n;
          due -= n;
        }
        maxBuffered = Math.max(maxBuffered, ws.bufferedAmount);
      }, 5);
    });
  } else {
    // Pre-built batches (random symbols and prices) split where the tick time goes: sending one costs a join,
    // so the feeder spends its CPU on the socket rather than on formatting numbers.
    const templates = Array.from({ length: 16 }, () => {
      const parts: string[] = [];
      for (let k = 0; k < r.batch; k++) {
        const i = Math.floor(rand() * n);
        price[i] = Math.max(1, price[i] * (1 + (rand() - 0.5) * 0.002));
        parts.push(`${prefix[i]}${price[i].toFixed(4)},"t":`);
      }
      return `${parts.join('\u0000},')}\u0000}`.split('\u0000');
    });
    let which = 0;
    const batchFast = (id: number): string => `{"type":"ticks","id":${id},"ticks":[${templates[which++ % templates.length].join(String(Date.now()))}]}`;
    let id = 0;
    let outstanding = 0;
    await new Promise<void>((resolve) => {
      const pump = () => {
        while (outstanding < r.inflight && performance.now() < endAt) {
          ws.send(batchFast(++id));
          sent += r.batch;
          outstanding++;
        }
        if (outstanding === 0 && performance.now() >= endAt) resolve();
      };
      ws.on('message', (d) => {
        const s = d.toString();
        if (s.startsWith('{"type":"ack"')) {
          outstanding--;
          pump();
        }
      });
      pump();
    });
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  ws.close();
  process.send!({ sent, accepted, errors, firstError, closedWith, seconds, maxBuffered, cpuSec: (cpu.user + cpu.system) / 1e6 });
}

process.on('message', (msg: Run | { cmd: string }) => {
  if (msg.cmd === 'run') void run(msg as Run).catch((e: Error) => process.send!({ error: e.message }));
  else if (msg.cmd === 'exit') process.exit(0);
});
// The parent went away (finished or crashed): do not linger.
process.on('disconnect', () => process.exit(0));
process.send!({ up: true });
