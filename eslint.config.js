// Lint: typescript-eslint's recommended rules plus the import boundaries of shared/STYLE.md.
// A layer violation (e.g. the engine importing Node, the renderer importing the server) fails `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'worker_threads', 'crypto', 'url', 'stream', 'events', 'util', 'zlib'];
const noNode = nodeBuiltins.flatMap((m) => [m, `node:${m}`]);

/** One boundary: files matching `files` may not import `patterns`/`paths`. */
const boundary = (files, message, patterns, paths = []) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', {
      paths: paths.map((name) => ({ name, message })),
      patterns: patterns.map((group) => ({ group: [group], message })),
    }],
  },
});

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'out/**', 'dist/**', '.rxdb-repo/**', 'test-artifacts/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  // Later blocks override earlier ones for the same files, so the general rule comes first.
  boundary(['packages/**'], 'nothing imports apps/*', ['@aw/desktop', '**/apps/**']),
  boundary(['packages/domain/**'], 'domain imports nothing of ours and no Node APIs', ['@aw/*', '../../*', ...noNode]),
  boundary(['packages/engine/src/**'], 'engine is pure: no I/O, no Node, no DOM, no RxDB', ['@aw/!(domain)', 'rxdb', 'rxdb/*', 'react', ...noNode]),
  boundary(['apps/desktop/src/renderer/**'], 'renderer: no Node, no server, engine only inside workers/', ['@aw/sync-server', '@aw/rxdb-storage-sqlite', '@aw/engine', 'electron', ...noNode]),
  boundary(['apps/desktop/src/renderer/workers/**'], 'workers: no Node, no server', ['@aw/sync-server', '@aw/rxdb-storage-sqlite', 'electron', 'react', ...noNode]),
  boundary(['apps/desktop/src/preload/**'], 'preload exposes an allow-listed API only', ['@aw/*', 'react']),
  boundary(['packages/sync-client/**'], 'sync-client: no React, no Electron, no server', ['react', 'electron', '@aw/sync-server', '@aw/desktop', '**/apps/**']),
  boundary(['sync-server/**'], 'sync-server never imports desktop code', ['@aw/desktop', '**/apps/desktop/**', 'react', 'electron']),
);
