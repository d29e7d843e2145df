// @aw/engine/valuation: pure valuation of lots, holdings, accounts and households from one market snapshot.
export * from './holding-period.ts';
export * from './market.ts';
export * from './holdings.ts';
export * from './allocation.ts';
export * from './book.ts';
