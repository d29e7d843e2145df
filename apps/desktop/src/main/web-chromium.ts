// How web mode's Chromium is launched on these machines (e2e specs, benches): Debian's Chromium, headless, with the
// flags a closed network needs (STACK.md), and the renderer's V8 flags of the Electron window
// (shared/renderer-flags.ts).
//
// Thread priorities as on a user's machine: run as root (CI, these machines), Chromium raises its display-critical
// threads (compositor, Viz, IO) to nice −8, which a Linux user's Chromium or Electron cannot (raising a priority takes
// CAP_SYS_NICE). At −8 a thread weighs ~6× the renderer's main thread (nice 0) in Linux's scheduler: on 2 cores the
// UI thread's 10–12 ms frames of a scrolling bulk run took 32–47 ms of wall time. As root, Chromium is therefore
// started through setpriv without that capability (every thread stays at nice 0, as a user's);
// CHROMIUM_PRIORITIES=root keeps root's priorities, to compare.
import { createHash } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RENDERER_JS_FLAGS } from '../shared/renderer-flags.ts';

const SETPRIV = '/usr/bin/setpriv';

/** The Chromium binary (CHROMIUM_PATH, else Debian's). */
export const chromiumBinary = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const isRoot = (): boolean => process.getuid?.() === 0;

/** Whether Chromium would run with more scheduling rights than a user's: root, not asked to keep them, setpriv at hand. */
export const dropsPriorityRights = (): boolean =>
  isRoot() && process.env.CHROMIUM_PRIORITIES !== 'root' && existsSync(SETPRIV);

/** The thread priorities the launched Chromium gets: a Linux user's (all at nice 0) or root's (display threads at −8). */
export const chromiumPriorities = (): 'user' | 'root' => (isRoot() && !dropsPriorityRights() ? 'root' : 'user');

/**
 * What to launch: the binary itself, or (see dropsPriorityRights) a script that starts it through setpriv without
 * CAP_SYS_NICE. `exec` keeps the pid, so the browser process is the launched one. The script is named after its
 * text and written whole (a rename), so processes launching side by side share it.
 */
export function chromiumPath(): string {
  const binary = chromiumBinary();
  if (!dropsPriorityRights()) return binary;
  const quoted = `'${binary.replaceAll("'", "'\\''")}'`;
  const text = `#!/bin/sh\nexec ${SETPRIV} --bounding-set -sys_nice --inh-caps -sys_nice ${quoted} "$@"\n`;
  const script = join(tmpdir(), `aw-chromium-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.sh`);
  if (!existsSync(script)) {
    const part = `${script}.${process.pid}`;
    writeFileSync(part, text, { mode: 0o755 });
    renameSync(part, script);
  }
  return script;
}

/** Chromium's command-line flags; `jsFlags` replaces the app's V8 flags (none: V8's defaults). */
export function chromiumArgs(jsFlags: readonly string[] = RENDERER_JS_FLAGS): string[] {
  return [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--no-first-run', ...(jsFlags.length > 0 ? [`--js-flags=${jsFlags.join(' ')}`] : []),
  ];
}
