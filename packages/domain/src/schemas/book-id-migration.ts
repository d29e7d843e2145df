// The identity migration of the collections whose id fields moved to BOOK_ID_MAX (lots v1, transactions v1):
// documents are unchanged; only index keys got shorter and unused indexes went away.
// Every id any version of the app generated fits, but a stored id that does not is refused with a readable error
// (the migration stops, nothing is dropped) rather than kept as a document that breaks the new schema.
import { BOOK_ID_MAX } from './fields.ts';

/** A stored document whose id (or reference) is longer than BOOK_ID_MAX: it cannot move to the new schema. */
export class BookIdTooLongError extends Error {
  constructor(
    readonly collection: string,
    readonly field: string,
    readonly value: string,
  ) {
    super(`${collection}: ${field} "${value}" is ${value.length} characters; lot and transaction ids and their account and household references are at most ${BOOK_ID_MAX}`);
    this.name = 'BookIdTooLongError';
  }
}

/** Migration strategy: the document as it is, after checking `fields` fit BOOK_ID_MAX. */
export function bookIdMigration(collection: string, fields: readonly string[]) {
  return <T extends Record<string, unknown>>(doc: T): T => {
    for (const f of fields) {
      const v = doc[f];
      if (typeof v === 'string' && v.length > BOOK_ID_MAX) throw new BookIdTooLongError(collection, f, v);
    }
    return doc;
  };
}
