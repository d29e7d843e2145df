// The approvals inbox's own small store (zustand, vanilla): the inbox rows with change records (the grid applies
// them as transactions, never re-diffing every row), the open detail drawer, and the running or last bulk
// decision (progress, outcome). Kept beside the feature: the app store's slices stay untouched.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DecisionOutcome, DecisionProgress, Decision } from './bulk-decisions.ts';
import type { InboxRow } from './inbox-rows.ts';

export interface InboxChange { seq: number; kind: 'reset' | 'add' | 'update' | 'remove'; rows: InboxRow[] }

export interface DecisionRun {
  status: 'idle' | 'running' | 'done' | 'error';
  decision: Decision | null;
  progress: DecisionProgress | null;
  outcome: DecisionOutcome | null;
  /** A failure of the run itself (not of single proposals). */
  error: string;
}

export interface ApprovalsState {
  rows: ReadonlyMap<string, InboxRow>;
  change: InboxChange;
  loaded: boolean;
  drawerId: string | null;
  run: DecisionRun;
  rowsChanged(kind: InboxChange['kind'], rows: InboxRow[]): void;
  setLoaded(): void;
  openDrawer(id: string | null): void;
  updateRun(run: Partial<DecisionRun>): void;
}

export type ApprovalsStore = StoreApi<ApprovalsState>;

export const IDLE_RUN: DecisionRun = { status: 'idle', decision: null, progress: null, outcome: null, error: '' };

export function createApprovalsStore(): ApprovalsStore {
  return createStore<ApprovalsState>()((set) => ({
    rows: new Map(),
    change: { seq: 0, kind: 'reset', rows: [] },
    loaded: false,
    drawerId: null,
    run: IDLE_RUN,
    rowsChanged: (kind, rows) => set((s) => {
      if (kind !== 'reset' && rows.length === 0) return s;
      const next = kind === 'reset' ? new Map<string, InboxRow>() : new Map(s.rows);
      for (const r of rows) {
        if (kind === 'remove') next.delete(r.id);
        else next.set(r.id, r);
      }
      return { rows: next, change: { seq: s.change.seq + 1, kind, rows } };
    }),
    setLoaded: () => set({ loaded: true }),
    openDrawer: (drawerId) => set({ drawerId }),
    updateRun: (run) => set((s) => ({ run: { ...s.run, ...run } })),
  }));
}
