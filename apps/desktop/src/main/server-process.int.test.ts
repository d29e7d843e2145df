// Starts the real sync server (real SQLite file in a temp folder) the way the desktop does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseListeningLine, startSyncServer, ServerStartError, type SyncServerProcess } from './server-process.ts';

const repoRoot = resolve(import.meta.dirname, '../../../..');

describe('parseListeningLine', () => {
  it('finds the URL the server prints', () => {
    expect(parseListeningLine('listening on http://127.0.0.1:40123\n')).toBe('http://127.0.0.1:40123');
    expect(parseListeningLine('{"msg":"starting"}')).toBeNull();
  });
});

describe('startSyncServer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aw-server-'));
  let server: SyncServerProcess | undefined;
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts on a free port, answers /healthz, and stops on request', async () => {
    server = await startSyncServer({ repoRoot, dataDir: dir, port: 0 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/healthz`);
    expect(await res.json()).toEqual({ ok: true });
    await server.stop();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('reports a clear error when the server cannot start', async () => {
    await expect(startSyncServer({ repoRoot: join(dir, 'nowhere'), dataDir: dir, startTimeoutMs: 20_000 }))
      .rejects.toThrow(ServerStartError);
  });
});
