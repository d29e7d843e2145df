import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { RENDERER_JS_FLAGS } from '../shared/renderer-flags.ts';
import { chromiumArgs } from './web-chromium.ts';

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
});
