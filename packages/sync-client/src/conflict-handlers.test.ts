// Conflict resolution is deterministic and follows the documented rules per collection.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sampleBookDocs } from '@aw/domain';
import { bookConflictHandlers, lastWriterWins, mergeHousehold, mergeNotes, resolveProposal } from './conflict-handlers.ts';

const s = sampleBookDocs() as any;
const hh = { ...s.households, _deleted: false };
const prop = { ...s.proposals, status: 'draft', _deleted: false };

describe('lastWriterWins', () => {
  it('takes the newer document and the server on a tie', () => {
    const local = { ...hh, name: 'L', updatedAt: 2 };
    const server = { ...hh, name: 'S', updatedAt: 1 };
    expect(lastWriterWins(local, server)).toBe(local);
    expect(lastWriterWins({ ...local, updatedAt: 1 }, server)).toBe(server);
    expect(lastWriterWins({ ...local, updatedAt: 0 }, server)).toBe(server);
  });
});

describe('households: field-level merge', () => {
  it('keeps both sides when they changed different fields', () => {
    const base = { ...hh, updatedAt: 1 };
    const r = mergeHousehold({ assumedMasterState: base, realMasterState: { ...base, notes: 'server note', updatedAt: 3 }, newDocumentState: { ...base, name: 'Local Name', updatedAt: 2 } });
    expect(r).toMatchObject({ name: 'Local Name', notes: 'server note', updatedAt: 3 });
  });
  it('takes the newer value of a field both changed, and merges notes both changed', () => {
    const base = { ...hh, notes: 'line 1', updatedAt: 1 };
    const r = mergeHousehold({
      assumedMasterState: base,
      realMasterState: { ...base, name: 'S', notes: 'line 1\nserver line', updatedAt: 2 },
      newDocumentState: { ...base, name: 'L', notes: 'line 1\nlocal line', updatedAt: 5 },
    });
    expect(r.name).toBe('L');
    expect(r.notes).toBe('line 1\nserver line\nlocal line');
  });
  it('is deterministic: the same inputs always give the same output, and the output converges on re-merge', () => {
    const text = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 4 }).map((l) => l.join('\n'));
    fc.assert(
      fc.property(text, text, text, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), (b, sv, lc, tS, tL) => {
        const input = {
          assumedMasterState: { ...hh, notes: b, updatedAt: 0 },
          realMasterState: { ...hh, notes: sv, updatedAt: tS },
          newDocumentState: { ...hh, notes: lc, updatedAt: tL },
        };
        const r1 = mergeHousehold(input);
        expect(mergeHousehold(structuredClone(input))).toEqual(r1);
        // pushing the result against the server state again changes nothing more
        const again = mergeHousehold({ assumedMasterState: input.realMasterState, realMasterState: input.realMasterState, newDocumentState: r1 });
        expect(again.notes).toBe(r1.notes);
        // nothing either side wrote is lost from the notes
        for (const line of [...sv.split('\n'), ...lc.split('\n')]) if (line && !b.split('\n').includes(line)) expect(r1.notes.split('\n')).toContain(line);
      }),
    );
  });
  it('merges notes without repeating text one side already has', () => {
    expect(mergeNotes('a', 'a\nb', 'a\nb\nc')).toBe('a\nb\nc');
    expect(mergeNotes('a', 'a', 'a\nc')).toBe('a\nc');
    expect(mergeNotes('a', 'x', 'a')).toBe('x');
  });
});

describe('proposals: the server owns the workflow', () => {
  it('takes the whole server document once it moved beyond submitted', () => {
    for (const status of ['approved', 'rejected', 'executed', 'expired', 'stale']) {
      const server = { ...prop, status, approverId: 'u-carol', decidedAt: 9, updatedAt: 1 };
      expect(resolveProposal({ realMasterState: server, newDocumentState: { ...prop, reason: 'newer local', updatedAt: 99 } })).toBe(server);
    }
  });
  it('otherwise the newer side wins, with the server-only fields from the server', () => {
    const server = { ...prop, status: 'submitted', approverId: '', decidedAt: 0, updatedAt: 1 };
    const local = { ...prop, status: 'draft', reason: 'edited', approverId: 'u-alice', decidedAt: 5, updatedAt: 2 };
    expect(resolveProposal({ realMasterState: server, newDocumentState: local })).toMatchObject({ reason: 'edited', status: 'draft', approverId: '', decidedAt: 0 });
    expect(resolveProposal({ realMasterState: { ...server, updatedAt: 2 }, newDocumentState: local })).toEqual({ ...server, updatedAt: 2 });
  });
});

describe('bookConflictHandlers', () => {
  it('has a handler for every collection whose isEqual compares content', async () => {
    expect(Object.keys(bookConflictHandlers).sort()).toEqual(['accounts', 'approvals', 'households', 'lots', 'models', 'prices', 'proposals', 'securities', 'teams', 'transactions']);
    const h = bookConflictHandlers.lots;
    expect(h.isEqual({ ...s.lots, _deleted: false }, { ...s.lots, _deleted: false }, 'x')).toBe(true);
    expect(h.isEqual({ ...s.lots, _deleted: false }, { ...s.lots, quantity: 1, _deleted: false }, 'x')).toBe(false);
    const out = await h.resolve({ realMasterState: { ...s.lots, quantity: 1, updatedAt: 5, _deleted: false }, newDocumentState: { ...s.lots, quantity: 2, updatedAt: 4, _deleted: false } }, 'x');
    expect(out.quantity).toBe(1);
  });
});
