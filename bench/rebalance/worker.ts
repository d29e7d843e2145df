// Worker-thread entry for the rebalance bench: receives the job context once (workerData), then chunks; answers
// each with the proposals or an {code, message} error (errors never cross the thread boundary as exceptions).
import { parentPort, workerData } from 'node:worker_threads';
import { rebalanceAccount } from '@aw/engine/rebalance';
import { prepareJobContext, rebalanceChunk, unpackLots, type RebalanceChunk, type RebalanceJobContext } from '@aw/engine/workers';

const ctx = prepareJobContext((workerData as { context: RebalanceJobContext }).context);

/** Wall-clock ms of rebalanceAccount for each of `accountIds` (after a warm-up pass), as the desktop's worker runs it. */
function latencies(chunk: RebalanceChunk, accountIds: string[]): number[] {
  const lots = unpackLots(chunk);
  const byId = new Map(chunk.accounts.map((a) => [a.id, a]));
  const bracket = new Map(chunk.households.map((h) => [h.id, h.taxBracket]));
  const one = (id: string): void => {
    const account = byId.get(id)!;
    const hhLots = lots.get(account.householdId) ?? [];
    rebalanceAccount({ account, lots: hhLots.filter((l) => l.accountId === id), householdLots: hhLots, taxBracket: bracket.get(account.householdId)!, asOf: ctx.asOf }, ctx.market, ctx.options);
  };
  for (const id of accountIds.slice(0, 200)) one(id);
  return accountIds.map((id) => { const t0 = performance.now(); one(id); return performance.now() - t0; });
}

parentPort!.on('message', (msg: { id: number; chunk: RebalanceChunk; latencyOf?: string[] }) => {
  const t0 = performance.now();
  try {
    if (msg.latencyOf) {
      parentPort!.postMessage({ id: msg.id, ok: true, latenciesMs: latencies(msg.chunk, msg.latencyOf) });
      return;
    }
    const out = rebalanceChunk(ctx, msg.chunk);
    parentPort!.postMessage({ id: msg.id, ok: true, out, computeMs: performance.now() - t0 });
  } catch (e) {
    const err = e instanceof Error ? { code: e.name, message: e.message } : { code: 'Error', message: String(e) };
    parentPort!.postMessage({ id: msg.id, ok: false, error: err });
  }
});
