// The approvals feature (contract section 4, "Rebalance approvals"; issue 7):
//   POST /api/v1/proposals/:id/submit | /approve | /reject   {"comment"?}  → {"id","status","batchId"?}
//   POST /api/v1/proposals/submit | /approve | /reject       {"ids":[...≤5000],"comment"?}
//        → {"results":[{"id","status","ok","changed","code"?,"message"?}],"counts":{...},"batchId"?}
//   GET  /api/v1/batches/:batchId/blotter.csv                → the batch's trade blotter (text/csv)
// Errors `{"error":{"code","message"}}`: 400 invalid_body, 403 forbidden (role) / four_eyes (own proposal),
// 404 not_found (unknown or another team's proposal), 409 stale / invalid_state / conflict.
// Background jobs: the execution of approved proposals by a simulated custodian (execution.ts, paused by a circuit
// breaker on write-queue depth / DB write latency), the expiry sweep of submitted proposals older than the TTL, and
// audit records for proposals submitted through replication pushes. Every transition is an append-only record in
// the book's `approvals` collection (replicated read-only to the team). Metrics under `approvals_*` in /metrics.
import { Router, type Request } from 'express';
import { Counter, Gauge } from 'prom-client';
import { z } from 'zod';
import type { ApprovalRecord, Proposal, Transaction } from '@aw/domain';
import type { AuthUser, Feature, FeatureFactory, ServerContext } from '../context.ts';
import { parseBody } from '../auth/index.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { createPriceLookup } from '../market/index.ts';
import { auditRecord } from './audit.ts';
import { blotterCsv } from './blotter.ts';
import { coll, queryStored, plain, writeChunked, WRITE_CONTEXT } from './book-io.ts';
import { executeChunk, type ChunkReport, type ExecutionDeps, type FillPrices } from './execution.ts';
import { createExecutionJournal } from './execution-journal.ts';
import { decide, expireSubmitted, mayDecide, type Decision, type DecisionResult, type WorkflowDeps } from './workflow.ts';
import { createLoadBreaker, createWriteQueue, type BreakerState, type LoadBreakerOptions } from './write-queue.ts';

export { transactionId } from './execution.ts';
export { BLOTTER_HEADER } from './blotter.ts';
export type { DecisionResult } from './workflow.ts';

export const MAX_BULK_IDS = 5000;
export const MAX_COMMENT = 2000;
const DAY_MS = 86_400_000;

export interface ApprovalsOptions {
  /** Submitted proposals not decided within this become expired (default 5 days). */
  submittedTtlMs?: number;
  /** Expiry sweep period (default 1 h). */
  sweepIntervalMs?: number;
  /** Execution job period (default 500 ms; the job also starts right after approvals). */
  executionIntervalMs?: number;
  /** Proposals per execution chunk (default 200). */
  executionChunk?: number;
  /** false: no background execution (tests drive `executeNow`). */
  executionEnabled?: boolean;
  breaker?: Omit<LoadBreakerOptions, 'now' | 'onStateChange'>;
  /** Fill prices; default the market feature's batched lookup (createPriceLookup). */
  prices?: FillPrices;
  /** Crash-test seam of the execution chunk (tests only): a throw stops the chunk as a crash would. */
  executionCheckpoint?: ExecutionDeps['checkpoint'];
}

export interface ApprovalsFeature extends Feature {
  /** Runs execution chunks until no approved proposal is left (or the breaker opens); returns the totals. */
  executeNow(): Promise<ChunkReport>;
  /** Runs the expiry sweep now; returns how many proposals expired. */
  sweepNow(): Promise<number>;
  breakerState(): BreakerState;
  /** Resolves when every queued write of the feature has finished. */
  idle(): Promise<void>;
}

const commentSchema = z.string().max(MAX_COMMENT, `comment must be at most ${MAX_COMMENT} characters`).default('');
const singleBody = z.object({ comment: commentSchema }).strict();
const bulkBody = z.object({
  ids: z.array(z.string().min(1).max(64)).min(1, 'ids must list at least one proposal id').max(MAX_BULK_IDS, `at most ${MAX_BULK_IDS} ids per call`),
  comment: commentSchema,
}).strict();
const idParam = z.string().min(1).max(64);

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, open: 1, 'half-open': 2 };

export function approvalsFeature(options: ApprovalsOptions = {}): FeatureFactory {
  return (ctx: ServerContext): ApprovalsFeature => {
    const ttlMs = options.submittedTtlMs ?? 5 * DAY_MS;
    const chunk = options.executionChunk ?? 200;
    const queue = createWriteQueue();
    const prices = options.prices ?? createPriceLookup(ctx, { now: ctx.now });
    const deps: WorkflowDeps = { book: ctx.book, queue, now: ctx.now };
    const exec = { ...deps, prices, log: ctx.log, journal: createExecutionJournal(ctx.sql), checkpoint: options.executionCheckpoint };

    const transitions = new Counter({ name: 'approvals_transitions_total', help: 'Proposal transitions applied, by action', labelNames: ['action'], registers: [ctx.metrics] });
    const executedTrades = new Counter({ name: 'approvals_executed_trades_total', help: 'Trades filled by the simulated custodian', registers: [ctx.metrics] });
    const waiting = new Counter({ name: 'approvals_execution_unpriced_total', help: 'Proposal executions postponed for lack of a market price', registers: [ctx.metrics] });
    const trips = new Counter({ name: 'approvals_breaker_trips_total', help: 'Times the execution circuit breaker opened', registers: [ctx.metrics] });
    const breaker = createLoadBreaker(queue, {
      ...options.breaker,
      now: ctx.now,
      onStateChange: (s, reason) => {
        if (s === 'open') trips.inc();
        ctx.log.warn({ state: s, reason }, 'approvals execution breaker');
      },
    });
    new Gauge({ name: 'approvals_execution_breaker_state', help: 'Execution circuit breaker: 0 closed, 1 open (paused), 2 half-open', registers: [ctx.metrics], collect() { this.set(BREAKER_VALUE[breaker.state()]); } });
    new Gauge({ name: 'approvals_write_queue_depth', help: 'Approval/execution tasks waiting in the write queue', registers: [ctx.metrics], collect() { this.set(queue.depth()); } });
    new Gauge({ name: 'approvals_db_write_latency_ms', help: 'Moving average of the feature\'s DB bulk-write latency, ms', registers: [ctx.metrics], collect() { this.set(queue.writeLatencyMs()); } });

    const countResults = (decision: Decision, results: DecisionResult[]) => {
      for (const r of results) {
        if (r.changed) transitions.inc({ action: decision });
        else if (r.code === 'stale') transitions.inc({ action: 'stale' });
      }
    };

    let stopped = false;
    let running: Promise<ChunkReport> | null = null;
    let execTimer: NodeJS.Timeout | undefined;
    let sweepTimer: NodeJS.Timeout | undefined;

    const executeNow = (): Promise<ChunkReport> =>
      (running ??= (async () => {
        const total: ChunkReport = { seen: 0, executed: 0, stale: 0, unpriced: 0, trades: 0 };
        try {
          while (!stopped && breaker.allow()) {
            const r = await executeChunk(exec, chunk);
            for (const k of Object.keys(total) as (keyof ChunkReport)[]) total[k] += r[k];
            transitions.inc({ action: 'execute' }, r.executed);
            if (r.stale) transitions.inc({ action: 'stale' }, r.stale);
            executedTrades.inc(r.trades);
            if (r.unpriced) waiting.inc(r.unpriced);
            // Stop when nothing (more) can move now: empty, or only proposals waiting for prices.
            if (r.seen < chunk || r.executed + r.stale === 0) break;
          }
        } finally {
          running = null;
        }
        return total;
      })());

    const kick = () => {
      if (options.executionEnabled === false || stopped) return;
      executeNow().catch((err) => ctx.log.error({ err }, 'approvals execution failed'));
    };
    const sweepNow = async () => {
      const n = await expireSubmitted(deps, ttlMs);
      if (n) transitions.inc({ action: 'expire' }, n);
      return n;
    };

    // Proposals submitted through a replication push: the push itself writes no audit record, so one is appended
    // here (actor = the proposal's author, who is the only one allowed to create it).
    let submitSub: { unsubscribe(): void } | undefined;
    const watchPushedSubmits = () => {
      const proposals = coll(ctx.book, 'proposals');
      submitSub = proposals.storageInstance.changeStream().subscribe((bulk: any) => {
        if (bulk.context === WRITE_CONTEXT) return;
        const records: ApprovalRecord[] = [];
        for (const ev of bulk.events as { documentData: Proposal; previousDocumentData?: Proposal }[]) {
          const doc = ev.documentData;
          const before = ev.previousDocumentData;
          if (doc.status !== 'submitted' || (before && !(before as any)._deleted && before.status === 'submitted')) continue;
          records.push(auditRecord(doc, 'submit', doc.authorId, before && !(before as any)._deleted ? before.status : 'draft', 'submitted', ctx.now(), ''));
        }
        if (!records.length) return;
        transitions.inc({ action: 'submit' }, records.length);
        queue.run(() => writeChunked(coll(ctx.book, 'approvals'), records.map((document) => ({ document })), queue))
          .catch((err) => ctx.log.error({ err }, 'approvals: audit of pushed submits failed'));
      });
    };

    const router = Router();
    const user = (res: { locals: Record<string, unknown> }) => res.locals.user as AuthUser;
    const checkRole = (u: AuthUser, d: Decision) => {
      const why = mayDecide(u, d);
      if (why) throw new HttpError(403, 'forbidden', why);
    };
    for (const d of ['submit', 'approve', 'reject'] as const) {
      router.post(`/api/v1/proposals/${d}`, ctx.auth.requireAuth, async (req, res) => {
        const u = user(res);
        checkRole(u, d);
        const body = parseBody(bulkBody, req.body);
        const results = await decide(deps, u, d, body.ids, body.comment);
        countResults(d, results);
        if (d === 'approve') kick();
        const counts: Record<string, number> = {};
        for (const r of results) counts[r.ok ? r.status! : r.code!] = (counts[r.ok ? r.status! : r.code!] ?? 0) + 1;
        res.json({
          results: results.map(({ httpStatus: _h, batchId: _b, ...r }) => r),
          counts,
          ...(d === 'approve' ? { batchId: results.find((r) => r.changed)?.batchId ?? null } : {}),
        });
      });
      router.post(`/api/v1/proposals/:id/${d}`, ctx.auth.requireAuth, async (req: Request, res) => {
        const u = user(res);
        checkRole(u, d);
        const id = idParam.safeParse(req.params.id);
        if (!id.success) throw new HttpError(400, 'invalid_id', 'proposal id must be 1 to 64 characters');
        const body = parseBody(singleBody, req.body ?? {});
        const [r] = await decide(deps, u, d, [id.data], body.comment);
        countResults(d, [r!]);
        if (!r!.ok) throw new HttpError(r!.httpStatus, r!.code!, r!.message!, {}, r!.status ? { status: r!.status } : {});
        if (d === 'approve' && r!.changed) kick();
        res.json({ id: r!.id, status: r!.status, changed: r!.changed, ...(r!.batchId ? { batchId: r!.batchId } : {}) });
      });
    }

    router.get('/api/v1/batches/:batchId/blotter.csv', ctx.auth.requireAuth, async (req, res) => {
      const u = user(res);
      if (u.role === 'provider') throw new HttpError(403, 'forbidden', 'role provider may not read trade blotters');
      const batchId = String(req.params.batchId);
      if (batchId.length > 64) throw new HttpError(400, 'invalid_id', 'batch id must be at most 64 characters');
      const proposals = (await queryStored<Proposal>(coll(ctx.book, 'proposals'), { batchId })).map(plain)
        .filter((p) => u.role === 'admin' || p.teamId === u.teamId);
      if (!proposals.length) throw notFound(`batch ${batchId} not found in your team`);
      const txs: Transaction[] = [];
      const ids = proposals.map((p) => p.id);
      for (let i = 0; i < ids.length; i += 1000) {
        txs.push(...(await queryStored<Transaction>(coll(ctx.book, 'transactions'), { proposalId: { $in: ids.slice(i, i + 1000) } })).map(plain));
      }
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="blotter-${batchId.replace(/[^A-Za-z0-9._-]/g, '_')}.csv"`);
      res.send(blotterCsv(proposals, txs));
    });

    return {
      name: 'approvals',
      router,
      executeNow,
      sweepNow,
      breakerState: () => breaker.state(),
      idle: () => queue.idle(),
      async start() {
        watchPushedSubmits();
        if (options.executionEnabled !== false) {
          execTimer = setInterval(kick, options.executionIntervalMs ?? 500);
          execTimer.unref();
        }
        sweepTimer = setInterval(() => {
          sweepNow().catch((err) => ctx.log.error({ err }, 'approvals expiry sweep failed'));
        }, options.sweepIntervalMs ?? 3_600_000);
        sweepTimer.unref();
        kick();
      },
      async stop() {
        stopped = true;
        clearInterval(execTimer);
        clearInterval(sweepTimer);
        submitSub?.unsubscribe();
        await running?.catch(() => undefined);
        await queue.idle();
      },
    };
  };
}

/** The server's approvals feature with default options. */
export const createApprovalsFeature: FeatureFactory = approvalsFeature();
