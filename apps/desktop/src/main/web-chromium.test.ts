import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { browserPid, sampleThreads } from '../../../../bench/ui/thread-cpu.ts';
import { RENDERER_JS_FLAGS } from '../shared/renderer-flags.ts';
import { chromiumArgs, chromiumPath, chromiumPriorities, dropsPriorityRights } from './web-chromium.ts';

/**
 * Launches web mode's Chromium, scrolls a page for a moment (compositor and raster at work), and returns the nice
 * value of every thread of its processes (the ui bench's /proc reader).
 */
async function threadNices(): Promise<number[]> {
  const profile = mkdtempSync(join(tmpdir(), 'aw-nice-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath(), args: chromiumArgs() });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    await page.setContent('<div style="height:20000px;background:repeating-linear-gradient(#111 0 20px,#222 20px 40px)">rows</div>');
    for (let i = 0; i < 10; i++) await page.mouse.wheel(0, 400);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const browser = browserPid(profile);
    expect(browser).not.toBeNull();
    return sampleThreads(browser!).map((t) => t.nice);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

const saved = process.env['CHROMIUM_PRIORITIES'];
afterEach(() => {
  if (saved === undefined) delete process.env['CHROMIUM_PRIORITIES']; else process.env['CHROMIUM_PRIORITIES'] = saved;
});

describe("web mode's Chromium", () => {
  it("runs the renderer with the app window's V8 flags, or V8's defaults when given none", () => {
    expect(chromiumArgs()).toContain(`--js-flags=${RENDERER_JS_FLAGS.join(' ')}`);
    expect(chromiumArgs([]).some((a) => a.startsWith('--js-flags'))).toBe(false);
    expect(chromiumArgs(['--a', '--b'])).toContain('--js-flags=--a --b');
  });

  it('passes V8 only flags V8 knows (Chromium would ignore a misspelt one silently; Node refuses it)', () => {
    for (const flag of RENDERER_JS_FLAGS) {
      const run = spawnSync(process.execPath, [flag, '-e', ''], { encoding: 'utf8' });
      expect({ flag, status: run.status, stderr: run.stderr }).toEqual({ flag, status: 0, stderr: '' });
    }
    expect(spawnSync(process.execPath, ['--single-threaded-gcc', '-e', ''], { encoding: 'utf8' }).status).not.toBe(0);
  });

  // As root, Chromium would raise its compositor, Viz and IO threads above the UI thread; a user's cannot.
  it.runIf(process.platform === 'linux' && process.getuid?.() === 0)('keeps every thread at a user\'s priority when run as root (and would not without the launcher)', async () => {
    delete process.env['CHROMIUM_PRIORITIES'];
    expect(dropsPriorityRights()).toBe(true);
    expect(chromiumPriorities()).toBe('user');
    const asUser = await threadNices();
    expect(asUser.length).toBeGreaterThan(20);
    expect(Math.min(...asUser)).toBeGreaterThanOrEqual(0);
    process.env['CHROMIUM_PRIORITIES'] = 'root';
    expect(dropsPriorityRights()).toBe(false);
    expect(chromiumPriorities()).toBe('root');
    expect(Math.min(...await threadNices())).toBeLessThan(0);
  }, 60_000);
});
