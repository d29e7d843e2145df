// Performance and returns: value series, TWR, XIRR, risk statistics, periods and incremental daily snapshots.
export * from './day-count.ts';
export * from './xirr.ts';
export * from './twr.ts';
export * from './metrics.ts';
export * from './ledger.ts';
export * from './value-series.ts';
export * from './periods.ts';
export * from './snapshots.ts';
export * from './performance.ts';
