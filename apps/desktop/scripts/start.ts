// `npm start` / `npm run web -- [--port N] [--data DIR]`: the workstation. Builds the app if its sources changed,
// starts the local sync server (SQLite book under --data, default the per-user data folder; demo book seeded on
// first run), then opens the Electron window — or, where Electron's binary is missing (or with --web), serves the
// same UI at a printed http://127.0.0.1 URL. Ctrl-C (SIGINT) or SIGTERM stops everything cleanly.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../src/main/data-dir.ts';
import { startSyncServer, type SyncServerProcess } from '../src/main/server-process.ts';
import { buildApp, isBuildStale } from './build-app.ts';
import { findElectronBinary } from '../src/main/electron-binary.ts';
import { serveRenderer, type RendererServer } from '../src/main/renderer-server.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const DEFAULT_WEB_PORT = 5180;
const say = (m: string) => process.stderr.write(`advisor-workstation: ${m}\n`);

function usage(code: number): never {
  process.stderr.write('usage: npm start -- [--data DIR] [--port N] [--web] [--no-build]\n' +
    '       npm run web -- [--port N] [--data DIR]\n' +
    '  --data DIR   folder of the book (SQLite); default the per-user data folder\n' +
    `  --port N     web mode: port of the UI (default ${DEFAULT_WEB_PORT}; the same port keeps the same browser storage)\n` +
    '  --web        serve the UI in a browser instead of opening the Electron window\n' +
    '  --no-build   use the existing build in out/\n');
  process.exit(code);
}

function parseCli() {
  try {
    const { values } = parseArgs({
      options: {
        web: { type: 'boolean', default: false }, port: { type: 'string' }, data: { type: 'string' },
        'no-build': { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (values.help) usage(0);
    let port: number | undefined;
    if (values.port !== undefined) {
      port = Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got "${values.port}"`);
    }
    return { web: values.web!, port, dataDir: resolve(values.data ?? defaultDataDir()), build: !values['no-build'] };
  } catch (err) {
    say((err as Error).message);
    usage(2);
  }
}

let server: SyncServerProcess | null = null;
let ui: RendererServer | null = null;
let shuttingDown = false;

async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  say('stopping…');
  await ui?.close();
  await server?.stop();
  process.exit(code);
}

async function main(): Promise<void> {
  const opts = parseCli();
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  if (opts.build && isBuildStale(repoRoot)) await buildApp(repoRoot, say);

  say(`starting the sync server (book in ${opts.dataDir})…`);
  server = await startSyncServer({ repoRoot, dataDir: opts.dataDir, port: 0, demo: true });
  say(`sync server at ${server.url}`);
  void server.exited.then((code) => {
    if (!shuttingDown) say(`the sync server stopped (exit ${code}); the UI keeps working offline from its local book`);
  });

  if (!opts.web) {
    const electron = findElectronBinary(repoRoot);
    if (electron) {
      const launched = await new Promise<boolean>((done) => {
        const child = spawn(electron, [join(repoRoot, 'apps', 'desktop')], {
          stdio: 'inherit',
          env: { ...process.env, AW_SERVER_URL: server!.url, AW_DATA_DIR: opts.dataDir, AW_NODE: process.execPath },
        });
        child.once('spawn', () => {
          say('Electron window opened');
          done(true);
        });
        child.once('error', (err) => {
          say(`could not launch Electron (${err.message})`);
          done(false);
        });
        child.once('exit', (code) => void shutdown(code ?? 0));
      });
      if (launched) return;
    } else {
      say("Electron's binary is not installed here (node_modules/electron/dist is missing; it is downloaded on first run, which needs GitHub access).");
    }
    say('serving the workstation in web mode instead — open the URL below in a browser.');
  }

  try {
    ui = await serveRenderer({ root: join(repoRoot, 'out', 'renderer'), serverUrl: server.url, dataDir: opts.dataDir, version, port: opts.port ?? DEFAULT_WEB_PORT });
  } catch (err) {
    if ((err as { code?: string }).code !== 'EADDRINUSE' || opts.port !== undefined) throw err;
    say(`port ${DEFAULT_WEB_PORT} is busy; using a free port (the browser keeps a separate local book per port)`);
    ui = await serveRenderer({ root: join(repoRoot, 'out', 'renderer'), serverUrl: server.url, dataDir: opts.dataDir, version, port: 0 });
  }
  process.stdout.write(`Advisor Workstation (web mode): ${ui.url}\n`);
  say('press Ctrl-C to stop');
}

main().catch((err: unknown) => {
  say((err as Error).message);
  void shutdown(1);
});
