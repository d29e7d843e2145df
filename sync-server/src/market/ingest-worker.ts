// The ingest worker thread (issue 5): parses and validates ws ingest messages off the server's main thread and
// keeps their storage bars (minute and daily, bar-book.ts), so the main thread only takes the compact column
// batches into the latest-price state, cache and stream, and fetches the bar rows at each flush (see
// ingest-parser.ts for the protocol). Keeps a mirror of the main thread's symbol table, fed with the same additions
// in the same order.
import { parentPort } from 'node:worker_threads';
import { createBarBook } from './bar-book.ts';
import { createIngestParse, createSymbolTable } from './ingest-batch.ts';
import type { WorkerReply, WorkerRequest } from './ingest-parser.ts';

const port = parentPort!;
const table = createSymbolTable();
const parse = createIngestParse(table);
const book = createBarBook((id) => table.symbolOf(id));

port.on('message', (m: WorkerRequest) => {
  if (m.kind === 'symbols') {
    table.add(m.names);
    return;
  }
  if (m.kind === 'take') {
    port.postMessage({ seq: m.seq, kind: 'bars', ...book.take() } satisfies WorkerReply);
    return;
  }
  let reply: WorkerReply;
  try {
    const r = parse(m.bytes);
    if (!r.ok) reply = { seq: m.seq, ok: false, error: r.error };
    else {
      const { cols, ...rest } = r;
      for (let i = 0; i < cols.n; i++) {
        book.fold(cols.sym[i], cols.p[i], cols.t[i], cols.v[i]);
      }
      reply = { ...rest, folded: true, seq: m.seq, n: cols.n, buf: cols.p.buffer as ArrayBuffer };
      port.postMessage(reply, [reply.buf]);
      return;
    }
  } catch (err) {
    reply = { seq: m.seq, ok: false, error: `message could not be read: ${(err as Error).message}` };
  }
  port.postMessage(reply);
});
