// RxDB schema of `lots`: open tax lots. Units: costBasisCents/washSaleAdjustmentCents integer cents (total for
// the lot, not per share); quantity in shares (fractional allowed).
import type { RxJsonSchema } from 'rxdb';
import type { TaxLot } from '../types.ts';
import { epochMsField, idField, isoDateField, nonNegativeCentsField, symbolField } from './fields.ts';

export const lotSchema: RxJsonSchema<TaxLot> = {
  title: 'lots',
  description: 'An open tax lot; cost basis includes the wash-sale adjustment.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    teamId: idField,
    householdId: idField,
    accountId: idField,
    symbol: symbolField,
    quantity: { type: 'number', exclusiveMinimum: 0 },
    costBasisCents: nonNegativeCentsField,
    acquiredDate: isoDateField,
    holdingPeriodStart: isoDateField,
    washSaleAdjustmentCents: nonNegativeCentsField,
    updatedAt: epochMsField,
  },
  required: ['id', 'teamId', 'householdId', 'accountId', 'symbol', 'quantity', 'costBasisCents', 'acquiredDate',
    'holdingPeriodStart', 'washSaleAdjustmentCents', 'updatedAt'],
  // Holdings view (lots of an account by symbol), household detail, TLH scan (who holds X), wash-sale window.
  indexes: [['accountId', 'symbol'], ['householdId', 'symbol'], ['symbol', 'acquiredDate'], ['teamId', 'updatedAt']],
};
