export * from './types.ts';
export * from './money.ts';
