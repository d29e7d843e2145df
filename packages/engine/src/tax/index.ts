// Taxes: lot relief, realized gains, wash sales and tax-loss harvesting.
export * from './lots.ts';
export * from './wash-sale.ts';
export * from './tax-ledger.ts';
export * from './tax-rates.ts';
export * from './harvest.ts';
