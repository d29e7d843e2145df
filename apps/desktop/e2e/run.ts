// End-to-end test of the vertical slice in Debian Chromium (web mode): builds the app, starts a real sync server
// (temp --data folder, demo book) and the web-mode UI server on 127.0.0.1, then signs in as the demo advisor alice
// (her team's book replicates from the server into IndexedDB), searches and filters the client book, opens a
// household and checks the values shown against the demo generator valued by the engine, and reloads with the
// server STOPPED to see the book offline. Screenshots go to
// test-artifacts/e2e/. Last line: `e2e: N passed, M failed`; exit 1 on any failure.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startSyncServer, type SyncServerProcess } from '../src/main/server-process.ts';
import { money } from '../src/renderer/grid/format.ts';
import { buildApp, isBuildStale } from '../scripts/build-app.ts';
import { serveRenderer, type RendererServer } from '../src/main/renderer-server.ts';
import { DEMO_USERS } from '@aw/demo';
import { expectedBook } from './expected-book.ts';
import { runSyncE2e } from './sync.e2e.ts';
import { runRebalanceE2e } from './rebalance.e2e.ts';
import { runApprovalsE2e } from './approvals.e2e.ts';
import { runAnalyticsE2e } from './analytics.e2e.ts';
import { runMarketE2e } from './market.e2e.ts';
import { launchChromium } from './standalone.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const artifacts = join(repoRoot, 'test-artifacts', 'e2e');
const log = (m: string) => process.stderr.write(`${m}\n`);

let passed = 0;
let failed = 0;
let currentPage: Page | null = null;
async function step(name: string, fn: () => Promise<void>): Promise<boolean> {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    log(`  ✓ ${name} (${Date.now() - t0} ms)`);
    return true;
  } catch (err) {
    failed++;
    log(`  ✗ ${name}\n    ${(err as Error).message.split('\n').join('\n    ')}`);
    if (currentPage) {
      const status = await currentPage.getByTestId('book-status').textContent({ timeout: 1000 }).catch(() => null);
      if (status) log(`    screen says: ${status}`);
      await currentPage.screenshot({ path: join(artifacts, `failed-${passed + failed}.png`) }).catch(() => undefined);
    }
    return false;
  }
}

function expectEqual<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(artifacts, `${name}.png`) });
const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent())?.trim() ?? '';
/** Household cells of the rows the book grid displays (virtualized: the visible ones). */
const shownHouseholds = (page: Page) => page.$$eval('[data-testid="book-grid"] .ag-row [col-id="household"]',
  (cells) => cells.map((c) => c.textContent?.trim() ?? ''));

async function main(): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  const expected = expectedBook();
  const { valuation } = expected;
  const advisor = DEMO_USERS.find((u) => u.username === 'alice')!;
  // Alice sees her team's households and accounts (team-scoped replication).
  const book = {
    households: expected.book.households.filter((h) => h.teamId === advisor.teamId),
    accounts: expected.book.accounts.filter((a) => a.teamId === advisor.teamId),
  };
  if (isBuildStale(repoRoot)) await buildApp(repoRoot, log);

  const dataDir = mkdtempSync(join(tmpdir(), 'aw-e2e-'));
  let server: SyncServerProcess | null = null;
  let ui: RendererServer | null = null;
  let browser: Browser | null = null;
  const consoleProblems: string[] = [];
  try {
    server = await startSyncServer({ repoRoot, dataDir, port: 0, demo: true });
    ui = await serveRenderer({ root: join(repoRoot, 'out', 'renderer'), serverUrl: server.url, dataDir, version: 'e2e', port: 0 });
    log(`e2e: server ${server.url}, UI ${ui.url}`);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    const page = await context.newPage();
    currentPage = page;
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) consoleProblems.push(m.text());
    });
    page.on('pageerror', (e) => consoleProblems.push(`page error: ${e.message}`));

    const households = [...book.households].sort((a, b) => a.name.localeCompare(b.name));
    const target = households.find((h) => book.accounts.filter((a) => a.householdId === h.id).length >= 3) ?? households[0]!;
    const targetAccounts = book.accounts.filter((a) => a.householdId === target.id);
    const expectedHh = valuation.households.find((h) => h.householdId === target.id)!;

    let bookValue = '';
    const loaded = await step(`signs in as ${advisor.username}: the team's book syncs from the server into IndexedDB and the grid`, async () => {
      await page.goto(ui!.url);
      await page.getByTestId('login-username').fill(advisor.username);
      await page.getByTestId('login-password').fill('demo');
      await shot(page, '00-sign-in');
      await page.getByTestId('login-submit').click();
      await page.waitForSelector('[data-testid="book-grid"] .ag-row', { timeout: 240_000 });
      await page.waitForFunction((n) => document.querySelector('[data-testid="row-count"]')?.textContent?.startsWith(`${n} of ${n}`), book.accounts.length, { timeout: 30_000 });
      expectEqual(await text(page, 'household-count'), String(book.households.length), 'households in the top bar');
      await page.waitForFunction(() => document.querySelector('[data-testid="book-value"]')?.textContent !== '—', null, { timeout: 60_000 });
      bookValue = await text(page, 'book-value');
      await shot(page, '01-client-book');
    });
    if (!loaded) return;

    await step('search narrows the grid to one household', async () => {
      await page.getByTestId('book-search').fill(target.name);
      await page.waitForFunction((n) => document.querySelector('[data-testid="row-count"]')?.textContent?.startsWith(`${n} of`), targetAccounts.length, { timeout: 10_000 });
      const shown = await shownHouseholds(page);
      expectEqual(shown.length, targetAccounts.length, 'rows shown');
      if (shown.some((h) => h !== target.name)) throw new Error(`rows of other households shown: ${shown.join(', ')}`);
      await shot(page, '02-search');
    });

    await step('the account-type filter shows only that type', async () => {
      await page.getByTestId('book-search').fill('');
      await page.getByTestId('type-filter').selectOption('roth_ira');
      const roth = book.accounts.filter((a) => a.type === 'roth_ira').length;
      await page.waitForFunction((n) => document.querySelector('[data-testid="row-count"]')?.textContent?.startsWith(`${n} of`), roth, { timeout: 10_000 });
      const types = await page.$$eval('[data-testid="book-grid"] .ag-row [col-id="type"]', (c) => c.map((x) => x.textContent?.trim()));
      if (types.some((t) => t !== 'Roth IRA')) throw new Error(`non-Roth rows shown: ${types.join(', ')}`);
      await page.getByTestId('type-filter').selectOption('all');
    });

    await step('account market values in the grid match the generator valued by the engine', async () => {
      await page.getByTestId('book-search').fill(target.name);
      await page.waitForFunction((n) => document.querySelector('[data-testid="row-count"]')?.textContent?.startsWith(`${n} of`), targetAccounts.length);
      const cells = await page.$$eval('[data-testid="book-grid"] .ag-row', (rows) =>
        rows.map((r) => [r.getAttribute('row-id'), r.querySelector('[col-id="marketValueCents"]')?.textContent?.trim()]));
      expectEqual(cells.length, targetAccounts.length, 'account rows shown');
      for (const [accountId, shownValue] of cells) {
        const v = valuation.accounts.find((a) => a.accountId === accountId);
        if (!v) throw new Error(`unknown account row ${accountId}`);
        expectEqual(shownValue, money(v.marketValueCents), `market value of ${accountId}`);
      }
    });

    const householdMv = money(expectedHh.marketValueCents);
    await step('opening a household shows its holdings, totals and allocation chart', async () => {
      await page.locator('[data-testid="book-grid"] .ag-row').first().click();
      await page.getByTestId('household-panel').waitFor();
      expectEqual(await text(page, 'household-name'), target.name, 'household name');
      await page.waitForFunction((v) => document.querySelector('[data-testid="household-mv"]')?.textContent === v, householdMv, { timeout: 30_000 })
        .catch(async () => { throw new Error(`household market value: expected ${householdMv}, got ${await text(page, 'household-mv')}`); });
      expectEqual(await text(page, 'household-cash'), money(expectedHh.cashCents), 'household cash');
      expectEqual(await text(page, 'household-unrealized'), (expectedHh.unrealizedCents > 0 ? '+' : '') + money(expectedHh.unrealizedCents), 'unrealized gain');
      await page.waitForSelector('[data-testid="holdings-grid"] .ag-row');
      const positions = await page.$eval('[data-testid="holdings-grid"] [aria-rowcount]', (g) => Number(g.getAttribute('aria-rowcount')) - 1);
      expectEqual(positions, expected.positionsByHousehold.get(target.id) ?? 0, 'positions in the holdings grid');
      await page.waitForSelector('[data-testid="allocation-chart"] canvas');
      await page.getByTestId('book-search').fill('');
      await page.waitForTimeout(400); // let the chart finish its entry animation for the screenshot
      await shot(page, '03-household');
    });

    await step('with the server stopped, a reload still shows the book from IndexedDB', async () => {
      await server!.stop();
      server = null;
      await page.reload();
      await page.waitForSelector('[data-testid="book-grid"] .ag-row', { timeout: 60_000 });
      await page.waitForFunction((n) => document.querySelector('[data-testid="row-count"]')?.textContent?.startsWith(`${n} of ${n}`), book.accounts.length, { timeout: 30_000 });
      await page.waitForFunction(() => /Offline/.test(document.querySelector('[data-testid="server-status"]')?.textContent ?? ''), null, { timeout: 20_000 });
      await page.getByTestId('book-search').fill(target.name);
      await page.locator('[data-testid="book-grid"] .ag-row').first().click();
      await page.waitForFunction((v) => document.querySelector('[data-testid="household-mv"]')?.textContent === v, householdMv, { timeout: 30_000 });
      await page.waitForFunction((v) => document.querySelector('[data-testid="book-value"]')?.textContent === v, bookValue, { timeout: 60_000 });
      await page.getByTestId('book-search').fill('');
      await page.waitForTimeout(400);
      await shot(page, '04-offline');
    });

    await step('no CSP violations or page errors', async () => {
      if (consoleProblems.length) throw new Error(consoleProblems.join('\n'));
    });

    // Team sync (sync.e2e.ts): its own server (restarted on one port) and browser context.
    await runSyncE2e({ repoRoot, browser, step, artifacts, log });
    // Bulk rebalance and review (rebalance.e2e.ts): its own server and browser context.
    await runRebalanceE2e({ repoRoot, browser, step, artifacts, log });
    await runApprovalsE2e({ repoRoot, browser, step, artifacts, log });
    await runAnalyticsE2e({ repoRoot, browser, step, artifacts, log });
    await runMarketE2e({ repoRoot, browser, step, artifacts, log });
  } finally {
    await browser?.close().catch(() => undefined);
    await ui?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  failed++;
  log(`e2e: ${(err as Error).stack ?? String(err)}`);
}).finally(() => {
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
});
