// End-to-end test of the four-eyes approval flow in Debian Chromium (web mode) against a real sync server (temp
// --data folder, demo book, simulated market feed) on 127.0.0.1:
//   alice (advisor) runs a bulk rebalance of the demo book, submits four proposals, re-runs one account and submits
//   that second proposal too, sees them in her Approvals tab read-only (and the server answers her approve call
//   403); she signs out;
//   carol (reviewer) signs in, opens Approvals, sees the five submitted proposals, is told a rejection needs a
//   comment, rejects one with a comment and approves three; the custodian's transactions arrive and the statuses go
//   to executed; the detail drawer lists the completed fills and the audit trail (who, when, comment); the batch's
//   blotter CSV downloads with the filled trades; approving the re-run proposal (its account has changed since)
//   shows the 409 stale failure and the stale badge.
// Screenshots in test-artifacts/e2e/approvals-*.png. Run by run.ts (`npm run test:e2e`) or alone:
// `node --import tsx apps/desktop/e2e/approvals.e2e.ts`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { isMain, runStandalone, withDemoSession, type E2eOptions } from './standalone.ts';

const SUBMIT = 4;
/** The four of the bulk run and one re-run proposal for the first account. */
const INBOX = SUBMIT + 1;
const APPROVE = 3;
const REJECT_COMMENT = 'Sells a lot we are harvesting next week: please recompute after the 1st.';
const APPROVE_COMMENT = 'Q4 model rebalance, checked against the gains budget.';

const countText = (page: Page, testId: string) => page.getByTestId(testId).textContent().then((t) => t?.trim() ?? '');
const waitText = (page: Page, testId: string, prefix: string, timeout = 30_000) =>
  page.waitForFunction(([id, p]) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim().startsWith(p!), [testId, prefix], { timeout })
    .catch(async () => { throw new Error(`${testId} says "${await countText(page, testId).catch(() => '?')}", expected "${prefix}…"`); });
/** Status cell texts of the inbox rows with these ids. */
const inboxStatuses = (page: Page, ids: readonly string[]) => page.$$eval('[data-testid="approvals-grid"] .ag-row[row-id]', (rows, want) => {
  const out: Record<string, string> = {};
  for (const r of rows) {
    const id = r.getAttribute('row-id')!;
    const s = r.querySelector('[col-id="status"]')?.textContent?.trim();
    if (want.includes(id) && s) out[id] = s;
  }
  return out;
}, [...ids]);
const checkRow = (page: Page, grid: string, id: string) => page.locator(`[data-testid="${grid}"] [row-id="${id}"] .ag-selection-checkbox input`).first().check();

async function signIn(page: Page, username: string): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill('demo');
  await page.getByTestId('login-submit').click();
  // The workspace keeps the last tab across a sign-out: go to the client book, filled once the team's book synced.
  await page.getByTestId('tab-book').click({ timeout: 120_000 });
  await page.waitForSelector('[data-testid="book-grid"] .ag-row', { timeout: 120_000 });
}

export async function runApprovalsE2e(o: E2eOptions): Promise<void> {
  const { step, artifacts } = o;
  const sessionOptions = { context: { viewport: { width: 1600, height: 900 }, acceptDownloads: true } };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(artifacts, `approvals-${name}.png`) });
  await withDemoSession(o, 'approvals', sessionOptions, async ({ server, ui, page }) => {
    o.log(`e2e approvals: server ${server.url}, UI ${ui.url}`);

    let submitted: string[] = [];
    const ready = await step('approvals: alice runs a bulk rebalance of the demo book and submits four proposals', async () => {
      await page.goto(ui.url);
      await signIn(page, 'alice');
      await page.getByTestId('tab-rebalance').click();
      await page.getByTestId('job-scope').selectOption('drifted');
      await page.getByTestId('job-run').click();
      await page.waitForSelector('[data-testid="job-bar"][data-status="done"]', { timeout: 120_000 });
      await page.waitForSelector(`[data-testid="review-grid"] .row-line[row-index="${SUBMIT - 1}"]`);
      for (let i = 0; i < SUBMIT; i++) {
        const row = page.locator(`[data-testid="review-grid"] .row-line[row-index="${i}"]`).first();
        submitted.push((await row.getAttribute('row-id'))!);
      }
      submitted = [...new Set(submitted)];
      if (submitted.length !== SUBMIT) throw new Error(`picked ${submitted.length} distinct rows, expected ${SUBMIT}`);
      for (const id of submitted) await checkRow(page, 'review-grid', id);
      await page.getByTestId('submit-selected').click();
      await waitText(page, 'review-notice', `${SUBMIT} proposals submitted`);
    });
    if (!ready) return;

    // A second proposal for the first account, computed from the same account revision: once the first one is
    // executed (the account changes), approving this one must answer 409 stale.
    let again = '';
    await step('approvals: alice re-runs the rebalance of one account and submits that proposal too', async () => {
      const first = submitted[0]!;
      const accountId = first.slice(first.indexOf('-') + 1);
      const cell = (col: string) => page.locator(`[data-testid="review-grid"] .row-line[row-id="${first}"] [col-id="${col}"]`).first().textContent().then((t) => t?.trim() ?? '');
      const words = `${await cell('household')} ${await cell('account')}`;
      await page.getByTestId('job-scope').selectOption('search');
      await page.getByTestId('job-search').fill(accountId);
      await page.getByTestId('job-run').click();
      await waitText(page, 'job-status', '1 proposals from 1 accounts', 60_000);
      await page.getByTestId('status-filter').selectOption('draft');
      await page.getByTestId('review-search').fill(words);
      // The drafts of this household's accounts with these words: the re-run proposal is the one of this account.
      await page.waitForFunction((id) => Array.from(document.querySelectorAll('[data-testid="review-grid"] .row-line[row-id]'))
        .some((r) => r.getAttribute('row-id')!.endsWith(`-${id}`)), accountId, { timeout: 10_000 });
      // Lines are refilled a few per frame: read them once the body is no longer busy.
      await page.waitForFunction(() => document.querySelector('[data-testid="review-grid"] .line-body')?.getAttribute('aria-busy') !== 'true');
      const ids = await page.$$eval('[data-testid="review-grid"] .row-line[row-id]', (rows) => rows.map((r) => r.getAttribute('row-id')!));
      again = ids.find((id) => id.endsWith(`-${accountId}`) && id !== first) ?? '';
      if (!again) throw new Error(`no re-run draft for ${accountId} among ${ids.join(', ')}`);
      await checkRow(page, 'review-grid', again);
      await page.getByTestId('submit-selected').click();
      await waitText(page, 'review-notice', '1 proposals submitted');
      submitted.push(again);
    });

    await step('approvals: alice sees her submitted proposals read-only, and the server refuses her approval (403)', async () => {
      await page.getByTestId('tab-approvals').click();
      await page.getByTestId('approvals-readonly').waitFor();
      const banner = await countText(page, 'approvals-readonly');
      if (!/Read-only: you are signed in as alice \(advisor\)/.test(banner)) throw new Error(`read-only banner says "${banner}"`);
      if (await page.getByTestId('approve-selected').count()) throw new Error('an advisor is offered the approve button');
      await waitText(page, 'approvals-count', `${submitted.length} of ${submitted.length} proposals`);
      // The submit reached the server: its audit record (written by the server only) replicated back.
      await page.locator(`[data-testid="approvals-grid"] .ag-row[row-id="${submitted[0]}"] [col-id="account"]`).first().click();
      await page.waitForSelector('[data-testid="audit-line"][data-status="submitted"]', { timeout: 30_000 });
      await page.waitForFunction(() => !document.querySelector('[data-testid="sync-pending"]'), null, { timeout: 30_000 });
      const answer = await page.evaluate(async ({ url, id }) => {
        const key = Object.keys(localStorage).find((k) => k.startsWith('aw.signin.'))!;
        const token = (JSON.parse(localStorage.getItem(key)!) as { session: { token: string } }).session.token;
        const res = await fetch(`${url}/api/v1/proposals/${id}/approve`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{}' });
        return { status: res.status, body: await res.json() as { error?: { code: string; message: string } } };
      }, { url: server.url, id: submitted[0]! });
      if (answer.status !== 403 || answer.body.error?.code !== 'forbidden') throw new Error(`alice's approve answered ${answer.status} ${JSON.stringify(answer.body)}`);
      await shot(page, '01-advisor-read-only');
      await page.getByTestId('approval-drawer-close').click();
      await page.getByTestId('sign-out').click();
      // The next user signs in in the same window (no reload): the session gate closes alice's book first.
      await page.getByTestId('login-username').waitFor();
    });

    const carolIn = await step('approvals: carol (reviewer) signs in and finds the five submitted proposals in her inbox', async () => {
      await signIn(page, 'carol').catch(async (err: unknown) => {
        await shot(page, 'failed-carol-sign-in');
        const screen = (await page.locator('body').innerText().catch(() => '')).slice(0, 400).replace(/\s+/g, ' ');
        throw new Error(`${(err as Error).message.split('\n')[0]} (screen: "${screen}")`);
      });
      await page.getByTestId('tab-approvals').click();
      await page.getByTestId('decision-bar').waitFor();
      if (await page.getByTestId('approvals-readonly').count()) throw new Error('the reviewer sees the read-only banner');
      await waitText(page, 'approvals-count', `${INBOX} of ${INBOX} proposals`, 60_000);
      const statuses = await inboxStatuses(page, submitted);
      if (submitted.some((id) => statuses[id] !== 'submitted')) throw new Error(`statuses ${JSON.stringify(statuses)}`);
      const authors = await page.$$eval('[data-testid="approvals-grid"] .ag-row [col-id="author"]', (c) => c.map((x) => x.textContent?.trim()));
      if (authors.some((a) => a !== 'alice')) throw new Error(`authors ${authors.join(', ')}`);
      await shot(page, '02-reviewer-inbox');
    });
    if (!carolIn) return;

    const rejected = submitted[SUBMIT - 1]!;
    const approved = submitted.slice(0, APPROVE);
    await step('approvals: carol rejects one proposal with a comment (a rejection without one is refused)', async () => {
      await checkRow(page, 'approvals-grid', rejected);
      await waitText(page, 'approvals-count', `${INBOX} of ${INBOX} proposals · 1 selected`);
      await page.getByTestId('reject-selected').click();
      await page.getByTestId('decision-hint').waitFor();
      await page.getByTestId('decision-comment').fill(REJECT_COMMENT);
      await page.getByTestId('reject-selected').click();
      await waitText(page, 'decision-summary', '1 rejected');
      await page.waitForFunction(([id]) => document.querySelector(`[data-testid="approvals-grid"] .ag-row[row-id="${id}"] [col-id="status"]`)?.textContent?.trim() === 'rejected',
        [rejected], { timeout: 30_000 });
    });

    let batchId = '';
    await step('approvals: carol approves three; the custodian\'s transactions arrive and the statuses go to executed', async () => {
      for (const id of approved) await checkRow(page, 'approvals-grid', id);
      await waitText(page, 'approvals-count', `${INBOX} of ${INBOX} proposals · ${APPROVE} selected`);
      await page.getByTestId('decision-comment').fill(APPROVE_COMMENT);
      await page.getByTestId('approve-selected').click();
      await waitText(page, 'decision-summary', `${APPROVE} approved`);
      const button = await countText(page, 'result-blotter');
      batchId = button.replace(/^.*batch /, '');
      if (!batchId.startsWith('batch-')) throw new Error(`no blotter link for the batch: "${button}"`);
      await page.waitForFunction((ids) => ids.every((id) =>
        document.querySelector(`[data-testid="approvals-grid"] .ag-row[row-id="${id}"] [col-id="status"]`)?.textContent?.trim() === 'executed'), approved, { timeout: 60_000 })
        .catch(async () => { throw new Error(`statuses after approval: ${JSON.stringify(await inboxStatuses(page, submitted))}`); });
      // Proposals and transactions replicate as separate collections, so the fills may land a moment after the status.
      const executionCells = () => page.$$eval('[data-testid="approvals-grid"] .ag-row[row-id]', (rows, ids) => rows
        .filter((r) => ids.includes(r.getAttribute('row-id')!)).map((r) => r.querySelector('[col-id="execution"]')?.textContent?.trim() ?? ''), approved);
      await page.waitForFunction((ids) => ids.every((id) =>
        /^(\d+) of \1 completed$/.test(document.querySelector(`[data-testid="approvals-grid"] .ag-row[row-id="${id}"] [col-id="execution"]`)?.textContent?.trim() ?? '')), approved, { timeout: 60_000 })
        .catch(async () => { throw new Error(`execution column: ${(await executionCells()).join(' | ')}`); });
      await page.getByTestId('approvals-status-filter').selectOption('executed');
      await waitText(page, 'approvals-count', `${APPROVE} of ${INBOX} proposals`);
      await shot(page, '03-executed');
      await page.getByTestId('approvals-status-filter').selectOption('all');
    });

    await step('approvals: the drawer shows the completed fills and the audit trail (who, when, comment)', async () => {
      await page.locator(`[data-testid="approvals-grid"] .ag-row[row-id="${approved[0]}"] [col-id="account"]`).first().click();
      await page.getByTestId('approval-drawer').waitFor();
      await page.waitForSelector('[data-testid="fill"]');
      const trades = await page.$$eval('[data-testid="approval-trade"]', (t) => t.length);
      const fills = await page.$$eval('[data-testid="fill"]', (f) => f.map((x) => x.getAttribute('data-status')));
      if (fills.length !== trades || fills.some((s) => s !== 'completed')) throw new Error(`${trades} trades, fills ${fills.join(',')}`);
      await page.waitForSelector('[data-testid="audit-line"][data-status="executed"]');
      const audit = await page.$$eval('[data-testid="audit-line"]', (l) => l.map((x) => x.textContent?.replace(/\s+/g, ' ').trim() ?? ''));
      const wanted = [['alice submitted (draft → submitted)'], ['carol approved (submitted → approved)', `“${APPROVE_COMMENT}”`], ['system executed (approved → executed)']];
      if (audit.length !== 3 || wanted.some((w, i) => w.some((part) => !audit[i]!.includes(part)))) throw new Error(`audit trail: ${audit.join(' | ')}`);
      if (audit.some((a) => !/^[A-Z][a-z]{2} \d{1,2}, \d\d:\d\d:\d\d/.test(a))) throw new Error(`audit lines without a time: ${audit.join(' | ')}`);
      await shot(page, '04-drawer-executed');
      await page.locator(`[data-testid="approvals-grid"] .ag-row[row-id="${rejected}"] [col-id="account"]`).first().click();
      await page.waitForFunction((c) => Array.from(document.querySelectorAll('[data-testid="audit-line"]')).some((l) => /carol rejected/.test(l.textContent ?? '') && l.textContent!.includes(c)), REJECT_COMMENT);
      await page.getByTestId('fills-empty').waitFor();
    });

    await step('approvals: the batch blotter downloads as CSV with the filled trades', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('result-blotter').click()]);
      const csv = readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
      if (csv[0] !== 'date,account,symbol,side,quantity,price,amount,proposal,status') throw new Error(`blotter header "${csv[0]}"`);
      const rows = csv.slice(1).map((l) => l.split(','));
      const proposals = new Set(rows.map((r) => r[7]));
      if ([...proposals].sort().join() !== [...approved].sort().join()) throw new Error(`blotter proposals ${[...proposals].join(', ')}`);
      if (rows.some((r) => r[8] !== 'completed')) throw new Error('blotter rows not completed');
      if (download.suggestedFilename() !== `blotter-${batchId}.csv`) throw new Error(`file name ${download.suggestedFilename()}`);
    });

    await step('approvals: approving the re-run proposal after the account changed answers 409 stale, shown readably', async () => {
      if (!again) throw new Error('no re-run proposal');
      await checkRow(page, 'approvals-grid', again);
      await waitText(page, 'approvals-count', `${INBOX} of ${INBOX} proposals · 1 selected`);
      await page.getByTestId('approve-selected').click();
      await waitText(page, 'decision-summary', '0 approved · 1 not approved');
      const failure = await countText(page, 'decision-failure');
      if (!/Stale \(409\): the account changed since this proposal was computed/.test(failure)) throw new Error(`failure says "${failure}"`);
      await page.waitForFunction((id) => document.querySelector(`[data-testid="approvals-grid"] .ag-row[row-id="${id}"] [col-id="status"]`)?.textContent?.trim() === 'stale',
        again, { timeout: 30_000 });
      await shot(page, '05-stale');
    });
  });
}

// Standalone: `node --import tsx apps/desktop/e2e/approvals.e2e.ts`
if (isMain(import.meta.filename)) runStandalone('approvals', runApprovalsE2e);
