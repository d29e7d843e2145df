// Preloaded into the mocha process (node --import tsx --import ./register.ts …) so that RxDB's test files run
// unmodified from a plain rxdb checkout (no install, no build). tsx compiles the checkout's .ts files as CommonJS
// (the rxdb package is not "type": "module"), so we hook CommonJS resolution for files inside the checkout:
// - `<repo>/plugins/<name>/index.mjs` (build output a checkout lacks) → the installed rxdb's ESM build
//   (dist/esm, loaded through require(esm)), i.e. the same single copy of rxdb 17.6.0 our storage runs on;
// - `<repo>/test/unit/custom-storage.ts` → our custom-storage.ts (supplies the storage to the suite's config.ts);
// - `<repo>/src/...` missing in the checkout → the installed package's src (type-only imports);
// - bare packages the checkout has no node_modules for (mocha.parallel, async-test-util, …) → resolved from here.
// ESM imports get the same mapping through hooks.ts.
import Module, { register } from 'node:module';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = process.env.AW_CONFORMANCE_REPO ? resolvePath(process.env.AW_CONFORMANCE_REPO) + sep : '';
const here = fileURLToPath(import.meta.url);
const localRequire = createRequire(import.meta.url);
const rxdbRoot = dirname(localRequire.resolve('rxdb/package.json'));
const customStorage = join(dirname(here), 'custom-storage.ts');

/** Where a path inside the checkout should really come from, or undefined to leave it alone. */
export function redirect(target: string): string | undefined {
  if (!repo || !target.startsWith(repo)) return undefined;
  const rel = target.slice(repo.length).split(sep).join('/');
  const plugin = /^plugins\/([^/]+)\/index\.(mjs|cjs|js|ts)$/.exec(rel);
  if (plugin) {
    return plugin[1] === 'core'
      ? join(rxdbRoot, 'dist/esm/index.js')
      : join(rxdbRoot, 'dist/esm/plugins', plugin[1], 'index.js');
  }
  if (rel === 'test/unit/custom-storage.ts') return customStorage;
  if (rel.startsWith('src/') && !existsSync(target)) return join(rxdbRoot, rel);
  return undefined;
}

type ResolveFilename = (request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) => string;
const M = Module as unknown as { _resolveFilename: ResolveFilename };
const original = M._resolveFilename;
/** One copy of rxdb for the suite and our storage: every require of rxdb goes to its ESM build (tsx-compiled). */
function rxdbEntry(request: string): string | undefined {
  if (request === 'rxdb' || request === 'rxdb/plugins/core' || request === 'rxdb-old') {
    return join(rxdbRoot, 'dist/esm/index.js');
  }
  const m = /^rxdb\/plugins\/([^/]+)$/.exec(request);
  return m ? join(rxdbRoot, 'dist/esm/plugins', m[1], 'index.js') : undefined;
}

M._resolveFilename = function (this: unknown, request, parent, ...rest) {
  const rx = repo ? rxdbEntry(request) : undefined;
  if (rx) return rx;
  const parentFile = parent?.filename ?? '';
  if (repo && parentFile.startsWith(repo)) {
    if (request.startsWith('.') || request.startsWith('/')) {
      const mapped = redirect(resolvePath(dirname(parentFile), request));
      if (mapped) return mapped;
    } else {
      try {
        return original.call(this, request, parent, ...rest);
      } catch {
        return localRequire.resolve(request);
      }
    }
  }
  return original.call(this, request, parent, ...rest);
};

register('./hooks.ts', import.meta.url, { data: { repo } });
