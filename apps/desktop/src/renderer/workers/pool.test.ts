// The pool over real Comlink endpoints (MessageChannel ports standing in for Worker threads; same protocol).
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { abortable, createWorkerPool, poolSize, PoolTerminatedError, TaskAbortedError, type PoolEndpoint } from './pool.ts';

interface TestApi {
  square(x: number): number;
  count(to: number, onProgress?: (n: number) => void): Promise<number>;
  hang(): Promise<never>;
}

function makeEndpointFactory() {
  const created: { terminated: boolean }[] = [];
  const create = (): PoolEndpoint => {
    const { port1, port2 } = new MessageChannel();
    const impl: TestApi = {
      square: (x) => x * x,
      async count(to, onProgress) {
        for (let i = 1; i <= to; i++) await onProgress?.(i);
        return to;
      },
      hang: () => new Promise<never>(() => undefined),
    };
    Comlink.expose(impl, port2);
    const state = { terminated: false };
    created.push(state);
    return Object.assign(port1, { terminate: () => { state.terminated = true; port1.close(); port2.close(); } }) as unknown as PoolEndpoint;
  };
  return { create, created };
}

describe('poolSize', () => {
  it('leaves one core for the UI, within 1..maxSize', () => {
    expect(poolSize({ cores: 8 })).toBe(4);
    expect(poolSize({ cores: 8, maxSize: 16 })).toBe(7);
    expect(poolSize({ cores: 2 })).toBe(1);
    expect(poolSize({ cores: 1 })).toBe(1);
    expect(poolSize({ size: 3 })).toBe(3);
  });
});

describe('createWorkerPool', () => {
  it('runs tasks on lazily created workers and reports progress', async () => {
    const { create, created } = makeEndpointFactory();
    const pool = createWorkerPool<TestApi>(create, { size: 2 });
    expect(pool.liveWorkers()).toBe(0);
    const seen: number[] = [];
    const [a, b, c] = await Promise.all([
      pool.run((api) => api.square(7)),
      pool.run((api, progress) => api.count(3, progress), { onProgress: (n: number) => seen.push(n) }),
      pool.run((api) => api.square(9)), // queued until a worker is free
    ]);
    expect([a, b, c]).toEqual([49, 3, 81]);
    expect(seen).toEqual([1, 2, 3]);
    expect(created.length).toBe(2);
    pool.terminate();
    expect(created.every((w) => w.terminated)).toBe(true);
  });

  it('cancels a running task by terminating its worker, and keeps serving', async () => {
    const { create, created } = makeEndpointFactory();
    const pool = createWorkerPool<TestApi>(create, { size: 1 });
    const ctrl = new AbortController();
    const hung = pool.run((api) => api.hang(), { signal: ctrl.signal });
    const queued = pool.run((api) => api.square(4));
    await new Promise((r) => setTimeout(r, 10));
    ctrl.abort();
    await expect(hung).rejects.toBeInstanceOf(TaskAbortedError);
    expect(created[0]!.terminated).toBe(true);
    expect(await queued).toBe(16);
    expect(created.length).toBe(2);
    pool.terminate();
  });

  it('drops a queued task on abort and refuses work after terminate', async () => {
    const { create } = makeEndpointFactory();
    const pool = createWorkerPool<TestApi>(create, { size: 1 });
    const running = pool.run((api) => api.hang());
    const ctrl = new AbortController();
    const queued = pool.run((api) => api.square(2), { signal: ctrl.signal });
    ctrl.abort();
    await expect(queued).rejects.toBeInstanceOf(TaskAbortedError);
    pool.terminate();
    await expect(running).rejects.toBeInstanceOf(PoolTerminatedError);
    await expect(pool.run((api) => api.square(2))).rejects.toBeInstanceOf(PoolTerminatedError);
    await expect(createWorkerPool<TestApi>(create).run((api) => api.square(1), { signal: AbortSignal.abort() }))
      .rejects.toBeInstanceOf(TaskAbortedError);
  });
});

describe('abortable', () => {
  class StopError extends Error {}
  const never = new Promise<number>(() => undefined);

  it('passes the answer or the failure through when nothing aborts', async () => {
    const ctrl = new AbortController();
    await expect(abortable(Promise.resolve(7), ctrl.signal)).resolves.toBe(7);
    await expect(abortable(Promise.reject(new RangeError('bad')), ctrl.signal)).rejects.toBeInstanceOf(RangeError);
    await expect(abortable(Promise.resolve(8), undefined)).resolves.toBe(8);
  });

  it('rejects a call that never answers as soon as the signal aborts, with the error of the factory given', async () => {
    const ctrl = new AbortController();
    const pending = abortable(never, ctrl.signal, () => new StopError('stopped'));
    ctrl.abort();
    await expect(pending).rejects.toBeInstanceOf(StopError);
    const byDefault = abortable(never, AbortSignal.abort());
    await expect(byDefault).rejects.toBeInstanceOf(TaskAbortedError);
  });

  it('ignores an abort after the answer arrived', async () => {
    const ctrl = new AbortController();
    const done = abortable(Promise.resolve('ok'), ctrl.signal, () => new StopError('late'));
    await expect(done).resolves.toBe('ok');
    ctrl.abort();
    await expect(done).resolves.toBe('ok');
  });
});
