// `advisor optimize` and `advisor frontier` (CONTRACTS section 3): mean-variance optimization of the securities in a
// prices file (wide or long CSV, later listings as empty cells). Pipeline: expected returns (mean/ema/capm) →
// risk model (sample/ledoit-wolf, repaired when not PSD) → optimizer → cleaned weights. Units: annual returns,
// volatilities and rates as fractions; weights sum to 1. JSON on stdout with --json; notes on stderr; exit 2 on bad
// input or an infeasible target.
import { Option, type Command } from 'commander';
import {
  efficientFrontier, expectedReturns, OBJECTIVES, optimize, riskModel, dailyReturns,
  type ConstraintOptions, type GroupLimit, type Objective, type PortfolioInputs, type ReturnsMethod, type RiskMethod,
} from '@aw/engine/optimize';
import { CliInputError, numberOption } from '../errors.ts';
import { formatTable, pct, printJson, processIo, type Io } from '../output.ts';
import { readGroups, readPrices } from '../readers.ts';

interface EstimatorFlags {
  prices: string;
  riskFree: string;
  frequency: string;
  returns: ReturnsMethod;
  cov: RiskMethod;
  span?: string;
  minWeight: string;
  maxWeight: string;
  gamma: string;
  /** CSV `symbol,group` (sectors, asset classes…) for --group-max/--group-min. */
  groups?: string;
  groupMax?: string[];
  groupMin?: string[];
  json?: boolean;
}

interface OptimizeFlags extends EstimatorFlags {
  objective: Objective;
  target?: string;
  riskAversion: string;
}

interface FrontierFlags extends EstimatorFlags {
  points: string;
}

export interface OptimizeOutput {
  weights: Record<string, number>;
  expectedReturn: number;
  volatility: number;
  sharpe: number;
}

export interface FrontierOutput {
  points: OptimizeOutput[];
}

/** Read the prices and run the estimators; notes (repairs) go to stderr. */
async function estimate(flags: EstimatorFlags, io: Io, command: string): Promise<{ inputs: PortfolioInputs; constraints: ConstraintOptions; riskFreeRate: number }> {
  const frequency = numberOption('--frequency', flags.frequency, (x) => x > 0, 'a positive number of periods per year');
  const riskFreeRate = numberOption('--risk-free', flags.riskFree, undefined, 'an annual rate such as 0.02');
  const minWeight = numberOption('--min-weight', flags.minWeight, (x) => x >= -1e9, 'a weight such as 0 or -0.5');
  const maxWeight = numberOption('--max-weight', flags.maxWeight, (x) => x <= 1e9, 'a weight such as 0.25');
  const gamma = numberOption('--gamma', flags.gamma, (x) => x >= 0, 'a non-negative number');
  const span = flags.span === undefined ? undefined : numberOption('--span', flags.span, (x) => x >= 1, 'a span of at least 1 period');
  const prices = await readPrices(flags.prices);
  if (prices.symbols.length === 0) throw new CliInputError(`${flags.prices}: no securities`);
  const returns = dailyReturns(prices);
  const mu = expectedReturns(returns, { method: flags.returns, frequency, span, riskFreeRate });
  const risk = riskModel(returns, { method: flags.cov, frequency });
  if (risk.repaired) {
    io.stderr(`advisor ${command}: the pairwise covariance (securities with different histories) was not positive semidefinite; negative eigenvalues were clipped to 0\n`);
  }
  const groups = await groupLimits(flags, prices.symbols);
  return { inputs: { symbols: prices.symbols, mu, cov: risk.cov }, constraints: { minWeight, maxWeight, gamma, groups }, riskFreeRate };
}

/** `--group-max NAME=W` / `--group-min NAME=W` over the memberships of the --groups file. */
async function groupLimits(flags: EstimatorFlags, symbols: readonly string[]): Promise<GroupLimit[]> {
  const specs = [...(flags.groupMax ?? []).map((v) => ['max', v] as const), ...(flags.groupMin ?? []).map((v) => ['min', v] as const)];
  if (!flags.groups) {
    if (specs.length) throw new CliInputError('--group-max/--group-min need --groups FILE (a CSV of symbol,group)');
    return [];
  }
  const members = await readGroups(flags.groups, symbols);
  const limits = new Map<string, GroupLimit>();
  for (const [bound, spec] of specs) {
    const m = /^(.+)=([^=]+)$/.exec(spec);
    if (!m) throw new CliInputError(`--group-${bound}: expected NAME=WEIGHT such as "Technology=0.3", got ${JSON.stringify(spec)}`);
    const name = m[1]!.trim();
    const symbolsOf = members.get(name);
    if (!symbolsOf) throw new CliInputError(`--group-${bound}: unknown group "${name}" (groups in ${flags.groups}: ${[...members.keys()].join(', ')})`);
    const w = numberOption(`--group-${bound}`, m[2]!, (x) => x >= 0 && x <= 1, 'a weight from 0 to 1');
    const limit = limits.get(name) ?? { name, symbols: symbolsOf };
    limit[bound] = w;
    limits.set(name, limit);
  }
  return [...limits.values()];
}

const nonZero = (w: Record<string, number>): [string, number][] => Object.entries(w).filter(([, v]) => v !== 0).sort((a, b) => b[1] - a[1]);

export async function optimizeCommand(flags: OptimizeFlags, io: Io): Promise<OptimizeOutput> {
  const objective = flags.objective;
  const needsTarget = objective === 'efficient-return' || objective === 'efficient-risk';
  if (needsTarget && flags.target === undefined) {
    throw new CliInputError(`--objective ${objective} needs --target (${objective === 'efficient-return' ? 'an annual return such as 0.2' : 'an annual volatility such as 0.18'})`);
  }
  const target = flags.target === undefined ? undefined : numberOption('--target', flags.target);
  const riskAversion = numberOption('--risk-aversion', flags.riskAversion, (x) => x > 0, 'a positive number');
  const { inputs, constraints, riskFreeRate } = await estimate(flags, io, 'optimize');
  const r = optimize(inputs, {
    objective, ...constraints, riskFreeRate, riskAversion,
    targetReturn: objective === 'efficient-return' ? target : undefined,
    targetVolatility: objective === 'efficient-risk' ? target : undefined,
  });
  const out: OptimizeOutput = { weights: r.weights, expectedReturn: r.expectedReturn, volatility: r.volatility, sharpe: r.sharpe };
  if (flags.json) printJson(io, out);
  else {
    io.stdout(`${objective} portfolio of ${inputs.symbols.length} securities from ${flags.prices}\n\n`);
    io.stdout(formatTable(['symbol', 'weight'], nonZero(out.weights).map(([s, w]) => [s, pct(w)])));
    io.stdout('\n' + formatTable(['measure', 'value'], [
      ['expected annual return', pct(out.expectedReturn)],
      ['annual volatility', pct(out.volatility)],
      [`Sharpe ratio (risk-free ${pct(riskFreeRate)})`, out.sharpe.toFixed(3)],
    ]));
  }
  return out;
}

export async function frontierCommand(flags: FrontierFlags, io: Io): Promise<FrontierOutput> {
  const points = numberOption('--points', flags.points, (x) => Number.isInteger(x) && x >= 2 && x <= 10_000, 'a whole number of points from 2 to 10000');
  const { inputs, constraints, riskFreeRate } = await estimate(flags, io, 'frontier');
  const f = efficientFrontier(inputs, { ...constraints, riskFreeRate, points });
  const out: FrontierOutput = {
    points: f.points.map((p) => ({ expectedReturn: p.expectedReturn, volatility: p.volatility, sharpe: p.sharpe, weights: p.weights })),
  };
  if (flags.json) printJson(io, out);
  else {
    io.stdout(`Efficient frontier of ${inputs.symbols.length} securities from ${flags.prices} (${points} points)\n\n`);
    io.stdout(formatTable(['#', 'return', 'volatility', 'sharpe', 'largest holdings'], out.points.map((p, i) => [
      i + 1, pct(p.expectedReturn), pct(p.volatility), p.sharpe.toFixed(3),
      nonZero(p.weights).slice(0, 3).map(([s, w]) => `${s} ${pct(w, 1)}`).join(', '),
    ])));
  }
  return out;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Estimator and constraint options shared by both commands. */
function estimatorOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--prices <file>', 'prices CSV, wide (date,SYM1,SYM2,…) or long (date,symbol,close)')
    .option('--risk-free <rate>', 'annual risk-free rate (Sharpe ratio, max-sharpe, CAPM)', '0.02')
    .option('--frequency <n>', 'price periods per year', '252')
    .addOption(new Option('--returns <method>', 'expected returns: compounded mean, EMA, or CAPM').choices(['mean', 'ema', 'capm']).default('mean'))
    .addOption(new Option('--cov <method>', 'risk model: sample covariance or Ledoit-Wolf shrinkage').choices(['sample', 'ledoit-wolf']).default('sample'))
    .option('--span <n>', 'EMA span in periods (default 500)')
    .option('--min-weight <w>', 'minimum weight per security (negative allows shorts)', '0')
    .option('--max-weight <w>', 'maximum weight per security', '1')
    .option('--gamma <g>', 'L2 regularization (more, smaller positions)', '0')
    .option('--groups <file>', 'CSV of symbol,group memberships (sectors, asset classes) for group limits')
    .option('--group-max <name=w>', 'most total weight in a group of --groups, e.g. Technology=0.3 (repeatable)', collect, [])
    .option('--group-min <name=w>', 'least total weight in a group of --groups (repeatable)', collect, [])
    .option('--json', 'print JSON to stdout');
}

export function registerOptimizeCommands(program: Command, io: Io = processIo): void {
  estimatorOptions(program.command('optimize')
    .description('mean-variance optimal weights for the securities in a prices file')
    .addOption(new Option('--objective <name>', 'what to optimize').choices([...OBJECTIVES]).default('max-sharpe'))
    .option('--target <x>', 'target annual return (efficient-return) or volatility (efficient-risk)')
    .option('--risk-aversion <a>', 'risk aversion δ for max-quadratic-utility', '1'))
    .action(async (flags: OptimizeFlags) => { await optimizeCommand(flags, io); });
  estimatorOptions(program.command('frontier')
    .description('the efficient frontier: portfolios from minimum volatility to maximum return')
    .option('--points <n>', 'number of portfolios', '50'))
    .action(async (flags: FrontierFlags) => { await frontierCommand(flags, io); });
}
