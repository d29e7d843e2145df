import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './csp.ts';

describe('contentSecurityPolicy', () => {
  const csp = contentSecurityPolicy('http://127.0.0.1:8787/some/path');
  const directive = (name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `));
  it('lets the renderer reach only itself and the sync server over http and ws', () => {
    expect(directive('connect-src')).toBe("connect-src 'self' http://127.0.0.1:8787 ws://127.0.0.1:8787");
  });
  it('forbids inline and eval scripts and plugins; WebAssembly compilation only (engine kernels)', () => {
    expect(directive('script-src')).toBe("script-src 'self' 'wasm-unsafe-eval'");
    expect(directive('object-src')).toBe("object-src 'none'");
  });
  it('opens up for the Vite dev server only when one is given', () => {
    const dev = contentSecurityPolicy('http://127.0.0.1:8787', 'http://localhost:5173/');
    expect(dev).toContain("script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'");
    expect(dev).toContain('connect-src \'self\' http://127.0.0.1:8787 ws://127.0.0.1:8787 http://localhost:5173 ws://localhost:5173');
    expect(csp).not.toContain("'unsafe-eval'");
  });
  it('rejects a server address that is not a URL', () => {
    expect(() => contentSecurityPolicy('127.0.0.1:8787x')).toThrow();
  });
});
