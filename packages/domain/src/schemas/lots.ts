// RxDB schema of `lots` (version 1) and its v0 ancestor: open tax lots. Units: costBasisCents/
// washSaleAdjustmentCents integer cents (total for the lot, not per share); quantity in shares (fractional allowed).
// v1 changed no document: ids are at most BOOK_ID_MAX (shorter index keys) and only the indexes queries use remain.
import type { RxJsonSchema } from 'rxdb';
import type { TaxLot } from '../types.ts';
import { bookIdMigration } from './book-id-migration.ts';
import { bookIdField, epochMsField, idField, isoDateField, nonNegativeCentsField, symbolField } from './fields.ts';

const fields = {
  symbol: symbolField,
  quantity: { type: 'number', exclusiveMinimum: 0 },
  costBasisCents: nonNegativeCentsField,
  acquiredDate: isoDateField,
  holdingPeriodStart: isoDateField,
  washSaleAdjustmentCents: nonNegativeCentsField,
  updatedAt: epochMsField,
} as const;

export const lotSchema: RxJsonSchema<TaxLot> = {
  title: 'lots',
  description: 'An open tax lot; cost basis includes the wash-sale adjustment.',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: { id: bookIdField, teamId: idField, householdId: bookIdField, accountId: bookIdField, ...fields },
  required: ['id', 'teamId', 'householdId', 'accountId', 'symbol', 'quantity', 'costBasisCents', 'acquiredDate',
    'holdingPeriodStart', 'washSaleAdjustmentCents', 'updatedAt'],
  // Holdings view (lots of an account by symbol); household detail, rebalance jobs and the harvest view (lots of a
  // household by symbol); server execution (lots of accounts). No screen or job filters lots by anything else.
  indexes: [['accountId', 'symbol'], ['householdId', 'symbol']],
};

/** v0, kept to migrate stored books: ids up to ID_MAX, plus a (symbol, acquiredDate) and a (teamId, updatedAt) index no query used. */
export const lotSchemaV0: RxJsonSchema<TaxLot> = {
  ...lotSchema,
  version: 0,
  properties: { id: idField, teamId: idField, householdId: idField, accountId: idField, ...fields },
  indexes: [['accountId', 'symbol'], ['householdId', 'symbol'], ['symbol', 'acquiredDate'], ['teamId', 'updatedAt']],
};

export const lotMigrationStrategies = { 1: bookIdMigration('lots', ['id', 'householdId', 'accountId']) } as Record<number, (d: any) => any>;
