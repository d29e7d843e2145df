// Demo-book CLI: `node --import tsx packages/demo/src/cli.ts --households N --seed S [--out FILE]
// [--securities K] [--years Y] [--end-date YYYY-MM-DD] [--no-history]` writes the book as JSON (stdout without
// --out). Progress and errors go to stderr; bad options exit 2.
import { closeSync, openSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateBook } from './book.ts';
import { bookJsonChunks } from './book-json.ts';

const USAGE = 'usage: cli.ts --households N --seed S [--out FILE] [--securities K] [--years Y] [--end-date YYYY-MM-DD] [--no-history]';

function fail(message: string): never {
  process.stderr.write(`demo: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function intOption(values: Record<string, unknown>, name: string, fallback: number | undefined, min: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer ≥ ${min}, got ${JSON.stringify(raw)}`);
  return n;
}

function main(): void {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      options: {
        households: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, securities: { type: 'string' },
        years: { type: 'string' }, 'end-date': { type: 'string' }, 'no-history': { type: 'boolean' }, help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const households = intOption(values, 'households', undefined, 0) ?? fail('--households is required');
  const seed = intOption(values, 'seed', 1, 0)!;
  const securities = intOption(values, 'securities', 500, 24)!;
  const years = intOption(values, 'years', 10, 1)!;
  const endDate = (values['end-date'] as string | undefined) ?? '2026-11-20';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(endDate) || Number.isNaN(Date.parse(`${endDate}T00:00:00Z`))) fail(`--end-date must be YYYY-MM-DD, got ${endDate}`);
  const history = !values['no-history'];

  const t0 = performance.now();
  let book;
  try {
    book = generateBook({ households, seed, securities, years, endDate, history });
  } catch (err) {
    fail((err as Error).message);
  }
  const genSec = (performance.now() - t0) / 1000;
  process.stderr.write(`generated ${book.households.length} households, ${book.accounts.length} accounts, ${book.lots.length} lots, `
    + `${book.transactions.length} transactions, ${book.securities.length} securities × ${book.prices.dates.length} days in ${genSec.toFixed(2)} s\n`);

  const out = values.out as string | undefined;
  const fd = out ? openSync(out, 'w') : 1;
  try {
    for (const chunk of bookJsonChunks(book, { households, seed, securities, years, endDate, history })) writeSync(fd, chunk);
  } finally {
    if (out) closeSync(fd);
  }
  if (out) process.stderr.write(`wrote ${out}\n`);
}

main();
