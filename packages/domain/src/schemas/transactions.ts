// RxDB schema of `transactions` (version 1) and its v0 ancestor: the account ledger. Units: amountCents/feesCents
// integer cents; price per share in `currency` (the cash amount for cash rows); quantity shares (1 for cash rows,
// ratio for splits). v1 changed no document: ids are at most BOOK_ID_MAX (shorter index keys) and only the
// indexes queries use remain.
import type { RxJsonSchema } from 'rxdb';
import { TRANSACTION_STATUSES, TRANSACTION_TYPES, type Transaction } from '../types.ts';
import { bookIdMigration } from './book-id-migration.ts';
import {
  bookIdField, currencyField, enumField, epochMsField, idField, isoDateField, nonNegativeCentsField, refField, SYMBOL_MAX,
} from './fields.ts';

const fields = {
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
} as const;

export const transactionSchema: RxJsonSchema<Transaction> = {
  title: 'transactions',
  description: 'A ledger entry: buy, sell, dividend, deposit, withdrawal, fee or split, with its status.',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: { id: bookIdField, teamId: idField, householdId: bookIdField, accountId: bookIdField, ...fields },
  required: ['id', 'teamId', 'householdId', 'accountId', 'date', 'type', 'symbol', 'quantity', 'price', 'amountCents',
    'feesCents', 'currency', 'status', 'lotMethod', 'proposalId', 'updatedAt'],
  // Account activity and its pending entries (account, status), the pending queue (status, date), household
  // history (household, date), proposal execution and the approvals inbox (proposalId).
  indexes: [['accountId', 'status'], ['status', 'date'], ['householdId', 'date'], 'proposalId'],
};

/** v0, kept to migrate stored books: ids up to ID_MAX, plus an (accountId, date) and a (teamId, updatedAt) index no query used. */
export const transactionSchemaV0: RxJsonSchema<Transaction> = {
  ...transactionSchema,
  version: 0,
  properties: { id: idField, teamId: idField, householdId: idField, accountId: idField, ...fields },
  indexes: [['accountId', 'status'], ['accountId', 'date'], ['status', 'date'], ['householdId', 'date'], 'proposalId',
    ['teamId', 'updatedAt']],
};

export const transactionMigrationStrategies = {
  1: bookIdMigration('transactions', ['id', 'householdId', 'accountId']),
} as Record<number, (d: any) => any>;
