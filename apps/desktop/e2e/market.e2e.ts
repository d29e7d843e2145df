// End-to-end test of live prices in Debian Chromium (web mode) against a real sync server (temp --data folder, demo
// mode, the simulated provider at a low tick rate) on 127.0.0.1: sign in as alice, open a household, check that the
// price stream carries exactly the symbols of the holdings rows on screen (and follows a scroll), push a tick
// through the ws ingest endpoint as the `feed` provider and see the new price and live value arrive, open the
// Market tab (sparklines render, an unknown symbol gets a readable message, a known one is added), then stop the
// server: prices turn stale with their age shown and the household is valued from the local daily closes.
// Run by run.ts or alone: `flock /tmp/aw-e2e.lock node --import tsx apps/desktop/e2e/market.e2e.ts`.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import WebSocket from 'ws';
import { login } from '@aw/sync-client';
import { money, price } from '../src/renderer/grid/format.ts';
import { expectedBook } from './expected-book.ts';
import { scrollGrid } from './grid-scroll.ts';
import { isMain, runStandalone, withDemoSession, type E2eOptions } from './standalone.ts';

function expectEqual<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent())?.trim() ?? '';

/** Symbols of the holdings rows Chromium renders now (the pinned symbol column's cells). */
const renderedSymbols = (page: Page) => page.$$eval('[data-testid="holdings-grid"] .ag-row .ag-cell[col-id="symbol"]',
  (cells) => [...new Set(cells.map((c) => c.textContent?.trim() ?? ''))].sort());
const streamedSymbols = async (page: Page) =>
  ((await page.getByTestId('live-status').getAttribute('data-streamed')) ?? '').split(',').filter(Boolean).sort();

/**
 * Scrolls, then waits until the rendered rows really changed (AG Grid redraws on a later frame, so reading at once
 * can still see the old rows); retries the scroll in case the viewport was re-laid out meanwhile.
 */
async function scrollUntilRowsChange(page: Page, to: 'top' | 'bottom', from: string[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let shown = from;
  while (Date.now() < deadline) {
    await scrollGrid(page, 'holdings-grid', to);
    await page.waitForTimeout(250);
    shown = await renderedSymbols(page);
    if (shown.length > 0 && shown.join() !== from.join()) return;
  }
  throw new Error(`scrolling to the ${to} showed the same symbols (${shown.join(',')})`);
}

/** Waits until the stream carries exactly the symbols on screen; returns them. */
async function streamMatchesScreen(page: Page, timeoutMs = 15_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let shown: string[] = [];
  let streamed: string[] = [];
  while (Date.now() < deadline) {
    shown = await renderedSymbols(page);
    streamed = await streamedSymbols(page);
    if (shown.length > 0 && shown.join() === streamed.join()) return shown;
    await page.waitForTimeout(200);
  }
  throw new Error(`streamed symbols ${streamed.join(',')} differ from the rows on screen ${shown.join(',')}`);
}

/** Sends ticks through WS /api/v1/market/ingest as a provider and waits for the server's ack. */
async function ingest(serverUrl: string, token: string, ticks: { s: string; p: number; t: number }[]): Promise<void> {
  const ws = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/api/v1/market/ingest`);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('ingest: no ack within 10 s')), 10_000);
      ws.on('error', reject);
      ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
      ws.on('message', (raw) => {
        const msg = JSON.parse(String(raw)) as { type: string; accepted?: number; message?: string };
        if (msg.type === 'ready') ws.send(JSON.stringify({ type: 'ticks', ticks, id: 'e2e' }));
        else if (msg.type === 'ack') {
          clearTimeout(timer);
          if (msg.accepted !== ticks.length) reject(new Error(`ingest: ${msg.accepted} of ${ticks.length} ticks accepted`));
          else resolve();
        } else if (msg.type === 'error') reject(new Error(`ingest: ${msg.message}`));
      });
    });
  } finally {
    ws.close();
  }
}

export async function runMarketE2e(o: E2eOptions): Promise<void> {
  const { step, artifacts } = o;
  const { book, valuation } = expectedBook();
  const households = book.households.filter((h) => h.teamId === 'demo').sort((a, b) => a.name.localeCompare(b.name));
  const target = households[0]!;
  const targetAccounts = book.accounts.filter((a) => a.householdId === target.id);
  const closeMv = money(valuation.households.find((h) => h.householdId === target.id)!.marketValueCents);
  const positions = new Set(book.lots.filter((l) => l.householdId === target.id).map((l) => `${l.accountId}|${l.symbol}`)).size;

  const shot = (page: Page, name: string) => page.screenshot({ path: join(artifacts, `${name}.png`) });
  // A slow simulated feed (the demo default is 200 ticks/s), so the tick pushed below is not overwritten at once.
  const sessionOptions = { context: { viewport: { width: 1600, height: 900 } }, serverEnv: { AW_MARKET_TICKS_PER_SEC: '5' } };
  await withDemoSession(o, 'market', sessionOptions, async (session) => {
    const { ui, page } = session;
    const url = session.server.url;
    o.log(`e2e market: server ${url}, UI ${ui.url}`);

    const opened = await step('market: alice opens a household; its holdings are priced live', async () => {
      await page.goto(ui.url);
      await page.getByTestId('login-username').fill('alice');
      await page.getByTestId('login-password').fill('demo');
      await page.getByTestId('login-submit').click();
      await page.waitForSelector('[data-testid="book-grid"] .ag-row', { timeout: 120_000 });
      await page.getByTestId('book-search').fill(target.name);
      await page.waitForFunction((n) => document.querySelector('[data-testid="row-count"]')?.textContent?.startsWith(`${n} of`), targetAccounts.length, { timeout: 60_000 });
      await page.locator('[data-testid="book-grid"] .ag-row').first().click();
      await page.getByTestId('household-panel').waitFor();
      await page.waitForFunction((v) => document.querySelector('[data-testid="household-mv"]')?.textContent === v, closeMv, { timeout: 30_000 });
      await page.waitForFunction(() => document.querySelector('[data-testid="live-status"]')?.getAttribute('data-state') === 'live', null, { timeout: 30_000 });
      await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="household-live-mv"]')?.textContent ?? ''), null, { timeout: 30_000 });
    });
    if (!opened) return;

    let visible: string[] = [];
    await step('market: only the symbols of the holdings rows on screen are streamed, and they follow a scroll', async () => {
      visible = await streamMatchesScreen(page);
      if (visible.length >= positions) throw new Error(`all ${positions} positions are on screen: the test needs a household that scrolls`);
      await scrollUntilRowsChange(page, 'bottom', visible);
      const after = await streamMatchesScreen(page);
      const left = visible.filter((s) => !after.includes(s));
      if (left.length === 0) throw new Error(`scrolling to the bottom showed the same symbols (${after.join(',')})`);
      const streamed = await streamedSymbols(page);
      if (left.some((s) => streamed.includes(s))) throw new Error(`symbols that left the screen are still streamed: ${left.join(',')}`);
      await scrollUntilRowsChange(page, 'top', after);
      visible = await streamMatchesScreen(page);
      await shot(page, '40-live-holdings');
    });

    await step('market: a tick pushed by the provider arrives: new price, new live value', async () => {
      // Read the screen again: live ticks re-sort the rows by value, so the set can drift between steps.
      visible = await streamMatchesScreen(page);
      const symbol = visible[0]!;
      const before = await text(page, 'household-live-mv');
      const feed = await login(url, 'feed', 'demo');
      const p = 4321.0987;
      await ingest(url, feed.token, [{ s: symbol, p, t: Date.now() }]);
      const shown = price(p);
      await page.waitForFunction(([sym, want]) => {
        const cells = Array.from(document.querySelectorAll(`[data-testid="holdings-grid"] .ag-row[row-id$="|${sym}"] .ag-cell[col-id="price"]`));
        return cells.some((c) => c.textContent?.trim() === want);
      }, [symbol, shown] as const, { timeout: 15_000 }).catch(() => { throw new Error(`the price of ${symbol} never showed ${shown}`); });
      await page.waitForFunction((b) => document.querySelector('[data-testid="household-live-mv"]')?.textContent !== b, before, { timeout: 10_000 });
      const age = await page.$$eval('[data-testid="holdings-grid"] .ag-row .ag-cell[col-id="priceAge"]', (c) => c.map((x) => x.textContent?.trim() ?? ''));
      if (!age.some((a) => /^\d+ s$/.test(a))) throw new Error(`no fresh price age shown (ages: ${age.slice(0, 5).join(' | ')})`);
      await shot(page, '41-live-tick');
    });

    await step('market: the Market tab lists held symbols with sparklines; unknown symbols get a readable message', async () => {
      await page.getByTestId('tab-market').click();
      await page.getByTestId('watch-table').waitFor({ timeout: 20_000 });
      const rows = await page.$$eval('[data-testid="watch-table"] tbody tr', (r) => r.map((x) => x.getAttribute('data-symbol')));
      if (rows.length < 5) throw new Error(`expected the most held symbols, got ${rows.join(',')}`);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid^="spark-"] canvas').length >= 5, null, { timeout: 120_000 })
        .catch(async () => { throw new Error(`sparklines drawn: ${await page.$$eval('[data-testid^="spark-"] canvas', (c) => c.length)}`); });
      await page.getByTestId('watch-input').fill('NOPE9');
      await page.getByTestId('watch-add').click();
      await page.waitForFunction(() => /Unknown symbol NOPE9/.test(document.querySelector('[data-testid="watch-message"]')?.textContent ?? ''), null, { timeout: 5_000 });
      const extra = book.securities.map((s) => s.symbol).find((s) => !rows.includes(s))!;
      await page.getByTestId('watch-input').fill(extra.toLowerCase());
      await page.getByTestId('watch-add').click();
      await page.getByTestId(`watch-row-${extra}`).waitFor({ timeout: 5_000 });
      await page.waitForFunction((s) => /\d/.test(document.querySelector(`[data-testid="watch-row-${s}"] [data-testid="watch-last"]`)?.textContent ?? ''), extra, { timeout: 15_000 });
      await page.waitForFunction((s) => !!document.querySelector(`[data-testid="spark-${s}"] canvas`), extra, { timeout: 30_000 });
      await shot(page, '42-market-watch');
      await page.getByTestId('tab-book').click();
    });

    await step('market: with the server stopped, prices show as stale with their age and the household is valued from local closes', async () => {
      await session.stopServer();
      await page.waitForFunction(() => document.querySelector('[data-testid="live-status"]')?.getAttribute('data-state') === 'offline', null, { timeout: 30_000 });
      await page.waitForFunction((v) => document.querySelector('[data-testid="household-live-mv"]')?.textContent === v, closeMv, { timeout: 15_000 })
        .catch(async () => { throw new Error(`live value: expected the value at the local closes ${closeMv}, got ${await text(page, 'household-live-mv')}`); });
      expectEqual(await text(page, 'household-day-change'), '$0.00', 'day change at the local closes');
      const ages = () => page.$$eval('[data-testid="holdings-grid"] .ag-row .ag-cell[col-id="priceAge"]', (c) => c.map((x) => x.textContent?.trim() ?? ''));
      await page.waitForFunction(() => {
        const cells = Array.from(document.querySelectorAll('[data-testid="holdings-grid"] .ag-row .ag-cell[col-id="priceAge"]'));
        return cells.length > 0 && cells.every((c) => /^⚠ \d+ (s|min|h|d).*· close$/.test(c.textContent?.trim() ?? ''));
      }, null, { timeout: 15_000 }).catch(async () => { throw new Error(`expected stale close ages, got ${(await ages()).slice(0, 5).join(' | ')}`); });
      await shot(page, '43-offline-stale');
    });
  });
}

// Standalone: `node --import tsx apps/desktop/e2e/market.e2e.ts`
if (isMain(import.meta.filename)) runStandalone('market', runMarketE2e);
