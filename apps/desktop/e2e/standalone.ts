// What every e2e spec shares: the step type, the spec options, Chromium's launch flags for these machines, and the
// runner that lets one spec run alone (`node --import tsx apps/desktop/e2e/<name>.e2e.ts`). run.ts runs them all.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { buildApp, isBuildStale } from '../scripts/build-app.ts';
import { serveRenderer, type RendererServer } from '../src/main/renderer-server.ts';
import { chromiumArgs, chromiumPath } from '../src/main/web-chromium.ts';
import { startSyncServer, type SyncServerProcess } from '../src/main/server-process.ts';

export type Step = (name: string, fn: () => Promise<void>) => Promise<boolean>;

export interface E2eOptions {
  repoRoot: string;
  browser: Browser;
  step: Step;
  artifacts: string;
  log: (m: string) => void;
}

/** Debian Chromium, headless, as web mode launches it here (main/web-chromium.ts). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs() });
}

/** True when `file` is the script node was started with. */
export const isMain = (file: string): boolean => Boolean(process.argv[1]) && resolve(process.argv[1]!) === resolve(file);

/** The page of the spec running now, for a screenshot when a step fails. */
let currentPage: Page | null = null;

/**
 * Runs specs one after another in one Chromium (each in its own server and browser context), printing
 * `<label>: N passed, M failed` as the last line and exiting non-zero on a failure. A failed step leaves a
 * screenshot `failed-<n>.png` in test-artifacts/e2e/.
 */
export function runSpecs(label: string, specs: ((o: E2eOptions) => Promise<void>)[]): void {
  const repoRoot = resolve(import.meta.dirname, '../../..');
  const artifacts = join(repoRoot, 'test-artifacts', 'e2e');
  const log = (m: string) => process.stderr.write(`${m}\n`);
  let passed = 0;
  let failed = 0;
  const step: Step = async (stepName, fn) => {
    const t0 = Date.now();
    try {
      await fn();
      passed++;
      log(`  ✓ ${stepName} (${Date.now() - t0} ms)`);
      return true;
    } catch (err) {
      failed++;
      log(`  ✗ ${stepName}\n    ${(err as Error).message.split('\n').join('\n    ')}`);
      await currentPage?.screenshot({ path: join(artifacts, `failed-${passed + failed}.png`) }).catch(() => undefined);
      return false;
    }
  };
  (async () => {
    mkdirSync(artifacts, { recursive: true });
    if (isBuildStale(repoRoot)) await buildApp(repoRoot, log);
    const browser = await launchChromium();
    try {
      for (const spec of specs) await spec({ repoRoot, browser, step, artifacts, log });
    } finally {
      await browser.close();
    }
  })().catch((err: unknown) => {
    failed++;
    log(`${label}: ${(err as Error).stack ?? String(err)}`);
  }).finally(() => {
    console.log(`${label}: ${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  });
}

/** Runs one spec alone, printing `e2e <name>: N passed, M failed`. */
export const runStandalone = (name: string, spec: (o: E2eOptions) => Promise<void>): void => runSpecs(`e2e ${name}`, [spec]);

export interface DemoSession {
  /** The running server (a new one after `restartServer`). */
  readonly server: SyncServerProcess;
  ui: RendererServer;
  page: Page;
  /** The server's data folder (kept across restarts). */
  dataDir: string;
  stopServer(): Promise<void>;
  /** Starts the server again on the same port and data folder. */
  restartServer(): Promise<SyncServerProcess>;
}

export interface DemoSessionOptions {
  context: BrowserContextOptions;
  /** Extra environment for the server process. */
  serverEnv?: Record<string, string>;
}

/**
 * A spec's world: a fresh demo-mode sync server (temp data folder), the web-mode UI on it and one page in a new
 * browser context. `body` runs the spec's steps; then a `<name>: no CSP violations or page errors` step checks the page threw
 * nothing and broke no Content Security Policy rule.
 * Everything is torn down whatever happens.
 */
export async function withDemoSession(o: E2eOptions, name: string, opts: DemoSessionOptions, body: (s: DemoSession) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), `aw-e2e-${name}-`));
  const start = (port: number) => startSyncServer({ repoRoot: o.repoRoot, dataDir, port, demo: true, env: opts.serverEnv });
  let server: SyncServerProcess | null = null;
  let ui: RendererServer | null = null;
  const context = await o.browser.newContext(opts.context);
  try {
    server = await start(0);
    const port = server.port;
    ui = await serveRenderer({ root: join(o.repoRoot, 'out', 'renderer'), serverUrl: server.url, dataDir, version: 'e2e', port: 0 });
    const page = await context.newPage();
    currentPage = page;
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) pageErrors.push(m.text());
    });
    await body({
      get server() { return server!; },
      ui, page, dataDir,
      stopServer: () => server!.stop(),
      restartServer: async () => (server = await start(port)),
    });
    await o.step(`${name}: no CSP violations or page errors`, async () => {
      if (pageErrors.length) throw new Error(pageErrors.join('\n'));
    });
  } finally {
    currentPage = null;
    await context.close().catch(() => undefined);
    await ui?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
