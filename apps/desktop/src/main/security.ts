// Security settings of the desktop window, as plain data so they are testable without Electron: the renderer
// runs sandboxed and context-isolated with no Node, may only navigate within the app, and opens nothing itself.
import { APP_ORIGIN } from './app-protocol.ts';

export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  spellcheck: false;
}

export function secureWebPreferences(preloadPath: string): SecureWebPreferences {
  return { preload: preloadPath, contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false,
    webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, spellcheck: false };
}

/** In-window navigation is allowed only within the app origin. */
export function isAppNavigation(url: string, appOrigin = APP_ORIGIN): boolean {
  try {
    // Compare scheme and host: WHATWG URL gives custom schemes an opaque 'null' origin.
    const u = new URL(url);
    const app = new URL(appOrigin);
    return u.protocol === app.protocol && u.host === app.host && u.host !== '';
  } catch {
    return false;
  }
}

/** Links the app may hand to the system browser: https only. */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
