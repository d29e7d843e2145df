// The app:// protocol serving the built renderer (out/renderer) to the Electron window: a stable, secure origin
// (IndexedDB persists under it) without file:// quirks. Maps request URLs to files inside the root, refusing any
// path that escapes it.
import { extname, relative, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'desktop';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.woff': 'font/woff', '.map': 'application/json', '.wasm': 'application/wasm',
};

export const contentType = (file: string): string => TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';

/**
 * The file under `root` for a request URL (`app://desktop/assets/x.js`, or a path for the web-mode server);
 * '/' and extension-less paths (client routes) give index.html; null when the path leaves the root or is malformed.
 */
export function resolveAppFile(root: string, requestUrl: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl, `${APP_ORIGIN}/`).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  if (pathname === '/' || !extname(pathname)) pathname = '/index.html';
  const base = resolve(root);
  const file = resolve(base, `.${pathname}`);
  const rel = relative(base, file);
  if (rel === '' || rel.startsWith('..') || rel.split(sep).includes('..')) return null;
  return file;
}
