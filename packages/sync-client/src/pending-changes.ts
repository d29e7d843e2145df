// Local edits not yet acknowledged by the sync server, read from RxDB's own replication state (so the count
// survives a reload of the app, unlike a counter kept in memory). RxDB keeps, per replicated document, the master
// state it last saw in the replication's meta instance, and an 'up' checkpoint in the local (fork) storage up to
// which everything was pushed. A document is unpushed when it changed after that checkpoint and its local state
// differs from the assumed master state: the same test RxDB's upstream uses to decide what to push.
import {
  getChangedDocumentsSince, getComposedPrimaryKeyOfDocumentData, getAssumedMasterState, writeDocToDocState,
  type RxStorageInstanceReplicationState,
} from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';

/** Local documents read per page while scanning. */
const SCAN_PAGE = 1000;

/** Ids of the documents of one replicated collection whose local state has not been pushed yet. */
export async function unpushedDocumentIds(replication: RxReplicationState<any, any>): Promise<string[]> {
  await replication.startPromise;
  const state = replication.internalReplicationState as RxStorageInstanceReplicationState<any> | undefined;
  if (!state) return [];
  const { forkInstance, metaInstance, conflictHandler } = state.input;
  // Read the 'up' checkpoint without RxDB's getLastCheckpointDoc, which also caches it in the live state.
  const checkpointId = getComposedPrimaryKeyOfDocumentData(metaInstance.schema, { isCheckpoint: '1', itemId: 'up' });
  const [checkpointDoc] = await metaInstance.findDocumentsById([checkpointId], false);
  let checkpoint = checkpointDoc?.checkpointData;
  const out: string[] = [];
  for (;;) {
    if (state.events.canceled.getValue()) return out;
    const page = await getChangedDocumentsSince(forkInstance, SCAN_PAGE, checkpoint);
    if (page.documents.length === 0) return out;
    const ids = page.documents.map((d: any) => String(d[state.primaryPath]));
    const assumed = await getAssumedMasterState(state, ids);
    page.documents.forEach((full: any, i) => {
      const master = assumed[ids[i]];
      const local = writeDocToDocState(full, state.hasAttachments, false);
      const pushed =
        master !== undefined &&
        master.metaDocument.isResolvedConflict !== full._rev &&
        conflictHandler.isEqual(master.docData, local, 'upstream-check-if-equal');
      if (!pushed) out.push(ids[i]);
    });
    if (page.documents.length < SCAN_PAGE) return out;
    checkpoint = page.checkpoint;
  }
}
