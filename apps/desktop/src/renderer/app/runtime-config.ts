// Where the app runs and which sync server it talks to: from the preload API in the Electron window, or from the
// <meta> tags the web-mode server writes into index.html (a `?server=` query parameter overrides, for development).
import { DESKTOP_API_KEY, type AppInfo, type DesktopApi } from '../../shared/ipc.ts';

const meta = (name: string): string => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';

export async function loadRuntimeConfig(): Promise<AppInfo> {
  const api = (window as unknown as Record<string, DesktopApi | undefined>)[DESKTOP_API_KEY];
  if (api) return api.getAppInfo();
  const override = new URLSearchParams(location.search).get('server');
  return {
    version: meta('aw-version'),
    serverUrl: (override || meta('aw-server-url') || 'http://127.0.0.1:8787').replace(/\/$/, ''),
    dataDir: meta('aw-data-dir'),
    shell: 'web',
  };
}
