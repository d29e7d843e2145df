import { describe, expect, it } from 'vitest';
import { getValidator } from 'rxdb/plugins/validate-ajv';
import { bookCollections, type BookCollectionName } from '@aw/domain';
import { generateBook } from './index.ts';

describe('generated documents', () => {
  it('are valid under the book RxDB schemas', () => {
    const book = generateBook({ households: 10, seed: 5, securities: 120, years: 3 });
    const collections: Partial<Record<BookCollectionName, readonly unknown[]>> = {
      teams: book.teams, households: book.households, accounts: book.accounts, securities: book.securities, lots: book.lots,
      transactions: book.transactions, models: book.models,
    };
    for (const [name, docs] of Object.entries(collections)) {
      const validate = getValidator({ ...bookCollections[name as BookCollectionName].schema, additionalProperties: false });
      const bad = docs!.map((d) => ({ d, errors: validate(d) })).filter((x) => x.errors.length > 0);
      expect(bad.slice(0, 2), name).toEqual([]);
    }
  });
});

describe('a generated book in RxDB (dev mode, ajv validation, memory storage)', () => {
  it('inserts every generated collection and prices without a schema error', async () => {
    const { addRxPlugin, createRxDatabase } = await import('rxdb');
    const { RxDBDevModePlugin, disableWarnings } = await import('rxdb/plugins/dev-mode');
    const { RxDBMigrationSchemaPlugin } = await import('rxdb/plugins/migration-schema');
    const { getRxStorageMemory } = await import('rxdb/plugins/storage-memory');
    const { wrappedValidateAjvStorage } = await import('rxdb/plugins/validate-ajv');
    disableWarnings();
    addRxPlugin(RxDBDevModePlugin);
    addRxPlugin(RxDBMigrationSchemaPlugin);
    const db = await createRxDatabase({ name: `demo-book-${process.pid}`, storage: wrappedValidateAjvStorage({ storage: getRxStorageMemory() }), multiInstance: false });
    try {
      await db.addCollections(bookCollections);
      const book = generateBook({ households: 4, seed: 9, securities: 60, years: 2 });
      const S = book.prices.symbols.length;
      const lastRow = (book.prices.dates.length - 1) * S;
      const prices = book.prices.symbols.map((symbol, s) => ({ id: `${symbol}|${book.prices.dates.at(-1)}`, symbol, date: book.prices.dates.at(-1)!,
        closePrice: book.prices.closes[lastRow + s]!, kind: 'security' as const, updatedAt: 1 }));
      const inserts = { teams: book.teams, households: book.households, accounts: book.accounts, securities: book.securities, lots: book.lots,
        transactions: book.transactions, models: book.models, prices };
      for (const [name, docs] of Object.entries(inserts)) {
        const res = await db[name]!.bulkInsert(docs as any[]);
        expect(res.error, name).toEqual([]);
        expect(await db[name]!.count().exec()).toBe(docs.length);
      }
    } finally {
      await db.close();
    }
  });
});
