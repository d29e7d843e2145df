// Long-task attribution of a Chromium DevTools trace (devtools.timeline categories): every top-level task on the
// page's renderer main thread whose thread CPU time exceeds a limit (50 ms), split into where its CPU went —
// script, style recalculation, layout, paint (pre-paint, paint, layerize, commit), garbage collection, other — by
// the self CPU time of each nested trace event, with the task's heaviest parts named (script function and source
// position, style recalcs with their element counts, layouts with dirty/total objects). Units: ms of thread CPU time
// (the trace's `tdur`, which a loaded machine does not stretch) unless named otherwise.

export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: {
    name?: string;
    elementCount?: number;
    data?: { functionName?: string; url?: string; lineNumber?: number; columnNumber?: number; type?: string };
    beginData?: { dirtyObjects?: number; totalObjects?: number };
  };
}

export type Category = 'script' | 'style' | 'layout' | 'paint' | 'gc' | 'other';
export const CATEGORIES: readonly Category[] = ['script', 'style', 'layout', 'paint', 'gc', 'other'];

const SCRIPT = new Set(['FunctionCall', 'EvaluateScript', 'TimerFire', 'FireAnimationFrame', 'EventDispatch', 'RunMicrotasks', 'V8.Execute',
  'HandlePostMessage', 'FireIdleCallback', 'v8.compile', 'v8.compileModule', 'v8.run', 'V8.DeserializeContext', 'XHRReadyStateChange', 'XHRLoad',
  'BlinkScheduler_PerformMicrotaskCheckpoint', 'v8.produceCache', 'v8.evaluateModule', 'V8.CompileCode', 'V8.OptimizeCode', 'CompileCode']);
const STYLE = new Set(['UpdateLayoutTree', 'RecalculateStyles', 'ParseAuthorStyleSheet', 'ScheduleStyleInvalidationTracking']);
const LAYOUT = new Set(['Layout', 'UpdateLayout', 'IntersectionObserverController::computeIntersections', 'ComputeIntersections']);
const PAINT = new Set(['PrePaint', 'Paint', 'PaintImage', 'Layerize', 'Commit', 'UpdateLayer', 'UpdateLayerTree', 'ScrollLayer', 'CompositeLayers',
  'PaintSetup', 'RasterTask', 'Decode Image', 'HitTest']);

/** The category of a trace event's own (self) time. */
export function categoryOf(name: string): Category {
  if (SCRIPT.has(name) || name.startsWith('v8.') || name.startsWith('V8.Execute')) return 'script';
  if (STYLE.has(name)) return 'style';
  if (LAYOUT.has(name)) return 'layout';
  if (PAINT.has(name)) return 'paint';
  if (name.startsWith('V8.GC') || name.startsWith('BlinkGC') || name === 'MinorGC' || name === 'MajorGC' || name.includes('GC_') || name.startsWith('CppGC')) return 'gc';
  return 'other';
}

export interface TaskPart { what: string; cpuMs: number }

export interface LongTask {
  /** Start, ms after the first top-level task of the trace (of its segment). */
  atMs: number;
  wallMs: number;
  cpuMs: number;
  /** Self CPU time per category (sums to cpuMs up to events without thread times). */
  byCategory: Record<Category, number>;
  /** The heaviest named parts (inclusive CPU time): script functions, style recalcs, layouts. */
  parts: TaskPart[];
}

export interface Attribution {
  /** The CPU time (ms) over which a task is listed as long. */
  limitMs: number;
  tasks: number;
  cpuSec: number;
  longTasks: LongTask[];
  /** Self CPU time per category over all long tasks. */
  longByCategory: Record<Category, number>;
  /** Self CPU time per category over all tasks. */
  allByCategory: Record<Category, number>;
}

const zero = (): Record<Category, number> => ({ script: 0, style: 0, layout: 0, paint: 0, gc: 0, other: 0 });
const ms = (us: number | undefined) => (us ?? 0) / 1000;

/** The renderer main thread with the most top-level task CPU time (the page's, not an idle frame's). */
export function pageMainThread(events: readonly TraceEvent[]): string | null {
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const cpu = new Map<string, number>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph === 'X' && e.name === 'RunTask' && mains.has(key)) cpu.set(key, (cpu.get(key) ?? 0) + (e.tdur ?? 0));
  }
  let best: string | null = null;
  for (const [k, v] of cpu) if (best === null || v > cpu.get(best)!) best = k;
  return best;
}

function describe(e: TraceEvent): string | null {
  const d = e.args?.data;
  switch (e.name) {
    case 'FunctionCall': {
      const file = (d?.url ?? '').split('/').pop() || '(native)';
      return `script ${d?.functionName || '(anonymous)'} ${file}:${(d?.lineNumber ?? 0) + 1}:${(d?.columnNumber ?? 0) + 1}`;
    }
    case 'EventDispatch': return `event ${d?.type ?? ''}`;
    case 'TimerFire': return null; // its FunctionCall names it
    case 'UpdateLayoutTree': case 'RecalculateStyles': return `style recalc, ${e.args?.elementCount ?? '?'} elements`;
    case 'Layout': return `layout, ${e.args?.beginData?.dirtyObjects ?? '?'}/${e.args?.beginData?.totalObjects ?? '?'} objects`;
    case 'Paint': case 'PrePaint': case 'Layerize': case 'Commit': return e.name.toLowerCase();
    case 'MinorGC': case 'MajorGC': return e.name;
    default: return null;
  }
}

/**
 * Attributes the page main thread's top-level tasks (outermost `RunTask` events) of a trace; tasks whose thread
 * CPU time exceeds `limitMs` are listed with their breakdown, at most `partsPerTask` named parts each.
 */
export function attribute(events: readonly TraceEvent[], opts: { limitMs?: number; partsPerTask?: number } = {}): Attribution {
  const limitMs = opts.limitMs ?? 50;
  const thread = pageMainThread(events);
  const out: Attribution = { limitMs, tasks: 0, cpuSec: 0, longTasks: [], longByCategory: zero(), allByCategory: zero() };
  if (!thread) return out;
  // Complete events of the thread, parents before children (same start: the longer first).
  const own = events.filter((e) => e.ph === 'X' && `${e.pid}:${e.tid}` === thread && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const t0 = own.find((e) => e.name === 'RunTask')?.ts ?? 0;
  interface Open { e: TraceEvent; end: number; childCpu: number; task: Open | null; byCategory: Record<Category, number>; parts: Map<string, number> }
  const stack: Open[] = [];
  const close = (o: Open) => {
    const self = Math.max(0, (o.e.tdur ?? 0) - o.childCpu);
    const parent = stack[stack.length - 1];
    if (parent && o.e.tdur !== undefined) parent.childCpu += o.e.tdur;
    const task = o.task ?? o;
    const cat = categoryOf(o.e.name);
    task.byCategory[cat] += ms(self);
    if (o.task) {
      const what = describe(o.e);
      // A named part counts once per task even when nested in another of the same name (recursion).
      if (what && !stack.some((s) => describe(s.e) === what)) task.parts.set(what, (task.parts.get(what) ?? 0) + ms(o.e.tdur));
      return;
    }
    // A top-level task ends.
    out.tasks++;
    out.cpuSec += ms(o.e.tdur) / 1000;
    for (const c of CATEGORIES) out.allByCategory[c] += o.byCategory[c];
    if (ms(o.e.tdur) > limitMs) {
      for (const c of CATEGORIES) out.longByCategory[c] += o.byCategory[c];
      const parts = [...o.parts].sort((a, b) => b[1] - a[1]).slice(0, opts.partsPerTask ?? 6).map(([what, cpuMs]) => ({ what, cpuMs }));
      out.longTasks.push({ atMs: ms(o.e.ts - t0), wallMs: ms(o.e.dur), cpuMs: ms(o.e.tdur), byCategory: o.byCategory, parts });
    }
  };
  for (const e of own) {
    while (stack.length > 0 && e.ts >= stack[stack.length - 1]!.end) close(stack.pop()!);
    if (stack.length === 0 && e.name !== 'RunTask') continue; // outside any task (trace edges)
    const task = stack.length > 0 ? (stack[0]!) : null;
    stack.push({ e, end: e.ts + (e.dur ?? 0), childCpu: 0, task, byCategory: zero(), parts: new Map() });
  }
  while (stack.length > 0) close(stack.pop()!);
  return out;
}

/** One attribution of several trace segments (tasks, CPU and categories summed, long tasks listed together). */
export function combine(parts: readonly Attribution[], limitMs = 50): Attribution {
  const out: Attribution = { limitMs, tasks: 0, cpuSec: 0, longTasks: [], longByCategory: zero(), allByCategory: zero() };
  for (const a of parts) {
    out.tasks += a.tasks;
    out.cpuSec += a.cpuSec;
    out.longTasks.push(...a.longTasks);
    for (const c of CATEGORIES) {
      out.longByCategory[c] += a.longByCategory[c];
      out.allByCategory[c] += a.allByCategory[c];
    }
  }
  return out;
}

const r1 = (x: number) => x.toFixed(1);

/** A readable report of an attribution (stderr of the bench). */
export function formatAttribution(a: Attribution, maxTasks = 40): string {
  const cats = (b: Record<Category, number>) => CATEGORIES.map((c) => `${c} ${r1(b[c])}`).join(', ');
  const lines = [
    `trace: ${a.tasks} main-thread tasks, ${r1(a.cpuSec)} s CPU; all tasks by category (ms): ${cats(a.allByCategory)}`,
    `trace: ${a.longTasks.length} tasks over ${a.limitMs} ms CPU; their CPU by category (ms): ${cats(a.longByCategory)}`,
  ];
  const worst = [...a.longTasks].sort((x, y) => y.cpuMs - x.cpuMs).slice(0, maxTasks);
  for (const t of worst) {
    lines.push(`  at ${r1(t.atMs / 1000)} s: ${r1(t.cpuMs)} ms CPU (${r1(t.wallMs)} wall): ${cats(t.byCategory)}`);
    for (const p of t.parts) lines.push(`      ${r1(p.cpuMs).padStart(7)} ms  ${p.what}`);
  }
  return lines.join('\n');
}
