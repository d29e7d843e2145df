// Deterministic conflict resolution of the book's collections, applied on the desktop when the server reports that
// a pushed document changed there meanwhile. Inputs: the local state (newDocumentState), the server's current state
// (realMasterState) and the state the local edit was based on (assumedMasterState, the common ancestor).
// Rules, per collection:
// - proposals: workflow is the server's. If the server has moved the proposal beyond draft/submitted (approved,
//   rejected, executed, expired, stale) or deleted it, the server's document wins whole. Otherwise the newer
//   document by updatedAt wins (tie: server), and the server-only fields (approverId, decidedAt, executedAt) are
//   always the server's.
// - households: field-level three-way merge against the common ancestor: a field changed on one side only takes that
//   side's value; a field changed on both sides takes the newer side's value (updatedAt, tie: server), except
//   `notes`, which keeps both texts (the server's, then the local lines it lacks). updatedAt becomes the max.
// - every other collection: last writer wins by updatedAt, tie broken in favour of the server.
// Deletions: a deleted side takes part like any other state (its updatedAt decides).
import { deepEqual } from 'rxdb/plugins/utils';
import type { RxConflictHandler, RxConflictHandlerInput, WithDeleted } from 'rxdb';
import type { BookCollectionName } from '@aw/domain';

type Doc = WithDeleted<Record<string, any>>;

const updatedAtOf = (d: Doc): number => (typeof d.updatedAt === 'number' ? d.updatedAt : 0);

/** The newer of local and server by updatedAt; the server on a tie. */
export function lastWriterWins(local: Doc, server: Doc): Doc {
  return updatedAtOf(local) > updatedAtOf(server) ? local : server;
}

/** Both texts, without repeating what one side already contains: the server's text, then local lines it lacks. */
export function mergeNotes(base: string, server: string, local: string): string {
  if (server === local) return server;
  if (server === base) return local;
  if (local === base) return server;
  if (server.includes(local)) return server;
  if (local.includes(server)) return local;
  const serverLines = new Set(server.split('\n'));
  const baseLines = new Set(base.split('\n'));
  const added = local.split('\n').filter((l) => !serverLines.has(l) && !baseLines.has(l));
  return added.length ? `${server}\n${added.join('\n')}` : server;
}

/** Field-level three-way merge of one household (see the module comment). */
export function mergeHousehold(i: RxConflictHandlerInput<any>): Doc {
  const local = i.newDocumentState as Doc;
  const server = i.realMasterState as Doc;
  const base = (i.assumedMasterState ?? {}) as Doc;
  if (local._deleted || server._deleted) return lastWriterWins(local, server);
  const newer = lastWriterWins(local, server);
  const out: Doc = { ...server };
  const keys = new Set([...Object.keys(server), ...Object.keys(local)]);
  for (const k of keys) {
    if (k === 'updatedAt' || k === '_deleted') continue;
    const localChanged = !deepEqual(local[k], base[k]);
    const serverChanged = !deepEqual(server[k], base[k]);
    if (k === 'notes' && localChanged && serverChanged) out.notes = mergeNotes(String(base.notes ?? ''), String(server.notes ?? ''), String(local.notes ?? ''));
    else if (localChanged && !serverChanged) out[k] = local[k];
    else if (localChanged && serverChanged) out[k] = newer[k];
  }
  out.updatedAt = Math.max(updatedAtOf(local), updatedAtOf(server));
  out._deleted = false;
  return out;
}

const PROPOSAL_CLIENT_STATUSES = ['draft', 'submitted'];
const PROPOSAL_SERVER_FIELDS = ['approverId', 'decidedAt', 'executedAt'] as const;

export function resolveProposal(i: RxConflictHandlerInput<any>): Doc {
  const local = i.newDocumentState as Doc;
  const server = i.realMasterState as Doc;
  if (server._deleted || !PROPOSAL_CLIENT_STATUSES.includes(server.status)) return server;
  const winner = lastWriterWins(local, server);
  if (winner === server) return server;
  const out: Doc = { ...local };
  for (const f of PROPOSAL_SERVER_FIELDS) out[f] = server[f];
  return out;
}

function handler(resolve: (i: RxConflictHandlerInput<any>) => Doc): RxConflictHandler<any> {
  return {
    isEqual: (a, b) => deepEqual(a, b),
    resolve: async (i) => resolve(i),
  };
}

export const lastWriterWinsHandler = handler((i) => lastWriterWins(i.newDocumentState as Doc, i.realMasterState as Doc));

/** The conflict handler of each book collection. */
export const bookConflictHandlers: Record<BookCollectionName, RxConflictHandler<any>> = {
  teams: lastWriterWinsHandler,
  households: handler(mergeHousehold),
  accounts: lastWriterWinsHandler,
  securities: lastWriterWinsHandler,
  lots: lastWriterWinsHandler,
  transactions: lastWriterWinsHandler,
  models: lastWriterWinsHandler,
  proposals: handler(resolveProposal),
  approvals: lastWriterWinsHandler,
  prices: lastWriterWinsHandler,
};
