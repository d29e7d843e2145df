// Access rules of book replication: who reads and who writes what, and which proposal fields only the server sets.
import { describe, expect, it } from 'vitest';
import { sampleBookDocs } from '@aw/domain';
import type { AuthUser } from '../context.ts';
import { canRead, pushViolation, type Doc } from './access.ts';

const user = (role: AuthUser['role'], teamId = 'demo', userId = 'u-alice'): AuthUser => ({ userId, username: userId, teamId, role, sessionId: 's' });
const alice = user('advisor');
const dave = user('advisor', 'north', 'u-dave');
const carol = user('reviewer', 'demo', 'u-carol');
const root = user('admin', '', 'u-root');
const feed = user('provider', '', 'u-feed');
const s = sampleBookDocs() as unknown as Record<string, Doc>;
const write = (u: AuthUser, collection: any, doc: Doc, master?: Doc) => pushViolation(u, collection, String(doc.id ?? doc.symbol), { newDocumentState: doc, assumedMasterState: master }, master);

describe('canRead', () => {
  it("advisors and reviewers read their team's documents only", () => {
    expect(canRead(alice, 'households', s.households)).toBe(true);
    expect(canRead(carol, 'lots', s.lots)).toBe(true);
    expect(canRead(dave, 'households', s.households)).toBe(false);
    expect(canRead(dave, 'teams', s.teams)).toBe(false);
    expect(canRead(alice, 'teams', s.teams)).toBe(true);
  });
  it('global collections and firm-wide models are read by every team; providers read nothing', () => {
    expect(canRead(dave, 'securities', s.securities)).toBe(true);
    expect(canRead(dave, 'prices', s.prices)).toBe(true);
    expect(canRead(dave, 'models', s.models)).toBe(true);
    expect(canRead(dave, 'models', { ...s.models, teamId: 'demo' })).toBe(false);
    expect(canRead(feed, 'securities', s.securities)).toBe(false);
    expect(canRead(root, 'households', { ...s.households, teamId: 'north' })).toBe(true);
  });
});

describe('pushViolation', () => {
  it('lets an advisor write documents of their own team', () => {
    expect(write(alice, 'households', { ...s.households, name: 'New' }, s.households)).toBeNull();
    expect(write(alice, 'lots', { ...s.lots, id: 'lot-new' })).toBeNull();
    expect(write(alice, 'models', { ...s.models, id: 'm-team', teamId: 'demo' })).toBeNull();
  });
  it("refuses another team's documents, moving a document between teams, and reviewer or provider writes", () => {
    expect(write(dave, 'households', { ...s.households, name: 'x' }, s.households)).toMatch(/another team/);
    expect(write(dave, 'households', { ...s.households, id: 'hh-9' })).toMatch(/belongs to team "demo"/);
    expect(write(dave, 'households', { ...s.households, teamId: 'north' }, s.households)).toMatch(/another team/);
    expect(write(alice, 'households', { ...s.households, teamId: 'north' }, s.households)).toMatch(/cannot be changed/);
    expect(write(root, 'households', { ...s.households, teamId: 'north' }, s.households)).toMatch(/cannot be changed/);
    expect(write(carol, 'households', s.households, s.households)).toMatch(/reviewers/);
    expect(write(feed, 'prices', s.prices)).toMatch(/provider/);
  });
  it('keeps global collections, teams and firm-wide models for admins', () => {
    expect(write(alice, 'securities', s.securities)).toMatch(/admin/);
    expect(write(alice, 'prices', s.prices)).toMatch(/admin/);
    expect(write(alice, 'teams', s.teams, s.teams)).toMatch(/admin/);
    expect(write(alice, 'models', { ...s.models, name: 'x' }, s.models)).toMatch(/firm-wide/);
    expect(write(root, 'securities', s.securities)).toBeNull();
    expect(write(root, 'models', { ...s.models, name: 'x' }, s.models)).toBeNull();
  });
  it('never accepts approval records from a client, not even an admin', () => {
    expect(write(root, 'approvals', s.approvals)).toMatch(/server only/);
    expect(write(alice, 'approvals', s.approvals)).toMatch(/server only/);
  });
  it('lets clients create drafts and submit them, nothing beyond', () => {
    const draft = { ...s.proposals, id: 'p-2', status: 'draft' };
    expect(write(alice, 'proposals', draft)).toBeNull();
    expect(write(alice, 'proposals', { ...draft, status: 'submitted' }, draft)).toBeNull();
    expect(write(alice, 'proposals', { ...draft, status: 'approved' }, draft)).toMatch(/set by the server/);
    expect(write(root, 'proposals', { ...draft, status: 'executed' }, draft)).toMatch(/set by the server/);
    expect(write(alice, 'proposals', { ...draft, approverId: 'u-alice' }, draft)).toMatch(/approverId/);
    expect(write(alice, 'proposals', { ...draft, decidedAt: 5 })).toMatch(/decidedAt/);
    expect(write(alice, 'proposals', { ...draft, authorId: 'u-bob' })).toMatch(/authorId/);
    const approved = { ...draft, status: 'approved', approverId: 'u-carol', decidedAt: 9 };
    expect(write(alice, 'proposals', { ...approved, reason: 'edited' }, approved)).toMatch(/is approved/);
    expect(write(alice, 'proposals', { ...approved, _deleted: true }, approved)).toMatch(/is approved/);
    // the server's values of server-only fields may be carried along unchanged
    const submitted = { ...draft, status: 'submitted', approverId: '', decidedAt: 0 };
    expect(write(alice, 'proposals', { ...submitted, reason: 'tweak' }, submitted)).toBeNull();
  });
});
