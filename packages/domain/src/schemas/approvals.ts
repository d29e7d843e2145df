// RxDB schema of `approvals`: the append-only audit trail of proposal transitions (written by the server).
import type { RxJsonSchema } from 'rxdb';
import { APPROVAL_ACTIONS, PROPOSAL_STATUSES, type ApprovalRecord } from '../types.ts';
import { enumField, epochMsField, idField, textField } from './fields.ts';

export const approvalSchema: RxJsonSchema<ApprovalRecord> = {
  title: 'approvals',
  description: 'One proposal transition: who, what, when, with a comment.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    teamId: idField,
    proposalId: idField,
    action: enumField(APPROVAL_ACTIONS),
    actorId: idField,
    comment: textField(2000),
    fromStatus: enumField(PROPOSAL_STATUSES),
    toStatus: enumField(PROPOSAL_STATUSES),
    at: epochMsField,
    updatedAt: epochMsField,
  },
  required: ['id', 'teamId', 'proposalId', 'action', 'actorId', 'comment', 'fromStatus', 'toStatus', 'at', 'updatedAt'],
  // A proposal's history in order; the team's audit log; an actor's decisions.
  indexes: [['proposalId', 'at'], ['teamId', 'at'], ['actorId', 'at']],
};
