import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SyncHttpError } from '@aw/sync-client';
import { chunkIds, groupFailures, outcomeSummary, readableFailure, runBulkDecision, type BulkAnswer, type PostChunk } from './bulk-decisions.ts';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `p-${i}`);
/** A fake server answering like the bulk endpoint: approves unless the id is listed with an error code. */
function server(errors: Record<string, string> = {}, already: string[] = []): { post: PostChunk; calls: string[][] } {
  const calls: string[][] = [];
  let batch = 0;
  return {
    calls,
    post: async (decision, chunk) => {
      calls.push(chunk);
      batch++;
      const results = chunk.map((id) => errors[id]
        ? { id, ok: false, changed: false, code: errors[id], message: `proposal ${id} is rejected: only submitted proposals can be ${decision}d`, status: 'submitted' as const }
        : { id, ok: true, changed: !already.includes(id), status: (decision === 'approve' ? 'approved' : 'rejected') as 'approved' | 'rejected' });
      const answer: BulkAnswer = { results, batchId: decision === 'approve' && results.some((r) => r.changed) ? `batch-${batch}` : null };
      return answer;
    },
  };
}

describe('chunkIds', () => {
  it('splits distinct ids, in order, into chunks of at most the size, losing none', () => {
    fc.assert(fc.property(fc.array(fc.stringMatching(/^[a-z0-9]{1,4}$/), { maxLength: 300 }), fc.integer({ min: 1, max: 50 }), (list, size) => {
      const chunks = chunkIds(list, size);
      expect(chunks.every((c) => c.length >= 1 && c.length <= size)).toBe(true);
      expect(chunks.flat()).toEqual([...new Set(list)]);
    }));
  });
  it('never exceeds the server limit of 5,000 ids per call and rejects a size below 1', () => {
    expect(chunkIds(ids(12_000), 10_000).map((c) => c.length)).toEqual([5000, 5000, 2000]);
    expect(() => chunkIds(ids(3), 0)).toThrow(RangeError);
  });
});

describe('runBulkDecision', () => {
  it('sends every id once in chunks, reports progress per chunk, and collects batches', async () => {
    const s = server();
    const progress: number[] = [];
    const o = await runBulkDecision({ ids: ids(1200), decision: 'approve', comment: 'q4', post: s.post, chunkSize: 500, onProgress: (p) => progress.push(p.done) });
    expect(s.calls.map((c) => c.length)).toEqual([500, 500, 200]);
    expect(progress).toEqual([0, 500, 1000, 1200]);
    expect(o.changed).toHaveLength(1200);
    expect(o.failed).toEqual([]);
    expect(o.batchIds).toEqual(['batch-1', 'batch-2', 'batch-3']);
    expect(outcomeSummary(o)).toBe('1,200 approved');
  });

  it('keeps per-proposal failures with readable messages and counts idempotent repeats apart', async () => {
    const s = server({ 'p-1': 'stale', 'p-2': 'four_eyes', 'p-3': 'stale', 'p-4': 'invalid_state' }, ['p-5']);
    const o = await runBulkDecision({ ids: ids(8), decision: 'approve', comment: '', post: s.post, chunkSize: 3 });
    expect(o.changed).toEqual(['p-0', 'p-6', 'p-7']);
    expect(o.unchanged).toEqual(['p-5']);
    expect(o.failed.map((f) => [f.id, f.code])).toEqual([['p-1', 'stale'], ['p-2', 'four_eyes'], ['p-3', 'stale'], ['p-4', 'invalid_state']]);
    expect(o.failed[0]!.message).toMatch(/Stale \(409\).*account changed/);
    expect(o.failed[1]!.message).toMatch(/Four-eyes rule \(403\): you wrote this proposal/);
    expect(o.failed[3]!.message).toBe('Cannot approve (409): it is rejected: only submitted proposals can be approved.');
    expect(outcomeSummary(o)).toBe('3 approved · 1 already approved · 4 not approved');
    expect(groupFailures(o.failed).map((g) => [g.code, g.ids])).toEqual([['stale', ['p-1', 'p-3']], ['four_eyes', ['p-2']], ['invalid_state', ['p-4']]]);
  });

  it('stops at a whole-call 403 (an advisor) and reports every id, sent or not, as not decided', async () => {
    const calls: string[][] = [];
    const post: PostChunk = async (_d, chunk) => {
      calls.push(chunk);
      throw new SyncHttpError(403, 'forbidden', "role advisor may not approve proposals: a reviewer of the proposal's team decides (four-eyes rule)");
    };
    const o = await runBulkDecision({ ids: ids(7), decision: 'approve', comment: '', post, chunkSize: 3 });
    expect(calls).toHaveLength(1);
    expect(o.stopped).toBe(true);
    expect(o.changed).toEqual([]);
    expect(o.failed).toHaveLength(7);
    expect(o.failed.slice(0, 3).every((f) => f.code === 'forbidden' && /Not allowed \(403\): only a reviewer/.test(f.message))).toBe(true);
    expect(o.failed.slice(3).every((f) => f.code === 'not_sent')).toBe(true);
  });

  it('goes on after a chunk fails with a server error, and stops when offline', async () => {
    let n = 0;
    const flaky: PostChunk = async (d, chunk) => {
      if (n++ === 0) throw new SyncHttpError(500, 'internal', 'database busy');
      return server().post(d, chunk, '');
    };
    const o = await runBulkDecision({ ids: ids(4), decision: 'reject', comment: 'no', post: flaky, chunkSize: 2 });
    expect(o.failed.map((f) => f.code)).toEqual(['internal', 'internal']);
    expect(o.changed).toEqual(['p-2', 'p-3']);
    expect(o.stopped).toBe(false);

    const offline: PostChunk = async () => { throw new SyncHttpError(0, 'offline', 'cannot reach'); };
    const o2 = await runBulkDecision({ ids: ids(4), decision: 'reject', comment: 'no', post: offline, chunkSize: 2 });
    expect(o2.stopped).toBe(true);
    expect(o2.failed.map((f) => f.code)).toEqual(['offline', 'offline', 'not_sent', 'not_sent']);
    expect(o2.failed[0]!.message).toMatch(/cannot be reached: nothing was decided/);
  });

  it('reports ids the server did not answer for, and stops when cancelled', async () => {
    const partial: PostChunk = async (_d, chunk) => ({ results: chunk.slice(1).map((id) => ({ id, ok: true, changed: true, status: 'rejected' as const })) });
    const o = await runBulkDecision({ ids: ids(2), decision: 'reject', comment: 'x', post: partial });
    expect(o.failed.map((f) => [f.id, f.code])).toEqual([['p-0', 'no_answer']]);

    const ctrl = new AbortController();
    const cancelling: PostChunk = async (d, chunk) => { ctrl.abort(); return server().post(d, chunk, ''); };
    const o2 = await runBulkDecision({ ids: ids(6), decision: 'approve', comment: '', post: cancelling, chunkSize: 2, signal: ctrl.signal });
    expect(o2.changed).toEqual(['p-0', 'p-1']);
    expect(o2.failed.map((f) => f.code)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect(o2.stopped).toBe(true);
  });

  it('names the session expiry and the four-eyes rule in words a reviewer understands', () => {
    expect(readableFailure('session_expired')).toMatch(/session has expired \(401\): sign in again/);
    expect(readableFailure('four_eyes', '', 'reject')).toMatch(/another reviewer must reject it/);
    expect(readableFailure('weird', 'something odd')).toBe('something odd (weird)');
  });
});
