// RxDB schema of `households`: an advisor's client (a family), owner of accounts. Tax bracket is a fraction.
import type { RxJsonSchema } from 'rxdb';
import { RISK_PROFILES, type Household } from '../types.ts';
import { enumField, epochMsField, fractionField, idField, textField } from './fields.ts';

export const householdSchema: RxJsonSchema<Household> = {
  title: 'households',
  description: 'A client household: name, risk profile, marginal tax bracket (0..1) and US state.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    teamId: idField,
    name: textField(200),
    riskProfile: enumField(RISK_PROFILES),
    taxBracket: fractionField,
    state: { type: 'string', minLength: 2, maxLength: 2, pattern: '^[A-Z]{2}$' },
    notes: textField(10_000),
    updatedAt: epochMsField,
  },
  required: ['id', 'teamId', 'name', 'riskProfile', 'taxBracket', 'state', 'notes', 'updatedAt'],
  // Book grid: the team's households by name; search by name; filter by risk profile.
  indexes: [['teamId', 'name'], 'name', ['riskProfile', 'name'], ['teamId', 'updatedAt']],
};
