// `npm run conformance -- --rxdb-repo <path> [--grep <pattern>]`: runs RxDB's storage conformance suite
// (test/unit/rx-storage-implementations.test.ts and test/unit/rx-storage-query-correctness.test.ts of an rxdb
// checkout, unmodified) against @aw/rxdb-storage-sqlite with mocha, and prints the pass/fail counts.
// The checkout needs no install or build: hooks.ts maps its imports to the installed rxdb package.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const FILES = ['test/unit/rx-storage-implementations.test.ts', 'test/unit/rx-storage-query-correctness.test.ts'];

function fail(msg: string): never {
  process.stderr.write(`conformance: ${msg}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const repoArg = args[args.indexOf('--rxdb-repo') + 1];
if (!args.includes('--rxdb-repo') || !repoArg) {
  fail('usage: npm run conformance -- --rxdb-repo <path to a pubkey/rxdb checkout at the installed version>');
}
const repo = resolve(repoArg);
for (const f of [...FILES, 'test/unit/config.ts']) {
  if (!existsSync(join(repo, f))) fail(`${join(repo, f)} not found: is ${repo} an rxdb checkout?`);
}
const installed = (JSON.parse(readFileSync(require.resolve('rxdb/package.json'), 'utf8')) as { version: string }).version;
const repoPkg = join(repo, 'package.json');
const repoVersion = existsSync(repoPkg) ? (JSON.parse(readFileSync(repoPkg, 'utf8')) as { version?: string }).version : undefined;
if (repoVersion && repoVersion !== installed) {
  process.stderr.write(`conformance: WARNING checkout is rxdb ${repoVersion}, installed rxdb is ${installed}\n`);
}

const tmp = mkdtempSync(join(tmpdir(), 'aw-conformance-'));
const grepAt = args.indexOf('--grep');
const mochaArgs = [
  '--import',
  import.meta.resolve('tsx'),
  '--import',
  join(here, 'register.ts'),
  require.resolve('mocha/bin/mocha.js'),
  '--timeout',
  '120000',
  '--reporter',
  'spec',
  '--exit',
  ...(grepAt >= 0 ? ['--grep', args[grepAt + 1]] : []),
  ...FILES.map((f) => join(repo, f)),
];
process.stderr.write(`conformance: rxdb ${installed}, suite from ${repo}, storage files in ${tmp}\n`);
const r = spawnSync(process.execPath, mochaArgs, {
  cwd: repo,
  env: { ...process.env, DEFAULT_STORAGE: 'custom', AW_CONFORMANCE_REPO: repo, AW_CONFORMANCE_TMP: tmp },
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
  maxBuffer: 256 * 1024 * 1024,
});
process.stdout.write(r.stdout ?? '');
rmSync(tmp, { recursive: true, force: true });
const passing = Number(/(\d+) passing/.exec(r.stdout ?? '')?.[1] ?? 0);
const failing = Number(/(\d+) failing/.exec(r.stdout ?? '')?.[1] ?? 0);
const pending = Number(/(\d+) pending/.exec(r.stdout ?? '')?.[1] ?? 0);
console.log(JSON.stringify({ conformance: 'rxdb-storage', rxdb: installed, passing, failing, pending, exit: r.status }));
process.exit(r.status === 0 && failing === 0 && passing > 0 ? 0 : 1);
