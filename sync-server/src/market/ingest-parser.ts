// Where ws ingest messages are parsed (issue 5). `createWorkerIngestParser` hands each raw message to one
// worker_threads worker (ingest-worker.ts) that parses and validates it and posts back a transferable column batch
// (ingest-batch.ts), so the server's main thread, which also writes every stream message, spends no time on JSON
// text. Replies come back in message order; the worker starts on the first message. Should the worker fail to
// start or die, every message still waiting and all later ones are parsed on the main thread instead (nothing is
// lost). `createInlineIngestParser` parses on the calling thread: the default (on 2 cores the worker thread cost
// delivery latency, see README.md), and the worker's fallback.
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { BarRows } from './bar-book.ts';
import { columnsOver, createIngestParse, type IngestParse, type ParsedIngest, type SymbolTable } from './ingest-batch.ts';

/** Main → worker. */
export type WorkerRequest =
  | { kind: 'symbols'; names: string[] }
  | { kind: 'parse'; seq: number; bytes: Uint8Array }
  | { kind: 'take'; seq: number };

/** Worker → main: a parsed batch (columns over `buf`), a rejected message, or the bar rows asked for by `take`. */
export type WorkerReply =
  | (Omit<ParsedIngest, 'cols'> & { seq: number; n: number; buf: ArrayBuffer })
  | { seq: number; ok: false; error: string }
  | ({ seq: number; kind: 'bars' } & BarRows);

export interface IngestParser {
  /** Parses one raw ingest message (UTF-8 JSON); `done` runs once, in the order of the parse calls. */
  parse(raw: Buffer, done: (r: IngestParse) => void): void;
  /** Messages handed over and not answered yet. */
  pending(): number;
  /** True while a worker thread does the parsing. */
  inWorker(): boolean;
  /**
   * The storage bar rows the worker folded since the last call (null without a worker). Parsed batches that come
   * back `folded` have their bars there, not in the pipeline's own book.
   */
  takeBars(): Promise<BarRows | null>;
  stop(): Promise<void>;
}

export function createInlineIngestParser(table: SymbolTable): IngestParser {
  const parse = createIngestParse(table);
  return {
    parse: (raw, done) => done(parse(raw)),
    pending: () => 0,
    inWorker: () => false,
    takeBars: async () => null,
    stop: async () => undefined,
  };
}

/**
 * A worker-backed parser over `table` (ids shared with the worker: every symbol added to the table after creation
 * must be announced with `symbolsAdded`, in the order added).
 */
export function createWorkerIngestParser(table: SymbolTable, log: Logger): IngestParser & { symbolsAdded(names: string[]): void; lastBars(): BarRows | null } {
  let worker: Worker | null = null;
  let failed = false;
  let stopped = false;
  let nextSeq = 0;
  const queue: Array<{ seq: number; raw: Buffer; done: (r: IngestParse) => void }> = [];
  let head = 0;
  /** The worker's bars taken at stop, for the pipeline's last flush. */
  let finalBars: BarRows | null = null;

  const inline = createIngestParse(table);
  /** Pending `take` requests (answered in order); resolved with null if the worker goes away. */
  const takes: Array<(rows: BarRows | null) => void> = [];

  function fallBack(err: unknown): void {
    if (failed) return;
    failed = true;
    log.error({ err }, 'market ingest worker failed; parsing ingest on the main thread');
    const w = worker;
    worker = null;
    void w?.terminate().catch(() => undefined);
    // The worker's unflushed bars are gone with it (the latest prices are kept by the pipeline itself).
    for (const t of takes.splice(0)) t(null);
    // Everything not answered yet is parsed here, in order.
    const waiting = queue.splice(head);
    queue.length = head = 0;
    for (const q of waiting) q.done(inline(q.raw));
  }

  function start(): Worker {
    // Node 20 workers do not apply the parent's tsx hooks to a .ts entry: register tsx inside the worker, then import it.
    const entry = new URL('./ingest-worker.ts', import.meta.url).href;
    const boot = `(async () => { const { register } = await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}); register(); await import(${JSON.stringify(entry)}); })().catch((e) => { throw e; })`;
    const w = new Worker(boot, { eval: true, name: 'market-ingest' });
    w.unref();
    w.on('message', (r: WorkerReply) => {
      if (failed || (stopped && !('kind' in r))) return;
      if ('kind' in r) {
        const { seq: _seq, kind: _kind, ...rows } = r;
        return takes.shift()?.(rows);
      }
      const q = queue[head];
      if (!q || q.seq !== r.seq) return fallBack(new Error(`ingest worker answered ${r.seq}, expected ${q?.seq}`));
      queue[head++] = undefined as never;
      if (head > 1024 && head * 2 > queue.length) {
        queue.splice(0, head);
        head = 0;
      }
      if (!r.ok) q.done({ ok: false, error: r.error });
      else {
        const { buf, n, seq: _seq, ...rest } = r;
        q.done({ ...rest, cols: columnsOver(buf, n) });
      }
    });
    w.on('error', fallBack);
    w.on('exit', (code) => {
      if (!stopped) fallBack(new Error(`ingest worker exited with code ${code}`));
    });
    // The worker starts with an empty table: the whole table so far, then every later addition.
    w.postMessage({ kind: 'symbols', names: Array.from({ length: table.size }, (_, i) => table.symbolOf(i)) } satisfies WorkerRequest);
    return w;
  }

  function takeBars(): Promise<BarRows | null> {
    const w = worker;
    if (!w) return Promise.resolve(null);
    return new Promise<BarRows | null>((resolve) => {
      takes.push(resolve);
      w.postMessage({ kind: 'take', seq: nextSeq++ } satisfies WorkerRequest);
    });
  }

  return {
    parse(raw, done) {
      if (failed || stopped) return done(inline(raw));
      try {
        worker ??= start();
      } catch (err) {
        fallBack(err);
        return done(inline(raw));
      }
      const seq = nextSeq++;
      // ws hands over a view that may share a larger buffer: copy the message into its own, then move it.
      const bytes = new Uint8Array(raw.length);
      bytes.set(raw);
      queue.push({ seq, raw, done });
      worker.postMessage({ kind: 'parse', seq, bytes } satisfies WorkerRequest, [bytes.buffer]);
    },
    symbolsAdded(names) {
      if (worker && names.length) worker.postMessage({ kind: 'symbols', names } satisfies WorkerRequest);
    },
    pending: () => queue.length - head,
    inWorker: () => worker !== null,
    takeBars,
    async stop() {
      // Messages still in the worker are answered by it first (their bars are in its book), within a bound;
      // then its bars are handed to `lastBars` for the final flush. Afterwards messages are parsed here.
      const deadline = Date.now() + 2_000;
      while (worker && queue.length - head > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      stopped = true;
      const w = worker;
      if (w) finalBars = await takeBars();
      worker = null;
      const waiting = queue.splice(head);
      queue.length = head = 0;
      for (const q of waiting) q.done(inline(q.raw));
      if (w) await w.terminate();
    },
    lastBars() {
      const rows = finalBars;
      finalBars = null;
      return rows;
    },
  };
}
