// Who may read and write which book documents (enforced on the server for every pull, push, conflict answer and
// stream event; the client is never trusted).
// - advisor: reads and writes the documents of their own team; reads global collections (securities, prices) and
//   firm-wide models (teamId ''); may not write teams, securities, prices, firm-wide models or approvals.
// - reviewer: reads like an advisor; pushes nothing (approvals go through the approval endpoints).
// - admin: reads everything, writes everything except the server-only data below.
// - provider: no replication access (it only ingests prices).
// Server-only data, rejected from every client: the whole `approvals` collection; on proposals the fields
// approverId, decidedAt, executedAt, and any status other than draft/submitted (nor may a client touch a proposal
// the server has moved beyond submitted). No push may change a document's team.
import { TEAM_FIELD, type BookCollectionName } from '@aw/domain';
import type { AuthUser } from '../context.ts';

export type Doc = Record<string, unknown> & { _deleted?: boolean };

/** Proposal statuses a client may set; everything else is a server transition. */
export const CLIENT_PROPOSAL_STATUSES: readonly string[] = ['draft', 'submitted'];
/** Proposal fields only the server sets (initial values on a client insert: '' / 0). */
export const SERVER_ONLY_PROPOSAL_FIELDS = { approverId: '', decidedAt: 0, executedAt: 0 } as const;
const GLOBAL_COLLECTIONS: readonly BookCollectionName[] = ['securities', 'prices'];
const ADMIN_ONLY_COLLECTIONS: readonly BookCollectionName[] = ['teams', 'securities', 'prices'];

export function mayReplicate(user: AuthUser): boolean {
  return user.role === 'advisor' || user.role === 'reviewer' || user.role === 'admin';
}

/** The team owning `doc` ('' = firm-wide), or null for global collections. */
export function teamOf(collection: BookCollectionName, doc: Doc): string | null {
  const field = TEAM_FIELD[collection];
  return field === null ? null : String(doc[field] ?? '');
}

export function canRead(user: AuthUser, collection: BookCollectionName, doc: Doc): boolean {
  if (!mayReplicate(user)) return false;
  if (user.role === 'admin') return true;
  const team = teamOf(collection, doc);
  if (team === null) return true;
  if (collection === 'models' && team === '') return true;
  return team === user.teamId;
}

export interface PushRow {
  newDocumentState: Doc;
  assumedMasterState?: Doc | null;
}

/** Why `user` may not write `row` given the server's current `master` (undefined = new document), or null if allowed. */
export function pushViolation(user: AuthUser, collection: BookCollectionName, id: string, row: PushRow, master: Doc | undefined): string | null {
  const doc = row.newDocumentState;
  const label = `${collection} ${id}`;
  if (!mayReplicate(user)) return `role ${user.role} may not replicate book data`;
  if (user.role === 'reviewer') return `${label}: reviewers may read the book but not change it`;
  if (collection === 'approvals') return `${label}: approval records are written by the server only`;
  const isAdmin = user.role === 'admin';
  if (!isAdmin && ADMIN_ONLY_COLLECTIONS.includes(collection)) return `${label}: ${collection} are managed by an admin`;

  const newTeam = teamOf(collection, doc);
  if (master) {
    const masterTeam = teamOf(collection, master);
    if (!isAdmin && collection === 'models' && masterTeam === '') return `${label}: firm-wide models are managed by an admin`;
    if (!isAdmin && masterTeam !== null && masterTeam !== user.teamId) return `${label}: belongs to another team`;
    if (newTeam !== masterTeam) return `${label}: the team of a document cannot be changed (was "${masterTeam}")`;
  }
  if (!isAdmin && newTeam !== null && newTeam !== user.teamId) {
    return newTeam === '' && collection === 'models'
      ? `${label}: firm-wide models are managed by an admin`
      : `${label}: belongs to team "${newTeam}", you are in team "${user.teamId}"`;
  }
  if (GLOBAL_COLLECTIONS.includes(collection) && !isAdmin) return `${label}: ${collection} are read-only`;

  if (collection === 'proposals') {
    if (master && !CLIENT_PROPOSAL_STATUSES.includes(String(master.status))) {
      return `${label}: the proposal is ${String(master.status)}; only the server changes it now`;
    }
    if (!CLIENT_PROPOSAL_STATUSES.includes(String(doc.status))) {
      return `${label}: status "${String(doc.status)}" is set by the server (clients may set draft or submitted)`;
    }
    for (const [field, initial] of Object.entries(SERVER_ONLY_PROPOSAL_FIELDS)) {
      const expected = master ? master[field] : initial;
      if (doc[field] !== expected) return `${label}: ${field} is set by the server only`;
    }
    if (!master && !isAdmin && doc.authorId !== user.userId) return `${label}: authorId must be your own user id (${user.userId})`;
    if (master && doc.authorId !== master.authorId) return `${label}: the author of a proposal cannot be changed`;
  }
  return null;
}
