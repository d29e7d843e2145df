// Bench: demo-book generation speed. `npm run bench -- demo [--households N] [--seed S] [--no-history] [--smoke]`
// Default 25,000 households (≈100k accounts, ≈4M lots, a completed buy per lot); --smoke: 250.
// Reports wall-clock seconds and CPU seconds (the latter is steadier on a shared machine).
import { parseArgs } from 'node:util';
import { generateBook } from '@aw/demo';

const { values } = parseArgs({
  options: { households: { type: 'string' }, seed: { type: 'string' }, smoke: { type: 'boolean' }, 'no-history': { type: 'boolean' } },
  strict: true,
});
const households = Number(values.households ?? (values.smoke ? 250 : 25_000));
const seed = Number(values.seed ?? 42);
const history = !values['no-history'];
if (!Number.isInteger(households) || households < 1) {
  process.stderr.write(`--households must be a positive integer\n`);
  process.exit(2);
}

process.stderr.write(`generating ${households} households (seed ${seed}, history ${history})…\n`);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const book = generateBook({ households, seed, history });
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSec = (cpu.user + cpu.system) / 1e6;
const heapMb = process.memoryUsage().heapUsed / 1e6;

const rows: [string, string][] = [
  ['households', String(book.households.length)],
  ['accounts', String(book.accounts.length)],
  ['lots', String(book.lots.length)],
  ['transactions', String(book.transactions.length)],
  ['securities × days', `${book.securities.length} × ${book.prices.dates.length}`],
  ['wall seconds', seconds.toFixed(2)],
  ['cpu seconds', cpuSec.toFixed(2)],
  ['lots per second', Math.round(book.lots.length / seconds).toLocaleString('en-US')],
  ['heap MB', heapMb.toFixed(0)],
];
for (const [k, v] of rows) console.log(`${k.padEnd(20)} ${v}`);
console.log(JSON.stringify({
  bench: 'demo', households: book.households.length, accounts: book.accounts.length, lots: book.lots.length,
  transactions: book.transactions.length, seconds: Number(seconds.toFixed(3)), cpuSec: Number(cpuSec.toFixed(3)),
  lotsPerSec: Math.round(book.lots.length / seconds), history,
}));
