// requestJson against a real HTTP server on 127.0.0.1: a successful status whose body is cut off or is not JSON
// must be an error (RxDB then retries the pull), never an `undefined` answer.
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncHttpError, isLoopbackUrl, requestJson } from './http.ts';

let server: Server;
let base: string;
const seenEncodings: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seenEncodings.push(String(req.headers['accept-encoding']));
    if (req.url === '/cut') {
      // Promises 1,000 bytes, sends a few, then drops the connection.
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      res.write('{"documents":[{"id":"a"},');
      setTimeout(() => res.socket?.destroy(), 20);
    } else if (req.url === '/not-json') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"documents":[');
    } else if (req.url === '/empty') {
      res.writeHead(200).end();
    } else {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"documents":[],"checkpoint":null}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as SyncHttpError);

describe('requestJson', () => {
  it('a body cut off mid-way is an offline error naming the request', async () => {
    const err = await failure(requestJson('GET', `${base}/cut`));
    expect(err).toBeInstanceOf(SyncHttpError);
    expect(err.code).toBe('offline');
    expect(err.message).toContain('/cut');
    expect(err.message).toContain('cut off');
  });

  it('a 200 with a body that is not JSON is an invalid_response error', async () => {
    const err = await failure(requestJson('GET', `${base}/not-json`));
    expect(err).toBeInstanceOf(SyncHttpError);
    expect(err.code).toBe('invalid_response');
  });

  it('an empty 200 is undefined; a JSON 200 is the parsed value; extra headers are sent', async () => {
    expect(await requestJson('GET', `${base}/empty`)).toBeUndefined();
    expect(await requestJson('GET', `${base}/ok`, { headers: { 'Accept-Encoding': 'identity' } })).toEqual({ documents: [], checkpoint: null });
    expect(seenEncodings.at(-1)).toBe('identity');
  });
});

describe('requestJson on a kept-alive connection the server drops', () => {
  it('sends a GET again on a fresh connection; a POST is not repeated', async () => {
    // A raw HTTP/1.1 server: the first connection answers one request with keep-alive, then drops the connection
    // when the next request arrives on it (as a server does whose idle timeout just passed); later connections answer.
    let connections = 0;
    const received: string[] = [];
    const sockets = new Set<Socket>();
    const tcp = createTcpServer((sock: Socket) => {
      sockets.add(sock);
      const n = ++connections;
      let answered = 0;
      sock.on('data', (chunk) => {
        received.push(`${n}:${String(chunk).split(' ', 2).join(' ')}`);
        if (n === 1 && answered === 1) return void sock.destroy();
        answered++;
        const body = JSON.stringify({ connection: n });
        sock.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n${body}`);
      });
    });
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(tcp.address() as AddressInfo).port}/x`;
    try {
      // (a pause between requests, so the first connection is idle in fetch's pool and is reused)
      const pause = () => new Promise((r) => setTimeout(r, 50));
      expect(await requestJson('GET', url)).toEqual({ connection: 1 });
      await pause();
      expect(await requestJson('GET', url)).toEqual({ connection: 2 });
      expect(received).toEqual(['1:GET /x', '1:GET /x', '2:GET /x']);

      // Same again for a POST: the server may have acted on it, so it fails instead of being sent twice.
      connections = 0;
      received.length = 0;
      const fresh = `http://localhost:${(tcp.address() as AddressInfo).port}/y`; // another origin: a new connection pool
      expect(await requestJson('POST', fresh, { body: {} })).toEqual({ connection: 1 });
      await pause();
      const err = await failure(requestJson('POST', fresh, { body: {} }));
      expect(err.code).toBe('offline');
      expect(received.filter((r) => r.includes('POST'))).toEqual(['1:POST /y', '1:POST /y']);
    } finally {
      for (const sock of sockets) sock.destroy();
      await new Promise<void>((r) => tcp.close(() => r()));
    }
  });
});

describe('isLoopbackUrl', () => {
  it('recognizes this machine and nothing else', () => {
    for (const u of ['http://127.0.0.1:8787', 'http://127.1.2.3', 'http://localhost:1/x', 'https://LOCALHOST', 'http://[::1]:8787/']) expect(isLoopbackUrl(u), u).toBe(true);
    for (const u of ['http://10.0.0.1', 'https://sync.example.com', 'http://127.0.0.1.example.com', 'not a url', 'http://[::2]']) expect(isLoopbackUrl(u), u).toBe(false);
  });
});
