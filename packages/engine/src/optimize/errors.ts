// Named errors of the optimizer. `code` is stable for boundaries (CLI exit 2, worker `{code, message}`).

export class OptimizeError extends Error {
  override name = 'OptimizeError';
  constructor(public readonly code: string, message: string) {
    super(message);
  }
}

/** The constraints admit no portfolio, or a target cannot be reached (return too high, volatility too low). */
export class InfeasibleError extends OptimizeError {
  override name = 'InfeasibleError';
  constructor(message: string) {
    super('infeasible', message);
  }
}

/** Inputs that make no sense (shapes, NaNs, bounds with min > max, unknown symbols in a group…). */
export class OptimizeInputError extends OptimizeError {
  override name = 'OptimizeInputError';
  constructor(message: string) {
    super('bad_input', message);
  }
}

/** The problem is unbounded (e.g. maximizing return with unlimited short positions). */
export class UnboundedError extends OptimizeError {
  override name = 'UnboundedError';
  constructor(message: string) {
    super('unbounded', message);
  }
}

/** Numerical failure inside a solver (should not happen on valid inputs). */
export class SolverError extends OptimizeError {
  override name = 'SolverError';
  constructor(message: string) {
    super('solver_failed', message);
  }
}
