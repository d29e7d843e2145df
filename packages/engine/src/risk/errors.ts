// Named errors of the estimators (expected returns and risk models). Boundaries (CLI, workers) turn them into
// `{code, message}`; `code` is stable, `message` is for people.

export class EstimatorError extends Error {
  override name = 'EstimatorError';
  constructor(public readonly code: 'bad_prices' | 'insufficient_data' | 'bad_option', message: string) {
    super(message);
  }
}
