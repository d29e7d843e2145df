// Electron main process (thin): single instance, a sandboxed window serving the built renderer over app://, a
// strict CSP, window-state persistence, the allow-listed IPC of shared/ipc.ts, and the local sync server's
// lifecycle (started here unless AW_SERVER_URL names one already running, e.g. by `npm start`).
import { app, BrowserWindow, ipcMain, net, protocol, screen, session, shell } from 'electron';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contentSecurityPolicy } from '../shared/csp.ts';
import { IPC_CHANNELS, type AppInfo } from '../shared/ipc.ts';
import { RENDERER_JS_FLAGS } from '../shared/renderer-flags.ts';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, contentType, resolveAppFile } from './app-protocol.ts';
import { defaultDataDir } from './data-dir.ts';
import { isAppNavigation, isExternalLink, secureWebPreferences } from './security.ts';
import { startSyncServer, type SyncServerProcess } from './server-process.ts';
import { fitBounds, loadWindowState, saveWindowState } from './window-state.ts';

const outDir = resolve(import.meta.dirname, '..'); // out/
const repoRoot = resolve(outDir, '..');
const rendererRoot = join(outDir, 'renderer');
const dataDir = resolve(process.env.AW_DATA_DIR || defaultDataDir());
/** `electron-vite dev` serves the renderer from Vite with hot reload; never in a packaged app. */
const devRendererUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const rendererOrigin = devRendererUrl ? new URL(devRendererUrl).origin : APP_ORIGIN;

// The renderer's V8 flags (why: shared/renderer-flags.ts); switches count only when set before the app is ready.
app.commandLine.appendSwitch('js-flags', RENDERER_JS_FLAGS.join(' '));

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } },
]);

let server: SyncServerProcess | null = null;
let serverUrl = process.env.AW_SERVER_URL ?? '';
let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.whenReady().then(start).catch((err: unknown) => {
    process.stderr.write(`advisor-workstation: ${(err as Error).message}\n`);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  if (!serverUrl) {
    server = await startSyncServer({ repoRoot, dataDir, port: 0, demo: true, nodePath: process.env.AW_NODE || 'node' });
    serverUrl = server.url;
  }
  const csp = contentSecurityPolicy(serverUrl, devRendererUrl);
  protocol.handle(APP_SCHEME, async (request) => {
    const file = new URL(request.url).host === APP_HOST ? resolveAppFile(rendererRoot, request.url) : null;
    if (!file) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    if (!res.ok) return res;
    return new Response(res.body, { headers: { 'Content-Type': contentType(file), 'Content-Security-Policy': csp } });
  });
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  ipcMain.handle(IPC_CHANNELS.appInfo, (event): AppInfo => {
    if (!isAppNavigation(event.senderFrame?.url ?? '', rendererOrigin)) throw new Error('IPC from an unknown origin');
    return { version: app.getVersion(), serverUrl, dataDir, shell: 'electron' };
  });
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

function createWindow(): void {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const saved = loadWindowState(stateFile);
  const bounds = fitBounds(saved?.bounds ?? null, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    ...bounds,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Advisor Workstation',
    backgroundColor: '#0f1419',
    webPreferences: secureWebPreferences(join(outDir, 'preload', 'index.cjs')),
  });
  mainWindow = win;
  if (saved?.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.webContents.on('will-navigate', (e, url) => {
    if (!isAppNavigation(url, rendererOrigin)) e.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.on('close', () => {
    saveWindowState(stateFile, { bounds: win.isMaximized() ? win.getNormalBounds() : win.getBounds(), maximized: win.isMaximized() });
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(devRendererUrl ?? `${APP_ORIGIN}/index.html`);
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('before-quit', (e) => {
  if (!server || quitting) return;
  quitting = true;
  e.preventDefault();
  void server.stop().finally(() => app.quit());
});
