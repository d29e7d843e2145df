// A bulk job's drafts are stored in packs: one document per write (a chunk's drafts, at most a write batch of them)
// in `draftpacks`, a collection of this desktop's book that is not replicated. A draft becomes a document of
// `proposals` (which replicates to the team) when its author submits it.
// Why: Chromium's IndexedDB (LevelDB) work is per document. Measured in the ui bench (10,041 accounts → 9,640
// drafts while the grid scrolls, 2 cores): one proposal document per draft kept the browser's IndexedDB thread at
// 0.6–0.8 of a core for the whole 21–28 s job and gave 54–141 main-thread tasks over 50 ms; the same drafts in ~50
// packs took that thread to 0.2 core, the job to 9–10 s and the long tasks to 12–16 (no writes at all: 2–5).
// A pack holds its drafts as the review grid lists them; the full drafts (trades and reasons, ~3 KB each) are one
// JSON string in the pack's body, a document of `draftbodies` under the pack's id. Two collections because a write
// from a rebalance worker reaches the UI thread as a change event with the whole document (RxDB's multi-instance
// broadcast, one channel per database): the worker broadcasts its pack writes (the rows the grid shows) but writes
// bodies without a broadcast, so the ~30 MB of drafts of a 10,000-account job are never copied into the UI thread;
// a first load reads listings only. The full drafts are read and parsed only for the drawer and a submit.
// Bodies are written before their packs: a listed draft always has its body. Packs and bodies are immutable; a
// submitted draft's proposal wins over the pack's copy wherever both are read.
import { defaultCacheReplacementPolicyMonad, type MigrationStrategies, type RxCollection, type RxJsonSchema } from 'rxdb';
import { proposalSchema, type Proposal } from '@aw/domain';
import type { BookDatabase } from './book-db.ts';
import { proposalListing, type ProposalListing } from './proposal-listing.ts';

export interface DraftPack {
  /** The first draft's id (each draft is in one pack only). */
  id: string;
  /** The job's id: the prefix of its drafts' ids (`<jobId>-<accountId>`). */
  jobId: string;
  /** The job's start (ms). */
  createdAt: number;
  /** The drafts as the review grid lists them, in pack order. */
  listings: ProposalListing[];
}

/** A pack's full drafts, stored apart from the pack (see above). */
export interface DraftBody {
  /** The pack's id. */
  id: string;
  jobId: string;
  /** The full drafts (Proposal[], the pack's order) as JSON: see draftsOfBody. */
  draftsJson: string;
}

export const DRAFT_PACKS = 'draftpacks';
export const DRAFT_BODIES = 'draftbodies';

const p = proposalSchema.properties;
const listingSchema = {
  type: 'object',
  properties: {
    id: p.id, accountId: p.accountId, householdId: p.householdId, modelId: p.modelId, status: p.status, driftBefore: p.driftBefore,
    driftAfter: p.driftAfter, tradeCount: { type: 'integer', minimum: 0 }, buyCents: p.buyCents, sellCents: p.sellCents,
    estGainCents: p.estGainCents, estTaxCents: p.estTaxCents, warnings: p.warnings, createdAt: p.createdAt,
  },
  required: ['id', 'accountId', 'householdId', 'modelId', 'status', 'driftBefore', 'driftAfter', 'tradeCount', 'buyCents', 'sellCents',
    'estGainCents', 'estTaxCents', 'warnings', 'createdAt'],
  additionalProperties: false,
} as const;

export const draftPackSchema: RxJsonSchema<DraftPack> = {
  title: DRAFT_PACKS,
  description: 'Draft proposals of one bulk rebalance job, one write of them per document; local to this desktop.',
  version: 2,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 100 },
    jobId: { type: 'string', maxLength: 40 },
    createdAt: { type: 'integer', minimum: 0, maximum: 8.64e15, multipleOf: 1 },
    listings: { type: 'array', items: listingSchema },
  },
  required: ['id', 'jobId', 'createdAt', 'listings'],
  additionalProperties: false,
  indexes: ['jobId'],
};

export const draftBodySchema: RxJsonSchema<DraftBody> = {
  title: DRAFT_BODIES,
  description: 'The full drafts of one draft pack (same id), as JSON; local to this desktop.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 100 },
    jobId: { type: 'string', maxLength: 40 },
    draftsJson: { type: 'string' },
  },
  required: ['id', 'jobId', 'draftsJson'],
  additionalProperties: false,
};

type PackV1 = DraftPack & { draftsJson: string };

/**
 * Version 0 held the drafts as objects (`drafts: Proposal[]`); version 1 held them as JSON in the pack. Version 2
 * moves that JSON to the pack's body (the bodies' collection is added before the packs', see addDraftPacks).
 */
export const draftPackMigrations: MigrationStrategies = {
  1: ({ drafts, ...rest }: Omit<DraftPack, 'listings'> & { drafts: Proposal[] }): PackV1 =>
    ({ ...rest, listings: drafts.map(proposalListing), draftsJson: JSON.stringify(drafts) }),
  2: async ({ draftsJson, ...pack }: PackV1, collection: RxCollection): Promise<DraftPack> => {
    await draftBodiesOf(collection.database as unknown as BookDatabase).upsert({ id: pack.id, jobId: pack.jobId, draftsJson });
    return pack;
  },
};

/** The job a draft belongs to (its id up to the first '-'). */
export const jobOfDraft = (draftId: string): string => draftId.slice(0, Math.max(0, draftId.indexOf('-')));

/** Packs and their bodies, in the same order. */
export interface PackedDrafts { packs: DraftPack[]; bodies: DraftBody[] }

/** Drafts in packs of at most `perPack`, in their order. */
export function packDrafts(drafts: readonly Proposal[], jobId: string, createdAt: number, perPack: number): PackedDrafts {
  const size = Math.max(1, perPack);
  const out: PackedDrafts = { packs: [], bodies: [] };
  for (let i = 0; i < drafts.length; i += size) {
    const part = drafts.slice(i, i + size);
    const id = part[0]!.id;
    out.packs.push({ id, jobId, createdAt, listings: part.map(proposalListing) });
    out.bodies.push({ id, jobId, draftsJson: JSON.stringify(part) });
  }
  return out;
}

/** A pack's full drafts (parsed: only for the few packs a drawer or a submit needs). */
export const draftsOfBody = (body: Pick<DraftBody, 'draftsJson'>): Proposal[] => JSON.parse(body.draftsJson) as Proposal[];

/**
 * Adds the packs' and bodies' collections to an open book (once; bodies first, for the packs' migration). The UI
 * thread keeps neither in memory: RxDB keeps the results of up to 100 idle queries and the last 100 change events
 * of a collection, and for packs that was every draft of the last job (a first load reads the packs 4 per query; a
 * job's ~100 pack writes arrive as change events). In the ui bench that was ~20,000 full drafts with 200,000 trade
 * objects in the UI thread's heap, whose major GC pauses (35–43 ms) were the remaining long tasks of the bulk run.
 * So their queries are dropped from the cache once idle (nothing subscribes to them) and the change event buffers
 * keep only the last write's events.
 */
export async function addDraftPacks(db: BookDatabase): Promise<void> {
  if (db.collections[DRAFT_PACKS as never]) return;
  const lean = { cacheReplacementPolicy: defaultCacheReplacementPolicyMonad(0, 0) };
  if (!db.collections[DRAFT_BODIES as never]) await db.addCollections({ [DRAFT_BODIES]: { schema: draftBodySchema, ...lean } });
  await db.addCollections({ [DRAFT_PACKS]: { schema: draftPackSchema, ...lean, migrationStrategies: draftPackMigrations } });
  // 1 is the least: 0 would keep every event (RxDB slices the buffer with -limit).
  draftPacksOf(db)._changeEventBuffer.limit = 1;
  draftBodiesOf(db)._changeEventBuffer.limit = 1;
}

const collectionOf = <T>(db: BookDatabase, name: string): RxCollection<T> => {
  const c = (db.collections as unknown as Record<string, RxCollection<T> | undefined>)[name];
  if (!c) throw new Error(`this book has no ${name} (opened without openBookDb)`);
  return c;
};
export const draftPacksOf = (db: BookDatabase): RxCollection<DraftPack> => collectionOf(db, DRAFT_PACKS);
export const draftBodiesOf = (db: BookDatabase): RxCollection<DraftBody> => collectionOf(db, DRAFT_BODIES);

/** Inserts `docs` in one write; throws if any is refused. */
async function insertAll<T>(c: RxCollection<T>, docs: T[]): Promise<void> {
  const res = await c.bulkInsert(docs);
  if (res.error.length > 0) throw new Error(`could not save ${res.error.length} ${c.name} documents: ${res.error[0]!.status}`);
}

/** Stores packed drafts as the UI thread does (bodies first, so a listed draft always has its body). */
export async function insertPackedDrafts(db: BookDatabase, { packs, bodies }: PackedDrafts): Promise<void> {
  await insertAll(draftBodiesOf(db), bodies);
  await insertAll(draftPacksOf(db), packs);
}

const packsOfJobs = async (db: BookDatabase, jobIds: readonly string[]): Promise<DraftPack[]> =>
  (await draftPacksOf(db).find({ selector: { jobId: { $in: [...jobIds] } } }).exec()).map((d) => d.toJSON() as DraftPack);

/**
 * The stored drafts among `ids` (ids of no stored draft are skipped). `packOf` may name each draft's pack (the
 * review rows know it): those packs' bodies are read by id; for the others, the packs of their job are read to
 * find which bodies hold them.
 */
export async function readDrafts(db: BookDatabase, ids: readonly string[], packOf: (draftId: string) => string | undefined = () => undefined): Promise<Map<string, Proposal>> {
  const wanted = new Set(ids);
  const bodyIds = new Set<string>();
  const jobs = new Set<string>();
  for (const id of ids) {
    const pack = packOf(id);
    if (pack) bodyIds.add(pack);
    else if (jobOfDraft(id)) jobs.add(jobOfDraft(id));
  }
  if (jobs.size > 0) for (const pack of await packsOfJobs(db, [...jobs])) if (pack.listings.some((l) => wanted.has(l.id))) bodyIds.add(pack.id);
  const out = new Map<string, Proposal>();
  for (const body of (await draftBodiesOf(db).findByIds([...bodyIds]).exec()).values()) {
    for (const d of draftsOfBody(body)) if (wanted.has(d.id)) out.set(d.id, d);
  }
  return out;
}

/** How many drafts a job stored (its packs read a few at a time: short tasks on the UI thread). */
export async function countDrafts(db: BookDatabase, jobId: string): Promise<number> {
  let n = 0;
  await eachPack(db, { jobId }, (pack) => { n += pack.listings.length; });
  return n;
}

/** Packs per read of many: each read deserializes its packs (~100 listings each) in one task. */
const PACKS_PER_READ = 4;

/** Every stored pack, a few per read (id order), to `onPack`; stops early when `signal` aborts. */
export function readAllPacks(db: BookDatabase, onPack: (pack: DraftPack) => void, signal?: AbortSignal, packsPerRead = PACKS_PER_READ): Promise<void> {
  return eachPack(db, {}, onPack, signal, packsPerRead);
}

/** The packs matching `selector`, `perRead` at a time in id order. */
async function eachPack(db: BookDatabase, selector: { jobId?: string }, onPack: (pack: DraftPack) => void, signal?: AbortSignal, perRead = PACKS_PER_READ): Promise<void> {
  const packs = draftPacksOf(db);
  for (let after = ''; !signal?.aborted;) {
    const page = await packs.find({ selector: { ...selector, ...(after ? { id: { $gt: after } } : {}) }, sort: [{ id: 'asc' }], limit: perRead }).exec();
    if (signal?.aborted) return;
    for (const d of page) onPack(d.toJSON() as DraftPack);
    if (page.length < perRead) return;
    after = page[page.length - 1]!.primary;
  }
}
