import { describe, expect, it } from 'vitest';
import { isAppNavigation, isExternalLink, secureWebPreferences } from './security.ts';

describe('window security', () => {
  it('sandboxes and isolates the renderer with no Node integration', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({ preload: '/p.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
  });
  it('allows navigation only inside the app origin', () => {
    expect(isAppNavigation('app://desktop/index.html')).toBe(true);
    expect(isAppNavigation('https://evil.example/')).toBe(false);
    expect(isAppNavigation('file:///etc/passwd')).toBe(false);
    expect(isAppNavigation('not a url')).toBe(false);
  });
  it('hands only https links to the system browser', () => {
    expect(isExternalLink('https://www.sec.gov/')).toBe(true);
    expect(isExternalLink('javascript:alert(1)')).toBe(false);
    expect(isExternalLink('file:///tmp/x')).toBe(false);
  });
});
