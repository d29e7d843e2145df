// `advisor optimize|frontier` on PyPortfolioOpt's test prices (resources/samples/optimize): the real CLI process
// for the JSON contract and exit codes, the command functions in-process for the rest.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../main.ts';
import type { Io } from '../output.ts';
import { frontierCommand, optimizeCommand } from './optimize.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const bin = join(root, 'packages/cli/bin/advisor.mjs');
const stocks = join(root, 'resources/samples/optimize/stock_prices_20.csv');

function advisor(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function captureIo(): Io & { out: string[]; err: string[] } {
  const out: string[] = [], err: string[] = [];
  return { out, err, stdout: (t) => { out.push(t); }, stderr: (t) => { err.push(t); } };
}

const base = { prices: stocks, riskFree: '0.02', frequency: '252', returns: 'mean' as const, cov: 'sample' as const, minWeight: '0', maxWeight: '1', gamma: '0', json: true };

describe('advisor optimize (process)', () => {
  it('prints {"weights","expectedReturn","volatility","sharpe"}: PyPortfolioOpt max_sharpe(0.02) on its test data', () => {
    const r = advisor('optimize', '--prices', stocks, '--objective', 'max-sharpe', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['weights', 'expectedReturn', 'volatility', 'sharpe']);
    expect(out.expectedReturn).toBeCloseTo(0.3047768672819914, 8);
    expect(out.volatility).toBeCloseTo(0.22165566922402932, 8);
    expect(out.sharpe).toBeCloseTo(1.2847714127003216, 8);
    expect(Object.keys(out.weights)).toHaveLength(20);
    const total = Object.values(out.weights as Record<string, number>).reduce((s, w) => s + w, 0);
    expect(total).toBeCloseTo(1, 4); // cleaned weights are rounded to 5 decimals
  });

  it('exits 2 with the reason on stderr for a return above the maximum achievable', () => {
    const high = advisor('optimize', '--prices', stocks, '--objective', 'efficient-return', '--target', '0.5', '--json');
    expect(high.status).toBe(2);
    expect(high.stdout).toBe('');
    expect(high.stderr).toMatch(/target return 0\.5 is above the maximum achievable return 0\.38866/);
  });

  it('exits 2 (in-process run) for a volatility below the minimum, a bad number and an unknown objective', async () => {
    const io = captureIo();
    expect(await run(['optimize', '--prices', stocks, '--objective', 'efficient-risk', '--target', '0.1'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/below the minimum volatility 0\.15915/);
    expect(await run(['optimize', '--prices', stocks, '--max-weight', 'abc'], captureIo())).toBe(2);
    expect(await run(['frontier', '--prices', stocks, '--points', '1'], captureIo())).toBe(2);
    expect(await run(['optimize', '--prices', stocks, '--objective', 'max-fun'], captureIo())).toBe(2);
    expect(await run(['optimize', '--prices', join(root, 'no-such-prices.csv')], captureIo())).toBe(2);
  });
});

describe('advisor optimize / frontier (in-process)', () => {
  it('min-volatility, efficient-return and max-quadratic-utility match PyPortfolioOpt', async () => {
    const io = captureIo();
    const mv = await optimizeCommand({ ...base, objective: 'min-volatility', riskAversion: '1' }, io);
    expect(mv.volatility).toBeCloseTo(0.15915084514118694, 9);
    const er = await optimizeCommand({ ...base, objective: 'efficient-return', target: '0.25', riskAversion: '1' }, io);
    expect(er.volatility).toBeCloseTo(0.18723269942026335, 9);
    const qu = await optimizeCommand({ ...base, objective: 'max-quadratic-utility', riskAversion: '2' }, io);
    expect(qu.expectedReturn).toBeCloseTo(0.3677732711751504, 9);
    expect(JSON.parse(io.out[0]).volatility).toBe(mv.volatility);
  });

  it('weight bounds from --min-weight/--max-weight hold (PyPortfolioOpt test_max_sharpe_long_weight_bounds)', async () => {
    const io = captureIo();
    const r = await optimizeCommand({ ...base, objective: 'max-sharpe', riskAversion: '1', minWeight: '0.03', maxWeight: '0.13' }, io);
    for (const w of Object.values(r.weights)) {
      expect(w).toBeGreaterThanOrEqual(0.03 - 1e-5);
      expect(w).toBeLessThanOrEqual(0.13 + 1e-5);
    }
  });

  it('frontier --points 8: 8 portfolios, volatility non-decreasing, Ledoit-Wolf and CAPM accepted', async () => {
    const io = captureIo();
    const f = await frontierCommand({ ...base, points: '8', cov: 'ledoit-wolf', returns: 'capm' }, io);
    expect(f.points).toHaveLength(8);
    for (let k = 1; k < 8; k++) expect(f.points[k].volatility).toBeGreaterThanOrEqual(f.points[k - 1].volatility - 1e-12);
    expect(Object.keys(JSON.parse(io.out.join('')))).toEqual(['points']);
    expect(Object.keys(f.points[0])).toEqual(['expectedReturn', 'volatility', 'sharpe', 'weights']);
  });

  it('notes on stderr when a later listing makes the pairwise covariance non-PSD, and still optimizes', async () => {
    // A and B move exactly opposite for 60 days; C lists on day 55 and moves with both of them.
    const lines = ['date,A,B,C'];
    let a = 100, b = 100, c = 100;
    for (let t = 0; t < 60; t++) {
      const x = t < 55 ? Math.sin(t * 0.9) * 0.02 : (t % 2 === 0 ? 0.03 : -0.03);
      a *= 1 + x;
      b *= t < 55 ? 1 - x : 1 + x;
      if (t >= 55) c *= 1 + x;
      lines.push(`2024-${String(1 + Math.floor(t / 28)).padStart(2, '0')}-${String(1 + (t % 28)).padStart(2, '0')},${a.toFixed(4)},${b.toFixed(4)},${t >= 54 ? c.toFixed(4) : ''}`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'advisor-opt-'));
    const file = join(dir, 'late.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    const io = captureIo();
    const r = await optimizeCommand({ ...base, prices: file, objective: 'min-volatility', riskAversion: '1' }, io);
    expect(io.err.join('')).toMatch(/not positive semidefinite; negative eigenvalues were clipped/);
    expect(Object.values(r.weights).reduce((s, w) => s + w, 0)).toBeCloseTo(1, 4);
  });
});

describe('advisor optimize --groups (sector and asset-class caps)', () => {
  const sectors = join(root, 'resources/samples/optimize/sectors.csv');
  const tech = ['GOOG', 'AAPL', 'FB', 'BABA', 'AMZN', 'AMD'];
  const weightOf = (w: Record<string, number>, symbols: string[]) => symbols.reduce((s, x) => s + (w[x] ?? 0), 0);

  it('caps a sector that max-sharpe would overweight, at a lower Sharpe ratio', async () => {
    const free = await optimizeCommand({ ...base, objective: 'max-sharpe', riskAversion: '1' }, captureIo());
    expect(weightOf(free.weights, tech)).toBeGreaterThan(0.3);
    const capped = await optimizeCommand({ ...base, objective: 'max-sharpe', riskAversion: '1', groups: sectors, groupMax: ['Technology=0.3'], groupMin: ['Energy=0.05'] }, captureIo());
    expect(weightOf(capped.weights, tech)).toBeLessThanOrEqual(0.3 + 1e-5);
    expect(weightOf(capped.weights, ['XOM', 'RRC'])).toBeGreaterThanOrEqual(0.05 - 1e-5);
    expect(capped.sharpe).toBeLessThan(free.sharpe);
  });

  it('frontier points all respect the caps', async () => {
    const f = await frontierCommand({ ...base, points: '6', groups: sectors, groupMax: ['Technology=0.25', 'Consumer=0.4'] }, captureIo());
    for (const p of f.points) {
      expect(weightOf(p.weights, tech)).toBeLessThanOrEqual(0.25 + 1e-5);
      expect(weightOf(p.weights, ['WMT', 'UAA', 'SHLD', 'BBY', 'SBUX', 'GM'])).toBeLessThanOrEqual(0.4 + 1e-5);
    }
  });

  it('exits 2 with a clear message for an unknown group, a bad limit, limits without --groups and infeasible caps', async () => {
    const unknown = advisor('optimize', '--prices', stocks, '--groups', sectors, '--group-max', 'Utilities=0.2', '--json');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown group "Utilities" \(groups in .*sectors\.csv: Technology, Financials, Consumer, Energy, Industrials & other\)/);
    const io = captureIo();
    expect(await run(['optimize', '--prices', stocks, '--groups', sectors, '--group-max', 'Technology'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/expected NAME=WEIGHT/);
    expect(await run(['optimize', '--prices', stocks, '--groups', sectors, '--group-max', 'Technology=1.5'], captureIo())).toBe(2);
    const noFile = captureIo();
    expect(await run(['optimize', '--prices', stocks, '--group-max', 'Technology=0.2'], noFile)).toBe(2);
    expect(noFile.err.join('')).toMatch(/need --groups FILE/);
    // every sector capped at 0.1: the weights can't sum to 1
    const caps = ['Technology', 'Financials', 'Consumer', 'Energy', 'Industrials & other'].flatMap((g) => ['--group-max', `${g}=0.1`]);
    const infeasible = advisor('optimize', '--prices', stocks, '--groups', sectors, ...caps, '--json');
    expect(infeasible.status).toBe(2);
    expect(infeasible.stdout).toBe('');
    expect(infeasible.stderr).toMatch(/no portfolio satisfies all the constraints/);
  });

  it('exits 2 naming the line of a groups-file symbol that has no prices', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'advisor-groups-'));
    const file = join(dir, 'groups.csv');
    writeFileSync(file, 'symbol,group\nAAPL,Technology\nNOPE,Technology\n');
    const io = captureIo();
    expect(await run(['optimize', '--prices', stocks, '--groups', file, '--group-max', 'Technology=0.2'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/groups\.csv:3 column "symbol": NOPE is not in the prices file/);
  });
});
