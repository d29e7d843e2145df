// Node module resolve hooks that let RxDB's test files run unmodified from a plain rxdb checkout:
// - `<repo>/plugins/<name>/index.mjs|cjs` (build output the checkout does not have) → the installed `rxdb` package
//   (the same 17.6.0 code our storage runs on), `core` → `rxdb`;
// - `<repo>/test/unit/custom-storage.ts` → our conformance/custom-storage.ts (supplies the storage);
// - `<repo>/src/...` → the installed package's src when the checkout lacks the file;
// - bare packages the checkout has no node_modules for (mocha.parallel, async-test-util, …) → resolved from here.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Resolved = { url: string; format?: string | null; shortCircuit?: boolean };
type Next = (specifier: string, context: { parentURL?: string; conditions?: string[] }) => Promise<Resolved>;

let repoUrl = '';
const here = import.meta.url;
const customStorageUrl = new URL('./custom-storage.ts', here).href;

export function initialize(data: { repo: string }): void {
  repoUrl = pathToFileURL(data.repo.endsWith('/') ? data.repo : data.repo + '/').href;
}

export async function resolve(
  specifier: string,
  context: { parentURL?: string; conditions?: string[] },
  next: Next,
): Promise<Resolved> {
  const parent = context.parentURL ?? '';
  if (!repoUrl || !parent.startsWith(repoUrl)) return next(specifier, context);

  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:')) {
    const target = new URL(specifier, parent).href;
    if (target.startsWith(repoUrl)) {
      const rel = target.slice(repoUrl.length);
      const plugin = /^plugins\/([^/]+)\/index\.(mjs|cjs|js|ts)$/.exec(rel);
      if (plugin) {
        const name = plugin[1] === 'core' ? 'rxdb' : `rxdb/plugins/${plugin[1]}`;
        return next(name, { ...context, parentURL: here });
      }
      if (rel === 'test/unit/custom-storage.ts') return { url: customStorageUrl, shortCircuit: true };
      if (rel.startsWith('src/') && !existsSync(fileURLToPath(target))) {
        return next(`rxdb/${rel}`, { ...context, parentURL: here });
      }
    }
    return next(specifier, context);
  }
  // Bare specifier: prefer the checkout's own node_modules, else ours.
  try {
    return await next(specifier, context);
  } catch {
    return next(specifier, { ...context, parentURL: here });
  }
}
