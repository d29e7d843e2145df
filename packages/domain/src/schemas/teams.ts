// RxDB schema of `teams`: a team and its members (user ids and roles only; credentials live on the server).
import type { RxJsonSchema } from 'rxdb';
import { ROLES, type Team } from '../types.ts';
import { enumField, epochMsField, idField, textField } from './fields.ts';

export const teamSchema: RxJsonSchema<Team> = {
  title: 'teams',
  description: 'An advisory team; members are user ids with a role.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    name: textField(200),
    members: {
      type: 'array',
      maxItems: 1000,
      items: {
        type: 'object',
        properties: { userId: idField, role: enumField(ROLES) },
        required: ['userId', 'role'],
        additionalProperties: false,
      },
    },
    updatedAt: epochMsField,
  },
  required: ['id', 'name', 'members', 'updatedAt'],
  indexes: ['name'],
};
