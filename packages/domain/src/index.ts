export * from './types.ts';
export * from './money.ts';
export * from './schemas/index.ts';
