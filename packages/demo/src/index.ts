// @aw/demo: the deterministic demo-book generator (market, models, households, accounts, lots, transactions).
export { generateBook, type BookOptions, type DemoBook } from './book.ts';
export { closeAt, DEFAULT_END_DATE, FX_PAIRS, generateMarket, latestCloses, type Market, type MarketOptions } from './market.ts';
export { demoModels, modelIdFor } from './models.ts';
export { ASSET_CLASSES, CASH_KEY, type AssetClassSpec } from './universe.ts';
export { DEMO_USERS, demoTeams, householdTeam, type DemoUser } from './users.ts';
export { tradingDates } from './calendar.ts';
export { BOOK_JSON_FORMAT, BOOK_JSON_VERSION, BookJsonError, bookFromJson, bookJsonChunks, priceMatrixFromJson, priceMatrixToJson,
  type PriceMatrixJson } from './book-json.ts';
