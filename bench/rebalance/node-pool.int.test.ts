// The Node worker_threads glue end to end: a small demo book through real worker threads, chunked by household.
import { afterEach, describe, expect, it } from 'vitest';
import { generateBook, latestCloses } from '@aw/demo';
import { chunkByGroup, JobCancelledError, packChunk, prepareJobContext, rebalanceChunk, runJob, type ChunkProposal, type RebalanceJobContext, type WorkerPool } from '@aw/engine/workers';
import { createNodeRebalancePool, type ChunkReply, type ChunkTask } from './node-pool.ts';

const book = generateBook({ households: 12, seed: 7, history: false, securities: 80, years: 2 });
const closes = latestCloses(book.prices);
const context: RebalanceJobContext = {
  asOf: book.prices.dates.at(-1)!, securities: book.securities, models: book.models, priceSymbols: [...closes.keys()], prices: [...closes.values()],
  options: { minTradeCents: 100_00 },
};
const lotsOf = (id: string) => book.lots.filter((l) => l.accountId === id);
const bracket = new Map(book.households.map((h) => [h.id, h.taxBracket]));
const ranges = chunkByGroup(book.accounts.map((a) => a.householdId), 10);
const task = (r: { start: number; end: number }): ChunkTask => {
  const accounts = book.accounts.slice(r.start, r.end);
  const hh = [...new Set(accounts.map((a) => a.householdId))].map((id) => ({ id, taxBracket: bracket.get(id)! }));
  return packChunk(hh, accounts, lotsOf);
};

let pool: WorkerPool<ChunkTask, ChunkReply> | undefined;
afterEach(async () => { await pool?.terminate(); pool = undefined; });

describe('rebalance worker pool on worker_threads', () => {
  it('produces, chunk by chunk, exactly the proposals of an inline run', async () => {
    pool = createNodeRebalancePool(context, 2);
    const got: ChunkProposal[][] = [];
    const summary = await runJob({ chunks: ranges, sizeOf: (r) => r.end - r.start, concurrency: pool.size, execute: (r) => pool!.run(task(r)),
      onResult: (reply, i) => { got[i] = reply.out.proposals; } });
    expect(summary.itemsDone).toBe(book.accounts.length);
    const inline = prepareJobContext(context);
    const expected = ranges.map((r) => rebalanceChunk(inline, task(r).chunk).proposals);
    expect(got).toEqual(expected);
    expect(got.flat().map((p) => p.accountId)).toEqual(book.accounts.map((a) => a.id));
    expect(got.flat().some((p) => p.trades.length > 0)).toBe(true);
  }, 120_000);

  it('cancels a running job', async () => {
    pool = createNodeRebalancePool(context, 1);
    const ctrl = new AbortController();
    const job = runJob({ chunks: ranges, sizeOf: (r) => r.end - r.start, concurrency: 1, execute: (r) => pool!.run(task(r)), signal: ctrl.signal,
      onResult: () => ctrl.abort() });
    await expect(job).rejects.toBeInstanceOf(JobCancelledError);
  }, 120_000);

  it('turns a failing chunk into a named error', async () => {
    pool = createNodeRebalancePool(context, 1);
    const bad = task(ranges[0]!);
    (bad.chunk as any).accounts = null;
    await expect(pool.run(bad)).rejects.toMatchObject({ name: 'WorkerChunkError', code: 'TypeError' });
  }, 120_000);
});
