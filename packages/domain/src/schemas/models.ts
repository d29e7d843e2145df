// RxDB schema of `models`: target allocations (weights are fractions 0..1 summing to 1; cash = key 'CASH')
// with tolerance bands. teamId '' = firm-wide model.
import type { RxJsonSchema } from 'rxdb';
import { RISK_PROFILES, type Model } from '../types.ts';
import { enumField, epochMsField, fractionField, idField, refField, symbolField, textField } from './fields.ts';

export const modelSchema: RxJsonSchema<Model> = {
  title: 'models',
  description: 'A model portfolio: targets per asset class or security, preferred symbols, absolute/relative bands.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    teamId: refField,
    name: textField(200),
    riskProfile: enumField(RISK_PROFILES),
    targets: {
      type: 'array',
      maxItems: 2000,
      items: {
        type: 'object',
        properties: {
          kind: enumField(['assetClass', 'security'] as const),
          key: { type: 'string', minLength: 1, maxLength: 64 },
          weight: fractionField,
          symbols: { type: 'array', maxItems: 100, items: symbolField },
        },
        required: ['kind', 'key', 'weight', 'symbols'],
        additionalProperties: false,
      },
    },
    bandAbs: fractionField,
    bandRel: { type: 'number', minimum: 0, maximum: 10 },
    updatedAt: epochMsField,
  },
  required: ['id', 'teamId', 'name', 'riskProfile', 'targets', 'bandAbs', 'bandRel', 'updatedAt'],
  indexes: [['teamId', 'name'], 'riskProfile'],
};
