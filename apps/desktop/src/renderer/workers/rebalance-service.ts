// The bulk rebalance worker's API (runs inside a Web Worker; plain data in, plain data out): the job context once
// per job (security master, one batched price map, models, options, and where the book's lots are stored), then
// chunks of ~1,000 accounts — either with their lots packed as transferred typed arrays, or as accounts only, the
// worker reading their lots from the book's storage itself so the UI thread never touches them. Also the review
// grid's first load: the book's proposals as slim listings, page by page (rebalance-rows.ts). Errors cross the
// boundary as {code, message}.
import type { RxStorage } from 'rxdb';
import type { TaxLot } from '@aw/domain';
import { packChunk, prepareJobContext, rebalanceChunk, type PreparedJobContext } from '@aw/engine/workers';
import { openLotReader, type LotReader } from './rebalance-lots.ts';
import { openProposalReader, type ProposalReader } from './rebalance-rows.ts';
import type { DraftBody, DraftPack } from '../db/draft-packs.ts';
import { chunkPacks, openDocWriter, type DocWriter } from './rebalance-save.ts';
import type { RebalanceWorkerApi } from './rebalance-types.ts';

const boundaryError = (err: unknown, code: string) => {
  const e = err as Error;
  return { code: e?.name && e.name !== 'Error' ? e.name : code, message: e?.message ?? String(err) };
};

/** The open reader or writer of one kind, by the book's database and collection it serves. */
interface Held<T> { key: string; value: Promise<T> }

/** Closes a held reader or writer once it has opened (a failed open has nothing to close). */
const closeHeld = (held: Held<{ close(): Promise<void> }> | null): void => {
  if (held) void held.value.then((v) => v.close()).catch(() => undefined);
};

/** `held` if it serves `key`, else a new one from `open` (which throws before anything closes), the old one closed. */
function reopen<T extends { close(): Promise<void> }>(held: Held<T> | null, key: string, open: () => Promise<T>): Held<T> {
  if (held?.key === key) return held;
  const next = { key, value: open() };
  closeHeld(held);
  return next;
}

/** The key of a held reader or writer: the book's database and collection it serves. */
const refKey = (r: { databaseName: string; collectionName: string }) => `${r.databaseName}/${r.collectionName}`;

/** `storage`: the RxDB storage the book lives in, as seen from this worker (Dexie/IndexedDB in the app). */
export function createRebalanceService(opts: { storage?: () => RxStorage<any, any> } = {}): RebalanceWorkerApi {
  let ctx: PreparedJobContext | null = null;
  let reader: Held<LotReader> | null = null;
  let proposals: Held<ProposalReader> | null = null;
  let packWriter: Held<DocWriter<DraftPack>> | null = null;
  let bodyWriter: Held<DocWriter<DraftBody>> | null = null;
  const bookStorage = (): RxStorage<any, any> => {
    if (!opts.storage) throw { code: 'no_storage', message: 'this rebalance worker cannot read the book (no storage)' };
    return opts.storage();
  };
  return {
    async readProposals(ref, afterId, limit) {
      // Without storage no reader is ever kept, so every call opens and throws no_storage.
      proposals = reopen(proposals, refKey(ref), () => openProposalReader(bookStorage(), ref));
      try {
        return await (await proposals.value).page(afterId, limit);
      } catch (err) {
        proposals = null;
        throw boundaryError(err, 'proposals_unavailable');
      }
    },
    async closeProposals() {
      const old = proposals;
      proposals = null;
      if (old) await (await old.value).close();
    },
    async prepareLots(lots) {
      const storage = bookStorage();
      try {
        const r = await openLotReader(storage, lots);
        try { await r.ready(); } finally { await r.close(); }
      } catch (err) {
        throw boundaryError(err, 'lots_unavailable');
      }
    },
    async init(context, lots) {
      ctx = prepareJobContext(context);
      if (!lots) return;
      reader = reopen(reader, `${lots.databaseName}/${lots.collectionName}/${lots.packsName ?? ''}`, () => openLotReader(bookStorage(), lots));
      const current = reader;
      try {
        // Before every job: the lot packs built, fresh and not far behind (built here, off the UI thread, when not).
        // They make every chunk's read ~40× fewer IndexedDB records.
        await (await current.value).ready();
      } catch (err) {
        if (reader === current) reader = null;
        throw boundaryError(err, 'lots_unavailable');
      }
    },
    run(chunk) {
      if (!ctx) throw { code: 'not_initialized', message: 'rebalance worker used before init()' };
      try {
        return rebalanceChunk(ctx, chunk);
      } catch (err) {
        throw boundaryError(err, 'rebalance_failed');
      }
    },
    async runAccounts({ households, accounts, lotChanges }, save) {
      if (!ctx || !reader) throw { code: 'not_initialized', message: 'rebalance worker used before init() with the book\'s lots' };
      let lots: TaxLot[];
      try {
        lots = await (await reader.value).read(households.map((h) => h.id), new Set(accounts.map((a) => a.id)), lotChanges);
      } catch (err) {
        throw boundaryError(err, 'lots_unavailable');
      }
      const byAccount = new Map<string, TaxLot[]>();
      for (const l of lots) {
        const list = byAccount.get(l.accountId);
        if (list) list.push(l); else byAccount.set(l.accountId, [l]);
      }
      let out;
      try {
        out = rebalanceChunk(ctx, packChunk(households, accounts, (id) => byAccount.get(id) ?? []).chunk);
      } catch (err) {
        throw boundaryError(err, 'rebalance_failed');
      }
      if (!save) return out;
      bodyWriter = reopen(bodyWriter, refKey(save.bodies), () => openDocWriter(bookStorage(), save.bodies, false));
      packWriter = reopen(packWriter, refKey(save.packs), () => openDocWriter(bookStorage(), save.packs));
      const { packs, bodies, drafts } = chunkPacks(out.proposals, save);
      try {
        // The chunk's bodies in one write, unheard; then its packs in one write, which the UI hears.
        await (await bodyWriter.value).insert(bodies);
        await (await packWriter.value).insert(packs);
      } catch (err) {
        closeHeld(bodyWriter);
        closeHeld(packWriter);
        bodyWriter = null;
        packWriter = null;
        throw boundaryError(err, 'save_failed');
      }
      return { ...out, proposals: [], saved: drafts };
    },
  };
}
