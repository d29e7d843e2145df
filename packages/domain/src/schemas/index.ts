// The book's RxDB collections: one versioned JSON schema and its migration strategies per collection
// (10 of open-source RxDB's 13-collection limit). Shared by the renderer, Node clients and the server.
import type { RxJsonSchema } from 'rxdb';
import { accountMigrationStrategies, accountSchema } from './accounts.ts';
import { approvalSchema } from './approvals.ts';
import { householdSchema } from './households.ts';
import { lotMigrationStrategies, lotSchema } from './lots.ts';
import { modelSchema } from './models.ts';
import { priceSchema } from './prices.ts';
import { proposalSchema } from './proposals.ts';
import { securitySchema } from './securities.ts';
import { teamSchema } from './teams.ts';
import { transactionMigrationStrategies, transactionSchema } from './transactions.ts';

export const BOOK_COLLECTION_NAMES = ['teams', 'households', 'accounts', 'securities', 'lots', 'transactions', 'models',
  'proposals', 'approvals', 'prices'] as const;
export type BookCollectionName = (typeof BOOK_COLLECTION_NAMES)[number];

export interface BookCollectionDef {
  schema: RxJsonSchema<any>;
  /** version → function turning a document of version-1 into one of version (RxDB migrationStrategies). */
  migrationStrategies: Record<number, (d: any) => any>;
}

export const bookCollections: Record<BookCollectionName, BookCollectionDef> = {
  teams: { schema: teamSchema, migrationStrategies: {} },
  households: { schema: householdSchema, migrationStrategies: {} },
  accounts: { schema: accountSchema, migrationStrategies: accountMigrationStrategies },
  securities: { schema: securitySchema, migrationStrategies: {} },
  lots: { schema: lotSchema, migrationStrategies: lotMigrationStrategies },
  transactions: { schema: transactionSchema, migrationStrategies: transactionMigrationStrategies },
  models: { schema: modelSchema, migrationStrategies: {} },
  proposals: { schema: proposalSchema, migrationStrategies: {} },
  approvals: { schema: approvalSchema, migrationStrategies: {} },
  prices: { schema: priceSchema, migrationStrategies: {} },
};

/**
 * The field naming a document's owning team, per collection: `teamId` on team-owned documents (models: '' =
 * firm-wide, readable by every team), `id` for the team document itself, null for global collections
 * (securities, prices) that every team reads.
 */
export const TEAM_FIELD: Record<BookCollectionName, 'teamId' | 'id' | null> = {
  teams: 'id', households: 'teamId', accounts: 'teamId', securities: null, lots: 'teamId', transactions: 'teamId',
  models: 'teamId', proposals: 'teamId', approvals: 'teamId', prices: null,
};

export { accountSchema, accountSchemaV0, migrateAccountV0toV1, type AccountV0 } from './accounts.ts';
export { approvalSchema } from './approvals.ts';
export { householdSchema } from './households.ts';
export { lotSchema, lotSchemaV0 } from './lots.ts';
export { modelSchema } from './models.ts';
export { priceId, priceSchema } from './prices.ts';
export { proposalSchema } from './proposals.ts';
export { securitySchema } from './securities.ts';
export { teamSchema } from './teams.ts';
export { transactionSchema, transactionSchemaV0 } from './transactions.ts';
export { BookIdTooLongError, bookIdMigration } from './book-id-migration.ts';
export { BOOK_ID_MAX, EPOCH_MS_MAX, ID_MAX, SYMBOL_MAX } from './fields.ts';
export { sampleBookDocs } from './sample-docs.ts';
