// The demo market: ~10 years of correlated daily closes for the security master and an FX matrix.
// Price model: log-returns from a factor model (market, interest rates, asset class, sector, index group) plus
// idiosyncratic noise, i.e. correlated geometric Brownian motion with annual drift `mu` (fractions, 252 trading
// days a year). Closes are per share in the security's currency, rounded to cents; FX rates are quote currency
// per 1 unit of base (EURUSD = USD per EUR, USDJPY = JPY per USD, JPYUSD = USD per JPY).
import type { IsoDate, PriceMatrix, Security } from '@aw/domain';
import { tradingDates } from './calendar.ts';
import { createRng, subSeed } from './random.ts';
import { ASSET_CLASSES, buildUniverse, MARKET_VOL, RATES_VOL, toSecurity, type Universe } from './universe.ts';

export const DEFAULT_END_DATE = '2026-11-20';
const YEAR_DAYS = 252;
const SECTOR_VOL = 0.06;

export interface MarketOptions {
  seed: number;
  /** Number of securities (default 500, at least 24). */
  securities?: number;
  /** Years of daily history (default 10). */
  years?: number;
  /** Last date of the history (default '2026-11-20'). */
  endDate?: IsoDate;
}

export interface Market {
  securities: Security[];
  prices: PriceMatrix;
  fx: PriceMatrix;
}

/** The generator's richer view of the market (security bookkeeping the book generator needs). */
export interface MarketInternals extends Market {
  universe: Universe;
  /** Date index of each security's first close (0 unless listed later). */
  firstPriceIndex: Int32Array;
  /** Epoch ms stamped on every generated document (end date, 21:00 UTC). */
  updatedAt: number;
}

export const FX_PAIRS = [
  { symbol: 'EURUSD', start: 1.10, vol: 0.08, decimals: 5 },
  { symbol: 'GBPUSD', start: 1.30, vol: 0.09, decimals: 5 },
  { symbol: 'USDJPY', start: 108, vol: 0.10, decimals: 3 },
  { symbol: 'USDCHF', start: 0.98, vol: 0.07, decimals: 5 },
  { symbol: 'USDCAD', start: 1.32, vol: 0.06, decimals: 5 },
  { symbol: 'AUDUSD', start: 0.74, vol: 0.10, decimals: 5 },
] as const;

const roundTo = (x: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
};

export function buildMarket(opts: MarketOptions): MarketInternals {
  const nSec = opts.securities ?? 500;
  const years = opts.years ?? 10;
  const endDate = opts.endDate ?? DEFAULT_END_DATE;
  const dates = tradingDates(endDate, years);
  const updatedAt = Date.parse(`${endDate}T21:00:00Z`);
  const rng = createRng(subSeed(opts.seed, 0x6d61726b)); // 'mark'
  const universe = buildUniverse(rng, nSec, updatedAt);
  const secs = universe.securities;
  const S = secs.length;
  const D = dates.length;
  const dt = 1 / YEAR_DAYS;
  const sq = Math.sqrt(dt);

  // Per-security loadings (annual vols) and daily drift of the log price.
  const sectorNames = [...new Set(secs.filter((s) => !s.isFund).map((s) => `${s.classIndex}|${s.sector}`))];
  const sectorOf = new Int32Array(S);
  const bM = new Float64Array(S), bR = new Float64Array(S), vC = new Float64Array(S), vG = new Float64Array(S);
  const vS = new Float64Array(S), vE = new Float64Array(S), drift = new Float64Array(S), classOf = new Int32Array(S), groupOf = new Int32Array(S);
  const firstPriceIndex = new Int32Array(S);
  for (let s = 0; s < S; s++) {
    const sec = secs[s]!;
    const spec = ASSET_CLASSES[sec.classIndex]!;
    classOf[s] = sec.classIndex;
    groupOf[s] = sec.groupIndex;
    sectorOf[s] = sec.isFund ? -1 : sectorNames.indexOf(`${sec.classIndex}|${sec.sector}`);
    const jitter = 1 + 0.15 * rng.normal();
    bM[s] = spec.marketBeta * (sec.isFund ? 1 : Math.max(0.2, jitter));
    bR[s] = spec.ratesBeta;
    vC[s] = spec.classVol;
    vG[s] = sec.isFund ? spec.idioVol * 0.3 : 0; // the tracked index's own deviation, shared by its group
    vS[s] = sec.isFund || !spec.equity ? 0 : SECTOR_VOL;
    vE[s] = sec.isFund ? 0.002 + spec.idioVol * 0.02 : spec.idioVol; // tracking noise or idiosyncratic vol
    const mu = spec.mu + (sec.isFund ? 0 : 0.03 * rng.normal());
    const variance = (bM[s]! * MARKET_VOL) ** 2 + (bR[s]! * RATES_VOL) ** 2 + vC[s]! ** 2 + vG[s]! ** 2 + vS[s]! ** 2 + vE[s]! ** 2;
    drift[s] = (mu - variance / 2) * dt;
    firstPriceIndex[s] = Math.min(D - 1, Math.floor(sec.listingFraction * D));
  }

  const closes = new Float64Array(D * S);
  const logP = new Float64Array(S);
  for (let s = 0; s < S; s++) logP[s] = Math.log(secs[s]!.startPriceLocal);
  const nClass = ASSET_CLASSES.length;
  const zClass = new Float64Array(nClass), zGroup = new Float64Array(universe.groups.length), zSector = new Float64Array(sectorNames.length);
  for (let d = 0; d < D; d++) {
    if (d > 0) {
      const zM = rng.normal() * MARKET_VOL * sq;
      const zR = rng.normal() * RATES_VOL * sq;
      for (let c = 0; c < nClass; c++) zClass[c] = rng.normal() * sq;
      for (let g = 0; g < zGroup.length; g++) zGroup[g] = rng.normal() * sq;
      for (let k = 0; k < zSector.length; k++) zSector[k] = rng.normal() * sq;
      for (let s = 0; s < S; s++) {
        if (d <= firstPriceIndex[s]!) continue; // not listed yet: the listing day keeps the start price
        const g = groupOf[s]!, k = sectorOf[s]!;
        logP[s] = logP[s]! + drift[s]! + bM[s]! * zM + bR[s]! * zR + vC[s]! * zClass[classOf[s]!]!
          + (g >= 0 ? vG[s]! * zGroup[g]! : 0) + (k >= 0 ? vS[s]! * zSector[k]! : 0) + vE[s]! * rng.normal() * sq;
      }
    }
    const row = d * S;
    for (let s = 0; s < S; s++) {
      closes[row + s] = d < firstPriceIndex[s]! ? NaN : Math.max(0.01, Math.round(Math.exp(logP[s]!) * 100) / 100);
    }
  }

  // FX: mean-reverting log rates around their start (κ = 0.5 a year), plus JPYUSD as the inverse of USDJPY.
  const fxSymbols = [...FX_PAIRS.map((p) => p.symbol), 'JPYUSD'];
  const F = fxSymbols.length;
  const fx = new Float64Array(D * F);
  const logX = FX_PAIRS.map((p) => Math.log(p.start));
  const jpy = FX_PAIRS.findIndex((p) => p.symbol === 'USDJPY');
  for (let d = 0; d < D; d++) {
    for (let i = 0; i < FX_PAIRS.length; i++) {
      const p = FX_PAIRS[i]!;
      if (d > 0) logX[i] = logX[i]! + 0.5 * (Math.log(p.start) - logX[i]!) * dt + p.vol * sq * rng.normal();
      fx[d * F + i] = roundTo(Math.exp(logX[i]!), p.decimals);
    }
    fx[d * F + F - 1] = roundTo(1 / fx[d * F + jpy]!, 8);
  }

  return {
    securities: secs.map(toSecurity),
    prices: { dates, symbols: secs.map((s) => s.symbol), closes },
    fx: { dates, symbols: fxSymbols, closes: fx },
    universe, firstPriceIndex, updatedAt,
  };
}

/** ~`securities` securities in 12 asset classes with `years` of correlated daily closes, and FX rates. */
export function generateMarket(opts: MarketOptions): Market {
  const { securities, prices, fx } = buildMarket(opts);
  return { securities, prices, fx };
}

/** The last non-NaN close of every symbol that has one. */
export function latestCloses(m: PriceMatrix): Map<string, number> {
  const out = new Map<string, number>();
  const S = m.symbols.length;
  for (let s = 0; s < S; s++) {
    for (let d = m.dates.length - 1; d >= 0; d--) {
      const c = m.closes[d * S + s]!;
      if (!Number.isNaN(c)) { out.set(m.symbols[s]!, c); break; }
    }
  }
  return out;
}

/** The close of `symbol` on the date index `d` (NaN when none). */
export function closeAt(m: PriceMatrix, symbolIndex: number, d: number): number {
  return m.closes[d * m.symbols.length + symbolIndex]!;
}
