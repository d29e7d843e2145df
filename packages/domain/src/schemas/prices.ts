// RxDB schema of `prices`: daily closes of securities and FX rates (global, no teamId). id = `${symbol}|${date}`;
// close per share in the security's currency (FX: quote currency per 1 unit of base, e.g. EURUSD = USD per EUR).
import type { RxJsonSchema } from 'rxdb';
import type { DailyPrice } from '../types.ts';
import { enumField, epochMsField, isoDateField, symbolField } from './fields.ts';

export const priceSchema: RxJsonSchema<DailyPrice> = {
  title: 'prices',
  description: 'One daily close of a security or an FX pair.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', minLength: 12, maxLength: 43 },
    symbol: symbolField,
    date: isoDateField,
    closePrice: { type: 'number', exclusiveMinimum: 0 },
    kind: enumField(['security', 'fx'] as const),
    updatedAt: epochMsField,
  },
  required: ['id', 'symbol', 'date', 'closePrice', 'kind', 'updatedAt'],
  // A symbol's history in a date range; all closes of one date (valuation as of a date).
  indexes: [['symbol', 'date'], ['date', 'symbol'], ['kind', 'symbol', 'date']],
};

/** The primary key of a daily price. */
export const priceId = (symbol: string, date: string): string => `${symbol}|${date}`;
