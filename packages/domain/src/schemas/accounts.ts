// RxDB schema of `accounts` (version 1) and its v0 ancestor with the migration between them.
// v0 stored cash as a float of dollars (`cash`); v1 stores integer cents (`cashCents`) and an `accountRevision`
// counter that proposals use for their stale check. Units: cashCents integer cents.
import type { RxJsonSchema } from 'rxdb';
import { toCents } from '../money.ts';
import { ACCOUNT_TYPES, type Account } from '../types.ts';
import { centsField, currencyField, enumField, epochMsField, idField, refField, textField } from './fields.ts';

/** Shape of an account document before version 1 (kept to migrate old local books). */
export interface AccountV0 extends Omit<Account, 'cashCents' | 'accountRevision'> {
  /** Dollars as a float: the drift-prone representation v1 replaced. */
  cash: number;
}

const common = {
  id: idField,
  teamId: idField,
  householdId: idField,
  name: textField(200),
  type: enumField(ACCOUNT_TYPES),
  custodian: textField(100),
  currency: currencyField,
  modelId: refField,
  updatedAt: epochMsField,
} as const;
const commonRequired = ['id', 'teamId', 'householdId', 'name', 'type', 'custodian', 'currency', 'modelId', 'updatedAt'] as const;
// Household detail (accounts of a household), drift job (accounts on a model), team book.
const indexes = ['householdId', ['teamId', 'householdId'], 'modelId', ['teamId', 'updatedAt']];

export const accountSchemaV0: RxJsonSchema<AccountV0> = {
  title: 'accounts',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { ...common, cash: { type: 'number' } },
  required: [...commonRequired, 'cash'],
  indexes,
};

export const accountSchema: RxJsonSchema<Account> = {
  title: 'accounts',
  description: 'A custodial account of a household; cash in integer cents; revision bumps on every lot or cash change.',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    ...common,
    cashCents: centsField,
    accountRevision: { type: 'integer', minimum: 0, maximum: 1_000_000_000_000, multipleOf: 1 },
  },
  required: [...commonRequired, 'cashCents', 'accountRevision'],
  indexes,
};

/** v0 → v1: dollars (float) → exact cents via the decimal text of the number; revision starts at 0. */
export function migrateAccountV0toV1(doc: AccountV0 & Record<string, unknown>): Account & Record<string, unknown> {
  const { cash, ...rest } = doc;
  return { ...rest, cashCents: toCents(cash), accountRevision: 0 };
}

export const accountMigrationStrategies = { 1: migrateAccountV0toV1 } as Record<number, (d: any) => any>;
