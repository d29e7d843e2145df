// The `advisor` CLI (CONTRACTS section 3): optimize, frontier, tax, returns. JSON to stdout with --json, readable
// tables otherwise; progress and messages on stderr. Exit codes: 0 ok, 2 bad input (a file error names the file,
// line and column), 1 an unexpected failure.
import { Command, CommanderError } from 'commander';
import { registerOptimizeCommands } from './commands/optimize.ts';
import { registerReturnsCommand } from './commands/returns.ts';
import { registerTaxCommand } from './commands/tax.ts';
import { isBadInput } from './errors.ts';
import { processIo, type Io } from './output.ts';

export function buildProgram(io: Io = processIo): Command {
  const program = new Command('advisor')
    .description('Advisor Workstation offline analysis: portfolio optimization, efficient frontier, taxes, returns')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .exitOverride();
  registerOptimizeCommands(program, io);
  registerTaxCommand(program, io);
  registerReturnsCommand(program, io);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  return program;
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function run(argv: string[], io: Io = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; usage errors (unknown option, missing argument) are bad input
      return e.exitCode === 0 ? 0 : 2;
    }
    if (isBadInput(e)) {
      io.stderr(`advisor: ${(e as Error).message}\n`);
      return 2;
    }
    io.stderr(`advisor: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}
