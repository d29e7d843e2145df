// End-to-end test of the analytics screens in Debian Chromium (web mode) against a real sync server (temp --data
// folder, demo book, demo price history) on 127.0.0.1: sign in as alice, open the Analytics tab, pick a household
// and an account, and check that the performance view (TWR, IRR, max drawdown, period returns), the efficient
// frontier (points, current and model portfolios) and the tax-loss harvesting view (candidates, harvestable loss,
// estimated tax saved) show the numbers the engine computes here in Node from the demo generator; then score the
// risk questionnaire. Screenshots in test-artifacts/e2e/analytics-*.png.
// Run by run.ts (`npm run test:e2e`) or alone: `node --import tsx apps/desktop/e2e/analytics.e2e.ts`.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_USERS, latestCloses } from '@aw/demo';
import { performanceMetrics } from '@aw/engine/returns';
import { harvestScan } from '@aw/engine/tax';
import { money } from '../src/renderer/grid/format.ts';
import { analyticsService, fundBuys, type FrontierView } from '../src/renderer/workers/analytics-service.ts';
import { defaultBenchmark } from '../src/renderer/features/analytics/benchmark.ts';
import { pct } from '../src/renderer/features/analytics/analytics-format.ts';
import { expectedBook } from './expected-book.ts';
import { isMain, runStandalone, withDemoSession, type E2eOptions } from './standalone.ts';

export type AnalyticsE2eOptions = E2eOptions;

function expectEqual<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent())?.trim() ?? '';

/** The worker's frontier of the account on the generator's closes (what the screen must plot). */
function expectedFrontier(book: ReturnType<typeof expectedBook>['book'], accountId: string): FrontierView {
  const account = book.accounts.find((a) => a.id === accountId)!;
  const closes = latestCloses(book.prices);
  const classOf = new Map(book.securities.map((s) => [s.symbol, s.assetClass]));
  const cents = new Map<string, number>();
  for (const l of book.lots) if (l.accountId === accountId && l.quantity > 0) cents.set(l.symbol, (cents.get(l.symbol) ?? 0) + Math.round(l.quantity * closes.get(l.symbol)! * 100));
  const model = book.models.find((m) => m.id === account.modelId) ?? null;
  const symbols = [...new Set([...cents.keys(), ...(model?.targets.flatMap((t) => (t.kind === 'security' ? [t.key] : t.symbols)) ?? [])])];
  const S = book.prices.symbols.length;
  const history = symbols.map((symbol) => {
    const c = book.prices.symbols.indexOf(symbol);
    const dates: string[] = [], cl: number[] = [];
    book.prices.dates.forEach((d, i) => { const v = book.prices.closes[i * S + c]!; if (!Number.isNaN(v)) { dates.push(d); cl.push(v); } });
    return { symbol, dates, closes: cl };
  });
  const out = analyticsService.frontier({
    accountId, history, lookbackDays: 756,
    positions: [...cents].map(([symbol, valueCents]) => ({ symbol, assetClass: classOf.get(symbol) ?? '', valueCents })),
    model: model ? { id: model.id, name: model.name, targets: model.targets } : null, assetClasses: [...classOf],
  });
  if (!out.ok) throw new Error(`the engine has no frontier for ${accountId}: ${out.problem.message}`);
  return out.view;
}

/** The household (alice's team, with harvest candidates and a taxable account) and the engine's numbers for it. */
function expectations(teamId: string) {
  const { book } = expectedBook();
  const asOf = book.prices.dates.at(-1)!;
  const closes = latestCloses(book.prices);
  const tlhGroups = new Map(book.securities.map((s) => [s.symbol, s.tlhGroup]));
  const households = book.households.filter((h) => h.teamId === teamId).sort((a, b) => a.name.localeCompare(b.name));
  for (const h of households) {
    const accounts = book.accounts.filter((a) => a.householdId === h.id);
    const scan = harvestScan({
      asOf, households: [{ id: h.id, taxBracket: h.taxBracket }], accounts, lots: book.lots.filter((l) => l.householdId === h.id),
      prices: closes, tlhGroups, recentLossSales: [],
    });
    const account = accounts.find((a) => a.type === 'taxable' && book.transactions.some((t) => t.accountId === a.id));
    if (scan.candidates.length === 0 || !account) continue;
    const benchmark = defaultBenchmark(book.securities);
    const txs = book.transactions.filter((t) => t.accountId === account.id && t.status === 'completed');
    const perf = performanceMetrics({ transactions: fundBuys(txs).transactions, prices: book.prices, benchmarkSymbol: benchmark });
    return { household: h, account, scan, perf, benchmark, frontier: expectedFrontier(book, account.id) };
  }
  throw new Error(`no household of team ${teamId} has tax-loss harvesting candidates: nothing to test`);
}

export async function runAnalyticsE2e(o: AnalyticsE2eOptions): Promise<void> {
  const { step, artifacts } = o;
  const advisor = DEMO_USERS.find((u) => u.username === 'alice')!;
  const exp = expectations(advisor.teamId);
  const sessionOptions = { context: { viewport: { width: 1600, height: 1000 } } };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  await withDemoSession(o, 'analytics', sessionOptions, async ({ server, ui, page }) => {
    o.log(`e2e analytics: server ${server.url}, UI ${ui.url}; household ${exp.household.name}, account ${exp.account.id}, benchmark ${exp.benchmark}`);

    const opened = await step('analytics: alice signs in and opens the Analytics tab for a household', async () => {
      await page.goto(ui.url);
      await page.getByTestId('login-username').fill(advisor.username);
      await page.getByTestId('login-password').fill('demo');
      await page.getByTestId('login-submit').click();
      await page.waitForSelector('[data-testid="book-grid"] .ag-row', { timeout: 120_000 });
      // The expected figures are of the whole book: wait until the first pull has brought every transaction.
      await page.waitForFunction(() => document.querySelector('[data-testid="sync-status"]')?.getAttribute('data-state') === 'online', null, { timeout: 120_000 });
      await page.getByTestId('tab-analytics').click();
      await page.getByTestId('analytics-screen').waitFor();
      await page.getByTestId('analytics-household').selectOption(exp.household.id);
      await page.getByTestId('analytics-account').selectOption(exp.account.id);
      await page.waitForFunction((b) => (document.querySelector('[data-testid="analytics-benchmark"]') as HTMLSelectElement | null)?.value === b, exp.benchmark, { timeout: 20_000 });
    });
    if (!opened) return;

    await step('analytics: the performance view shows the engine\'s TWR, IRR, drawdown and period returns, with charts', async () => {
      // 10 years of closes of every symbol the account ever held come from the server's history route (paged).
      // On a fresh server the demo history is still being imported: the view waits until it reaches back far enough.
      await page.waitForSelector('[data-testid="performance-view"][data-status="ready"]', { timeout: 480_000 })
        .catch(async () => {
          await shot(page, 'analytics-failed-performance');
          const progress = await page.getByTestId('performance-progress').textContent({ timeout: 1000 }).catch(() => '');
          const error = await page.getByTestId('performance-error').textContent({ timeout: 1000 }).catch(() => '');
          throw new Error(`performance view not ready: ${await page.getByTestId('performance-view').getAttribute('data-status')} ${progress} ${error}`);
        });
      const p = exp.perf;
      expectEqual(await text(page, 'perf-twr'), pct(p.twr), 'TWR since inception');
      expectEqual(await text(page, 'perf-twr-annualized'), pct(p.twrAnnualized), 'annualized TWR');
      expectEqual(await text(page, 'perf-irr'), pct(p.irr), 'IRR');
      expectEqual(await text(page, 'perf-max-drawdown'), pct(p.maxDrawdown), 'max drawdown');
      expectEqual(await text(page, 'perf-volatility'), pct(p.volatility), 'volatility');
      expectEqual(await text(page, 'perf-end-value'), money(Math.round(p.endValue * 100)), 'market value');
      for (const period of p.periods) expectEqual(await text(page, `period-${period.period}`), pct(period.return), `${period.period} return`);
      if (p.beta === null) throw new Error('the benchmark did not cover the series: beta is undefined');
      expectEqual(await text(page, 'bench-period-inception'), pct(p.benchmarkReturn), 'benchmark return since inception');
      for (const id of ['value-chart', 'growth-chart', 'drawdown-chart']) await page.waitForSelector(`[data-testid="${id}"] canvas`);
      await shot(page, 'analytics-01-performance');
    });

    await step('analytics: the efficient frontier plots the engine\'s points with the current and model portfolios', async () => {
      await page.getByTestId('analytics-tab-frontier').click();
      await page.waitForSelector('[data-testid="frontier-view"][data-status="ready"]', { timeout: 180_000 })
        .catch(async () => {
          await shot(page, 'analytics-failed-frontier');
          const progress = await page.getByTestId('frontier-progress').textContent({ timeout: 1000 }).catch(() => '');
          throw new Error(`frontier not ready: ${await page.getByTestId('frontier-view').getAttribute('data-status')} ${progress}`);
        });
      const problem = await page.getByTestId('frontier-problem').textContent({ timeout: 500 }).catch(() => null);
      if (problem) throw new Error(`the frontier view says: ${problem}`);
      await page.waitForSelector('[data-testid="frontier-chart"] canvas');
      const f = exp.frontier;
      const box = page.getByTestId('frontier-chart-box');
      expectEqual(await box.getAttribute('data-points'), String(f.points.length), 'frontier points');
      expectEqual(await box.getAttribute('data-markers'), 'current-portfolio,model,max-sharpe,min-volatility', 'marked portfolios');
      const near = (shown: string | null, p: { volatility: number; expectedReturn: number } | null, what: string) => {
        const [vol, ret] = (shown ?? '').split(',').map(Number);
        if (!p || !(Math.abs(vol! - p.volatility) < 1e-9 && Math.abs(ret! - p.expectedReturn) < 1e-9)) {
          throw new Error(`${what}: expected ${p?.volatility},${p?.expectedReturn}, shown ${shown}`);
        }
      };
      near(await box.getAttribute('data-current'), f.current, 'current portfolio (volatility, return)');
      near(await box.getAttribute('data-model'), f.model, 'model portfolio (volatility, return)');
      expectEqual(await page.getByTestId('frontier-row-current-portfolio').locator('td').nth(1).textContent(), pct(f.current!.expectedReturn), 'current expected return in the table');
      await shot(page, 'analytics-02-frontier');
    });

    await step('analytics: the tax-loss harvesting grid lists the engine\'s candidates with losses, tax saved and wash-sale status', async () => {
      await page.getByTestId('analytics-tab-harvest').click();
      await page.waitForSelector('[data-testid="harvest-view"][data-status="ready"]', { timeout: 60_000 });
      const s = exp.scan;
      expectEqual(await text(page, 'harvest-count'), String(s.candidates.length), 'candidates');
      expectEqual(await text(page, 'harvest-loss'), money(s.totalLossCents), 'harvestable losses');
      expectEqual(await text(page, 'harvest-saved'), money(s.totalTaxSavedCents), 'estimated tax saved');
      expectEqual(await text(page, 'harvest-blocked'), String(s.candidates.filter((c) => c.washSaleBlockedUntil).length), 'wash-sale blocked');
      const rows = await page.$$eval('[data-testid="harvest-grid"] .ag-row', (els) => els.map((r) => ({
        id: r.getAttribute('row-id'), saved: r.querySelector('[col-id="estimatedTaxSavedCents"]')?.textContent?.trim(),
        replacement: r.querySelector('[col-id="replacement"]')?.textContent?.trim(), wash: r.querySelector('[col-id="washSaleBlockedUntil"]')?.textContent?.trim(),
      })));
      expectEqual(rows.length, Math.min(s.candidates.length, rows.length), 'rows');
      if (rows.length === 0) throw new Error('no candidate rows shown');
      for (const row of rows) {
        const c = s.candidates.find((x) => `${x.accountId}|${x.symbol}` === row.id);
        if (!c) throw new Error(`unexpected candidate row ${row.id}`);
        expectEqual(row.saved, money(c.estimatedTaxSavedCents), `tax saved of ${row.id}`);
        expectEqual(row.replacement, c.replacement ?? '—', `replacement of ${row.id}`);
        expectEqual(row.wash?.startsWith(c.washSaleBlockedUntil ? `Blocked until ${c.washSaleBlockedUntil}` : 'OK'), true, `wash-sale status of ${row.id}`);
      }
      await shot(page, 'analytics-03-harvest');
    });

    await step('analytics: the risk questionnaire scores the answers and recommends a model', async () => {
      await page.getByTestId('analytics-tab-profile').click();
      await page.waitForSelector('[data-testid^="q-"]');
      const ids = await page.$$eval('[data-testid^="q-"]', (els) => els.map((e) => [e.getAttribute('data-testid')!, e.tagName] as const));
      for (const [id, tag] of ids) {
        if (tag === 'SELECT') {
          const values = await page.$eval(`[data-testid="${id}"]`, (s) => Array.from((s as HTMLSelectElement).options, (x) => x.value).filter(Boolean));
          await page.getByTestId(id).selectOption(values.at(-1)!);
        } else await page.getByTestId(id).fill('35');
      }
      await page.getByTestId('profile-score').click();
      await page.getByTestId('profile-band').waitFor({ timeout: 20_000 });
      if ((await page.$$('[data-testid="profile-reasons"] li')).length === 0) throw new Error('no reasons shown');
      await shot(page, 'analytics-04-questionnaire');
    });
  });
}

// Standalone: `node --import tsx apps/desktop/e2e/analytics.e2e.ts`
if (isMain(import.meta.filename)) runStandalone('analytics', runAnalyticsE2e);
