import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectRuntimeMeta, serveRenderer, type RendererServer } from './renderer-server.ts';

const root = mkdtempSync(join(tmpdir(), 'aw-renderer-'));
let server: RendererServer;
beforeAll(async () => {
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><html><head><title>x</title></head><body></body></html>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'aw-secret.js'), 'secret');
  server = await serveRenderer({ root, serverUrl: 'http://127.0.0.1:8787', dataDir: '/data/"book"', version: '1.2.3', port: 0 });
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('web-mode renderer server', () => {
  it('serves index.html with the sync server address and the CSP', async () => {
    const res = await fetch(server.url);
    const html = await res.text();
    expect(html).toContain('<meta name="aw-server-url" content="http://127.0.0.1:8787" />');
    expect(html).toContain('content="/data/&quot;book&quot;"');
    expect(res.headers.get('content-security-policy')).toContain('connect-src \'self\' http://127.0.0.1:8787 ws://127.0.0.1:8787');
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });
  it('serves assets with their type and refuses escapes and writes', async () => {
    const js = await fetch(`${server.url}/assets/app.js`);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await js.text()).toBe('console.log(1)');
    expect((await fetch(`${server.url}/assets/..%2f..%2f..%2faw-secret.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
  });
  it('needs a <head> to inject into', () => {
    expect(() => injectRuntimeMeta('<html></html>', { a: 'b' })).toThrow(/no <head>/);
  });
});
