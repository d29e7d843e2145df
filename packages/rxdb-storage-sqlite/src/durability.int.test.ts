// kill -9 durability: a child process writes batches and prints each acknowledged bulkWrite; we SIGKILL it
// mid-stream, reopen the file and check that every acknowledged batch is complete and no batch is partial.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeMangoQuery, prepareQuery } from 'rxdb';
import { getRxStorageSqlite } from './index.ts';
import { BATCH_SIZE, rowSchema, type Row } from './durability-child.ts';

const here = dirname(fileURLToPath(import.meta.url));

function runChildAndKill(dir: string, killAfterAcks: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'durability-child.ts'), dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lastAck = 0;
    let buf = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^ACK (\d+)$/.exec(line);
        if (m) lastAck = Number(m[1]);
      }
      if (!killed && lastAck >= killAfterAcks) {
        killed = true;
        child.kill('SIGKILL'); // mid-stream: the next batch is already being written
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(lastAck);
      else reject(new Error(`child exited early (code ${code}): ${stderr}`));
    });
  });
}

describe('durability against kill -9', () => {
  it('every acknowledged bulkWrite survives SIGKILL and no partially written batch is visible', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aw-sqlite-kill-'));
    try {
      const acked = await runChildAndKill(dir, 12);
      expect(acked).toBeGreaterThanOrEqual(12);

      const inst = await getRxStorageSqlite({ directory: dir }).createStorageInstance<Row>({
        databaseInstanceToken: 'parent',
        databaseName: 'durable',
        collectionName: 'rows',
        schema: rowSchema,
        options: {},
        multiInstance: false,
        devMode: false,
      });
      try {
        const all = await inst.query(
          prepareQuery(rowSchema, normalizeMangoQuery(rowSchema, { selector: { batch: { $gte: 0 } } })),
        );
        const perBatch = new Map<number, number>();
        let counter = -1;
        for (const d of all.documents) {
          if (d.id === 'counter') counter = d.batch;
          else perBatch.set(d.batch, (perBatch.get(d.batch) ?? 0) + 1);
        }
        // Every acknowledged batch is complete.
        for (let b = 1; b <= acked; b++) expect(perBatch.get(b), `batch ${b}`).toBe(BATCH_SIZE);
        // At most one unacknowledged batch committed (killed after COMMIT, before the ACK was printed), never partial.
        for (const [b, n] of perBatch) {
          expect(n, `batch ${b} is partial`).toBe(BATCH_SIZE);
          expect(b).toBeLessThanOrEqual(acked + 1);
        }
        // The counter moved in the same transactions as its batches.
        expect(counter).toBe(Math.max(...perBatch.keys()));
      } finally {
        await inst.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
