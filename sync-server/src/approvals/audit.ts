// Append-only audit records of proposal transitions (the `approvals` collection, written by the server only and
// replicated read-only to the proposal's team). Ids are unique per transition; times epoch milliseconds.
import { randomUUID } from 'node:crypto';
import type { ApprovalAction, ApprovalRecord, Proposal, ProposalStatus } from '@aw/domain';

/** A transition the server applied to a proposal: who, what, from which status to which, with a comment. */
let lastAt = 0;
let seq = 0;
/**
 * Record ids sort in write order (time in base 36, then a per-process sequence, then randomness), so the records of
 * one proposal written in the same millisecond still list in order under a sort by (at, id).
 */
function recordId(at: number): string {
  seq = at === lastAt ? seq + 1 : 0;
  lastAt = at;
  return `ap-${at.toString(36).padStart(10, '0')}-${seq.toString(36).padStart(5, '0')}-${randomUUID().slice(0, 8)}`;
}

export function auditRecord(p: Pick<Proposal, 'id' | 'teamId'>, action: ApprovalAction, actorId: string, from: ProposalStatus, to: ProposalStatus, at: number, comment = ''): ApprovalRecord {
  return {
    id: recordId(at),
    teamId: p.teamId,
    proposalId: p.id,
    action,
    actorId,
    comment,
    fromStatus: from,
    toStatus: to,
    at,
    updatedAt: at,
  };
}

/** Id of the system actor (expiry sweep, execution by the simulated custodian). */
export const SYSTEM_ACTOR = 'system';
