// JSON responses that may be large (replication pulls of up to MAX_PULL_LIMIT documents, tens of MB): gzip them
// when the client accepts it and the body is over `minBytes`. Level 1 (fastest): book JSON compresses ~8-10×
// at level 1 already, and compression runs on libuv's thread pool, so the event loop keeps serving other requests.
// Clients on the same machine ask for `identity` (sync-client does on loopback URLs): compressing for a loopback
// socket only costs CPU on both ends.
// A compressed answer closes its connection after the body (`Connection: close`). Node's fetch (undici) loses
// the rest of a gzip body when the server's keep-alive timeout closes an idle connection before a busy client
// has read it ("terminated: other side closed"); closing explicitly lets the client read to the end first.
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { Request, Response } from 'express';

const gzipAsync = promisify(gzip);
/** Bodies below this many bytes go out uncompressed (compression costs more than it saves). */
export const COMPRESS_MIN_BYTES = 16 * 1024;

/** True when the request's Accept-Encoding allows gzip (and does not refuse it with q=0). */
export function acceptsGzip(req: Request): boolean {
  const header = req.headers['accept-encoding'];
  if (typeof header !== 'string') return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** Sends `body` as JSON, gzip-compressed when allowed and worth it. */
export async function sendJson(req: Request, res: Response, body: unknown, minBytes = COMPRESS_MIN_BYTES): Promise<void> {
  const text = JSON.stringify(body);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Vary', 'Accept-Encoding');
  if (text.length < minBytes || !acceptsGzip(req)) {
    res.end(text);
    return;
  }
  const zipped = await gzipAsync(Buffer.from(text, 'utf8'), { level: 1 });
  res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Content-Length', String(zipped.length));
  res.setHeader('Connection', 'close');
  res.end(zipped);
}
