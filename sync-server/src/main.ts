// `npm run server -- [--port N] [--host H] [--data DIR] [--demo] [--body-limit SIZE]`: the sync server alone.
// `npm run server -- add-user --username X --password-stdin --team T --role R [--data DIR]`: adds a user.
// Prints `listening on http://HOST:PORT` on stdout once ready; logs (JSON, pino) go to stderr.
// SIGTERM/SIGINT drain: stop accepting, close ws with 1001, finish in-flight requests, stop features, close DBs.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { ROLES, type Role } from '@aw/domain';
import { createServer, DataDirInUseError } from './app.ts';
import { SqlDbOpenError, openSqlDb } from './db/sql-db.ts';
import { createAuthTables } from './auth/auth-tables.ts';
import { createUser, UserInputError } from './auth/users.ts';

/** The per-user data folder: $XDG_DATA_HOME, ~/Library/Application Support or %APPDATA%, + advisor-workstation/server. */
export function defaultDataDir(): string {
  const app = join('advisor-workstation', 'server');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), app);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', app);
  return join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), app);
}

/** '5mb', '512kb', '1048576' → bytes. */
export function parseSize(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(v.trim());
  if (!m) throw new InvalidArgumentError(`"${v}" is not a size (e.g. 5mb, 512kb, 1048576)`);
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
  const bytes = Math.floor(Number(m[1]) * unit);
  if (bytes < 1024) throw new InvalidArgumentError('body limit must be at least 1kb');
  return bytes;
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`"${v}" is not a port (0-65535; 0 = any free port)`);
  return n;
}

function fail(message: string): never {
  process.stderr.write(`sync-server: ${message}\n`);
  process.exit(1);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function serve(opts: { port: number; host: string; data: string; demo: boolean; demoHouseholds: number; bodyLimit: number }): Promise<void> {
  const log = pino({ level: process.env.LOG_LEVEL ?? 'info', base: undefined }, pino.destination(2));
  const dataDir = resolve(opts.data);
  let server;
  try {
    mkdirSync(dataDir, { recursive: true });
    server = await createServer({ port: opts.port, host: opts.host, dataDir, demo: opts.demo, bodyLimitBytes: opts.bodyLimit }, { logger: log, demoHouseholds: opts.demoHouseholds });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (err instanceof SqlDbOpenError || err instanceof DataDirInUseError) fail(e.message ?? String(err));
    if (e.code === 'EADDRINUSE') fail(`port ${opts.port} on ${opts.host} is already in use; pick another with --port (0 = any free port)`);
    if (e.code === 'EACCES' || e.code === 'EPERM') fail(`permission denied: ${e.message}`);
    log.fatal({ err }, 'startup failed');
    fail(`startup failed: ${e.message ?? String(err)}`);
  }
  process.stdout.write(`listening on ${server.url}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write(`sync-server: second ${signal}, exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    server.close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function addUser(opts: { username: string; password?: string; passwordStdin?: boolean; team: string; role: Role; data: string }): Promise<void> {
  const password = opts.passwordStdin ? await readStdin() : opts.password;
  if (!password) fail('give the password with --password-stdin (recommended) or --password');
  let sql;
  try {
    mkdirSync(resolve(opts.data), { recursive: true });
    sql = await openSqlDb(join(resolve(opts.data), 'server.sqlite'));
  } catch (err) {
    fail((err as Error).message);
  }
  try {
    await createAuthTables(sql);
    const u = await createUser(sql, { username: opts.username, password, teamId: opts.team, role: opts.role });
    process.stdout.write(`added user ${u.username} (id ${u.id}, team "${u.team_id}", role ${u.role})\n`);
  } catch (err) {
    if (err instanceof UserInputError) fail(err.message);
    throw err;
  } finally {
    await sql.close();
  }
}

const program = new Command('sync-server')
  .description('Advisor Workstation sync server: team replication of client books, auth, market data')
  .enablePositionalOptions()
  .option('--port <n>', 'TCP port (0 = any free port)', parsePort, 8787)
  .option('--host <host>', 'interface to listen on', '127.0.0.1')
  .option('--data <dir>', 'data folder (SQLite files)', defaultDataDir())
  .option('--demo', 'seed the demo users and demo book on first run', false)
  .option('--demo-households <n>', 'households of the demo book (first demo run only)', (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new InvalidArgumentError('must be an integer from 1 to 100000');
    return n;
  }, 25)
  .option('--body-limit <size>', 'largest accepted request body (e.g. 5mb)', parseSize, 5 * 1024 * 1024)
  .action((opts) => serve(opts));

program
  .command('add-user')
  .description('add a user (and its team) to the server in --data; the server may be running')
  .requiredOption('--username <name>', 'login name (lowercase)')
  .option('--password-stdin', 'read the password from stdin')
  .option('--password <pw>', 'the password (visible in the process list: prefer --password-stdin)')
  .option('--team <team>', 'team id (empty for provider/admin)', '')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, (v: string) => {
    if (!(ROLES as readonly string[]).includes(v)) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
    return v as Role;
  })
  .option('--data <dir>', 'data folder (SQLite files)', defaultDataDir())
  .action((opts) => addUser(opts));

program.parseAsync(process.argv).catch((err) => fail((err as Error).message));
