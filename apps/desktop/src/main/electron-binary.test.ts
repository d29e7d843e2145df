import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findElectronBinary } from './electron-binary.ts';

const root = mkdtempSync(join(tmpdir(), 'aw-electron-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('findElectronBinary', () => {
  it('reports a missing binary without downloading it', () => {
    expect(findElectronBinary(root, {})).toBeNull(); // no node_modules/electron at all
    mkdirSync(join(root, 'node_modules', 'electron'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'electron', 'path.txt'), 'electron');
    expect(findElectronBinary(root, {})).toBeNull(); // path.txt but no dist/
  });
  it('finds the installed binary, or the one ELECTRON_OVERRIDE_DIST_PATH names', () => {
    mkdirSync(join(root, 'node_modules', 'electron', 'dist'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'electron', 'dist', 'electron'), '');
    expect(findElectronBinary(root, {})).toBe(join(root, 'node_modules', 'electron', 'dist', 'electron'));
    expect(findElectronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: join(root, 'nowhere') })).toBeNull();
  });
});
