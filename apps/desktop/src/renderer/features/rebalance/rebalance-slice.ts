// Store slice of the bulk rebalance: the job (status, progress, ETA), the review rows streamed in as chunks
// finish, and the review screen's UI state (group-by, drill-down, trade drawer). Rows change through `change`
// records (add / update / reset) so the grid applies transactions instead of re-diffing 100,000 rows. Added rows
// are appended to `rows` IN PLACE (the array keeps its identity; `change.seq` says it grew): a copy per write
// batch of a bulk job was a 0.8 MB large-object allocation at 100,000 rows, ~100 of them per run, which drove the
// major GCs (50–70 ms pauses) seen in the ui bench's long tasks. Updates and resets still make a new array.
import type { SliceCreator } from '../../stores/slice.ts';
import type { GroupBy, ReviewRow } from './review-rows.ts';

/** The workspace tabs (Workspace.tsx). */
export type WorkspaceScreen = 'book' | 'rebalance' | 'analytics' | 'approvals' | 'market';

export type JobStatus = 'idle' | 'preparing' | 'running' | 'done' | 'cancelled' | 'error';

export interface JobState {
  status: JobStatus;
  message: string;
  accountsTotal: number;
  accountsDone: number;
  chunksDone: number;
  chunksTotal: number;
  elapsedMs: number;
  /** NaN until the first chunk is done. */
  etaMs: number;
  proposalsWritten: number;
  workers: number;
}

export interface RowChange { seq: number; kind: 'add' | 'update' | 'reset'; rows: ReviewRow[] }

export interface RebalanceSlice {
  rebalance: {
    job: JobState;
    /** Every review row, in arrival order; grows in place on adds (watch `change.seq`, not the array's identity). */
    rows: ReviewRow[];
    change: RowChange;
    groupBy: GroupBy;
    /** Drill-down from a group row: only this model/household in the detail grid. */
    groupFilter: { by: Exclude<GroupBy, 'none'>; key: string; name: string } | null;
    drawerId: string | null;
    screen: WorkspaceScreen;
  };
  rebalanceJobUpdate(job: Partial<JobState>): void;
  rebalanceRowsAdded(rows: ReviewRow[]): void;
  rebalanceRowsUpdated(rows: ReviewRow[]): void;
  rebalanceRowsReset(rows: ReviewRow[]): void;
  setGroupBy(groupBy: GroupBy): void;
  setGroupFilter(filter: RebalanceSlice['rebalance']['groupFilter']): void;
  openTradeDrawer(proposalId: string | null): void;
  showScreen(screen: WorkspaceScreen): void;
}

export const IDLE_JOB: JobState = {
  status: 'idle', message: '', accountsTotal: 0, accountsDone: 0, chunksDone: 0, chunksTotal: 0, elapsedMs: 0, etaMs: NaN,
  proposalsWritten: 0, workers: 0,
};

export const createRebalanceSlice: SliceCreator<RebalanceSlice> = (set) => ({
  rebalance: {
    job: IDLE_JOB, rows: [], change: { seq: 0, kind: 'reset', rows: [] }, groupBy: 'none', groupFilter: null, drawerId: null, screen: 'book',
  },
  rebalanceJobUpdate: (job) => set((s) => ({ rebalance: { ...s.rebalance, job: { ...s.rebalance.job, ...job } } })),
  rebalanceRowsAdded: (rows) => set((s) => {
    if (rows.length === 0) return s;
    const r = s.rebalance;
    for (const row of rows) r.rows.push(row);
    return { rebalance: { ...r, change: { seq: r.change.seq + 1, kind: 'add', rows } } };
  }),
  rebalanceRowsUpdated: (rows) => set((s) => {
    if (rows.length === 0) return s;
    const r = s.rebalance;
    const byId = new Map(rows.map((x) => [x.id, x]));
    return { rebalance: { ...r, rows: r.rows.map((x) => byId.get(x.id) ?? x), change: { seq: r.change.seq + 1, kind: 'update', rows } } };
  }),
  rebalanceRowsReset: (rows) => set((s) => ({ rebalance: { ...s.rebalance, rows: [...rows], change: { seq: s.rebalance.change.seq + 1, kind: 'reset', rows } } })),
  setGroupBy: (groupBy) => set((s) => ({ rebalance: { ...s.rebalance, groupBy, groupFilter: groupBy === 'none' ? s.rebalance.groupFilter : null } })),
  setGroupFilter: (groupFilter) => set((s) => ({ rebalance: { ...s.rebalance, groupFilter, groupBy: groupFilter ? 'none' : s.rebalance.groupBy } })),
  openTradeDrawer: (drawerId) => set((s) => ({ rebalance: { ...s.rebalance, drawerId } })),
  showScreen: (screen) => set((s) => ({ rebalance: { ...s.rebalance, screen } })),
});
