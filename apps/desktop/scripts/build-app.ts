// Builds the app with electron-vite (main, preload, renderer → out/) when the sources are newer than the build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Newest modification time (ms) of the files under `dirs` (skipping node_modules). */
export function newestMtimeMs(dirs: readonly string[]): number {
  let newest = 0;
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    const st = statSync(d);
    if (!st.isDirectory()) {
      newest = Math.max(newest, st.mtimeMs);
      return;
    }
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) walk(d);
  return newest;
}

export function isBuildStale(repoRoot: string): boolean {
  const marker = join(repoRoot, 'out', 'renderer', 'index.html');
  const main = join(repoRoot, 'out', 'main', 'index.js');
  if (!existsSync(marker) || !existsSync(main)) return true;
  const built = Math.min(statSync(marker).mtimeMs, statSync(main).mtimeMs);
  const sources = newestMtimeMs([join(repoRoot, 'apps', 'desktop', 'src'), join(repoRoot, 'packages'), join(repoRoot, 'electron.vite.config.ts')]);
  return sources > built;
}

/** Runs `electron-vite build` in-process (quiet unless it fails). */
export async function buildApp(repoRoot: string, log: (m: string) => void = () => undefined): Promise<void> {
  const { build } = await import('electron-vite');
  log('building the app (electron-vite)…');
  await build({ root: repoRoot, configFile: join(repoRoot, 'electron.vite.config.ts'), logLevel: 'warn' });
}
