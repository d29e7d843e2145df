// RxDB schema of `transactions`: the account ledger. Units: amountCents/feesCents integer cents; price per share
// in `currency` (the cash amount for cash rows); quantity shares (1 for cash rows, ratio for splits).
import type { RxJsonSchema } from 'rxdb';
import { TRANSACTION_STATUSES, TRANSACTION_TYPES, type Transaction } from '../types.ts';
import { currencyField, enumField, epochMsField, idField, isoDateField, nonNegativeCentsField, refField, SYMBOL_MAX } from './fields.ts';

export const transactionSchema: RxJsonSchema<Transaction> = {
  title: 'transactions',
  description: 'A ledger entry: buy, sell, dividend, deposit, withdrawal, fee or split, with its status.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    teamId: idField,
    householdId: idField,
    accountId: idField,
    date: isoDateField,
    type: enumField(TRANSACTION_TYPES),
    symbol: { type: 'string', maxLength: SYMBOL_MAX, pattern: '^[A-Za-z0-9.\\-^=_]*$' },
    quantity: { type: 'number', exclusiveMinimum: 0 },
    price: { type: 'number', minimum: 0 },
    amountCents: nonNegativeCentsField,
    feesCents: nonNegativeCentsField,
    currency: currencyField,
    status: enumField(TRANSACTION_STATUSES),
    lotMethod: enumField(['fifo', 'hifo', 'lifo'] as const),
    proposalId: refField,
    updatedAt: epochMsField,
  },
  required: ['id', 'teamId', 'householdId', 'accountId', 'date', 'type', 'symbol', 'quantity', 'price', 'amountCents',
    'feesCents', 'currency', 'status', 'lotMethod', 'proposalId', 'updatedAt'],
  // Account activity (by status, by date), pending queue (status, date), proposal execution, household history.
  indexes: [['accountId', 'status'], ['accountId', 'date'], ['status', 'date'], ['householdId', 'date'], 'proposalId',
    ['teamId', 'updatedAt']],
};
