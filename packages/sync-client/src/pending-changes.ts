// Local edits not yet acknowledged by the sync server, read from RxDB's own replication state (so the count
// survives a reload of the app, unlike a counter kept in memory). RxDB keeps, per replicated document, the master
// state it last saw in the replication's meta instance, and an 'up' checkpoint in that meta instance up to which
// everything was pushed. A document is unpushed when it changed after that checkpoint and its local state differs
// from the assumed master state: the same test RxDB's upstream uses to decide what to push.
// `unpushedInStorages` runs the test on bare storage instances, so it also reads a collection stored with an older
// schema version before the collection opens (replica-repull.ts).
import {
  getChangedDocumentsSince, getComposedPrimaryKeyOfDocumentData, writeDocToDocState,
  type RxConflictHandler, type RxStorageInstance, type RxStorageInstanceReplicationState,
} from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';

/** Local documents read per page while scanning. */
const SCAN_PAGE = 1000;

/** The storages of one replicated collection: the local documents (fork) and the replication's meta instance. */
export interface ReplicatedStorages {
  fork: RxStorageInstance<any, any, any>;
  meta: RxStorageInstance<any, any, any>;
  primaryPath: string;
  hasAttachments: boolean;
  isEqual: RxConflictHandler<any>['isEqual'];
}

/**
 * Ids of the documents in `s.fork` whose local state was not pushed yet, in change order; stops after `limit` ids
 * (default: all) or when `canceled()` says so.
 */
export async function unpushedInStorages(s: ReplicatedStorages, opts: { limit?: number; canceled?: () => boolean } = {}): Promise<string[]> {
  const limit = opts.limit ?? Infinity;
  // Read the 'up' checkpoint without RxDB's getLastCheckpointDoc, which also caches it in a live state.
  const checkpointId = getComposedPrimaryKeyOfDocumentData(s.meta.schema, { isCheckpoint: '1', itemId: 'up' });
  const [checkpointDoc] = await s.meta.findDocumentsById([checkpointId], false);
  let checkpoint = checkpointDoc?.checkpointData;
  const out: string[] = [];
  for (;;) {
    if (opts.canceled?.()) return out;
    const page = await getChangedDocumentsSince(s.fork, SCAN_PAGE, checkpoint);
    if (page.documents.length === 0) return out;
    const ids = page.documents.map((d: any) => String(d[s.primaryPath]));
    const metaIds = ids.map((itemId) => getComposedPrimaryKeyOfDocumentData(s.meta.schema, { itemId, isCheckpoint: '0' }));
    const assumed = new Map((await s.meta.findDocumentsById(metaIds, true)).map((m: any) => [String(m.itemId), m]));
    for (let i = 0; i < ids.length; i++) {
      const full: any = page.documents[i];
      const master = assumed.get(ids[i]!);
      const local = writeDocToDocState(full, s.hasAttachments, false);
      const pushed = master !== undefined && master.isResolvedConflict !== full._rev &&
        s.isEqual(master.docData, local, 'upstream-check-if-equal');
      if (!pushed) {
        out.push(ids[i]!);
        if (out.length >= limit) return out;
      }
    }
    if (page.documents.length < SCAN_PAGE) return out;
    checkpoint = page.checkpoint;
  }
}

/** Ids of the documents of one replicated collection whose local state has not been pushed yet. */
export async function unpushedDocumentIds(replication: RxReplicationState<any, any>): Promise<string[]> {
  await replication.startPromise;
  const state = replication.internalReplicationState as RxStorageInstanceReplicationState<any> | undefined;
  if (!state) return [];
  const { forkInstance, metaInstance, conflictHandler } = state.input;
  return unpushedInStorages(
    { fork: forkInstance, meta: metaInstance, primaryPath: String(state.primaryPath), hasAttachments: state.hasAttachments, isEqual: conflictHandler.isEqual },
    { canceled: () => state.events.canceled.getValue() },
  );
}
