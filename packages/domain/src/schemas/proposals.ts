// RxDB schema of `proposals`: rebalance proposals and their trades. Units: ...Cents integer cents; trade price
// per share; drift as a fraction of account value.
import type { RxJsonSchema } from 'rxdb';
import { PROPOSAL_STATUSES, type Proposal } from '../types.ts';
import { centsField, enumField, epochMsField, idField, nonNegativeCentsField, refField, symbolField, textField } from './fields.ts';

export const proposalSchema: RxJsonSchema<Proposal> = {
  title: 'proposals',
  description: 'A rebalance proposal for one account, computed from an account revision, moving through approval.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    teamId: idField,
    householdId: idField,
    accountId: idField,
    modelId: refField,
    authorId: idField,
    status: enumField(PROPOSAL_STATUSES),
    reason: textField(2000),
    trades: {
      type: 'array',
      maxItems: 5000,
      items: {
        type: 'object',
        properties: {
          symbol: symbolField,
          side: enumField(['buy', 'sell'] as const),
          quantity: { type: 'number', exclusiveMinimum: 0 },
          price: { type: 'number', minimum: 0 },
          amountCents: nonNegativeCentsField,
          lotIds: { type: 'array', items: idField },
          estGainCents: centsField,
          reason: textField(1000),
        },
        required: ['symbol', 'side', 'quantity', 'price', 'amountCents', 'lotIds', 'estGainCents', 'reason'],
        additionalProperties: false,
      },
    },
    accountRevision: { type: 'integer', minimum: 0 },
    driftBefore: { type: 'number', minimum: 0 },
    driftAfter: { type: 'number', minimum: 0 },
    buyCents: nonNegativeCentsField,
    sellCents: nonNegativeCentsField,
    estGainCents: centsField,
    estTaxCents: centsField,
    warnings: { type: 'array', maxItems: 200, items: textField(1000) },
    approverId: refField,
    decidedAt: { type: 'integer', minimum: 0 },
    executedAt: { type: 'integer', minimum: 0 },
    batchId: refField,
    createdAt: epochMsField,
    updatedAt: epochMsField,
  },
  required: ['id', 'teamId', 'householdId', 'accountId', 'modelId', 'authorId', 'status', 'reason', 'trades',
    'accountRevision', 'driftBefore', 'driftAfter', 'buyCents', 'sellCents', 'estGainCents', 'estTaxCents', 'warnings',
    'approverId', 'decidedAt', 'executedAt', 'batchId', 'createdAt', 'updatedAt'],
  // Reviewer queue (status by age), team queue, account history, bulk batches.
  indexes: [['status', 'updatedAt'], ['teamId', 'status', 'updatedAt'], ['accountId', 'status'], ['householdId', 'updatedAt'],
    'batchId', ['teamId', 'updatedAt']],
};
