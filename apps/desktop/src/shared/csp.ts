// The Content-Security-Policy of the renderer, for both shells (Electron session headers and the web-mode static
// server). Scripts and workers only from the app itself; network only to the app and the sync server (http + ws).
// AG Grid's theming and ECharts set inline styles, hence style-src 'unsafe-inline'; no script is ever inline/eval.
// 'wasm-unsafe-eval' lets the engine compile its own small WebAssembly SIMD kernels (covariance, PSD repair); it
// allows WebAssembly compilation only, not JavaScript eval.

/**
 * `serverOrigin` like http://127.0.0.1:8787 (its ws:// twin is allowed too). `devServerOrigin` (electron-vite dev
 * only) adds the Vite dev server, its HMR socket and 'unsafe-eval' (RxDB dev mode's validator compiles schemas).
 */
export function contentSecurityPolicy(serverOrigin: string, devServerOrigin?: string): string {
  const origin = new URL(serverOrigin).origin;
  const ws = origin.replace(/^http/, 'ws');
  const dev = devServerOrigin ? new URL(devServerOrigin).origin : '';
  const devConnect = dev ? ` ${dev} ${dev.replace(/^http/, 'ws')}` : '';
  return [
    "default-src 'self'",
    dev ? "script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'" : "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${origin} ${ws}${devConnect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
