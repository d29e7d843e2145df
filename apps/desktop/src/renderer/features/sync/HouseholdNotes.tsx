// The household's notes, editable by a signed-in advisor, online or offline: saving writes the household to the
// local RxDB (updatedAt = now); the sync pushes it when the server is reachable (concurrent edits of the same notes
// are merged by the households conflict handler, keeping both texts). Changes from teammates appear live.
import { useEffect, useState } from 'react';
import { useApp } from '../../stores/app-store.ts';
import { useBookDb } from './book-db-context.ts';
import './sync.css';

export function HouseholdNotes({ householdId }: { householdId: string }) {
  const db = useBookDb();
  const saved = useApp((s) => s.book.households.find((h) => h.id === householdId)?.notes ?? '');
  const canEdit = useApp((s) => s.sync.mode === 'signed-in');
  const online = useApp((s) => s.sync.status?.state !== 'offline' && !s.sync.status?.authExpired);
  const pending = useApp((s) => s.sync.status?.pendingLocalChanges ?? 0);
  const [draft, setDraft] = useState(saved);
  const [dirty, setDirty] = useState(false);
  const [saveState, setSaved] = useState<'no' | 'yes' | 'error'>('no');
  const [error, setError] = useState('');

  useEffect(() => {
    if (!dirty) setDraft(saved);
  }, [saved, dirty]);
  useEffect(() => {
    setDirty(false);
    setSaved('no');
  }, [householdId]);

  const message = dirty ? 'Unsaved changes'
    : saveState === 'error' ? error
    : saveState === 'yes' ? (!online ? 'Saved on this desktop · pushed when back online' : pending > 0 ? 'Saved · syncing…' : 'Saved · synced with the team')
    : '';

  const save = async () => {
    if (!db) return;
    try {
      const doc = await db.households.findOne(householdId).exec();
      if (!doc) throw new Error('this household is no longer in the book');
      await doc.incrementalPatch({ notes: draft, updatedAt: Date.now() });
      setDirty(false);
      setSaved('yes');
    } catch (err) {
      setError(`Could not save: ${(err as Error).message}`);
      setSaved('error');
    }
  };

  return (
    <div className="notes-editor">
      <textarea
        aria-label="Household notes"
        data-testid="household-notes"
        placeholder={canEdit ? 'Notes for the team about this household…' : 'No notes'}
        maxLength={10_000}
        readOnly={!canEdit}
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value);
          setDirty(true);
          setSaved('no');
        }}
      />
      {canEdit ? (
        <div className="notes-actions">
          <button className="sync-action" data-testid="save-notes" disabled={!dirty} onClick={() => void save()}>Save notes</button>
          <span className="muted small" data-testid="notes-status">{message}</span>
        </div>
      ) : (
        <span className="muted small">Sign in to edit notes.</span>
      )}
    </div>
  );
}
