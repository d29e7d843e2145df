// End-to-end test of the bulk rebalance in Debian Chromium (web mode) against a real sync server (temp --data
// folder, demo book) on 127.0.0.1: sign in as alice, open the Rebalance tab, run a bulk rebalance of all drifted
// accounts in the Comlink worker pool, see the progress bar complete and the proposals in the review grid (as
// many as the engine makes for her team's accounts, computed independently here in Node), group by model, open a
// trade drawer (every trade with its reason), select drafts and submit them (status badges turn 'submitted',
// stored in IndexedDB). Screenshots in test-artifacts/e2e/rebalance-*.png. Run by run.ts (`npm run test:e2e`) or
// alone: `node --import tsx apps/desktop/e2e/rebalance.e2e.ts`.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_USERS, latestCloses } from '@aw/demo';
import { prepareJobContext, rebalanceChunk, packChunk } from '@aw/engine/workers';
import { expectedBook } from './expected-book.ts';
import { scrollGrid } from './grid-scroll.ts';
import { isMain, runStandalone, withDemoSession, type E2eOptions } from './standalone.ts';

export type RebalanceE2eOptions = E2eOptions;

/** Proposals (accounts needing trades) the engine makes for a team's accounts of the demo book. */
function expectedProposals(teamId: string): number {
  const { book } = expectedBook();
  const closes = latestCloses(book.prices);
  const fx = [...latestCloses(book.fx)].filter(([s]) => s.endsWith('USD')).map(([s, p]) => [s.slice(0, 3), p] as [string, number]);
  const ctx = prepareJobContext({ asOf: book.prices.dates.at(-1)!, securities: book.securities, models: book.models,
    priceSymbols: [...closes.keys()], prices: [...closes.values()], fx });
  const accounts = book.accounts.filter((a) => a.teamId === teamId && a.modelId);
  const households = book.households.filter((h) => accounts.some((a) => a.householdId === h.id));
  const ordered = households.flatMap((h) => accounts.filter((a) => a.householdId === h.id));
  const { chunk } = packChunk(households.map((h) => ({ id: h.id, taxBracket: h.taxBracket })), ordered,
    (id) => book.lots.filter((l) => l.accountId === id));
  return rebalanceChunk(ctx, chunk).proposals.filter((p) => p.trades.length > 0).length;
}

export async function runRebalanceE2e(o: RebalanceE2eOptions): Promise<void> {
  const { step, artifacts } = o;
  const advisor = DEMO_USERS.find((u) => u.username === 'alice')!;
  const expected = expectedProposals(advisor.teamId);
  const sessionOptions = { context: { viewport: { width: 1600, height: 900 } } };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(artifacts, `${name}.png`) });
  const rowCount = (page: Page) => page.$eval('[data-testid="review-grid"] .line-body[aria-rowcount]', (g) => Number(g.getAttribute('aria-rowcount')));
  await withDemoSession(o, 'rebalance', sessionOptions, async ({ server, ui, page }) => {
    o.log(`e2e rebalance: server ${server.url}, UI ${ui.url}; ${expected} proposals expected`);

    const opened = await step('rebalance: alice signs in and opens the Rebalance tab', async () => {
      await page.goto(ui.url);
      await page.getByTestId('login-username').fill(advisor.username);
      await page.getByTestId('login-password').fill('demo');
      await page.getByTestId('login-submit').click();
      await page.waitForSelector('[data-testid="book-grid"] .ag-row', { timeout: 120_000 });
      await page.getByTestId('tab-rebalance').click();
      await page.getByTestId('job-bar').waitFor();
      await page.getByTestId('review-grid').waitFor();
    });
    if (!opened) return;

    let proposals = 0;
    const ran = await step('rebalance: a bulk rebalance of all drifted accounts runs to completion and fills the review grid', async () => {
      if (expected === 0) throw new Error('the demo book has no drifted accounts for alice\'s team: nothing to test');
      await page.getByTestId('job-scope').selectOption('drifted');
      await page.getByTestId('job-run').click();
      await page.waitForSelector('[data-testid="job-bar"][data-status="done"]', { timeout: 120_000 });
      const progress = await page.getByTestId('job-progress').getAttribute('aria-valuenow');
      if (progress !== '100') throw new Error(`progress bar at ${progress}%, expected 100%`);
      const status = (await page.getByTestId('job-status').textContent()) ?? '';
      if (!status.startsWith(`${expected} proposals`)) throw new Error(`job status "${status}", expected ${expected} proposals`);
      await page.waitForFunction((n) => document.querySelector('[data-testid="review-count"]')?.textContent?.startsWith(`${n} of ${n} proposals`), expected, { timeout: 10_000 });
      // The grid shows a running job's new rows at most every 500 ms (the count above is immediate): wait for it.
      await page.waitForFunction((n) => Number(document.querySelector('[data-testid="review-grid"] .line-body[aria-rowcount]')?.getAttribute('aria-rowcount')) === n,
        expected, { timeout: 10_000 }).catch(() => undefined);
      proposals = await rowCount(page);
      if (proposals !== expected) throw new Error(`review grid shows ${proposals} rows, expected ${expected}`);
      await shot(page, 'rebalance-01-job-done');
    });
    if (!ran) return;

    await step('rebalance: the review grid reuses one line per row on screen as it scrolls, sorts and filters by its header, follows the Columns menu, and says when a filter leaves no rows', async () => {
      const last = proposals - 1;
      if (last < 60) throw new Error(`only ${proposals} proposals: the test needs a grid that scrolls`);
      const lineCount = () => page.$eval('[data-testid="review-grid"] .line-body', (b) => ({ lines: b.querySelectorAll('.row-line').length, rows: Math.ceil(b.clientHeight / 28) }));
      const before = await lineCount();
      await scrollGrid(page, 'review-grid', 'bottom');
      await page.waitForFunction((i) => (document.querySelector(`[data-testid="review-grid"] .row-line[row-index="${i}"] [col-id="account"]`)?.textContent ?? '').trim() !== '',
        last, { timeout: 10_000 });
      await scrollGrid(page, 'review-grid', 'top');
      await page.waitForFunction(() => (document.querySelector('[data-testid="review-grid"] .row-line[row-index="0"] [col-id="account"]')?.textContent ?? '').trim() !== '',
        undefined, { timeout: 10_000 });
      const after = await lineCount();
      // The rows on screen and a buffer of 4 each side, whatever was scrolled past.
      if (after.lines !== before.lines || after.lines > after.rows + 9) throw new Error(`${before.lines} row lines before scrolling, ${after.lines} after, for ${after.rows} rows on screen`);
      // Lines are refilled a few per frame: read them once the body is no longer busy.
      const settled = () => page.waitForFunction(() => document.querySelector('[data-testid="review-grid"] .line-body')?.getAttribute('aria-busy') !== 'true');
      const trades = async () => { await settled(); return page.$$eval('[data-testid="review-grid"] .row-line[row-index]', (rows) => rows
        .map((r) => [Number(r.getAttribute('row-index')), Number(r.querySelector('[col-id="trades"]')?.textContent)] as const)
        .sort((a, b) => a[0] - b[0]).slice(0, 10).map(([, t]) => t)); };
      const header = page.locator('[data-testid="review-grid"] .ag-header-cell[col-id="trades"] .ag-header-cell-label');
      await header.click();
      await page.waitForFunction(() => document.querySelector('[data-testid="review-grid"] .ag-header-cell[col-id="trades"]')?.getAttribute('aria-sort') === 'ascending');
      const up = await trades();
      await header.click();
      await page.waitForFunction(() => document.querySelector('[data-testid="review-grid"] .ag-header-cell[col-id="trades"]')?.getAttribute('aria-sort') === 'descending');
      const down = await trades();
      const sorted = (xs: number[], dir: number) => xs.every((x, k) => k === 0 || (x - xs[k - 1]!) * dir >= 0);
      if (!sorted(up, 1) || !sorted(down, -1) || down[0]! <= up[0]!) throw new Error(`trades by header sort: ascending ${up.join(',')}; descending ${down.join(',')}`);
      await header.click(); // back to the arrival order
      await page.waitForFunction(() => !['ascending', 'descending'].includes(document.querySelector('[data-testid="review-grid"] .ag-header-cell[col-id="trades"]')?.getAttribute('aria-sort') ?? ''));
      // A column filter from the header (Trades equals the first row's): only such rows, and the count says so.
      const want = up[0]!;
      await page.locator('[data-testid="review-grid"] .ag-header-cell[col-id="trades"] .ag-header-cell-filter-button').click();
      await page.locator('.ag-filter .ag-filter-body input').first().fill(String(want));
      await page.waitForFunction(([n, all]) => {
        const text = document.querySelector('[data-testid="review-count"]')?.textContent ?? '';
        return !text.startsWith(`${all} of`) && text.includes(`of ${all}`) && document.querySelector('[data-testid="review-grid"] .line-body')?.getAttribute('aria-busy') !== 'true'
          && Number(document.querySelector('[data-testid="review-grid"] .row-line[row-index="0"] [col-id="trades"]')?.textContent) === n;
      }, [want, proposals] as const, { timeout: 10_000 });
      const filtered = await trades();
      if (filtered.length === 0 || filtered.some((t) => t !== want)) throw new Error(`trades = ${want} filter shows ${filtered.join(',')}`);
      await page.locator('.ag-filter .ag-filter-body input').first().fill('');
      await page.keyboard.press('Escape');
      await page.waitForFunction((all) => (document.querySelector('[data-testid="review-count"]')?.textContent ?? '').startsWith(`${all} of ${all}`), proposals, { timeout: 10_000 });
      // A column shown from the Columns menu: the header and every line gain it (the lines are laid out again).
      await page.locator('[data-testid="review-columns"] summary').click();
      await page.locator('[data-testid="review-columns"] input[data-col="buyCents"]').check();
      await page.waitForFunction(() => {
        const header = document.querySelector('[data-testid="review-grid"] .ag-header-cell[col-id="buyCents"]');
        const cell = document.querySelector('[data-testid="review-grid"] .row-line[row-index="0"] [col-id="buyCents"]');
        return header && /^\$[\d,]+\.\d\d$/.test(cell?.textContent?.trim() ?? '');
      }, undefined, { timeout: 10_000 });
      await page.locator('[data-testid="review-columns"] input[data-col="buyCents"]').uncheck();
      await page.waitForFunction(() => !document.querySelector('[data-testid="review-grid"] [col-id="buyCents"]'));
      await page.locator('[data-testid="review-columns"] summary').click();
      // A filter that matches nothing: no row lines, and the body says so.
      await page.getByTestId('review-search').fill('no proposal has these words');
      await page.waitForSelector('[data-testid="review-grid"] .line-body.empty');
      const shownLines = await page.$$eval('[data-testid="review-grid"] .row-line[row-index]', (r) => r.length);
      if (shownLines !== 0) throw new Error(`${shownLines} row lines shown for a filter that matches nothing`);
      await page.getByTestId('review-search').fill('');
      await page.waitForSelector('[data-testid="review-grid"] .line-body:not(.empty) .row-line[row-index="0"]');
    });

    await step('rebalance: grouping by model shows one summary row per model with all proposals', async () => {
      await page.getByTestId('group-by').selectOption('model');
      await page.waitForSelector('[data-testid="group-grid"] .ag-row');
      const counts = await page.$$eval('[data-testid="group-grid"] .ag-row [col-id="proposals"]', (c) => c.map((x) => Number(x.textContent)));
      if (counts.reduce((a, b) => a + b, 0) !== proposals) throw new Error(`group rows add up to ${counts.join('+')}, expected ${proposals}`);
      await shot(page, 'rebalance-02-grouped');
      await page.locator('[data-testid="group-grid"] .ag-row [col-id="name"]').first().click();
      await page.getByTestId('group-filter').waitFor();
      const shown = await page.$eval('[data-testid="review-grid"]', () => document.querySelector('[data-testid="review-count"]')?.textContent ?? '');
      if (!shown.startsWith(`${counts[0]} of ${proposals}`)) throw new Error(`drill-down shows "${shown}", expected ${counts[0]} of ${proposals}`);
      await page.locator('[data-testid="group-filter"] button').click();
    });

    await step('rebalance: a row opens the trade drawer with every trade and its reason', async () => {
      await page.locator('[data-testid="review-grid"] .row-line[row-index="0"] [col-id="account"]').first().click();
      await page.getByTestId('trade-drawer').waitFor();
      await page.waitForSelector('[data-testid="trade"]');
      const trades = await page.$$eval('[data-testid="trade"]', (t) => t.length);
      const rowTrades = Number(await page.locator('[data-testid="review-grid"] .row-line[row-index="0"] [col-id="trades"]').textContent());
      if (trades !== rowTrades) throw new Error(`drawer lists ${trades} trades, the row says ${rowTrades}`);
      const reasons = await page.$$eval('[data-testid="trade-reason"]', (r) => r.map((x) => x.textContent?.trim() ?? ''));
      if (reasons.some((r) => r.length === 0)) throw new Error('a trade without a reason');
      await shot(page, 'rebalance-03-trade-drawer');
      // With the drawer open the columns are wider than the grid: scrolling the rows sideways scrolls the header too.
      const sideways = await page.$eval('[data-testid="review-grid"]', async (g) => {
        const body = g.querySelector<HTMLElement>('.line-body')!;
        const header = g.querySelector<HTMLElement>('.line-grid-header .ag-grid-viewport')!;
        body.scrollLeft = 120;
        await new Promise((r) => setTimeout(r, 200));
        return { body: body.scrollLeft, header: header.scrollLeft, overflow: body.scrollWidth - body.clientWidth };
      });
      if (sideways.overflow <= 0 || sideways.body === 0 || Math.abs(sideways.header - sideways.body) > 1) {
        throw new Error(`sideways scroll: rows at ${sideways.body} px, header at ${sideways.header} px (overflow ${sideways.overflow} px)`);
      }
      await page.getByTestId('drawer-close').click();
    });

    await step('rebalance: selecting drafts and submitting marks them submitted (stored in IndexedDB)', () => submitSelected().catch(async (err: unknown) => {
      await shot(page, 'rebalance-failed-submit');
      const count = await page.getByTestId('review-count').textContent().catch(() => '');
      const notice = await page.getByTestId('review-notice').textContent({ timeout: 500 }).catch(() => '');
      throw new Error(`${(err as Error).message.split('\n')[0]} (count "${count}", notice "${notice}")`);
    }));
    async function submitSelected(): Promise<void> {
      const pick = Math.min(2, proposals);
      for (let i = 0; i < pick; i++) await page.locator(`[data-testid="review-grid"] .row-line[row-index="${i}"] .ag-selection-checkbox input`).first().check();
      await page.waitForFunction((n) => document.querySelector('[data-testid="review-count"]')?.textContent?.includes(`${n} selected`), pick);
      await page.getByTestId('submit-selected').click();
      await page.waitForFunction((n) => document.querySelector('[data-testid="review-notice"]')?.textContent?.startsWith(`${n} proposals submitted`), pick, { timeout: 10_000 });
      await page.waitForFunction((n) => Array.from({ length: n }, (_, i) =>
        document.querySelector(`[data-testid="review-grid"] .row-line[row-index="${i}"] [col-id="status"]`)?.textContent?.trim()).every((t) => t === 'submitted'), pick, { timeout: 10_000 });
      await page.getByTestId('status-filter').selectOption('submitted');
      await page.waitForFunction((n) => document.querySelector('[data-testid="review-count"]')?.textContent?.startsWith(`${n} of`), pick);
      await shot(page, 'rebalance-04-submitted');
      // The local book (IndexedDB) holds the submitted status: a reload shows it.
      await page.reload();
      await page.waitForSelector('[data-testid="book-grid"] .ag-row', { timeout: 60_000 });
      await page.getByTestId('tab-rebalance').click();
      await page.getByTestId('status-filter').selectOption('submitted');
      await page.waitForFunction((n) => document.querySelector('[data-testid="review-count"]')?.textContent?.startsWith(`${n} of`), pick, { timeout: 30_000 });
    }
  });
}

// Standalone: `node --import tsx apps/desktop/e2e/rebalance.e2e.ts`
if (isMain(import.meta.filename)) runStandalone('rebalance', runRebalanceE2e);
