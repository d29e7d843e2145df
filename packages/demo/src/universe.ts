// The demo security master: ~500 securities in 12 asset classes with sectors, currencies (a few EUR/GBP/JPY
// listings), and tax-loss-harvesting groups (2–4 index funds tracking the same index). Also the per-class
// return parameters the price model uses (annualized drift and volatilities, as fractions).
import type { Security } from '@aw/domain';
import type { Rng } from './random.ts';

export interface AssetClassSpec {
  name: string;
  /** Share of the universe's securities. */
  share: number;
  /** Equity-like classes get single stocks with sectors besides index funds. */
  equity: boolean;
  /** Annual drift (fraction). */
  mu: number;
  /** Loading on the market factor (annual market vol MARKET_VOL). */
  marketBeta: number;
  /** Loading on the interest-rate factor (annual vol RATES_VOL). */
  ratesBeta: number;
  /** Annual vol of the class's own factor. */
  classVol: number;
  /** Annual idiosyncratic vol of a single security (index funds get a tenth of it as tracking noise). */
  idioVol: number;
  /** Typical starting price per share in USD. */
  startPrice: number;
  sectors: readonly string[];
  /** Fund-name stems of the indexes tracked by TLH groups in this class. */
  indexes: readonly string[];
}

export const MARKET_VOL = 0.16;
export const RATES_VOL = 0.06;
export const CASH_KEY = 'CASH';

const EQUITY_SECTORS = ['Technology', 'Health Care', 'Financials', 'Consumer Discretionary', 'Industrials',
  'Communication Services', 'Consumer Staples', 'Energy', 'Utilities', 'Materials'] as const;

export const ASSET_CLASSES: readonly AssetClassSpec[] = [
  { name: 'US Large Cap', share: 0.30, equity: true, mu: 0.09, marketBeta: 1.0, ratesBeta: 0, classVol: 0.04, idioVol: 0.24, startPrice: 120,
    sectors: EQUITY_SECTORS, indexes: ['S&P 500', 'US Total Market', 'US Large Cap Growth', 'US Large Cap Value', 'US Dividend Leaders'] },
  { name: 'US Small Cap', share: 0.14, equity: true, mu: 0.095, marketBeta: 1.15, ratesBeta: 0, classVol: 0.10, idioVol: 0.34, startPrice: 45,
    sectors: EQUITY_SECTORS, indexes: ['US Small Cap', 'US Small Cap Value', 'US Mid Cap'] },
  { name: 'Intl Developed', share: 0.14, equity: true, mu: 0.07, marketBeta: 0.85, ratesBeta: 0, classVol: 0.10, idioVol: 0.22, startPrice: 60,
    sectors: EQUITY_SECTORS, indexes: ['Developed ex-US', 'EAFE', 'Europe Large Cap'] },
  { name: 'Emerging Markets', share: 0.08, equity: true, mu: 0.075, marketBeta: 0.9, ratesBeta: 0, classVol: 0.15, idioVol: 0.30, startPrice: 40,
    sectors: EQUITY_SECTORS, indexes: ['Emerging Markets', 'EM ex-China'] },
  { name: 'US Bonds', share: 0.08, equity: false, mu: 0.033, marketBeta: 0, ratesBeta: 0.8, classVol: 0.02, idioVol: 0.01, startPrice: 80,
    sectors: ['Aggregate', 'Treasury', 'Corporate', 'Mortgage-Backed'], indexes: ['US Aggregate Bond', 'US Treasury 7-10Y', 'US Corporate Bond'] },
  { name: 'Intl Bonds', share: 0.04, equity: false, mu: 0.028, marketBeta: 0, ratesBeta: 0.5, classVol: 0.05, idioVol: 0.015, startPrice: 52,
    sectors: ['Aggregate', 'Government'], indexes: ['Intl Aggregate Bond (Hedged)'] },
  { name: 'TIPS', share: 0.024, equity: false, mu: 0.032, marketBeta: 0, ratesBeta: 0.7, classVol: 0.035, idioVol: 0.008, startPrice: 110,
    sectors: ['Inflation-Protected'], indexes: ['US TIPS'] },
  { name: 'REITs', share: 0.06, equity: true, mu: 0.075, marketBeta: 0.8, ratesBeta: -0.3, classVol: 0.14, idioVol: 0.20, startPrice: 70,
    sectors: ['Residential', 'Industrial', 'Office', 'Retail', 'Data Centers', 'Healthcare REIT'], indexes: ['US REIT'] },
  { name: 'Commodities', share: 0.036, equity: false, mu: 0.04, marketBeta: 0.3, ratesBeta: 0, classVol: 0.17, idioVol: 0.12, startPrice: 25,
    sectors: ['Broad Commodities', 'Gold', 'Energy Commodities', 'Agriculture'], indexes: ['Broad Commodity', 'Gold Bullion'] },
  { name: 'Municipal Bonds', share: 0.04, equity: false, mu: 0.03, marketBeta: 0, ratesBeta: 0.6, classVol: 0.025, idioVol: 0.008, startPrice: 105,
    sectors: ['National Muni', 'California Muni', 'New York Muni'], indexes: ['National Municipal Bond'] },
  { name: 'High Yield', share: 0.04, equity: false, mu: 0.055, marketBeta: 0.35, ratesBeta: 0.3, classVol: 0.05, idioVol: 0.03, startPrice: 85,
    sectors: ['High Yield Corporate', 'Senior Loans'], indexes: ['US High Yield Corporate'] },
  { name: 'Cash Equivalents', share: 0.02, equity: false, mu: 0.02, marketBeta: 0, ratesBeta: 0.02, classVol: 0.002, idioVol: 0.001, startPrice: 100,
    sectors: ['Treasury Bills', 'Ultra-Short'], indexes: ['0-3 Month T-Bill'] },
];

/** Variants of a class's indexes once the plain ones are used up ("ESG S&P 500"). */
const INDEX_VARIANTS = ['Core', 'ESG', 'Quality', 'Equal Weight', 'Low Volatility', 'Select', 'Screened', 'Enhanced', 'Broad', 'Focused'];
const ISSUERS = ['Alder', 'Beacon', 'Cedar', 'Summit', 'Harbor', 'Meridian', 'Granite', 'Keystone', 'Lighthouse', 'Pioneer', 'Sterling', 'Trident'];
const STOCK_STEMS = ['North', 'Blue', 'Silver', 'Bright', 'Iron', 'Clear', 'Red', 'Green', 'Golden', 'Stone', 'River', 'Sky', 'Oak',
  'Pine', 'Star', 'Cross', 'Apex', 'Nova', 'Vertex', 'Quantum', 'Atlas', 'Orion', 'Crescent', 'Prairie', 'Coastal', 'Union'];
const STOCK_TAILS: Record<string, readonly string[]> = {
  'Technology': ['Systems', 'Software', 'Semiconductor', 'Networks', 'Digital'], 'Health Care': ['Therapeutics', 'Biosciences', 'Medical', 'Health'],
  'Financials': ['Bancorp', 'Financial', 'Capital', 'Insurance'], 'Consumer Discretionary': ['Brands', 'Retail', 'Motors', 'Leisure'],
  'Industrials': ['Industries', 'Aerospace', 'Logistics', 'Machinery'], 'Communication Services': ['Media', 'Telecom', 'Interactive'],
  'Consumer Staples': ['Foods', 'Beverages', 'Household Products'], 'Energy': ['Energy', 'Petroleum', 'Resources'],
  'Utilities': ['Power', 'Utilities', 'Water'], 'Materials': ['Materials', 'Chemicals', 'Mining'],
};
/** Non-USD listings: currency, ticker suffix, local price multiple of the USD start price. */
export const FOREIGN_LISTINGS = [
  { currency: 'EUR', suffix: '.DE', priceMultiple: 0.9 },
  { currency: 'GBP', suffix: '.L', priceMultiple: 0.8 },
  { currency: 'JPY', suffix: '.T', priceMultiple: 150 },
] as const;

export interface UniverseSecurity extends Security {
  /** Index of the asset class in ASSET_CLASSES. */
  classIndex: number;
  /** Index fund in a TLH group (true) or a single security. */
  isFund: boolean;
  /** Index of its TLH group in the universe's groups, −1 for none. */
  groupIndex: number;
  /** Fraction of the history before it lists (0 = priced from the first date). */
  listingFraction: number;
  startPriceLocal: number;
}

export interface Universe {
  securities: UniverseSecurity[];
  /** TLH group names; groupIndex refers to these. */
  groups: string[];
}

/** Security counts per class summing to `total` (≥ 2 per class). */
export function classCounts(total: number): number[] {
  const min = 2 * ASSET_CLASSES.length;
  if (!Number.isInteger(total) || total < min) throw new RangeError(`securities must be an integer ≥ ${min}, got ${total}`);
  const counts = ASSET_CLASSES.map((c) => Math.max(2, Math.round(c.share * total)));
  let diff = total - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; diff !== 0; i = (i + 1) % counts.length) {
    if (diff > 0) { counts[i]!++; diff--; } else if (counts[i]! > 2) { counts[i]!--; diff++; }
  }
  return counts;
}

function ticker(rng: Rng, taken: Set<string>, len: number): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < len; i++) s += String.fromCharCode(65 + rng.int(0, 25));
    if (!taken.has(s)) { taken.add(s); return s; }
  }
}

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Builds the security master for `total` securities; deterministic in `rng`. */
export function buildUniverse(rng: Rng, total: number, updatedAt: number): Universe {
  const counts = classCounts(total);
  const securities: UniverseSecurity[] = [];
  const groups: string[] = [];
  const taken = new Set<string>();
  ASSET_CLASSES.forEach((spec, classIndex) => {
    const n = counts[classIndex]!;
    // Index funds: at least one group of 2; in equity classes about 30% of the class, the rest single stocks.
    const fundCount = spec.equity ? Math.max(2, Math.round(n * 0.3)) : n;
    let made = 0;
    let indexNo = 0;
    while (made < fundCount) {
      // Groups of 2–4 that never leave a group of 1 behind.
      const left = fundCount - made;
      const size = left <= 4 ? left : left === 5 ? rng.int(2, 3) : rng.int(2, Math.min(4, left - 2));
      const round = Math.floor(indexNo / spec.indexes.length);
      const indexName = (round > 0 ? `${INDEX_VARIANTS[(round - 1) % INDEX_VARIANTS.length]} ` : '') + spec.indexes[indexNo % spec.indexes.length]!;
      const groupIndex = groups.length;
      groups.push(slug(indexName));
      const issuers = [...ISSUERS];
      for (let k = 0; k < size; k++) {
        const issuer = issuers.splice(rng.int(0, issuers.length - 1), 1)[0]!;
        securities.push({
          symbol: ticker(rng, taken, rng.next() < 0.5 ? 3 : 4), name: `${issuer} ${indexName} ${spec.equity || k % 2 ? 'ETF' : 'Index Fund'}`,
          assetClass: spec.name, sector: spec.equity && spec.name !== 'REITs' ? 'Broad Market' : spec.sectors[(indexNo % spec.indexes.length) % spec.sectors.length]!,
          currency: 'USD', tlhGroup: groups[groupIndex]!, updatedAt, classIndex, isFund: true, groupIndex, listingFraction: 0,
          startPriceLocal: spec.startPrice * Math.exp(0.35 * rng.normal()),
        });
      }
      made += size;
      indexNo++;
    }
    for (let k = fundCount; k < n; k++) {
      const sector = spec.sectors[rng.int(0, spec.sectors.length - 1)]!;
      const tails = STOCK_TAILS[sector] ?? ['Holdings', 'Trust', 'Properties'];
      // A few single stocks of the international class list abroad (EUR, GBP, JPY) instead of as US ADRs.
      const foreign = spec.name === 'Intl Developed' && k - fundCount < 3 * FOREIGN_LISTINGS.length ? FOREIGN_LISTINGS[(k - fundCount) % FOREIGN_LISTINGS.length]! : null;
      const base = ticker(rng, taken, rng.int(3, 4));
      const symbol = foreign ? `${base}${foreign.suffix}` : base;
      const usdStart = spec.startPrice * Math.exp(0.6 * rng.normal());
      securities.push({
        symbol, name: `${rng.pick(STOCK_STEMS)}${rng.pick(STOCK_STEMS).toLowerCase()} ${rng.pick(tails)}${spec.name === 'REITs' ? ' REIT' : ' Inc.'}`,
        assetClass: spec.name, sector, currency: foreign ? foreign.currency : 'USD', tlhGroup: '', updatedAt, classIndex,
        isFund: false, groupIndex: -1, listingFraction: 0, startPriceLocal: usdStart * (foreign ? foreign.priceMultiple : 1),
      });
    }
  });
  // About 5% of single securities (≈3% of the universe) list later (IPOs): no price before their first date.
  for (const s of securities) if (!s.isFund && rng.next() < 0.05) s.listingFraction = 0.2 + 0.65 * rng.next();
  return { securities, groups };
}

/** The plain Security document (without the generator's bookkeeping fields). */
export const toSecurity = (s: UniverseSecurity): Security => ({
  symbol: s.symbol, name: s.name, assetClass: s.assetClass, sector: s.sector, currency: s.currency, tlhGroup: s.tlhGroup, updatedAt: s.updatedAt,
});
