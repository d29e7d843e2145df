// Bulk approve / reject of many proposals through the sync server's bulk endpoint (contract section 4:
// POST /api/v1/proposals/approve|reject {"ids","comment"} → per-id results), in chunks of at most `chunkSize` ids
// one after another, with progress after each chunk. Per-id failures (409 stale, 403 four_eyes, 409 invalid_state,
// 404 not_found, 409 conflict) and whole-call failures (403 forbidden for an advisor, 401 session expired, offline,
// 400/5xx) are aggregated into one outcome with a readable message per proposal. A whole-call failure that would
// repeat for every chunk (401, 403, offline) stops the run; the ids not sent are reported as not decided.
import { SyncHttpError } from '@aw/sync-client';
import type { ProposalStatus } from '@aw/domain';

export type Decision = 'approve' | 'reject';

/** One id's answer from the server's bulk endpoint. */
export interface IdResult {
  id: string;
  ok: boolean;
  status?: ProposalStatus;
  changed: boolean;
  code?: string;
  message?: string;
}

export interface BulkAnswer {
  results: IdResult[];
  counts?: Record<string, number>;
  batchId?: string | null;
}

/** Sends one chunk; throws SyncHttpError when the whole call fails. */
export type PostChunk = (decision: Decision, ids: string[], comment: string, signal?: AbortSignal) => Promise<BulkAnswer>;

export interface DecisionProgress {
  done: number;
  total: number;
  chunksDone: number;
  chunksTotal: number;
}

export interface IdFailure {
  id: string;
  code: string;
  /** The server's own message (for the tooltip / log). */
  serverMessage: string;
  /** What the reviewer reads. */
  message: string;
}

export interface DecisionOutcome {
  decision: Decision;
  total: number;
  /** Proposals this run moved to approved / rejected. */
  changed: string[];
  /** Proposals already in the requested state (an idempotent repeat: nothing written). */
  unchanged: string[];
  failed: IdFailure[];
  /** Approval batches created (one per chunk that approved something): the blotter downloads. */
  batchIds: string[];
  /** The status the server reported for each id it answered about. */
  statuses: Map<string, ProposalStatus>;
  /** The run stopped early (cancelled, or a failure that every further chunk would repeat). */
  stopped: boolean;
}

export const DEFAULT_CHUNK = 500;
/** The server's limit per call (sync-server/src/approvals MAX_BULK_IDS). */
export const MAX_CHUNK = 5000;

/** Distinct ids in order, split into chunks of at most `size`. */
export function chunkIds(ids: readonly string[], size = DEFAULT_CHUNK): string[][] {
  if (!(size >= 1)) throw new RangeError(`chunk size must be at least 1, got ${size}`);
  const n = Math.min(Math.floor(size), MAX_CHUNK);
  const unique = [...new Set(ids)];
  const out: string[][] = [];
  for (let i = 0; i < unique.length; i += n) out.push(unique.slice(i, i + n));
  return out;
}

/** The reviewer-facing sentence for a failure code (server codes of section 4, plus the client's own). */
export function readableFailure(code: string, serverMessage = '', decision: Decision = 'approve'): string {
  switch (code) {
    case 'stale': return 'Stale (409): the account changed since this proposal was computed. The advisor must recompute it.';
    case 'four_eyes': return `Four-eyes rule (403): you wrote this proposal, so another reviewer must ${decision} it.`;
    case 'forbidden': return `Not allowed (403): only a reviewer of the team may ${decision} proposals.`;
    case 'invalid_state': return `Cannot ${decision} (409): ${serverMessage.replace(/^proposal \S+ is /, 'it is ') || 'it is no longer waiting for a decision'}.`.replace(/\.\.$/, '.');
    case 'conflict': return 'Changed while being decided (409): wait for the latest version to arrive, then try again.';
    case 'not_found': return 'Not found (404): the proposal is not in your team on the server (not synced yet, or removed).';
    case 'unauthorized': case 'session_expired': case 'invalid_token':
      return 'Your session has expired (401): sign in again, then retry.';
    case 'offline': return 'The sync server cannot be reached: nothing was decided. Retry when back online.';
    case 'cancelled': return 'Not sent: the run was cancelled.';
    case 'not_sent': return 'Not sent: an earlier chunk failed for a reason every chunk would share.';
    case 'invalid_body': return `Rejected by the server (400): ${serverMessage}`;
    default: return serverMessage ? `${serverMessage} (${code})` : `Failed (${code}).`;
  }
}

/** Whole-call failures every further chunk would repeat. */
const isTerminal = (e: SyncHttpError) => e.status === 0 || e.status === 401 || e.status === 403;

export async function runBulkDecision(opts: {
  ids: readonly string[];
  decision: Decision;
  comment: string;
  post: PostChunk;
  chunkSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: DecisionProgress) => void;
}): Promise<DecisionOutcome> {
  const { decision, comment, post, signal } = opts;
  const chunks = chunkIds(opts.ids, opts.chunkSize ?? DEFAULT_CHUNK);
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out: DecisionOutcome = { decision, total, changed: [], unchanged: [], failed: [], batchIds: [], statuses: new Map(), stopped: false };
  const failAll = (ids: readonly string[], code: string, serverMessage: string) => {
    for (const id of ids) out.failed.push({ id, code, serverMessage, message: readableFailure(code, serverMessage, decision) });
  };
  let done = 0;
  opts.onProgress?.({ done: 0, total, chunksDone: 0, chunksTotal: chunks.length });
  for (let i = 0; i < chunks.length; i++) {
    const ids = chunks[i]!;
    if (signal?.aborted) {
      failAll(chunks.slice(i).flat(), 'cancelled', '');
      out.stopped = true;
      break;
    }
    try {
      const answer = await post(decision, ids, comment, signal);
      const byId = new Map(answer.results.map((r) => [r.id, r]));
      for (const id of ids) {
        const r = byId.get(id);
        if (!r) {
          failAll([id], 'no_answer', 'the server did not answer for this proposal');
          continue;
        }
        if (r.status) out.statuses.set(id, r.status);
        if (r.ok) (r.changed ? out.changed : out.unchanged).push(id);
        else failAll([id], r.code ?? 'failed', r.message ?? '');
      }
      if (answer.batchId && !out.batchIds.includes(answer.batchId)) out.batchIds.push(answer.batchId);
    } catch (err) {
      const e = err instanceof SyncHttpError ? err : new SyncHttpError(signal?.aborted ? 0 : 500, signal?.aborted ? 'cancelled' : 'failed', (err as Error).message ?? String(err));
      failAll(ids, e.code, e.message);
      if (isTerminal(e) || signal?.aborted) {
        const rest = chunks.slice(i + 1).flat();
        failAll(rest, signal?.aborted ? 'cancelled' : 'not_sent', '');
        out.stopped = true;
        done += ids.length;
        opts.onProgress?.({ done, total, chunksDone: i + 1, chunksTotal: chunks.length });
        break;
      }
    }
    done += ids.length;
    opts.onProgress?.({ done, total, chunksDone: i + 1, chunksTotal: chunks.length });
  }
  return out;
}

/** One line for the result banner, e.g. "12 approved · 1 already approved · 2 failed". */
export function outcomeSummary(o: DecisionOutcome): string {
  const verb = o.decision === 'approve' ? 'approved' : 'rejected';
  const parts = [`${o.changed.length.toLocaleString('en-US')} ${verb}`];
  if (o.unchanged.length) parts.push(`${o.unchanged.length.toLocaleString('en-US')} already ${verb}`);
  if (o.failed.length) parts.push(`${o.failed.length.toLocaleString('en-US')} not ${verb}`);
  return parts.join(' · ');
}

/** Failures grouped by code (most frequent first) for the result panel: one readable sentence per group. */
export function groupFailures(failed: readonly IdFailure[]): Array<{ code: string; message: string; ids: string[] }> {
  const groups = new Map<string, { code: string; message: string; ids: string[] }>();
  for (const f of failed) {
    const key = `${f.code}\u0000${f.message}`;
    const g = groups.get(key) ?? { code: f.code, message: f.message, ids: [] };
    g.ids.push(f.id);
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.ids.length - a.ids.length || a.code.localeCompare(b.code));
}
