import { describe, expect, it } from 'vitest';
import { chunkByGroup, chunkEvenly, ChunkingError } from './chunks.ts';
import { ChunkFailedError, JobCancelledError, runJob, type JobProgress } from './job.ts';
import { createWorkerPool, PoolClosedError, type PoolWorker } from './pool.ts';

/** A deferred result per chunk, so tests decide completion order. */
function controlled<R>() {
  const pending = new Map<number, { resolve: (r: R) => void; reject: (e: unknown) => void }>();
  let maxRunning = 0;
  const execute = (_: unknown, index: number): Promise<R> => new Promise<R>((resolve, reject) => {
    pending.set(index, { resolve, reject });
    maxRunning = Math.max(maxRunning, pending.size);
  });
  const settle = (index: number, r: R) => { pending.get(index)!.resolve(r); pending.delete(index); };
  const fail = (index: number, e: unknown) => { pending.get(index)!.reject(e); pending.delete(index); };
  return { execute, settle, fail, running: () => [...pending.keys()].sort(), maxRunning: () => maxRunning };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('chunking', () => {
  it('never splits a household and keeps chunks at most the size unless one household is larger', () => {
    const keys = ['a', 'a', 'b', 'b', 'b', 'c', 'd', 'd', 'd', 'd', 'd', 'e'];
    expect(chunkByGroup(keys, 4)).toEqual([{ start: 0, end: 2 }, { start: 2, end: 6 }, { start: 6, end: 11 }, { start: 11, end: 12 }]);
    expect(chunkByGroup([], 10)).toEqual([]);
    expect(chunkEvenly(2500, 1000)).toEqual([{ start: 0, end: 1000 }, { start: 1000, end: 2000 }, { start: 2000, end: 2500 }]);
    expect(() => chunkByGroup(['a', 'b', 'a'], 10)).toThrow(ChunkingError);
    expect(() => chunkEvenly(10, 0)).toThrow(/positive integer/);
  });
});

describe('runJob', () => {
  it('runs at most `concurrency` chunks at once and streams results in completion order with progress', async () => {
    const c = controlled<string>();
    const seen: Array<[string, number, JobProgress]> = [];
    let t = 0;
    const job = runJob({ chunks: [10, 20, 30, 40], sizeOf: (n) => n, concurrency: 2, execute: c.execute, now: () => t, onResult: (r, i, p) => seen.push([r, i, p]) });
    await tick();
    expect(c.running()).toEqual([0, 1]);
    t = 100;
    c.settle(1, 'b');
    await tick();
    expect(c.running()).toEqual([0, 2]);
    expect(seen[0]![0]).toBe('b');
    expect(seen[0]![2]).toMatchObject({ chunksDone: 1, itemsDone: 20, itemsTotal: 100, elapsedMs: 100, etaMs: 400 });
    c.settle(0, 'a'); await tick();
    c.settle(3, 'd'); await tick();
    c.settle(2, 'c');
    const summary = await job;
    expect(seen.map((s) => s[1])).toEqual([1, 0, 3, 2]);
    expect(summary).toMatchObject({ chunksDone: 4, itemsDone: 100, failed: [] });
    expect(c.maxRunning()).toBe(2);
  });

  it('cancels: stops scheduling and rejects with JobCancelledError; late results are dropped', async () => {
    const c = controlled<number>();
    const ctrl = new AbortController();
    const results: number[] = [];
    const job = runJob({ chunks: [1, 1, 1, 1], sizeOf: () => 1, concurrency: 2, execute: c.execute, signal: ctrl.signal, onResult: (r) => results.push(r) });
    await tick();
    c.settle(0, 0);
    await tick();
    ctrl.abort();
    await expect(job).rejects.toBeInstanceOf(JobCancelledError);
    c.settle(1, 1); c.settle(2, 2);
    await tick();
    expect(results).toEqual([0]);
    expect(c.running()).toEqual([]);
  });

  it('fails on the first failed chunk, or collects failures with onChunkError "continue"', async () => {
    const c = controlled<number>();
    const job = runJob({ chunks: [1, 1], sizeOf: () => 1, concurrency: 2, execute: c.execute });
    await tick();
    c.fail(1, new Error('boom'));
    await expect(job).rejects.toThrow(ChunkFailedError);
    const c2 = controlled<number>();
    const job2 = runJob({ chunks: [1, 1, 1], sizeOf: () => 1, concurrency: 1, execute: c2.execute, onChunkError: 'continue' });
    await tick(); c2.fail(0, { message: 'bad chunk' });
    await tick(); c2.settle(1, 1);
    await tick(); c2.settle(2, 2);
    expect((await job2).failed).toEqual([{ chunkIndex: 0, message: 'bad chunk' }]);
  });

  it('finishes at once with no chunks', async () => {
    expect(await runJob({ chunks: [], sizeOf: () => 1, concurrency: 4, execute: async () => 0 })).toMatchObject({ chunksDone: 0, itemsTotal: 0 });
  });
});

describe('worker pool', () => {
  it('queues tasks FIFO over its workers and rejects queued tasks when terminated', async () => {
    const log: string[] = [];
    const gates: Array<() => void> = [];
    let terminated = 0;
    const make = (slot: number): PoolWorker<string, string> => ({
      run: (task) => new Promise((resolve) => { log.push(`${slot}:${task}`); gates.push(() => resolve(`${task}!`)); }),
      terminate: () => { terminated++; },
    });
    const pool = createWorkerPool(make, 2);
    const a = pool.run('a'), b = pool.run('b'), c = pool.run('c');
    await tick();
    expect(log).toEqual(['0:a', '1:b']);
    gates[0]!();
    expect(await a).toBe('a!');
    await tick();
    expect(log).toEqual(['0:a', '1:b', '0:c']);
    const d = pool.run('d');
    await pool.terminate();
    await expect(d).rejects.toBeInstanceOf(PoolClosedError);
    expect(terminated).toBe(2);
    gates[1]!(); gates[2]!();
    expect([await b, await c]).toEqual(['b!', 'c!']);
  });
});
