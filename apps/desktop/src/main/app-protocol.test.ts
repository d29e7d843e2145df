import { describe, expect, it } from 'vitest';
import { contentType, resolveAppFile } from './app-protocol.ts';

describe('resolveAppFile', () => {
  it('maps app URLs and paths to files under the root', () => {
    expect(resolveAppFile('/r', 'app://desktop/assets/index-abc.js')).toBe('/r/assets/index-abc.js');
    expect(resolveAppFile('/r', '/assets/x.css?v=1')).toBe('/r/assets/x.css');
  });
  it('serves index.html for the root and client routes', () => {
    expect(resolveAppFile('/r', 'app://desktop/')).toBe('/r/index.html');
    expect(resolveAppFile('/r', '/households/h-1')).toBe('/r/index.html');
  });
  it('refuses paths that escape the root, encoded or not', () => {
    expect(resolveAppFile('/r', '/%2e%2e/%2e%2e/etc/passwd.txt')).toBe('/r/etc/passwd.txt'); // URL dot segments stay inside
    expect(resolveAppFile('/r', '/assets/%2e%2e%2f..%2f..%2fsecret.js')).toBeNull();
    expect(resolveAppFile('/r', '/%E0%A4%A.js')).toBeNull();
    expect(resolveAppFile('/r', '/a%00.js')).toBeNull();
  });
  it('names content types', () => {
    expect(contentType('/r/a.js')).toMatch(/^text\/javascript/);
    expect(contentType('/r/a.bin')).toBe('application/octet-stream');
  });
});
