// Preload (sandboxed, CommonJS): exposes the allow-listed DesktopApi of shared/ipc.ts as `window.aw`.
// Never exposes ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';
import { DESKTOP_API_KEY, IPC_CHANNELS, type AppInfo, type DesktopApi } from '../shared/ipc.ts';

const api: DesktopApi = {
  getAppInfo: () => ipcRenderer.invoke(IPC_CHANNELS.appInfo) as Promise<AppInfo>,
};

contextBridge.exposeInMainWorld(DESKTOP_API_KEY, api);
