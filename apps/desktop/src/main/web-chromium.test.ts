import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { RENDERER_JS_FLAGS } from '../shared/renderer-flags.ts';
import { chromiumArgs, chromiumPath, dropsPriorityRights } from './web-chromium.ts';

const read = (path: string): string | null => {
  try { return readFileSync(path, 'utf8'); } catch { return null; }
};

/** The nice value of every thread of the process `root` and the processes under it (Linux's /proc). */
function nicesUnder(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    const stat = read(`/proc/${d}/stat`);
    if (!stat) continue;
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(d)]);
  }
  const nices: number[] = [];
  for (const queue = [root]; queue.length > 0;) {
    const pid = queue.shift()!;
    queue.push(...(children.get(pid) ?? []));
    let tids: string[];
    try { tids = readdirSync(`/proc/${pid}/task`); } catch { continue; }
    for (const tid of tids) {
      const stat = read(`/proc/${pid}/task/${tid}/stat`);
      // After the name: state ppid … priority nice (fields 3 … 19).
      if (stat) nices.push(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    }
  }
  return nices;
}

/** Launches web mode's Chromium, scrolls a page for a moment (compositor and raster at work), returns its threads' nice values. */
async function threadNices(): Promise<number[]> {
  const profile = mkdtempSync(join(tmpdir(), 'aw-nice-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath(), args: chromiumArgs() });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    await page.setContent('<div style="height:20000px;background:repeating-linear-gradient(#111 0 20px,#222 20px 40px)">rows</div>');
    for (let i = 0; i < 10; i++) await page.mouse.wheel(0, 400);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const browser = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number)
      .find((pid) => (read(`/proc/${pid}/cmdline`) ?? '').split('\0').includes(`--user-data-dir=${profile}`)
        && !(read(`/proc/${pid}/cmdline`) ?? '').includes('--type='));
    expect(browser).toBeDefined();
    return nicesUnder(browser!);
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
    const asUser = await threadNices();
    expect(asUser.length).toBeGreaterThan(20);
    expect(Math.min(...asUser)).toBeGreaterThanOrEqual(0);
    process.env['CHROMIUM_PRIORITIES'] = 'root';
    expect(dropsPriorityRights()).toBe(false);
    expect(Math.min(...await threadNices())).toBeLessThan(0);
  }, 60_000);
});
