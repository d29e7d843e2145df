// electron-vite build of the desktop app (apps/desktop): main (Node, ESM), preload (sandboxed, so CommonJS) and
// the renderer (React; Comlink workers as ES modules). Entries and the renderer root are explicit because the
// config sits at the repository root. Output: out/main, out/preload, out/renderer.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const desktop = resolve(import.meta.dirname, 'apps/desktop/src');

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: { input: { index: resolve(desktop, 'main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can only be a CommonJS script that requires 'electron'.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(desktop, 'preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(desktop, 'renderer'),
    plugins: [react()],
    worker: { format: 'es' },
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      emptyOutDir: true,
      chunkSizeWarningLimit: 4096,
      rolldownOptions: { input: { index: resolve(desktop, 'renderer/index.html') } },
    },
  },
});
