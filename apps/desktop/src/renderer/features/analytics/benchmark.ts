// The default benchmark of the performance view: a security tracking the S&P 500 if the book has one, else the
// first US large-cap security by symbol, else the first security. Pure (used by the screen and the e2e test).
import type { Security } from '@aw/domain';

export function defaultBenchmark(securities: readonly Pick<Security, 'symbol' | 'name' | 'assetClass'>[]): string {
  const bySymbol = [...securities].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  return (bySymbol.find((s) => /S&P 500/i.test(s.name)) ?? bySymbol.find((s) => s.assetClass === 'US Large Cap') ?? bySymbol[0])?.symbol ?? '';
}
