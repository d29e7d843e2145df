// Test fixtures: PyPortfolioOpt's own test data (20 tickers, 1989–2018, later listings as empty cells), its SPY
// benchmark, and reference values re-computed independently with numpy (resources/samples/optimize/README.md).
import type { PriceMatrix } from '@aw/domain';
import stockCsv from '../../../../resources/samples/optimize/stock_prices_20.csv?raw';
import spyCsv from '../../../../resources/samples/optimize/spy_prices.csv?raw';
import reference from '../../../../resources/samples/optimize/reference-values.json';

/** Minimal wide-CSV reader for the fixtures (the real reader is @aw/files, which the engine may not import). */
export function parseWide(text: string): PriceMatrix {
  const lines = text.trim().split(/\r?\n/);
  const symbols = lines[0].split(',').slice(1);
  const dates: string[] = [];
  const closes = new Float64Array((lines.length - 1) * symbols.length);
  lines.slice(1).forEach((line, d) => {
    const cells = line.split(',');
    dates.push(cells[0]);
    for (let s = 0; s < symbols.length; s++) closes[d * symbols.length + s] = cells[s + 1] === '' || cells[s + 1] === undefined ? NaN : Number(cells[s + 1]);
  });
  return { dates, symbols, closes };
}

export const stockPrices = (): PriceMatrix => parseWide(stockCsv);
export const spyPrices = (): PriceMatrix => parseWide(spyCsv);
export const referenceValues = reference as {
  symbols: string[];
  meanHistorical: number[];
  ema500: number[];
  sampleCov: number[][];
  ledoitWolfShrinkage: number;
  ledoitWolfCov: number[][];
  npd: { input: number[][]; fixed: number[][]; eigenvalues: number[] };
};

/** |a − b| ≤ rel·max(|b|, floor). */
export function closeTo(a: number, b: number, rel: number, floor = 1e-12): boolean {
  return Math.abs(a - b) <= rel * Math.max(Math.abs(b), floor);
}
