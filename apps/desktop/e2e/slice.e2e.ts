// End-to-end test of the vertical slice in Debian Chromium (web mode): a real sync server (temp --data folder, demo
// book) and the web-mode UI on 127.0.0.1; signs in as the demo advisor alice (her team's book replicates from the
// server into IndexedDB), searches and filters the client book, opens a household and checks the values shown against
// the demo generator valued by the engine, and reloads with the server STOPPED to see the book offline.
// Run by run.ts or alone: `flock /tmp/aw-e2e.lock node --import tsx apps/desktop/e2e/slice.e2e.ts`.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_USERS } from '@aw/demo';
import { money } from '../src/renderer/grid/format.ts';
import { expectedBook } from './expected-book.ts';
import { isMain, runStandalone, withDemoSession, type E2eOptions } from './standalone.ts';

function expectEqual<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent())?.trim() ?? '';
/** Household cells of the rows the book grid displays (virtualized: the visible ones). */
const shownHouseholds = (page: Page) => page.$$eval('[data-testid="book-grid"] .ag-row [col-id="household"]',
  (cells) => cells.map((c) => c.textContent?.trim() ?? ''));

export async function runSliceE2e(o: E2eOptions): Promise<void> {
  const { step, artifacts } = o;
  const expected = expectedBook();
  const { valuation } = expected;
  const advisor = DEMO_USERS.find((u) => u.username === 'alice')!;
  // Alice sees her team's households and accounts (team-scoped replication).
  const book = {
    households: expected.book.households.filter((h) => h.teamId === advisor.teamId),
    accounts: expected.book.accounts.filter((a) => a.teamId === advisor.teamId),
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(artifacts, `${name}.png`) });

  await withDemoSession(o, 'slice', { context: { viewport: { width: 1600, height: 900 } } }, async (session) => {
    const { ui, page } = session;
    o.log(`e2e slice: server ${session.server.url}, UI ${ui.url}`);

    const households = [...book.households].sort((a, b) => a.name.localeCompare(b.name));
    const target = households.find((h) => book.accounts.filter((a) => a.householdId === h.id).length >= 3) ?? households[0]!;
    const targetAccounts = book.accounts.filter((a) => a.householdId === target.id);
    const expectedHh = valuation.households.find((h) => h.householdId === target.id)!;

    let bookValue = '';
    const loaded = await step(`slice: signs in as ${advisor.username}: the team's book syncs from the server into IndexedDB and the grid`, async () => {
      await page.goto(ui.url);
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

    await step('slice: search narrows the grid to one household', async () => {
      await page.getByTestId('book-search').fill(target.name);
      await page.waitForFunction((n) => document.querySelector('[data-testid="row-count"]')?.textContent?.startsWith(`${n} of`), targetAccounts.length, { timeout: 10_000 });
      const shown = await shownHouseholds(page);
      expectEqual(shown.length, targetAccounts.length, 'rows shown');
      if (shown.some((h) => h !== target.name)) throw new Error(`rows of other households shown: ${shown.join(', ')}`);
      await shot(page, '02-search');
    });

    await step('slice: the account-type filter shows only that type', async () => {
      await page.getByTestId('book-search').fill('');
      await page.getByTestId('type-filter').selectOption('roth_ira');
      const roth = book.accounts.filter((a) => a.type === 'roth_ira').length;
      await page.waitForFunction((n) => document.querySelector('[data-testid="row-count"]')?.textContent?.startsWith(`${n} of`), roth, { timeout: 10_000 });
      const types = await page.$$eval('[data-testid="book-grid"] .ag-row [col-id="type"]', (c) => c.map((x) => x.textContent?.trim()));
      if (types.some((t) => t !== 'Roth IRA')) throw new Error(`non-Roth rows shown: ${types.join(', ')}`);
      await page.getByTestId('type-filter').selectOption('all');
    });

    await step('slice: account market values in the grid match the generator valued by the engine', async () => {
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
    await step('slice: opening a household shows its holdings, totals and allocation chart', async () => {
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

    await step('slice: with the server stopped, a reload still shows the book from IndexedDB', async () => {
      await session.stopServer();
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

  });
}

// Standalone: `node --import tsx apps/desktop/e2e/slice.e2e.ts`
if (isMain(import.meta.filename)) runStandalone('slice', runSliceE2e);
