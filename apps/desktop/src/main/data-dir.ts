// The per-user data folder of the workstation (the server's SQLite book lives here unless --data says otherwise):
// $XDG_DATA_HOME or ~/.local/share on Linux, ~/Library/Application Support on macOS, %APPDATA% on Windows,
// + advisor-workstation/server (the same default as `npm run server`, so both open the same book).
import { homedir } from 'node:os';
import { join, posix, win32 } from 'node:path';

export interface DataDirEnv {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

export function defaultDataDir(e: DataDirEnv = { platform: process.platform, env: process.env, home: homedir() }): string {
  if (e.platform === 'win32') return win32.join(e.env.APPDATA || win32.join(e.home, 'AppData', 'Roaming'), 'advisor-workstation', 'server');
  if (e.platform === 'darwin') return posix.join(e.home, 'Library', 'Application Support', 'advisor-workstation', 'server');
  return join(e.env.XDG_DATA_HOME || posix.join(e.home, '.local', 'share'), 'advisor-workstation', 'server');
}
