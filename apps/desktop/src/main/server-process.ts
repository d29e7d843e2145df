// Lifecycle of the local sync server as a child process (used by Electron main and by `npm start`/`npm run web`):
// spawn `node --import tsx sync-server/src/main.ts --port P --data DIR [--demo]`, read the `listening on URL` line
// it prints on stdout, wait until GET /healthz answers {"ok":true}, and stop it with SIGTERM (SIGKILL after a grace
// period). Times in milliseconds.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export class ServerStartError extends Error {
  override name = 'ServerStartError';
}

export interface SyncServerOptions {
  /** Repository root (holds sync-server/ and node_modules/tsx). */
  repoRoot: string;
  dataDir: string;
  /** 0 = any free port. */
  port?: number;
  host?: string;
  demo?: boolean;
  /** The Node binary (default: the one running this code; Electron main passes a real `node`). */
  nodePath?: string;
  startTimeoutMs?: number;
  /** Where the child's stderr (JSON logs) goes; default: dropped unless AW_SERVER_LOG is set. */
  onLog?: (line: string) => void;
  /** Extra environment for the child (e.g. AW_MARKET_TICKS_PER_SEC), on top of this process's. */
  env?: Record<string, string>;
}

export interface SyncServerProcess {
  url: string;
  port: number;
  pid: number;
  /** Resolves with the exit code when the child exits (for whatever reason). */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the child is gone. */
  stop(graceMs?: number): Promise<void>;
}

const LISTENING = /listening on (https?:\/\/\S+)/;

/** The `listening on URL` line of the server's stdout → its URL, or null. */
export function parseListeningLine(line: string): string | null {
  return LISTENING.exec(line)?.[1] ?? null;
}

/** Polls GET `${url}/healthz` until it answers {"ok":true}; false on timeout. */
export async function waitForHealthy(url: string, timeoutMs: number, isAlive: () => boolean = () => true): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && isAlive()) {
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok && ((await res.json()) as { ok?: unknown }).ok === true) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function stopChild(child: ChildProcess, exited: Promise<number | null>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  return exited.then(() => clearTimeout(timer));
}

export async function startSyncServer(opts: SyncServerOptions): Promise<SyncServerProcess> {
  // A 32 MB young generation keeps the price hub's short-lived garbage out of the old space: server RSS stays
  // within ±10% under a 50k ticks/s stream (the prices bench runs the server the same way; see sync-server README).
  const args = ['--max-semi-space-size=32', '--import', 'tsx', join(opts.repoRoot, 'sync-server', 'src', 'main.ts'),
    '--port', String(opts.port ?? 0), '--host', opts.host ?? '127.0.0.1', '--data', opts.dataDir];
  if (opts.demo ?? true) args.push('--demo');
  const child = spawn(opts.nodePath ?? process.execPath, args, {
    cwd: opts.repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env, ELECTRON_RUN_AS_NODE: undefined },
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  const errTail: string[] = [];
  const log = opts.onLog ?? (process.env.AW_SERVER_LOG ? (l: string) => process.stderr.write(`[server] ${l}\n`) : undefined);
  let errBuf = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    errBuf += chunk;
    const lines = errBuf.split('\n');
    errBuf = lines.pop()!;
    for (const l of lines) {
      errTail.push(l);
      if (errTail.length > 20) errTail.shift();
      log?.(l);
    }
  });
  const timeoutMs = opts.startTimeoutMs ?? 60_000;
  const url = await new Promise<string>((resolve, reject) => {
    let outBuf = '';
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stopChild(child, exited, 2000);
      reject(new ServerStartError(`the sync server did not start: ${why}${errTail.length ? `\n${errTail.join('\n')}${errBuf}` : ''}`));
    };
    const timer = setTimeout(() => fail(`no "listening on" line within ${timeoutMs} ms`), timeoutMs);
    child.once('error', (err) => fail(err.message));
    void exited.then((code) => fail(`it exited with code ${code}`));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      outBuf += chunk;
      const found = parseListeningLine(outBuf);
      if (found && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve(found.replace(/\/$/, ''));
      }
    });
  });
  if (!(await waitForHealthy(url, timeoutMs, () => child.exitCode === null))) {
    await stopChild(child, exited, 2000);
    throw new ServerStartError(`the sync server at ${url} never answered GET /healthz`);
  }
  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid!,
    exited,
    stop: (graceMs = 10_000) => stopChild(child, exited, graceMs),
  };
}
