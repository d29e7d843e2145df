// Web mode's small static server (Node): serves the built renderer (out/renderer) on 127.0.0.1 with the same CSP as the
// Electron window, and tells the renderer where the sync server is through <meta> tags written into index.html.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { contentType, resolveAppFile } from './app-protocol.ts';
import { contentSecurityPolicy } from '../shared/csp.ts';

export interface RendererServerOptions {
  root: string;
  serverUrl: string;
  dataDir: string;
  version: string;
  port?: number;
  host?: string;
}

export interface RendererServer { url: string; port: number; close(): Promise<void> }

const escapeAttr = (v: string): string => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** index.html with the runtime <meta> tags inserted at the top of <head>. */
export function injectRuntimeMeta(html: string, meta: Record<string, string>): string {
  const tags = Object.entries(meta).map(([k, v]) => `<meta name="${escapeAttr(k)}" content="${escapeAttr(v)}" />`).join('\n    ');
  if (!/<head>/i.test(html)) throw new Error('index.html has no <head>');
  return html.replace(/<head>/i, `<head>\n    ${tags}`);
}

export async function serveRenderer(opts: RendererServerOptions): Promise<RendererServer> {
  const csp = contentSecurityPolicy(opts.serverUrl);
  const meta = { 'aw-server-url': opts.serverUrl, 'aw-data-dir': opts.dataDir, 'aw-version': opts.version };
  const server: Server = createServer(async (req, res) => {
    const headers = { 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed');
      return;
    }
    const file = resolveAppFile(opts.root, req.url ?? '/');
    if (!file) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    try {
      let body: Buffer | string = await readFile(file);
      const isIndex = file.endsWith('index.html');
      if (isIndex) body = injectRuntimeMeta(body.toString('utf8'), meta);
      res.writeHead(200, {
        ...headers, 'Content-Type': contentType(file),
        // Hashed assets never change; index.html must be revalidated so a rebuild is picked up.
        'Cache-Control': isIndex ? 'no-cache' : 'public, max-age=31536000, immutable',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
