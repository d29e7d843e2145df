// Redo log of one execution chunk's ledger writes, kept in the server's SQL file (WAL, synchronous commit).
// RxDB has no transaction across collections, so a fill's account write (cash, revision) and its lot writes could
// be torn apart by a crash. The journal closes that window: it records the target states before the accounts are
// written (phase 'accounts'), is narrowed to the lots of the accounts really written (phase 'lots'), and is removed
// once the lots are written. The next run replays what an open entry still lacks (see execution.ts).
import type { Account, TaxLot } from '@aw/domain';
import type { SqlDb } from '../context.ts';

export type JournalLot = TaxLot & { _deleted?: boolean };

export interface JournalEntry {
  id: string;
  /** 'accounts': written before the accounts write (which may not have happened); 'lots': accounts written. */
  phase: 'accounts' | 'lots';
  /** Target states of the accounts the chunk writes. */
  accounts: Account[];
  /** Target states of the lots (deleted lots carry `_deleted: true`). */
  lots: JournalLot[];
  /** Transactions of each account's fills (withdrawn on replay when the account write never landed). */
  transactionIds: Record<string, string[]>;
}

export interface ExecutionJournal {
  open(entry: JournalEntry): Promise<void>;
  /** The accounts are written: keep only the lots that must follow (those of the written accounts). */
  narrow(id: string, lots: JournalLot[]): Promise<void>;
  close(id: string): Promise<void>;
  /** Entries left open by an interrupted run, oldest first. */
  pending(): Promise<JournalEntry[]>;
}

export function createExecutionJournal(sql: SqlDb): ExecutionJournal {
  let ready: Promise<void> | null = null;
  const table = () => (ready ??= sql.exec(`CREATE TABLE IF NOT EXISTS execution_journal (
    id TEXT PRIMARY KEY, phase TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL)`));
  return {
    async open(entry) {
      await table();
      const { id, phase, ...body } = entry;
      await sql.run('INSERT INTO execution_journal (id, phase, body, created_at) VALUES (?, ?, ?, ?)', [id, phase, JSON.stringify(body), Date.now()]);
    },
    async narrow(id, lots) {
      await table();
      const row = await sql.get<{ body: string }>('SELECT body FROM execution_journal WHERE id = ?', [id]);
      if (!row) throw new Error(`execution journal entry ${id} is missing`);
      const body = { ...(JSON.parse(row.body) as Omit<JournalEntry, 'id' | 'phase'>), lots };
      await sql.run("UPDATE execution_journal SET phase = 'lots', body = ? WHERE id = ?", [JSON.stringify(body), id]);
    },
    async close(id) {
      await table();
      await sql.run('DELETE FROM execution_journal WHERE id = ?', [id]);
    },
    async pending() {
      await table();
      const rows = await sql.all<{ id: string; phase: JournalEntry['phase']; body: string }>('SELECT id, phase, body FROM execution_journal ORDER BY created_at, id');
      return rows.map((r) => ({ id: r.id, phase: r.phase, ...(JSON.parse(r.body) as Omit<JournalEntry, 'id' | 'phase'>) }));
    },
  };
}
