// Whether the user is working the screen right now: a scroll, wheel turn, key or pointer press in the last QUIET_MS.
// Bulk jobs yield to it while it lasts (workers/pacer.ts). Listeners are passive and on the capture phase (scroll
// events do not bubble), so they never delay the input they watch.

export const QUIET_MS = 300;
const EVENTS = ['scroll', 'wheel', 'keydown', 'pointerdown', 'touchmove'] as const;

export interface UserActivity {
  busy(): boolean;
  stop(): void;
}

export function watchUserActivity(target: EventTarget, opts: { now?: () => number; quietMs?: number } = {}): UserActivity {
  const now = opts.now ?? (() => performance.now());
  const quietMs = opts.quietMs ?? QUIET_MS;
  let lastInput = -Infinity;
  const onInput = () => { lastInput = now(); };
  const options = { capture: true, passive: true } as const;
  for (const e of EVENTS) target.addEventListener(e, onInput, options);
  return {
    busy: () => now() - lastInput < quietMs,
    stop() {
      for (const e of EVENTS) target.removeEventListener(e, onInput, options);
    },
  };
}
