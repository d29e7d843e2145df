import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fitBounds, loadWindowState, saveWindowState } from './window-state.ts';

const primary = { x: 0, y: 0, width: 1920, height: 1040 };
const right = { x: 1920, y: 0, width: 1280, height: 1000 };

describe('fitBounds', () => {
  it('centers the default size on the primary display when nothing was saved', () => {
    expect(fitBounds(null, [primary])).toEqual({ x: 240, y: 70, width: 1440, height: 900 });
  });
  it('keeps saved bounds that are fully visible', () => {
    expect(fitBounds({ x: 2000, y: 50, width: 1000, height: 700 }, [primary, right])).toEqual({ x: 2000, y: 50, width: 1000, height: 700 });
  });
  it('brings a window of an unplugged monitor back to the primary display', () => {
    expect(fitBounds({ x: 2000, y: 50, width: 1000, height: 700 }, [primary])).toEqual({ x: 240, y: 70, width: 1440, height: 900 });
  });
  it('pulls a half-visible window inside its display and enforces the minimum size', () => {
    expect(fitBounds({ x: 1800, y: -20, width: 300, height: 200 }, [primary])).toEqual({ x: 960, y: 0, width: 960, height: 600 });
  });
  it('shrinks a window larger than its display', () => {
    expect(fitBounds({ x: 0, y: 0, width: 4000, height: 3000 }, [{ x: 0, y: 0, width: 800, height: 500 }])).toEqual({ x: 0, y: 0, width: 800, height: 500 });
  });
});

describe('window state file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aw-window-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('round-trips and ignores missing or corrupt files', () => {
    const file = join(dir, 'sub', 'window-state.json');
    expect(loadWindowState(file)).toBeNull();
    saveWindowState(file, { bounds: { x: 1, y: 2, width: 1000, height: 700 }, maximized: true });
    expect(loadWindowState(file)).toEqual({ bounds: { x: 1, y: 2, width: 1000, height: 700 }, maximized: true });
    writeFileSync(file, '{"bounds":{"x":"left"}}');
    expect(loadWindowState(file)).toBeNull();
    writeFileSync(file, 'not json');
    expect(loadWindowState(file)).toBeNull();
  });
});
