// Node side of the UI bench's main-thread measurements, through Chromium's DevTools protocol: a trace of the page's
// renderer main thread (every top-level task with its wall time `dur` and its thread CPU time `tdur`, so the CPU
// figures hold on a loaded machine where wall times stretch), and an optional V8 CPU profile of a phase summarized
// as the functions with the most self time (long-task attribution). Units: ms unless named otherwise.
import { writeFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';
import type { TraceEvent } from './trace-attribution.ts';

export interface MainThreadTasks {
  /** Top-level tasks on the page's main thread. */
  tasks: number;
  /** Wall time of the longest task (stretched by a loaded machine). */
  longestTaskMs: number;
  /** Thread CPU time of the task with the most CPU time (load-independent). */
  longestTaskCpuMs: number;
  /** Tasks whose CPU time alone exceeds 50 ms. */
  tasksOver50CpuMs: number;
  /** Main-thread CPU time of all tasks, seconds. */
  cpuSec: number;
}


const DETAILED = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'];
const TASKS_ONLY = ['disabled-by-default-devtools.timeline'];

export interface MainThreadRecorder { stop(): Promise<MainThreadTasks> }

/**
 * One DevTools trace of the page through its own CDP session (a persistent browser context has no Browser object
 * for `browser.startTracing`): Tracing.start; `end` ends tracing (the next trace may start at once) and gives the
 * reader of this one's data (a stream on its session).
 */
async function startTrace(page: Page, categories: string[]): Promise<{ end(): Promise<() => Promise<Buffer>> }> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Tracing.start', { transferMode: 'ReturnAsStream', traceConfig: { includedCategories: categories } });
  return {
    async end() {
      const complete = new Promise<string>((resolve) => cdp.once('Tracing.tracingComplete', (e) => resolve(e.stream!)));
      await cdp.send('Tracing.end');
      const handle = await complete;
      return async () => {
        const parts: Buffer[] = [];
        for (;;) {
          const r = await cdp.send('IO.read', { handle, size: 8 << 20 });
          parts.push(Buffer.from(r.data, r.base64Encoded ? 'base64' : 'utf8'));
          if (r.eof) break;
        }
        await cdp.send('IO.close', { handle });
        await cdp.detach();
        return Buffer.concat(parts);
      };
    },
  };
}

/**
 * Records the page main thread's top-level tasks until `stop()`. The trace is taken in segments of `segmentMs`
 * (a long run's single trace would not fit in memory; each starts as the last ends), so a task straddling two
 * segments can be missed. `detailed`:
 * the devtools.timeline categories too (what each task did: script, style, layout, paint, GC), each segment handed
 * to `onSegment` and, with `saveTo` (a .json path), saved: the first segment to `saveTo`, the k-th to `saveTo` with
 * `-k` before `.json` (each opens in DevTools).
 */
export async function recordMainThread(page: Page, opts: { segmentMs?: number; saveTo?: string; detailed?: boolean;
  onSegment?(events: readonly TraceEvent[]): void } = {}): Promise<MainThreadRecorder> {
  const total: MainThreadTasks = { tasks: 0, longestTaskMs: 0, longestTaskCpuMs: 0, tasksOver50CpuMs: 0, cpuSec: 0 };
  let stopping = false;
  let wake: () => void = () => undefined;
  const detailed = opts.detailed || !!opts.saveTo;
  const start = () => startTrace(page, detailed ? DETAILED : TASKS_ONLY);
  let trace = await start();
  let segment = 0;
  const loop = (async () => {
    while (true) {
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, opts.segmentMs ?? 20_000);
        if (stopping) r();
      });
      // The next segment starts before this one is read and parsed (seconds for a detailed one): no gap between them.
      const final = stopping;
      const read = await trace.end();
      if (!final) trace = await start();
      const buf = await read();
      segment++;
      if (opts.saveTo) writeFileSync(segment === 1 ? opts.saveTo : opts.saveTo.replace(/(\.json)?$/, `-${segment}.json`), buf);
      const parsed = JSON.parse(buf.toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
      const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
      opts.onSegment?.(events);
      const seg = mainThreadTasks(events);
      total.tasks += seg.tasks;
      total.longestTaskMs = Math.max(total.longestTaskMs, seg.longestTaskMs);
      total.longestTaskCpuMs = Math.max(total.longestTaskCpuMs, seg.longestTaskCpuMs);
      total.tasksOver50CpuMs += seg.tasksOver50CpuMs;
      total.cpuSec += seg.cpuSec;
      if (final) return;
    }
  })();
  return {
    async stop() {
      stopping = true;
      wake();
      await loop;
      return total;
    },
  };
}


/** Sums a trace's page main thread top-level tasks (the renderer main thread with the most task CPU time). */
function mainThreadTasks(events: readonly TraceEvent[]): MainThreadTasks {
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== 'RunTask' || !mains.has(`${e.pid}:${e.tid}`)) continue;
    const key = `${e.pid}:${e.tid}`;
    const list = byThread.get(key);
    if (list) list.push(e); else byThread.set(key, [e]);
  }
  let best: TraceEvent[] = [];
  let bestCpu = -1;
  for (const list of byThread.values()) {
    const cpu = list.reduce((s, e) => s + (e.tdur ?? 0), 0);
    if (cpu > bestCpu) { bestCpu = cpu; best = list; }
  }
  // RunTask events can nest (a nested run loop); count only the outermost.
  best.sort((a, b) => a.ts - b.ts);
  const top: TraceEvent[] = [];
  let end = -Infinity;
  for (const e of best) {
    if (e.ts >= end) { top.push(e); end = e.ts + (e.dur ?? 0); }
  }
  const ms = (us: number | undefined) => (us ?? 0) / 1000;
  return {
    tasks: top.length,
    longestTaskMs: top.reduce((m, e) => Math.max(m, ms(e.dur)), 0),
    longestTaskCpuMs: top.reduce((m, e) => Math.max(m, ms(e.tdur)), 0),
    tasksOver50CpuMs: top.filter((e) => ms(e.tdur) > 50).length,
    cpuSec: top.reduce((s, e) => s + ms(e.tdur), 0) / 1000,
  };
}

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export interface Profiler { stop(file: string): Promise<string> }

/** Starts a V8 CPU profile of the page's main thread; `stop` writes it (.cpuprofile, opens in DevTools) and returns a summary. */
export async function startCpuProfile(page: Page): Promise<Profiler> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
  await cdp.send('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await cdp.send('Profiler.stop') as { profile: CpuProfile };
      await cdp.detach();
      writeFileSync(file, JSON.stringify(profile));
      return summarizeProfile(profile);
    },
  };
}

/**
 * Starts V8 CPU profiles of the page's dedicated workers (the rebalance pool) as they attach; `stop` writes each
 * (`file` with `-<k>` before .cpuprofile) and returns their summaries. Workers are reached through the page's
 * session with CDP's target messages (Playwright opens sessions for pages only).
 */
export async function startWorkerCpuProfiles(page: Page): Promise<Profiler> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  let lastId = 0;
  const pending = new Map<number, (r: { result?: unknown; error?: { message: string } }) => void>();
  const workers: Array<{ sessionId: string; url: string; started: Promise<unknown> }> = [];
  cdp.on('Target.receivedMessageFromTarget', (ev: { message: string }) => {
    const m = JSON.parse(ev.message) as { id?: number; result?: unknown; error?: { message: string } };
    if (m.id !== undefined) { pending.get(m.id)?.(m); pending.delete(m.id); }
  });
  const send = (sessionId: string, method: string, params: object = {}) => new Promise<{ result?: unknown; error?: { message: string } }>((resolve) => {
    const id = ++lastId;
    pending.set(id, resolve);
    // A worker that has ended (the pool ends its workers after a job) has no session any more.
    cdp.send('Target.sendMessageToTarget' as never, { sessionId, message: JSON.stringify({ id, method, params }) } as never)
      .catch((e: Error) => { pending.delete(id); resolve({ error: { message: e.message } }); });
  });
  cdp.on('Target.attachedToTarget', (ev: { sessionId: string; targetInfo: { type: string; url: string } }) => {
    if (ev.targetInfo.type !== 'worker') return;
    const started = (async () => {
      await send(ev.sessionId, 'Profiler.enable');
      await send(ev.sessionId, 'Profiler.setSamplingInterval', { interval: 250 });
      await send(ev.sessionId, 'Profiler.start');
    })();
    workers.push({ sessionId: ev.sessionId, url: ev.targetInfo.url, started });
  });
  await cdp.send('Target.setAutoAttach' as never, { autoAttach: true, waitForDebuggerOnStart: false, flatten: false } as never);
  return {
    async stop(file) {
      const out: string[] = [];
      for (const [k, w] of workers.entries()) {
        await w.started;
        const { result, error } = await send(w.sessionId, 'Profiler.stop');
        const profile = (result as { profile?: CpuProfile } | undefined)?.profile;
        if (!profile) { out.push(`worker ${w.url}: no profile (${error?.message ?? 'none'})`); continue; }
        writeFileSync(file.replace(/(\.cpuprofile)?$/, `-${k}.cpuprofile`), JSON.stringify(profile));
        out.push(`worker ${w.url.split('/').pop()}:`, summarizeProfile(profile));
      }
      await cdp.detach();
      return out.length ? out.join('\n') : 'no worker attached';
    },
  };
}

/** The call frames with the most self time, the same grouped by script, and the frames with the most inclusive time. */
export function summarizeProfile(p: CpuProfile): string {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() || '(native)'}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
  };
  const inclusive = new Map<string, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const us = p.timeDeltas[i + 1] ?? 0;
    const seen = new Set<string>();
    for (let id: number | undefined = p.samples[i]!; id !== undefined; id = parent.get(id)) seen.add(keyOf(id));
    for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + us);
  }
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i + 1] ?? 0));
  const frames = new Map<string, number>();
  const scripts = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const file = f.url.split('/').pop() || '(native)';
    const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    frames.set(key, (frames.get(key) ?? 0) + us);
    scripts.set(file, (scripts.get(file) ?? 0) + us);
    total += us;
  }
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([k, us]) => `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`);
  return [`profile: ${(total / 1000).toFixed(0)} ms sampled; self time:`, ...top(frames, 25), 'by script:', ...top(scripts, 8),
    'inclusive time:', ...top(inclusive, 40)].join('\n');
}
