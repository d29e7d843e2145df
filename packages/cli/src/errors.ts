// Errors at the CLI boundary: bad input (a malformed file, an unknown option value, an infeasible target) exits 2
// with a readable message on stderr; anything else is a bug and exits 1 with its stack.
export class CliInputError extends Error {
  override name = 'CliInputError';
}

/** Names of the engine's and readers' error classes that describe bad input rather than a bug. */
const BAD_INPUT_NAMES = new Set([
  'CliInputError', 'CsvImportError', 'DateError', 'IrrNoRootError', 'IrrInputError', 'ValueSeriesError', 'LedgerError',
  'TaxLedgerError', 'HarvestInputError', 'ProfileInputError', 'InfeasibleError', 'OptimizeInputError', 'UnboundedError',
  'EstimatorError',
]);
const BAD_INPUT_CODES = new Set(['bad_input', 'bad_option', 'bad_prices', 'infeasible', 'unbounded', 'insufficient_data']);

export function isBadInput(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (BAD_INPUT_NAMES.has(e.name) || BAD_INPUT_NAMES.has(e.constructor.name)) return true;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && BAD_INPUT_CODES.has(code);
}

/** Parse a decimal option value or fail with the option named. */
export function numberOption(name: string, value: string, check?: (x: number) => boolean, rule = ''): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || (check && !check(x))) {
    throw new CliInputError(`${name}: expected ${rule || 'a number'}, got ${JSON.stringify(value)}`);
  }
  return x;
}
