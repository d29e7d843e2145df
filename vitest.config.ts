import { defineConfig } from 'vitest/config';

// Unit and integration tests live beside the code (x.test.ts, x.int.test.ts).
// e2e (Playwright) and benchmarks run through their own runners.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'sync-server/src/**/*.test.ts', 'apps/desktop/src/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
