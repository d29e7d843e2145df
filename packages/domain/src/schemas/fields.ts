// Reusable JSON-schema fragments for the book's RxDB schemas.
// RxDB rules these encode: an indexed string needs maxLength; an indexed number needs minimum, maximum and
// multipleOf; every indexed field is required. Units: money is integer cents, dates ISO `YYYY-MM-DD`,
// timestamps epoch milliseconds.

/** Longest id we generate or accept (ids are short slugs or UUIDs): users, teams, models, proposals, approvals. */
export const ID_MAX = 64;
/**
 * Longest id of a lot or transaction and of their account and household references. These ids are in every index
 * key of the book's largest collections (~400k lots and ~400k transactions), and RxDB pads an indexed string to its
 * maxLength in each key (memory storage, SQLite), so this bound sets the size of every key and the cost of every
 * key comparison. Generated ids are far shorter: demo lots `hh-00001-a1-l12` (15) and accounts `hh-00001-a1`
 * (11), executed fills `lot-<24 hex>-<trade>` (≤ 33). A UUID (36) fits. (The accounts and households schemas
 * still accept ids up to ID_MAX; no code creates an account or household id longer than 11 characters.)
 */
export const BOOK_ID_MAX = 40;
/** Longest ticker (incl. FX pairs such as 'EURUSD'). */
export const SYMBOL_MAX = 32;
/** Upper bound of an epoch-ms timestamp: year 5138, far beyond any real date, finite for RxDB indexes. */
export const EPOCH_MS_MAX = 100_000_000_000_000;

export const idField = { type: 'string', maxLength: ID_MAX, minLength: 1 } as const;
/** Id of a lot or transaction, or its reference to an account or household (see BOOK_ID_MAX). */
export const bookIdField = { type: 'string', maxLength: BOOK_ID_MAX, minLength: 1 } as const;
/** A reference to another document's id; '' allowed where the reference is optional. */
export const refField = { type: 'string', maxLength: ID_MAX } as const;
export const symbolField = { type: 'string', maxLength: SYMBOL_MAX, minLength: 1, pattern: '^[A-Za-z0-9.\\-^=_]+$' } as const;
export const textField = (maxLength: number) => ({ type: 'string', maxLength }) as const;
export const isoDateField = { type: 'string', minLength: 10, maxLength: 10, pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
export const epochMsField = { type: 'integer', minimum: 0, maximum: EPOCH_MS_MAX, multipleOf: 1 } as const;
export const centsField = { type: 'integer' } as const;
export const nonNegativeCentsField = { type: 'integer', minimum: 0 } as const;
export const currencyField = { type: 'string', minLength: 3, maxLength: 3, pattern: '^[A-Z]{3}$' } as const;
export const enumField = <T extends readonly string[]>(values: T) =>
  ({ type: 'string', enum: [...values], maxLength: Math.max(...values.map((v) => v.length)) }) as const;
export const fractionField = { type: 'number', minimum: 0, maximum: 1 } as const;
