// `npm run bench -- <name> [options]`: runs bench/<name>.bench.ts in its own process.
// `npm run bench -- all --smoke` runs every bench at its smoke size (npm test does this so benches never rot);
// each must end its stdout with one JSON line {"bench":"<name>",...}.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, '')).sort();
const [name, ...args] = process.argv.slice(2);

function runOne(bench: string, benchArgs: string[]): { ok: boolean; last: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, `${bench}.bench.ts`), ...benchArgs], {
    stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
  });
  process.stdout.write(r.stdout ?? '');
  const last = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  let ok = r.status === 0;
  try {
    ok &&= JSON.parse(last).bench === bench;
  } catch {
    ok = false;
  }
  if (!ok) process.stderr.write(`bench ${bench}: failed (exit ${r.status}; last line must be {"bench":"${bench}",...})\n`);
  return { ok, last };
}

if (!name || name === '--help') {
  process.stderr.write(`usage: npm run bench -- <name> [options]\nbenches: ${available.join(', ')}, all\n`);
  process.exit(name ? 0 : 2);
} else if (name === 'all') {
  const results = available.map((b) => ({ b, ...runOne(b, args) }));
  const failed = results.filter((r) => !r.ok);
  process.stderr.write(`\nbenches: ${results.length - failed.length} passed, ${failed.length} failed\n`);
  console.log(JSON.stringify({ bench: 'all', ran: results.length, failed: failed.map((f) => f.b) }));
  process.exit(failed.length ? 1 : 0);
} else if (!available.includes(name)) {
  process.stderr.write(`unknown bench "${name}"; benches: ${available.join(', ')}\n`);
  process.exit(2);
} else {
  process.exit(runOne(name, args).ok ? 0 : 1);
}
