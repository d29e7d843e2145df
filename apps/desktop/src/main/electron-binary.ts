// Finds the Electron binary WITHOUT triggering its download (require('electron') downloads on first use, which
// fails without GitHub access): node_modules/electron/path.txt names it under dist/. null when absent.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function findElectronBinary(repoRoot: string, env: Record<string, string | undefined> = process.env): string | null {
  const dir = join(repoRoot, 'node_modules', 'electron');
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron');
    return existsSync(p) ? p : null;
  }
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}
