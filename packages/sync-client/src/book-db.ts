// The book's RxDB database factory. Storage is a parameter: Dexie (IndexedDB) in the renderer, memory or
// fake-indexeddb in Node tests, the SQLite storage on the server. Adds every collection of `bookCollections`
// with its migration strategies; dev mode adds RxDB's dev-mode checks and wraps the storage with ajv validation.
import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase, type RxStorage } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { RxDBUpdatePlugin } from 'rxdb/plugins/update';
import {
  BOOK_COLLECTION_NAMES, bookCollections, type Account, type ApprovalRecord, type BookCollectionName, type DailyPrice,
  type Household, type Model, type Proposal, type Security, type TaxLot, type Team, type Transaction,
} from '@aw/domain';

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
  try {
    await db.addCollections(Object.fromEntries(names.map((n) => [n, {
      schema: bookCollections[n].schema,
      migrationStrategies: bookCollections[n].migrationStrategies,
      autoMigrate: false,
    }])));
    // Migrate stored documents of older schema versions before anyone reads the book (what autoMigrate does, in
    // bigger batches: RxDB's default of 200 documents per step made a 200k-document SQLite book take minutes).
    for (const n of names) await db.collections[n]!.migratePromise(MIGRATION_BATCH_SIZE);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
