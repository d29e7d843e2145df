// Spawns the real `advisor` CLI (bin/advisor.mjs) on the sample files in resources/samples/cli.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { xnpv } from '@aw/engine/returns';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = join(root, 'packages/cli/bin/advisor.mjs');
const sample = (f: string): string => join(root, 'resources/samples/cli', f);

function advisor(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('advisor returns', () => {
  it('prints TWR, annualized TWR and XIRR as JSON (hand-checked)', () => {
    const r = advisor('returns', '--values', sample('values.csv'), '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    // 104000/100000 × 117600/(104000+10000) × 121000/(117600−5000)
    const twr = 1.04 * (117600 / 114000) * (121000 / 112600) - 1;
    expect(out.twr).toBeCloseTo(twr, 12);
    expect(out.twrAnnualized).toBeCloseTo(Math.pow(1 + twr, 365 / 365) - 1, 12); // 2024-01-01 → 2024-12-31 = 365 days
    const flows = [{ date: '2024-01-01', amount: -100000 }, { date: '2024-03-31', amount: -10000 }, { date: '2024-06-30', amount: 5000 }, { date: '2024-12-31', amount: 121000 }];
    expect(Math.abs(xnpv(out.irr, flows))).toBeLessThan(1e-6);
    expect(out.irr).toBeGreaterThan(0.1);
    expect(out.irr).toBeLessThan(0.2);
  });

  it('prints a readable table without --json', () => {
    const r = advisor('returns', '--values', sample('values.csv'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/time-weighted return \(cumulative\)\s+15\.29%/);
    expect(r.stdout).toMatch(/money-weighted return \(XIRR, annual\)/);
  });

  it('exits 2 naming the file, line and column of a bad value', () => {
    const r = advisor('returns', '--values', sample('values-bad.csv'), '--json');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/values-bad\.csv:3 column "value": "abc" is not a number/);
  });

  it('exits 2 on a missing file and on a missing option', () => {
    const r = advisor('returns', '--values', sample('no-such-file.csv'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no-such-file\.csv/);
    expect(advisor('returns').status).toBe(2);
  });
});

describe('advisor tax', () => {
  const run = () => advisor('tax', '--transactions', sample('transactions.csv'), '--accounts', sample('accounts.csv'),
    '--prices', sample('prices.csv'), '--securities', sample('securities.csv'), '--json');

  it('reports realized gains with wash sales, open lots and harvest candidates (worked by hand)', () => {
    const r = run();
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.asOf).toBe('2024-11-20');
    expect(out.realized.map((x: any) => [x.date, x.account, x.symbol, x.quantity, x.proceeds, x.basis, x.gain, x.term, x.washSaleDisallowed])).toEqual([
      // 40 of 50 BND loss shares unmatched; 20 bought in the IRA a week later: $40 of the $100 loss is lost for good
      ['2024-06-03', 'JOINT', 'BND', 50, 3500, 3600, -60, 'short', 40],
      ['2024-08-01', 'JOINT', 'VTI', 20, 5000, 4000, 1000, 'short', 0],
      // 10 of 30 ITOT loss shares replaced on 2024-10-20: $100 of the $300 loss moves into the new lot
      ['2024-10-01', 'JOINT', 'ITOT', 30, 3000, 3300, -200, 'short', 100],
    ]);
    expect(out.realized[0].washSalePermanent).toBe(40);
    expect(out.lots.map((l: any) => [l.account, l.symbol, l.quantity, l.acquired, l.basis, l.washSaleAdjustment, l.holdingPeriodStart])).toEqual([
      ['IRA', 'AAPL', 5, '2024-11-10', 1025, 0, '2024-11-10'],
      ['IRA', 'BND', 20, '2024-06-10', 1390, 0, '2024-06-10'],
      ['JOINT', 'AAPL', 10, '2024-11-05', 2250, 0, '2024-11-05'],
      ['JOINT', 'ITOT', 10, '2024-10-20', 1080, 100, '2024-10-05'], // held 15 days before: tacked on
      ['JOINT', 'VTI', 20, '2024-01-02', 4000, 0, '2024-01-02'],
      ['JOINT', 'VTI', 10, '2024-03-04', 2305, 0, '2024-03-04'],
      ['JOINT', 'VTI', 5, '2024-11-01', 1200, 0, '2024-11-01'],
    ]);
    expect(out.harvest.map((h: any) => [h.account, h.symbol, h.quantity, h.unrealizedLoss, h.washSaleBlockedUntil, h.replacement, h.estimatedTaxSaved])).toEqual([
      ['JOINT', 'VTI', 15, 355, null, 'ITOT', 85.2], // (2305 − 2100) + (1200 − 1050), × 24 %
      ['JOINT', 'AAPL', 10, 150, '2024-12-11', null, 36], // the IRA bought AAPL on 2024-11-10
      ['JOINT', 'ITOT', 10, 130, null, 'SCHB', 31.2],
    ]);
  });

  it('honours --as-of and --bracket, and prints tables without --json', () => {
    const early = JSON.parse(advisor('tax', '--transactions', sample('transactions.csv'), '--accounts', sample('accounts.csv'), '--as-of', '2024-07-01', '--json').stdout);
    expect(early.realized).toHaveLength(1);
    expect(early.lots.map((l: any) => l.symbol)).toEqual(['BND', 'VTI', 'VTI']);
    const t = advisor('tax', '--transactions', sample('transactions.csv'), '--accounts', sample('accounts.csv'), '--prices', sample('prices.csv'), '--bracket', '0.37');
    expect(t.status).toBe(0);
    expect(t.stdout).toMatch(/Harvest candidates \(bracket 37%, long-term 20%\)/);
    expect(t.stdout).toMatch(/JOINT\s+VTI\s+15\s+355\.00\s+131\.35/);
  });

  it('exits 2 on an oversold position, a bad date and an unknown account type', () => {
    const over = advisor('tax', '--transactions', sample('transactions-oversell.csv'), '--json');
    expect(over.status).toBe(2);
    expect(over.stderr).toMatch(/transactions-oversell.csv:3: sell of 15 VTI in account JOINT on 2024-02-02: only 10 shares are held/);
    expect(advisor('tax', '--transactions', sample('transactions.csv'), '--as-of', '2024-13-01').status).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), 'advisor-'));
    writeFileSync(join(dir, 'accounts.csv'), 'account,household,type\nJOINT,smith,brokerage\n');
    const bad = advisor('tax', '--transactions', sample('transactions.csv'), '--accounts', join(dir, 'accounts.csv'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/accounts\.csv:2 column "type": "brokerage"/);
  });
});
