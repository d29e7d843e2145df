// End-to-end test of team sync in Debian Chromium (web mode) against a real sync server (temp --data folder, demo
// mode) on 127.0.0.1: sign in as alice, see her team's book replicate into IndexedDB, stop the server, edit a
// household's notes offline (pending count shown), restart the server on the same port and data folder, and see the
// edit pushed (checked on the server through the pull route as alice). Then, offline again, another edit is made
// while the session passes its idle expiry: on restart the server answers 401, the login screen returns over the
// book with the local edit kept (still pending), and signing in again pushes it. Run by run.ts (`npm run test:e2e`) or alone: `node --import tsx apps/desktop/e2e/sync.e2e.ts`.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { bookCollections } from '@aw/domain';
import { login, logout, requestJson } from '@aw/sync-client';
import { openSqlDb } from '../../../sync-server/src/db/sql-db.ts';
import { money } from '../src/renderer/grid/format.ts';
import { expectedBook } from './expected-book.ts';
import { isMain, runStandalone, withDemoSession, type E2eOptions } from './standalone.ts';

export type SyncE2eOptions = E2eOptions;

const TEAM = 'demo';

function expectEqual<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent())?.trim() ?? '';
const syncState = (page: Page, state: string, timeout = 30_000) =>
  page.waitForFunction((s) => document.querySelector('[data-testid="sync-status"]')?.getAttribute('data-state') === s, state, { timeout })
    .catch(async () => { throw new Error(`sync indicator: expected "${state}", got "${await page.getByTestId('sync-status').getAttribute('data-state').catch(() => 'absent')}"`); });

/** The server's copy of a household, read as alice through the replication pull route (all pages). */
async function serverHousehold(url: string, id: string): Promise<Record<string, unknown> | undefined> {
  const session = await login(url, 'alice', 'demo');
  try {
    const version = bookCollections.households.schema.version;
    let checkpoint: { id: string; lwt: number } | null = null;
    let found: Record<string, unknown> | undefined;
    for (;;) {
      const q = new URLSearchParams({ limit: '500' });
      if (checkpoint) {
        q.set('id', checkpoint.id);
        q.set('lwt', String(checkpoint.lwt));
      }
      const page = await requestJson<{ documents: Record<string, unknown>[]; checkpoint: { id: string; lwt: number } | null }>(
        'GET', `${url}/api/v1/replication/households/${version}/pull?${q}`, { token: session.token });
      for (const d of page.documents) if (d.id === id) found = d;
      if (page.documents.length === 0 || !page.checkpoint) return found;
      checkpoint = page.checkpoint;
    }
  } finally {
    await logout(url, session.token).catch(() => undefined);
  }
}

/** Moves a user's sessions back in time in the stopped server's SQLite file (simulates idle time while offline). */
async function ageSessions(dataDir: string, userId: string, byMs: number): Promise<void> {
  const sql = await openSqlDb(join(dataDir, 'server.sqlite'));
  try {
    await sql.run('UPDATE sessions SET last_used_at = last_used_at - ?, created_at = created_at - ? WHERE user_id = ?', [byMs, byMs, userId]);
  } finally {
    await sql.close();
  }
}

async function waitForServerNotes(url: string, id: string, notes: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    last = (await serverHousehold(url, id))?.notes;
    if (last === notes) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`server notes of ${id}: expected ${JSON.stringify(notes)}, got ${JSON.stringify(last)}`);
}

export async function runSyncE2e(o: SyncE2eOptions): Promise<void> {
  const { step, artifacts } = o;
  const { book, valuation } = expectedBook();
  const teamHouseholds = book.households.filter((h) => h.teamId === TEAM);
  const teamAccounts = book.accounts.filter((a) => a.teamId === TEAM);
  const target = [...teamHouseholds].sort((a, b) => a.name.localeCompare(b.name))[0]!;
  const targetAccounts = teamAccounts.filter((a) => a.householdId === target.id);
  const targetMv = money(valuation.households.find((h) => h.householdId === target.id)!.marketValueCents);

  const shot = (page: Page, name: string) => page.screenshot({ path: join(artifacts, `${name}.png`) });
  await withDemoSession(o, 'sync', { context: { viewport: { width: 1600, height: 900 } } }, async (session) => {
    const { ui, page, dataDir } = session;
    const url = session.server.url;
    o.log(`e2e sync: server ${url}, UI ${ui.url}`);

    const signedIn = await step('sync: the login screen refuses a wrong password, then signs alice in', async () => {
      await page.goto(ui.url);
      await page.getByTestId('login-screen').waitFor({ timeout: 30_000 });
      await shot(page, '10-login');
      await page.getByTestId('login-username').fill('alice');
      await page.getByTestId('login-password').fill('wrong');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('login-error').waitFor({ timeout: 10_000 });
      expectEqual(await text(page, 'login-error'), 'Wrong username or password.', 'login error');
      await shot(page, '11-login-error');
      await page.getByTestId('login-password').fill('demo');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('login-screen').waitFor({ state: 'detached', timeout: 10_000 });
    });
    if (!signedIn) return;

    const synced = await step(`sync: alice's team book replicates in (${teamHouseholds.length} households, ${teamAccounts.length} accounts)`, async () => {
      await page.waitForSelector('[data-testid="book-grid"] .ag-row', { timeout: 120_000 });
      await page.waitForFunction((n) => document.querySelector('[data-testid="row-count"]')?.textContent?.startsWith(`${n} of ${n}`), teamAccounts.length, { timeout: 60_000 });
      expectEqual(await text(page, 'household-count'), String(teamHouseholds.length), 'households in the top bar (team demo only)');
      await syncState(page, 'online', 60_000);
      expectEqual(await text(page, 'sync-user'), 'alice · demo', 'signed-in user');
      await page.getByTestId('book-search').fill(target.name);
      await page.waitForFunction((n) => document.querySelector('[data-testid="row-count"]')?.textContent?.startsWith(`${n} of`), targetAccounts.length);
      await page.locator('[data-testid="book-grid"] .ag-row').first().click();
      await page.getByTestId('household-panel').waitFor();
      await page.waitForFunction((v) => document.querySelector('[data-testid="household-mv"]')?.textContent === v, targetMv, { timeout: 30_000 })
        .catch(async () => { throw new Error(`household market value: expected ${targetMv}, got ${await text(page, 'household-mv')}`); });
      await page.getByTestId('book-search').fill('');
      await page.waitForTimeout(400);
      await shot(page, '12-synced');
    });
    if (!synced) return;

    const offlineNote = `Called ${target.name} while travelling: prefers quarterly reviews. (e2e ${Date.now()})`;
    const editedOffline = await step('sync: with the server stopped, a notes edit is saved locally and counted as pending', async () => {
      await session.stopServer();
      await syncState(page, 'offline', 30_000);
      await page.getByTestId('household-notes').fill(offlineNote);
      await page.getByTestId('save-notes').click();
      await page.waitForFunction(() => /Saved on this desktop/.test(document.querySelector('[data-testid="notes-status"]')?.textContent ?? ''), null, { timeout: 10_000 });
      await page.getByTestId('sync-pending').waitFor({ timeout: 15_000 });
      expectEqual(await text(page, 'sync-pending'), '1 pending', 'pending local changes');
      await shot(page, '13-offline-edit');
    });
    if (!editedOffline) return;

    const pushed = await step('sync: after a restart on the same port and data folder the offline edit is pushed', async () => {
      expectEqual((await session.restartServer()).url, url, 'restarted server URL');
      await syncState(page, 'online', 60_000);
      await page.getByTestId('sync-pending').waitFor({ state: 'detached', timeout: 30_000 });
      await waitForServerNotes(url, target.id, offlineNote);
      await shot(page, '14-pushed');
    });
    if (!pushed) return;

    await step('sync: a session that expired while offline returns to login over the book, keeps the edit and pushes it after sign-in', async () => {
      await session.stopServer();
      await syncState(page, 'offline', 30_000);
      const afterExpiry = `${offlineNote}\nFollow-up: rebalance after the expiry test.`;
      await page.getByTestId('household-notes').fill(afterExpiry);
      await page.getByTestId('save-notes').click();
      await page.getByTestId('sync-pending').waitFor({ timeout: 15_000 });
      await ageSessions(dataDir, 'u-alice', 31 * 60_000); // 30 min idle limit passed while the desktop was offline
      await session.restartServer();
      await page.getByTestId('login-screen').waitFor({ timeout: 30_000 });
      await syncState(page, 'expired', 10_000);
      expectEqual(await page.getByTestId('login-username').inputValue(), 'alice', 'username kept on the expiry login');
      expectEqual(await page.getByTestId('household-notes').inputValue(), afterExpiry, 'local notes kept under the login screen');
      expectEqual(await text(page, 'sync-pending'), '1 pending', 'pending local changes while expired');
      await shot(page, '15-session-expired');
      const before = await serverHousehold(url, target.id);
      expectEqual(before?.notes, offlineNote, 'server notes while the session is expired');
      await page.getByTestId('login-password').fill('demo');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('login-screen').waitFor({ state: 'detached', timeout: 10_000 });
      await waitForServerNotes(url, target.id, afterExpiry);
      await syncState(page, 'online', 30_000);
      await page.getByTestId('sync-pending').waitFor({ state: 'detached', timeout: 30_000 });
    });
  });
}

// Standalone: `node --import tsx apps/desktop/e2e/sync.e2e.ts`
if (isMain(import.meta.filename)) runStandalone('sync', runSyncE2e);
