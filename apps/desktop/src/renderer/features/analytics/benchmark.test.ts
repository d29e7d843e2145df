import { describe, expect, it } from 'vitest';
import { defaultBenchmark } from './benchmark.ts';

describe('defaultBenchmark', () => {
  it('prefers an S&P 500 tracker, then the first US large-cap symbol', () => {
    expect(defaultBenchmark([
      { symbol: 'ZZZ', name: 'Z S&P 500 Index', assetClass: 'US Large Cap' },
      { symbol: 'AAA', name: 'A Growth', assetClass: 'US Large Cap' },
    ])).toBe('ZZZ');
    expect(defaultBenchmark([
      { symbol: 'BBB', name: 'B Bonds', assetClass: 'US Bonds' },
      { symbol: 'CCC', name: 'C', assetClass: 'US Large Cap' },
    ])).toBe('CCC');
    expect(defaultBenchmark([])).toBe('');
  });
});
