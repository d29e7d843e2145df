// The desktop's IPC contract (runtime-neutral): the allow-listed channels the preload exposes and their types.
// The renderer reaches the main process only through `window.aw` (DesktopApi); nothing else crosses.

export const IPC_CHANNELS = {
  /** invoke → AppInfo */
  appInfo: 'aw:app-info',
} as const;

export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS];

export interface AppInfo {
  /** Application version (package.json). */
  version: string;
  /** Base URL of the local (or team) sync server, e.g. http://127.0.0.1:8787. */
  serverUrl: string;
  /** Folder holding the server's SQLite book. */
  dataDir: string;
  /** 'electron' in the desktop window, 'web' in a browser. */
  shell: 'electron' | 'web';
}

/** What the preload exposes on `window.aw` in the Electron window. */
export interface DesktopApi {
  getAppInfo(): Promise<AppInfo>;
}

/** Name of the global the preload exposes. */
export const DESKTOP_API_KEY = 'aw';
