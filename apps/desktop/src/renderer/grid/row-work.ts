// AG Grid creates and removes the rows of a scroll step in a requestAnimationFrame callback (its animation frame
// service), so their script runs in the same task as the style, layout and paint of those rows. On 2 cores during a
// bulk job that one task (~10 ms of row script, ~20 ms of rendering, stretched by the other busy threads) went past
// 50 ms. Here the service's frame runs in a task of its own, posted when AG Grid asks for a frame; the frame after it
// renders the rows, and input is handled in between. In the ui bench (5 interleaved runs each): 9 long tasks during
// the bulk run instead of 27, and 1 instead of 8 while scrolling with no job.
// This reaches into AG Grid's internals (the beans a row node holds), checked by shape: when they are not what this
// expects, nothing changes and the caller is told (the review grid then shows data-row-work="frame", which its e2e
// test and the ui bench refuse).

/** AG Grid's per-frame budget for its queued row tasks is 60 ms; in a task of its own, a frame's worth. */
export const ROW_WORK_BUDGET_MS = 16;

interface FrameService { requestFrame(): void; executeFrame(millis: number): void }

const installed = new WeakMap<FrameService, () => void>();

function frameServiceOf(node: unknown): FrameService | null {
  const svc = (node as { beans?: { animationFrameSvc?: Partial<FrameService> } } | null)?.beans?.animationFrameSvc;
  return svc && typeof svc.requestFrame === 'function' && typeof svc.executeFrame === 'function' ? svc as FrameService : null;
}

/**
 * Makes the grid that `node` (an AG Grid row node) belongs to run its row work in posted tasks instead of animation
 * frames. Returns the undo (AG Grid's own scheduling back), or null if the grid's internals are not as expected.
 */
export function rowWorkInTasks(node: unknown): (() => void) | null {
  const svc = frameServiceOf(node);
  if (!svc) return null;
  const done = installed.get(svc);
  if (done) return done;
  const own = Object.getOwnPropertyDescriptor(svc, 'requestFrame');
  // A MessageChannel task runs at once, unlike a nested setTimeout (clamped to 4 ms).
  const channel = new MessageChannel();
  let pending = false;
  channel.port1.onmessage = () => {
    pending = false;
    svc.executeFrame(ROW_WORK_BUDGET_MS);
  };
  svc.requestFrame = () => {
    pending = true;
    channel.port2.postMessage(null);
  };
  const undo = () => {
    if (installed.get(svc) !== undo) return;
    installed.delete(svc);
    if (own) Object.defineProperty(svc, 'requestFrame', own); else delete (svc as Partial<FrameService>).requestFrame;
    channel.port1.close();
    // A frame asked for and not run yet is asked for again the grid's own way (else its queue would wait forever).
    if (pending) svc.requestFrame();
  };
  installed.set(svc, undo);
  return undo;
}
