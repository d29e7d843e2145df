// Demo mode (`--demo`): on the first run only, seeds the contract's demo users (alice, bob: advisors of team demo;
// carol: reviewer of demo; dave: advisor of north; feed: provider; password "demo") and the deterministic demo book
// (generateBook, seed 42; 25 households unless `--demo-households N`) into the server's book. Never runs outside
// demo mode. Idempotent: a crash halfway is completed on the next start (existing documents are kept).
import type { Logger } from 'pino';
import type { DailyPrice, PriceMatrix } from '@aw/domain';
import { DEMO_USERS, demoTeams, generateBook } from '@aw/demo';
import type { SqlDb } from './context.ts';
import type { BookDatabase } from '@aw/sync-client';
import { createUser, ensureTeam, findUserByName } from './auth/users.ts';

export const DEMO_PASSWORD = 'demo';
export const DEMO_SEED = 42;
export const DEMO_HOUSEHOLDS = 25;
const SEEDED_KEY = 'demo_seeded';
const CHUNK = 5000;

/** The last close of every symbol of a price matrix, as book `prices` documents. */
export function latestPriceDocs(m: PriceMatrix, kind: DailyPrice['kind'], updatedAt: number): DailyPrice[] {
  const out: DailyPrice[] = [];
  const S = m.symbols.length;
  for (let s = 0; s < S; s++) {
    for (let d = m.dates.length - 1; d >= 0; d--) {
      const c = m.closes[d * S + s];
      if (Number.isNaN(c)) continue;
      out.push({ id: `${m.symbols[s]}|${m.dates[d]}`, symbol: m.symbols[s], date: m.dates[d], closePrice: c, kind, updatedAt });
      break;
    }
  }
  return out;
}

async function insertAll(book: BookDatabase, name: keyof BookDatabase['collections'] & string, docs: object[]): Promise<number> {
  const collection = (book.collections as Record<string, any>)[name];
  let inserted = 0;
  for (let i = 0; i < docs.length; i += CHUNK) {
    const r = await collection.bulkInsert(docs.slice(i, i + CHUNK));
    const real = r.error.filter((e: { status: number }) => e.status !== 409);
    if (real.length) throw new Error(`demo seed: ${name}: ${JSON.stringify(real[0]).slice(0, 500)}`);
    inserted += r.success.length;
  }
  return inserted;
}

export async function seedDemo(sql: SqlDb, book: BookDatabase, log: Logger, now: number, households = DEMO_HOUSEHOLDS): Promise<boolean> {
  if (await sql.get('SELECT value FROM server_meta WHERE key = ?', [SEEDED_KEY])) return false;
  const started = Date.now();
  const teams = demoTeams(now);
  for (const t of teams) await ensureTeam(sql, t.id, t.name, now);
  for (const u of DEMO_USERS) {
    if (await findUserByName(sql, u.username)) continue;
    await createUser(sql, { username: u.username, password: DEMO_PASSWORD, teamId: u.teamId, role: u.role, userId: u.userId }, now);
  }
  const demo = generateBook({ households, seed: DEMO_SEED });
  const counts: Record<string, number> = {};
  counts.teams = await insertAll(book, 'teams', demo.teams);
  counts.securities = await insertAll(book, 'securities', demo.securities);
  counts.models = await insertAll(book, 'models', demo.models);
  counts.households = await insertAll(book, 'households', demo.households);
  counts.accounts = await insertAll(book, 'accounts', demo.accounts);
  counts.lots = await insertAll(book, 'lots', demo.lots);
  counts.transactions = await insertAll(book, 'transactions', demo.transactions);
  counts.prices = await insertAll(book, 'prices', [...latestPriceDocs(demo.prices, 'security', now), ...latestPriceDocs(demo.fx, 'fx', now)]);
  await sql.run('INSERT INTO server_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING', [SEEDED_KEY, JSON.stringify({ households, seed: DEMO_SEED, at: now })]);
  log.info({ households, counts, ms: Date.now() - started }, 'demo book seeded');
  return true;
}
