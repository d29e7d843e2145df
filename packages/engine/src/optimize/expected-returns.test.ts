import { describe, expect, it } from 'vitest';
import { EstimatorError } from '../risk/errors.ts';
import { expectedReturns } from './expected-returns.ts';
import { closeTo, referenceValues, spyPrices, stockPrices } from './test-fixtures.ts';

const dummy = {
  dates: ['1', '2', '3', '4', '5'],
  symbols: ['a', 'b', 'c', 'd'],
  closes: Float64Array.from([4.0, 2.0, 0.6, -12, 4.2, 2.1, 0.59, -13.2, 3.9, 2.0, 0.58, -11.3, 4.3, 2.1, 0.62, -11.7, 4.1, 2.2, 0.63, -10.1]),
};

describe('expectedReturns: mean historical (PyPortfolioOpt mean_historical_return)', () => {
  it('compounded: Π(1+r)^(frequency/count) − 1, hand-checked on 4 prices', () => {
    const prices = { dates: ['1', '2', '3', '4'], symbols: ['X'], closes: Float64Array.from([100, 110, 99, 121]) };
    // Returns 0.1, −0.1, 0.2222…: product = 1.21, three periods → 1.21^(252/3) − 1.
    expect(closeTo(expectedReturns(prices)[0], 1.21 ** (252 / 3) - 1, 1e-12)).toBe(true);
    expect(closeTo(expectedReturns(prices, { compounding: false, frequency: 1 })[0], (0.1 - 0.1 + 22 / 99) / 3, 1e-12)).toBe(true);
  });

  it("matches PyPortfolioOpt's test_mean_historical_returns_dummy (negative prices excluded)", () => {
    const three = { ...dummy, symbols: ['a', 'b', 'c'], closes: Float64Array.from([...dummy.closes].filter((_, i) => i % 4 !== 3)) };
    const mean = expectedReturns(three, { frequency: 1 });
    [0.0061922, 0.0241137, 0.0122722].forEach((v, i) => expect(closeTo(mean[i], v, 1e-3)).toBe(true));
    const arith = expectedReturns(three, { compounding: false, frequency: 1 });
    [0.008656, 0.025, 0.0128697].forEach((v, i) => expect(closeTo(arith[i], v, 1e-3)).toBe(true));
  });

  it('rejects non-positive prices with a readable error', () => {
    expect(() => expectedReturns(dummy)).toThrow(EstimatorError);
    expect(() => expectedReturns(dummy)).toThrow(/d on 1/);
  });

  it('on the 20-stock file with later listings: PyPortfolioOpt published values, and numpy to 1e-12', () => {
    const mu = expectedReturns(stockPrices());
    const published = [
      0.247967, 0.294304, 0.284037, 0.1923164, 0.371327, 0.1360093, 0.0328503, 0.1200115, 0.10554, 0.0423457,
      0.1002559, 0.1442237, -0.0792602, 0.1430506, 0.0736356, 0.238835, 0.388665, 0.226717, 0.1561701, 0.2318153,
    ];
    published.forEach((v, i) => expect(Math.abs(mu[i] - v)).toBeLessThan(1.5e-6)); // assert_array_almost_equal
    referenceValues.meanHistorical.forEach((v, i) => expect(closeTo(mu[i], v, 1e-12)).toBe(true));
  });
});

describe('expectedReturns: EMA (pandas ewm, adjust=True)', () => {
  it('matches numpy on the 20-stock file (span 500)', () => {
    const mu = expectedReturns(stockPrices(), { method: 'ema' });
    referenceValues.ema500.forEach((v, i) => expect(closeTo(mu[i], v, 1e-10)).toBe(true));
  });

  it('hand-checked weights: span 3 → α = 0.5, weights 1, 0.5, 0.25 from the latest', () => {
    const prices = { dates: ['1', '2', '3', '4'], symbols: ['X'], closes: Float64Array.from([100, 110, 99, 121]) };
    const r = [0.1, -0.1, 22 / 99];
    const ema = (0.25 * r[0] + 0.5 * r[1] + 1 * r[2]) / 1.75;
    expect(closeTo(expectedReturns(prices, { method: 'ema', span: 3, compounding: false, frequency: 1 })[0], ema, 1e-12)).toBe(true);
  });

  it('with a huge span equals the arithmetic mean (PyPortfolioOpt test_ema_historical_return_limit)', () => {
    const prices = stockPrices();
    const sma = expectedReturns(prices, { compounding: false });
    const ema = expectedReturns(prices, { method: 'ema', compounding: false, span: 1e10 });
    sma.forEach((v, i) => expect(Math.abs(ema[i] - v)).toBeLessThan(1e-6));
  });
});

describe('expectedReturns: CAPM (PyPortfolioOpt capm_return)', () => {
  it('equal-weighted market proxy: published values to 1e-12 relative', () => {
    const mu = expectedReturns(stockPrices(), { method: 'capm', riskFreeRate: 0.02 });
    const published = [
      0.22148462799238577, 0.2835429647498704, 0.14693081977908462, 0.1488989354304723, 0.4162399750335195,
      0.22716772604184535, 0.3970337136813829, 0.16733214988182069, 0.31791477659742146, 0.17279931642386534,
      0.15271750464365566, 0.351778014382922, 0.32859883451716376, 0.1501938182844417, 0.268295486802897,
      0.31632339201710874, 0.27753479916328516, 0.16959588523287855, 0.3089119447773357, 0.2558719211959501,
    ];
    published.forEach((v, i) => expect(closeTo(mu[i], v, 1e-12)).toBe(true));
  });

  it('with a benchmark (SPY): published values', () => {
    const spy = spyPrices();
    const mu = expectedReturns(stockPrices(), { method: 'capm', riskFreeRate: 0.02, benchmark: { dates: spy.dates, closes: spy.closes } });
    const published = [
      0.09115799375654746, 0.09905386632033128, 0.05676282405265752, 0.06291827346436336, 0.13147799781014877,
      0.10239088012000815, 0.1311567086884512, 0.07339649698626659, 0.1301248935078549, 0.07620949056643983,
      0.07629095442513395, 0.12163575425541985, 0.10400070536161658, 0.0781736030988492, 0.09185177050469516,
      0.10245700691271296, 0.11268307946677197, 0.07870087187919145, 0.1275598841214107, 0.09536788741392595,
    ];
    published.forEach((v, i) => expect(closeTo(mu[i], v, 1e-9)).toBe(true));
  });
});
