import { describe, expect, it } from 'vitest';
import type { Request } from 'express';
import { acceptsGzip } from './compressed-json.ts';

const req = (acceptEncoding?: string) => ({ headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }) as Request;

describe('acceptsGzip', () => {
  it('accepts gzip when the client lists it (any case, with or without a positive q), or *', () => {
    for (const h of ['gzip', 'gzip, deflate, br', 'br;q=1.0, GZIP;q=0.5', 'deflate, *', 'x-gzip']) expect(acceptsGzip(req(h)), h).toBe(true);
  });
  it('refuses without the header, for other codings only, and when gzip is refused with q=0', () => {
    for (const h of [undefined, '', 'identity', 'br, deflate', 'gzip;q=0', 'gzip; q=0.0']) expect(acceptsGzip(req(h)), String(h)).toBe(false);
  });
});
