export * from './book-db.ts';
export { login, logout, requestJson, SyncHttpError, type Session, type SessionUser } from './http.ts';
export { startBookReplication, type BookReplication, type BookReplicationOptions, type SyncState, type SyncStatus } from './replication.ts';
export { bookConflictHandlers, lastWriterWins, mergeHousehold, mergeNotes, resolveProposal } from './conflict-handlers.ts';
export type { WebSocketCtor, WebSocketLike } from './replication-stream.ts';
export { openPriceStream, streamUrl, type PriceStream, type PriceStreamError, type PriceStreamOptions, type PriceStreamState, type PriceTick } from './price-stream.ts';
export { repullStaleCollection, type RepullDecision } from './replica-repull.ts';
export { oldestStaleMeta, openStorageInstance } from './stale-collection.ts';
