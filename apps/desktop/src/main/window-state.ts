// Window state persisted between runs: bounds (pixels, screen coordinates) and maximized flag, kept in a small JSON
// file in Electron's userData folder. Saved bounds are fitted back onto a visible display before use, so a window
// last seen on an unplugged monitor still opens on screen.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Rect { x: number; y: number; width: number; height: number }
export interface WindowState { bounds: Rect; maximized: boolean }

export const DEFAULT_SIZE = { width: 1440, height: 900 };
export const MIN_SIZE = { width: 960, height: 600 };

const isRect = (r: unknown): r is Rect => typeof r === 'object' && r !== null &&
  ['x', 'y', 'width', 'height'].every((k) => Number.isFinite((r as Record<string, unknown>)[k]));

/** The saved state, or null when the file is missing or not a valid state. */
export function loadWindowState(file: string): WindowState | null {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (typeof raw !== 'object' || raw === null) return null;
    const { bounds, maximized } = raw as Record<string, unknown>;
    return isRect(bounds) ? { bounds, maximized: maximized === true } : null;
  } catch {
    return null;
  }
}

/** Writes atomically (temp file + rename) so a crash never leaves half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}

const overlap = (a: Rect, b: Rect): number =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

/**
 * Bounds to open the window with, given the displays' work areas (the first is the primary): the saved bounds
 * moved/shrunk onto the display they overlap most; centered default bounds on the primary when nothing was saved
 * or the saved window overlaps no display.
 */
export function fitBounds(saved: Rect | null, workAreas: readonly Rect[]): Rect {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  let area = primary;
  let rect: Rect | null = saved;
  if (saved) {
    const best = workAreas.map((a) => ({ a, o: overlap(saved, a) })).sort((p, q) => q.o - p.o)[0];
    if (best && best.o > 0) area = best.a; else rect = null;
  }
  if (!rect) {
    const width = Math.min(DEFAULT_SIZE.width, area.width);
    const height = Math.min(DEFAULT_SIZE.height, area.height);
    rect = { x: area.x + Math.round((area.width - width) / 2), y: area.y + Math.round((area.height - height) / 2), width, height };
  }
  const width = Math.min(Math.max(rect.width, Math.min(MIN_SIZE.width, area.width)), area.width);
  const height = Math.min(Math.max(rect.height, Math.min(MIN_SIZE.height, area.height)), area.height);
  const x = Math.min(Math.max(rect.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(rect.y, area.y), area.y + area.height - height);
  return { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) };
}
