// The ingest worker thread against the main-thread parser: same results, in order, nothing lost at stop.
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { createSymbolTable, type IngestParse } from './ingest-batch.ts';
import { createInlineIngestParser, createWorkerIngestParser } from './ingest-parser.ts';

const log = pino({ level: 'silent' });
const symbols = Array.from({ length: 100 }, (_, i) => `S${i}`);
const messages = Array.from({ length: 200 }, (_, k) => Buffer.from(k % 17 === 5
  ? '{"type":"ticks","ticks":[{"s":"S1"'
  : JSON.stringify({ type: 'ticks', id: k, ticks: Array.from({ length: 20 }, (_, i) => ({ s: i === 3 ? 'NOPE' : symbols[(k * 7 + i) % 100], p: 10 + i, t: 1000 + k })) })));
const plain = (r: IngestParse) => (r.ok ? { ...r, folded: undefined, cols: { n: r.cols.n, sym: [...r.cols.sym], p: [...r.cols.p], t: [...r.cols.t], v: [...r.cols.v] } } : r);

describe('ingest parser', () => {
  it('the worker answers every message in order with what the main thread would have parsed', async () => {
    const table = createSymbolTable(symbols);
    const worker = createWorkerIngestParser(table, log);
    const inline = createInlineIngestParser(table);
    const got: IngestParse[] = [];
    const all = new Promise<void>((resolve) => {
      for (const m of messages) worker.parse(m, (r) => {
        got.push(r);
        if (got.length === messages.length) resolve();
      });
    });
    expect(worker.pending()).toBe(messages.length);
    await all;
    expect(worker.inWorker()).toBe(true);
    const want: IngestParse[] = [];
    for (const m of messages) inline.parse(m, (r) => want.push(r));
    expect(got.map(plain)).toEqual(want.map(plain));
    expect(got.filter((r) => !r.ok)).toHaveLength(12);
    // The worker folded the ticks into its storage bars: one minute and one daily row per symbol seen.
    expect(got.every((r) => !r.ok || r.folded)).toBe(true);
    const bars = await worker.takeBars();
    const seen = new Set(got.flatMap((r) => (r.ok ? [...r.cols.sym] : [])));
    expect(bars!.rows).toBe(2 * seen.size);
    expect(JSON.parse(`[${bars!.minute}]`)).toHaveLength(seen.size);
    expect(await worker.takeBars()).toEqual({ minute: '', daily: '', rows: 0 });
    await worker.stop();
  });

  it('symbols added later are known to the worker for later messages', async () => {
    const table = createSymbolTable(['AAA']);
    const worker = createWorkerIngestParser(table, log);
    const one = (text: string) => new Promise<IngestParse>((resolve) => worker.parse(Buffer.from(text), resolve));
    const msg = JSON.stringify({ type: 'ticks', ticks: [{ s: 'NEW', p: 1, t: 1 }] });
    expect(await one(msg)).toMatchObject({ ok: true, unknownCount: 1 });
    worker.symbolsAdded(table.add(['NEW']));
    const r = await one(msg);
    expect(r.ok && [...r.cols.sym]).toEqual([1]);
    await worker.stop();
  });

  it('messages still in the worker at stop are parsed on the main thread, none lost', async () => {
    const worker = createWorkerIngestParser(createSymbolTable(symbols), log);
    const seen: number[] = [];
    messages.forEach((m, k) => worker.parse(m, () => seen.push(k)));
    await worker.stop();
    expect(seen).toEqual(messages.map((_, k) => k));
    // The bars of what the worker parsed are kept for the pipeline's last flush.
    expect(worker.lastBars()!.rows).toBeGreaterThan(0);
    // After stop, parsing still works (inline).
    let after: IngestParse | null = null;
    worker.parse(messages[0], (r) => (after = r));
    expect(after).toMatchObject({ ok: true, id: 0 });
  });
});
