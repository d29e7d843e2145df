// The bulk rebalance worker's API (runs inside a Web Worker; plain data in, plain data out): the job context once
// per job (security master, one batched price map, models, options), then chunks of ~1,000 accounts whose lots
// arrive as transferred typed arrays. Errors cross the boundary as {code, message}.
import { prepareJobContext, rebalanceChunk, type PreparedJobContext } from '@aw/engine/workers';
import type { RebalanceWorkerApi } from './rebalance-types.ts';

export function createRebalanceService(): RebalanceWorkerApi {
  let ctx: PreparedJobContext | null = null;
  return {
    init(context) {
      ctx = prepareJobContext(context);
    },
    run(chunk) {
      if (!ctx) throw { code: 'not_initialized', message: 'rebalance worker used before init()' };
      try {
        return rebalanceChunk(ctx, chunk);
      } catch (err) {
        const e = err as Error;
        throw { code: e.name || 'rebalance_failed', message: e.message ?? String(err) };
      }
    },
  };
}
