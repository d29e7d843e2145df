// The book's RxDB database factory. Storage is a parameter: Dexie (IndexedDB) in the renderer, memory or
// fake-indexeddb in Node tests, the SQLite storage on the server. Adds every collection of `bookCollections`
// with its migration strategies; dev mode adds RxDB's dev-mode checks and wraps the storage with ajv validation.
// A replica (`replica: true`: a desktop's or a Node client's book, not the server's) does not migrate a collection
// stored with an older schema version when the server has every local change of it: it drops that copy and pulls
// it again (replica-repull.ts); `bookOpenReport(db)` says what happened per collection.
import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase, type RxStorage } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { RxDBUpdatePlugin } from 'rxdb/plugins/update';
import {
  BOOK_COLLECTION_NAMES, bookCollections, type Account, type ApprovalRecord, type BookCollectionName, type DailyPrice,
  type Household, type Model, type Proposal, type Security, type TaxLot, type Team, type Transaction,
} from '@aw/domain';
import { bookConflictHandlers } from './conflict-handlers.ts';
import { repullStaleCollection, type RepullDecision } from './replica-repull.ts';

/** Collections of the book, typed by document. */
export type BookCollections = {
  teams: RxCollection<Team>;
  households: RxCollection<Household>;
  accounts: RxCollection<Account>;
  securities: RxCollection<Security>;
  lots: RxCollection<TaxLot>;
  transactions: RxCollection<Transaction>;
  models: RxCollection<Model>;
  proposals: RxCollection<Proposal>;
  approvals: RxCollection<ApprovalRecord>;
  prices: RxCollection<DailyPrice>;
};
/** Typed book database; assignable to `RxDatabase<any>` (not to the bare `RxDatabase`, whose generic is invariant). */
export type BookDatabase = RxDatabase<BookCollections>;

export interface CreateBookDatabaseOptions {
  storage: RxStorage<any, any>;
  name: string;
  /**
   * RxDB dev mode: schema/query checks plus ajv validation of every write. For tests and development; it is
   * process-wide once enabled (RxDB plugins are global), so later databases are validated too.
   */
  devMode?: boolean;
  /** Share the database between browser tabs/processes (RxDB default true); Node tests and servers pass false. */
  multiInstance?: boolean;
  /** Close an open database of the same name first (RxDB option). */
  closeDuplicates?: boolean;
  /** Only these collections (default all ten). */
  collections?: readonly BookCollectionName[];
  /**
   * This book is a replica of a sync server: a collection stored with an older schema version whose local changes
   * were all pushed is dropped and pulled again by the next replication instead of migrated (replica-repull.ts).
   * Default false (migrate everything: the server's book, or a book that is not replicated).
   */
  replica?: boolean;
  /** Documents per step when stored documents migrate to a newer schema version (default MIGRATION_BATCH_SIZE). */
  migrationBatchSize?: number;
  /**
   * Runs per collection before the collections are added (after the replica check): a storage-specific migration
   * of older-version documents (the server copies them: sync-server/src/db/copy-migration.ts). Whatever it leaves
   * stored at an older version is migrated by RxDB.
   */
  beforeCollection?: (db: RxDatabase<any>, name: BookCollectionName) => Promise<void>;
}

/** Per collection, what opening the book did with its stored documents (migrations and drops for re-pull). */
export type BookOpenReport = Partial<Record<BookCollectionName, RepullDecision & { ms: number }>>;
const openReports = new WeakMap<RxDatabase<any>, BookOpenReport>();

/** What opening `db` did per collection; collections stored with the current schema version are not listed. */
export function bookOpenReport(db: RxDatabase<any>): BookOpenReport {
  return openReports.get(db) ?? {};
}

/** Collections of `db` that were dropped at open (stale schema, nothing unpushed): they are pulled again in full. */
export function repulledCollections(db: RxDatabase<any>): BookCollectionName[] {
  return Object.entries(bookOpenReport(db)).filter(([, r]) => r.action === 'repull').map(([n]) => n as BookCollectionName);
}

/** Documents per step when a stored book migrates to a newer schema version (RxDB's default is 200). */
export const MIGRATION_BATCH_SIZE = 2000;

let basePluginsAdded = false;
let devModeAdded = false;

async function addPlugins(devMode: boolean): Promise<void> {
  if (!basePluginsAdded) {
    addRxPlugin(RxDBMigrationSchemaPlugin);
    addRxPlugin(RxDBUpdatePlugin);
    basePluginsAdded = true;
  }
  if (devMode && !devModeAdded) {
    // Loaded on demand so production bundles do not carry dev mode.
    const { RxDBDevModePlugin, disableWarnings } = await import('rxdb/plugins/dev-mode');
    disableWarnings();
    addRxPlugin(RxDBDevModePlugin);
    devModeAdded = true;
  }
}

/** Opens (or creates) the book database `name` on `storage` with all book collections, migrating old documents. */
export async function createBookDatabase(opts: CreateBookDatabaseOptions): Promise<BookDatabase> {
  const devMode = opts.devMode ?? false;
  await addPlugins(devMode);
  // Dev mode is process-wide once on, and then RxDB refuses unvalidated storages (DVM1): validate every database
  // opened after that, unless the caller already wrapped the storage in a validator.
  const validate = (devMode || devModeAdded) && !opts.storage.name.startsWith('validate-');
  const storage = validate
    ? (await import('rxdb/plugins/validate-ajv')).wrappedValidateAjvStorage({ storage: opts.storage })
    : opts.storage;
  const db = await createRxDatabase<BookCollections>({
    name: opts.name,
    storage,
    multiInstance: opts.multiInstance ?? true,
    closeDuplicates: opts.closeDuplicates ?? false,
    eventReduce: true,
  });
  const names = opts.collections ?? BOOK_COLLECTION_NAMES;
  const report: BookOpenReport = {};
  openReports.set(db, report);
  try {
    if (opts.replica) {
      for (const n of names) {
        const t0 = Date.now();
        const decision = await repullStaleCollection(db, n, bookCollections[n].schema, bookConflictHandlers[n].isEqual);
        if (decision.action !== 'current') report[n] = { ...decision, ms: Date.now() - t0 };
      }
    }
    if (opts.beforeCollection) for (const n of names) await opts.beforeCollection(db, n);
    await db.addCollections(Object.fromEntries(names.map((n) => [n, {
      schema: bookCollections[n].schema,
      migrationStrategies: bookCollections[n].migrationStrategies,
      autoMigrate: false,
    }])));
    // Migrate stored documents of older schema versions before anyone reads the book (what autoMigrate does, in
    // bigger batches: RxDB's default of 200 documents per step made a 200k-document SQLite book take minutes).
    for (const n of names) {
      const t0 = Date.now();
      const status = await db.collections[n]!.migratePromise(opts.migrationBatchSize ?? MIGRATION_BATCH_SIZE);
      if (status.count.total === 0) continue;
      report[n] ??= { action: 'migrate', fromVersion: -1, reason: 'not-a-replica', unpushedIds: [], ms: 0 };
      report[n]!.ms += Date.now() - t0;
    }
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
