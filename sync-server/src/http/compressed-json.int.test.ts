// sendJson over a real HTTP server on 127.0.0.1, read by Node's fetch (undici), the sync client's HTTP stack.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { sendJson } from './compressed-json.ts';

const page = { documents: Array.from({ length: 10_000 }, (_, i) => ({ id: `doc-${i}`, value: (i * 7919) % 10_007, note: `n${i}` })) };
let server: Server | undefined;

afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(keepAliveTimeoutMs: number): Promise<string> {
  const app = express();
  app.get('/page', (req, res) => void sendJson(req, res, page));
  server = createServer(app);
  server.keepAliveTimeout = keepAliveTimeoutMs;
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/page`;
}

/** Keeps this thread busy (as a client writing a big page into its database is) without yielding. */
function busy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    /* spin */
  }
}

describe('sendJson', () => {
  it('a client busy past the keep-alive timeout still reads the whole gzip page', async () => {
    // Node adds 1 s to keepAliveTimeout before closing an idle connection.
    const url = await serve(100);
    const res = await fetch(url, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    busy(1600);
    expect(await res.json()).toEqual(page);
  });

  it('answers identity requests uncompressed, and keeps the connection for the next request', async () => {
    const url = await serve(5000);
    const res = await fetch(url, { headers: { 'Accept-Encoding': 'identity' } });
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.headers.get('connection')).toBe('keep-alive');
    expect(await res.json()).toEqual(page);
  });
});
