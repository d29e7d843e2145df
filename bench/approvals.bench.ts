// `npm run bench -- approvals [--proposals N] [--smoke]` (default 1,000; --smoke 50).
// A real sync server in this process (demo mode: demo users, the demo book of seed 42 on a temp SQLite folder,
// the market feature with the demo closes). Proposals are computed with @aw/engine/rebalance from the same demo
// book (generateBook is deterministic), one per drifted account of team demo, and pushed by alice through the
// replication push route as `submitted` (not timed in the result). Timed: carol's bulk approval of all of them
// with ONE POST /api/v1/proposals/approve (four-eyes, stale checks, chunked writes, audit records), then, reported
// apart, the simulated custodian's execution of the whole batch (fills, lots, cash) in the background job.
// Last stdout line: {"bench":"approvals","proposals","seconds","approveSec","executeSec","trades",...}.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { DEFAULT_END_DATE, generateBook, latestCloses } from '@aw/demo';
import type { PriceMatrix, Proposal } from '@aw/domain';
import { rebalanceAccount } from '@aw/engine/rebalance';
import { createServer } from '../sync-server/src/app.ts';
import { marketFeature, type MarketFeature } from '../sync-server/src/market/index.ts';
import { defaultMarketOptions } from '../sync-server/src/market/default-options.ts';

/** The last `days` dates of a price matrix (the bench needs latest closes, not 10 years of history). */
function lastDays(m: PriceMatrix, days: number): PriceMatrix {
  const from = Math.max(0, m.dates.length - days);
  return { dates: m.dates.slice(from), symbols: m.symbols, closes: m.closes.slice(from * m.symbols.length) };
}
import { DEMO_SEED } from '../sync-server/src/demo-seed.ts';

const argv = process.argv.slice(2);
const smoke = argv.includes('--smoke');
const flag = (name: string, fallback: number): number => {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(argv[i + 1]);
  if (!Number.isInteger(v) || v < 1 || v > 5000) {
    process.stderr.write(`--${name} must be an integer from 1 to 5000\n`);
    process.exit(2);
  }
  return v;
};
const target = flag('proposals', smoke ? 50 : 1000);
const log = (m: string) => process.stderr.write(`[approvals bench] ${m}\n`);
// Team demo has 4 of every 5 households, ~4 accounts each, most drifted: 1 household per 2 proposals is plenty.
const households = Math.max(10, Math.ceil(target / 2));

async function call(url: string, method: string, path: string, token: string | undefined, body?: unknown): Promise<any> {
  const res = await fetch(`${url}${path}`, {
    method, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  return json;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aw-approvals-bench-'));
  let t = performance.now();
  let market: MarketFeature | undefined;
  const server = await createServer(
    { port: 0, host: '127.0.0.1', dataDir, demo: true, bodyLimitBytes: 64 * 1024 * 1024 },
    {
      logger: pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2)), demoHouseholds: households,
      // The default market feature with only the last days of demo history (no long background import competing
      // with the timed writes), kept at hand to wait until that history is stored.
      features: [async (ctx) => {
        const opts = await defaultMarketOptions(ctx);
        const given = opts.dailyHistory;
        const dailyHistory = () => {
          const h = typeof given === 'function' ? given() : given ?? [];
          return (Array.isArray(h) ? h : [h]).map((m) => lastDays(m, 5));
        };
        return (market = marketFeature({ ...opts, dailyHistory })(ctx) as MarketFeature);
      }],
    },
  );
  await market!.historyLoaded();
  const startSec = (performance.now() - t) / 1000;
  log(`server with ${households} demo households up in ${startSec.toFixed(1)} s at ${server.url}`);
  try {
    // Proposals from the engine over the same deterministic book the server seeded.
    t = performance.now();
    const demo = generateBook({ households, seed: DEMO_SEED });
    const prices = latestCloses(demo.prices);
    const fx = new Map([...latestCloses(demo.fx)].map(([pair, rate]) => [pair.slice(0, 3), rate]));
    const market = { securities: new Map(demo.securities.map((s) => [s.symbol, s])), prices, models: new Map(demo.models.map((m) => [m.id, m])), fx };
    const bracket = new Map(demo.households.map((h) => [h.id, h.taxBracket]));
    const lotsBy = new Map<string, typeof demo.lots>();
    for (const l of demo.lots) (lotsBy.get(l.accountId) ?? lotsBy.set(l.accountId, []).get(l.accountId)!).push(l);
    const now = Date.now();
    const proposals: Proposal[] = [];
    for (const account of demo.accounts) {
      if (proposals.length === target) break;
      if (account.teamId !== 'demo') continue;
      const r = rebalanceAccount({ account, lots: lotsBy.get(account.id) ?? [], taxBracket: bracket.get(account.householdId) ?? 0.24, asOf: DEFAULT_END_DATE }, market, { minTradeCents: 100_00 });
      if (!r.trades.length) continue;
      proposals.push({
        id: `bench-${account.id}`, teamId: r.teamId, householdId: r.householdId, accountId: r.accountId, modelId: r.modelId, authorId: 'u-alice',
        status: 'submitted', reason: r.reason.slice(0, 2000), trades: r.trades, accountRevision: r.accountRevision, driftBefore: r.driftBefore,
        driftAfter: r.driftAfter, buyCents: r.buyCents, sellCents: r.sellCents, estGainCents: r.estGainCents, estTaxCents: r.estTaxCents,
        warnings: r.warnings, approverId: '', decidedAt: 0, executedAt: 0, batchId: '', createdAt: now, updatedAt: now,
      });
    }
    if (proposals.length < target) throw new Error(`only ${proposals.length} drifted demo accounts in ${households} households; raise the household count`);
    const trades = proposals.reduce((s, p) => s + p.trades.length, 0);
    const computeSec = (performance.now() - t) / 1000;
    log(`${proposals.length} proposals (${trades} trades) computed in ${computeSec.toFixed(1)} s`);

    // alice submits them through replication (the desktop's path).
    t = performance.now();
    const alice = (await call(server.url, 'POST', '/auth/login', undefined, { username: 'alice', password: 'demo' })).token;
    for (let i = 0; i < proposals.length; i += 1000) {
      const conflicts = await call(server.url, 'POST', '/api/v1/replication/proposals/0/push', alice,
        proposals.slice(i, i + 1000).map((p) => ({ newDocumentState: p, assumedMasterState: null })));
      if (conflicts.length) throw new Error(`push: ${conflicts.length} conflicts`);
    }
    const submitSec = (performance.now() - t) / 1000;
    log(`submitted in ${submitSec.toFixed(2)} s`);

    // Timed: carol approves the whole set in one bulk call.
    const carol = (await call(server.url, 'POST', '/auth/login', undefined, { username: 'carol', password: 'demo' })).token;
    t = performance.now();
    const res = await call(server.url, 'POST', '/api/v1/proposals/approve', carol, { ids: proposals.map((p) => p.id), comment: 'bench approval' });
    const approveSec = (performance.now() - t) / 1000;
    const approved = res.counts.approved ?? 0;
    if (approved !== proposals.length) throw new Error(`approved ${approved} of ${proposals.length}: ${JSON.stringify(res.counts)}`);
    log(`approved ${approved} in ${approveSec.toFixed(2)} s (batch ${res.batchId})`);

    // Apart: the background execution of the batch.
    const proposalsC = (server.ctx.book.collections as Record<string, any>).proposals;
    let done = 0;
    while (done < proposals.length) {
      await new Promise((r) => setTimeout(r, 50));
      done = await proposalsC.count({ selector: { batchId: res.batchId, status: { $in: ['executed', 'stale'] } } }).exec();
      if ((performance.now() - t) / 1000 > 300) throw new Error(`execution unfinished after 300 s (${done} done)`);
    }
    const executeSec = (performance.now() - t) / 1000 - approveSec;
    const executed = await proposalsC.count({ selector: { batchId: res.batchId, status: 'executed' } }).exec();
    const txs = await (server.ctx.book.collections as Record<string, any>).transactions.count({ selector: { status: 'completed', proposalId: { $in: proposals.map((p) => p.id) } } }).exec();
    const blotter = await fetch(`${server.url}/api/v1/batches/${res.batchId}/blotter.csv`, { headers: { Authorization: `Bearer ${carol}` } });
    const blotterRows = (await blotter.text()).trim().split('\n').length - 1;

    const rows: [string, string][] = [
      ['demo households (server seed)', `${households} (${startSec.toFixed(1)} s to start)`],
      ['proposals (engine, drifted demo accounts)', `${proposals.length} (${trades} trades, ${computeSec.toFixed(1)} s)`],
      ['submit via replication push', `${submitSec.toFixed(2)} s`],
      ['bulk approve (one HTTP call)', `${approveSec.toFixed(2)} s (target < 5 s)`],
      ['execution of the batch (background)', `${executeSec.toFixed(2)} s: ${executed} executed, ${proposals.length - executed} stale`],
      ['completed transactions / blotter rows', `${txs} / ${blotterRows}`],
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    console.log(rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n'));
    console.log(JSON.stringify({
      bench: 'approvals', proposals: proposals.length, seconds: +approveSec.toFixed(3), approveSec: +approveSec.toFixed(3),
      proposalsPerSec: Math.round(proposals.length / approveSec), executeSec: +executeSec.toFixed(3), executed, trades, completedTransactions: txs,
    }));
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`[approvals bench] failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
