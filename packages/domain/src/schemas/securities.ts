// RxDB schema of `securities`: the global security master (no teamId), keyed by symbol.
import type { RxJsonSchema } from 'rxdb';
import type { Security } from '../types.ts';
import { currencyField, epochMsField, symbolField, textField } from './fields.ts';

export const securitySchema: RxJsonSchema<Security> = {
  title: 'securities',
  description: 'Security master: asset class, sector, currency and tax-loss-harvesting replacement group.',
  version: 0,
  primaryKey: 'symbol',
  type: 'object',
  properties: {
    symbol: symbolField,
    name: textField(200),
    assetClass: textField(64),
    sector: textField(64),
    currency: currencyField,
    tlhGroup: textField(64),
    updatedAt: epochMsField,
  },
  required: ['symbol', 'name', 'assetClass', 'sector', 'currency', 'tlhGroup', 'updatedAt'],
  // Model targets resolve securities by class; TLH looks up replacements by group; lists sort by name.
  indexes: [['assetClass', 'symbol'], ['tlhGroup', 'symbol'], 'name'],
};
