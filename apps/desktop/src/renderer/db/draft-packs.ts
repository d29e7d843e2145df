// A bulk job's drafts are stored in packs: one document per write (a chunk's drafts, at most a write batch of them)
// in `draftpacks`, a collection of this desktop's book that is not replicated. A draft becomes a document of
// `proposals` (which replicates to the team) when its author submits it.
// Why: Chromium's IndexedDB (LevelDB) work is per document. Measured in the ui bench (10,041 accounts → 9,640
// drafts while the grid scrolls, 2 cores): one proposal document per draft kept the browser's IndexedDB thread at
// 0.6–0.8 of a core for the whole 21–28 s job and gave 54–141 main-thread tasks over 50 ms; the same drafts in ~50
// packs took that thread to 0.2 core, the job to 9–10 s and the long tasks to 12–16 (no writes at all: 2–5).
// A pack holds each draft twice: its listing (what the review grid shows) as objects, and the full draft (trades
// and reasons, ~3 KB) inside one JSON string of the whole pack. The UI thread deserializes every pack a job writes
// (change events) and every pack of a first load: a string is copied in one piece where ~100 drafts were ~3,000
// objects for its garbage collector to copy and mark; the full drafts are parsed only for the drawer and a submit.
// A pack is immutable: a submitted draft's proposal wins over the pack's copy wherever both are read.
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
  /** The full drafts (Proposal[], the same order) as JSON: see draftsOfPack. */
  draftsJson: string;
}

export const DRAFT_PACKS = 'draftpacks';

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
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 100 },
    jobId: { type: 'string', maxLength: 40 },
    createdAt: { type: 'integer', minimum: 0, maximum: 8.64e15, multipleOf: 1 },
    listings: { type: 'array', items: listingSchema },
    draftsJson: { type: 'string' },
  },
  required: ['id', 'jobId', 'createdAt', 'listings', 'draftsJson'],
  additionalProperties: false,
  indexes: ['jobId'],
};

const packOf = (drafts: readonly Proposal[]): Pick<DraftPack, 'listings' | 'draftsJson'> =>
  ({ listings: drafts.map(proposalListing), draftsJson: JSON.stringify(drafts) });

/** Version 0 held the drafts as objects (`drafts: Proposal[]`). */
export const draftPackMigrations: MigrationStrategies = {
  1: ({ drafts, ...rest }: Omit<DraftPack, 'listings' | 'draftsJson'> & { drafts: Proposal[] }): DraftPack => ({ ...rest, ...packOf(drafts) }),
};

/** The job a draft belongs to (its id up to the first '-'). */
export const jobOfDraft = (draftId: string): string => draftId.slice(0, Math.max(0, draftId.indexOf('-')));

/** Drafts in packs of at most `perPack`, in their order. */
export function packDrafts(drafts: readonly Proposal[], jobId: string, createdAt: number, perPack: number): DraftPack[] {
  const size = Math.max(1, perPack);
  const packs: DraftPack[] = [];
  for (let i = 0; i < drafts.length; i += size) {
    const part = drafts.slice(i, i + size);
    packs.push({ id: part[0]!.id, jobId, createdAt, ...packOf(part) });
  }
  return packs;
}

/** A pack's full drafts (parsed: only for the few packs a drawer or a submit needs). */
export const draftsOfPack = (pack: Pick<DraftPack, 'draftsJson'>): Proposal[] => JSON.parse(pack.draftsJson) as Proposal[];

/**
 * Adds the packs collection to an open book (once). The UI thread keeps no packs in memory: RxDB keeps the results
 * of up to 100 idle queries and the last 100 change events of a collection, and for packs that was every draft of
 * the last job (a first load reads the packs 4 per query; a job's ~100 pack writes arrive as change events). In the
 * ui bench that was ~20,000 full drafts with 200,000 trade objects in the UI thread's heap, whose major GC pauses
 * (35–43 ms) were the remaining long tasks of the bulk run. So pack queries are dropped from the cache once idle
 * (nothing subscribes to them) and the change event buffer keeps only the last write's events.
 */
export async function addDraftPacks(db: BookDatabase): Promise<void> {
  if (db.collections[DRAFT_PACKS as never]) return;
  await db.addCollections({ [DRAFT_PACKS]: { schema: draftPackSchema, cacheReplacementPolicy: defaultCacheReplacementPolicyMonad(0, 0),
    migrationStrategies: draftPackMigrations } });
  // 1 is the least: 0 would keep every event (RxDB slices the buffer with -limit).
  draftPacksOf(db)._changeEventBuffer.limit = 1;
}

export function draftPacksOf(db: BookDatabase): RxCollection<DraftPack> {
  const c = (db.collections as unknown as Record<string, RxCollection<DraftPack> | undefined>)[DRAFT_PACKS];
  if (!c) throw new Error('this book has no draft packs (opened without openBookDb)');
  return c;
}

const packsOfJobs = async (db: BookDatabase, jobIds: readonly string[]): Promise<DraftPack[]> =>
  (await draftPacksOf(db).find({ selector: { jobId: { $in: [...jobIds] } } }).exec()).map((d) => d.toJSON() as DraftPack);

/**
 * The stored drafts among `ids` (ids of no stored draft are skipped). `packOf` may name each draft's pack (the
 * review rows know it): those packs are read by id; the others by their job (every pack of it).
 */
export async function readDrafts(db: BookDatabase, ids: readonly string[], packOf: (draftId: string) => string | undefined = () => undefined): Promise<Map<string, Proposal>> {
  const wanted = new Set(ids);
  const packIds = new Set<string>();
  const jobs = new Set<string>();
  for (const id of ids) {
    const pack = packOf(id);
    if (pack) packIds.add(pack);
    else if (jobOfDraft(id)) jobs.add(jobOfDraft(id));
  }
  const packs = [
    ...[...(await draftPacksOf(db).findByIds([...packIds]).exec()).values()].map((d) => d.toJSON() as DraftPack),
    ...(jobs.size > 0 ? await packsOfJobs(db, [...jobs]) : []),
  ];
  const out = new Map<string, Proposal>();
  for (const pack of packs) {
    if (!pack.listings.some((l) => wanted.has(l.id))) continue;
    for (const d of draftsOfPack(pack)) if (wanted.has(d.id)) out.set(d.id, d);
  }
  return out;
}

/** How many drafts a job stored (its packs read a few at a time: short tasks on the UI thread). */
export async function countDrafts(db: BookDatabase, jobId: string): Promise<number> {
  let n = 0;
  await eachPack(db, { jobId }, (pack) => { n += pack.listings.length; });
  return n;
}

/** Packs per read of many: each read deserializes its packs (~100 listings and a ~300 KB string each) in one task. */
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
