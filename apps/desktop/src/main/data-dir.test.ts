import { describe, expect, it } from 'vitest';
import { defaultDataDir } from './data-dir.ts';

describe('defaultDataDir', () => {
  it('follows each platform convention', () => {
    expect(defaultDataDir({ platform: 'linux', env: {}, home: '/home/ann' })).toBe('/home/ann/.local/share/advisor-workstation/server');
    expect(defaultDataDir({ platform: 'linux', env: { XDG_DATA_HOME: '/data' }, home: '/home/ann' })).toBe('/data/advisor-workstation/server');
    expect(defaultDataDir({ platform: 'darwin', env: {}, home: '/Users/ann' })).toBe('/Users/ann/Library/Application Support/advisor-workstation/server');
    expect(defaultDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, home: 'C:\\Users\\ann' }))
      .toBe('C:\\Users\\ann\\AppData\\Roaming\\advisor-workstation\\server');
  });
});
