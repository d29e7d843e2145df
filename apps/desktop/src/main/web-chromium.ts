// How web mode's Chromium is launched on these machines (e2e specs, benches): Debian's Chromium, headless, with the
// flags a closed network needs (STACK.md), and the renderer's V8 flags of the Electron window
// (shared/renderer-flags.ts).
import { RENDERER_JS_FLAGS } from '../shared/renderer-flags.ts';

export const chromiumPath = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Chromium's command-line flags; `jsFlags` replaces the app's V8 flags (none: V8's defaults). */
export function chromiumArgs(jsFlags: readonly string[] = RENDERER_JS_FLAGS): string[] {
  return [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--no-first-run', ...(jsFlags.length > 0 ? [`--js-flags=${jsFlags.join(' ')}`] : []),
  ];
}
