// textFrameSink against a real ws server and client on 127.0.0.1: every header size (7-, 16- and 64-bit lengths),
// UTF-8 payloads, and the fallback through ws.send when per-message deflate was negotiated.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { FRAME_HEADROOM } from './stream-hub.ts';
import { textFrameSink } from './ws-frame.ts';

const frameOf = (text: string): Buffer => {
  const payload = Buffer.from(text);
  const frame = Buffer.alloc(FRAME_HEADROOM + payload.length, 0xee);
  payload.copy(frame, FRAME_HEADROOM);
  return frame;
};

describe('textFrameSink', () => {
  let server: Server | null = null;
  afterEach(async () => {
    await new Promise((r) => server?.close(r));
    server = null;
  });

  async function roundTrip(texts: string[], deflate: boolean): Promise<Array<{ text: string; binary: boolean }>> {
    server = createServer();
    const wss = new WebSocketServer({ server, perMessageDeflate: deflate });
    wss.on('connection', (ws) => {
      const sink = textFrameSink(ws);
      for (const t of texts) sink(frameOf(t), FRAME_HEADROOM);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { perMessageDeflate: deflate });
    const got: Array<{ text: string; binary: boolean }> = [];
    await new Promise<void>((resolve, reject) => {
      client.on('message', (data, binary) => {
        got.push({ text: (data as Buffer).toString('utf8'), binary });
        if (got.length === texts.length) resolve();
      });
      client.on('error', reject);
      client.on('close', (code) => reject(new Error(`closed ${code}`)));
    });
    expect(client.extensions).toBe(deflate ? 'permessage-deflate' : '');
    client.terminate();
    wss.close();
    return got;
  }

  const texts = ['{"a":1}', `{"s":"${'x'.repeat(200)}"}`, `{"ü€":"${'y'.repeat(70_000)}"}`, '"Ä"'];

  it('sends each payload as one text frame, whatever its length', async () => {
    expect(await roundTrip(texts, false)).toEqual(texts.map((text) => ({ text, binary: false })));
  });

  it('goes through ws.send when an extension was negotiated', async () => {
    expect(await roundTrip(texts, true)).toEqual(texts.map((text) => ({ text, binary: false })));
  });
});
