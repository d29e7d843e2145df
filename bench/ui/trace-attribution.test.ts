import { describe, expect, it } from 'vitest';
import { attribute, categoryOf, combine, formatAttribution, type TraceEvent } from './trace-attribution.ts';

const PID = 7;
const MAIN = 1;
const meta = (tid: number, name: string): TraceEvent => ({ name: 'thread_name', ph: 'M', pid: PID, tid, ts: 0, args: { name } });
/** A complete event on `tid` from `ts` (µs) lasting `dur` µs of wall time and `tdur` µs of CPU. */
const x = (name: string, ts: number, dur: number, tdur: number, args?: TraceEvent['args'], tid = MAIN): TraceEvent =>
  ({ name, ph: 'X', pid: PID, tid, ts, dur, tdur, ...(args ? { args } : {}) });

describe('long-task attribution of a DevTools trace', () => {
  it('splits a long frame into script, style, layout, paint and GC by self CPU time, and names its heaviest parts', () => {
    const events = [
      meta(MAIN, 'CrRendererMain'),
      // A 90 ms CPU frame: a rAF callback (30 ms, 8 of them a minor GC), a style recalc of 500 elements (40 ms),
      // a layout (12 ms), a paint (6 ms), and 2 ms of the task itself.
      x('RunTask', 1_000, 120_000, 90_000),
      x('FireAnimationFrame', 1_000, 35_000, 30_000),
      x('FunctionCall', 1_100, 34_000, 29_000, { data: { functionName: 'executeFrame', url: 'http://x/assets/index.js', lineNumber: 9, columnNumber: 4 } }),
      x('MinorGC', 2_000, 9_000, 8_000),
      x('UpdateLayoutTree', 40_000, 45_000, 40_000, { elementCount: 500 }),
      x('Layout', 86_000, 14_000, 12_000, { beginData: { dirtyObjects: 300, totalObjects: 900 } }),
      x('Paint', 101_000, 7_000, 6_000),
      // A short task, not listed.
      x('RunTask', 200_000, 5_000, 4_000),
      x('FunctionCall', 200_100, 4_000, 3_500, { data: { functionName: 'onTimer', url: 'http://x/a.js' } }),
    ];
    const a = attribute(events);
    expect(a.tasks).toBe(2);
    expect(a.cpuSec).toBeCloseTo(0.094, 6);
    expect(a.longTasks).toHaveLength(1);
    const t = a.longTasks[0]!;
    expect(t.cpuMs).toBe(90);
    expect(t.wallMs).toBe(120);
    expect(t.byCategory).toEqual({ script: 22, style: 40, layout: 12, paint: 6, gc: 8, other: 2 });
    expect(t.parts.map((p) => p.what)).toEqual([
      'style recalc, 500 elements', 'script executeFrame index.js:10:5', 'layout, 300/900 objects', 'MinorGC', 'paint',
    ]);
    expect(a.allByCategory.script).toBeCloseTo(25.5, 6);
    expect(formatAttribution(a)).toContain('1 tasks over 50 ms CPU');
  });

  it('reads only the page main thread (the renderer main thread with the most task CPU) and outermost tasks', () => {
    const OTHER = 2;
    const events = [
      meta(MAIN, 'CrRendererMain'), meta(OTHER, 'CrRendererMain'), meta(3, 'DedicatedWorker thread'),
      x('RunTask', 0, 80_000, 70_000, undefined, OTHER), // an idle frame's thread with less CPU in total
      x('RunTask', 0, 60_000, 55_000), x('RunTask', 70_000, 60_000, 58_000),
      x('RunTask', 75_000, 10_000, 9_000), // nested run loop inside the second task
      x('RunTask', 0, 900_000, 900_000, undefined, 3), // a worker: never the main thread
    ];
    const a = attribute(events, { limitMs: 56 });
    expect(a.tasks).toBe(2);
    expect(a.longTasks.map((t) => t.cpuMs)).toEqual([58]);
  });

  it('combines the attributions of trace segments', () => {
    const seg = (cpu: number) => attribute([meta(MAIN, 'CrRendererMain'), x('RunTask', 0, cpu * 1000, cpu * 1000), x('Layout', 10, cpu * 900, cpu * 900)]);
    const all = combine([seg(60), seg(20), seg(80)]);
    expect(all.tasks).toBe(3);
    expect(all.cpuSec).toBeCloseTo(0.16, 6);
    expect(all.longTasks.map((t) => t.cpuMs)).toEqual([60, 80]);
    expect(all.longByCategory.layout).toBeCloseTo(126, 6);
    expect(all.allByCategory.layout).toBeCloseTo(144, 6);
  });

  it('files events by kind', () => {
    expect(categoryOf('UpdateLayoutTree')).toBe('style');
    expect(categoryOf('Layout')).toBe('layout');
    expect(categoryOf('PrePaint')).toBe('paint');
    expect(categoryOf('V8.GC_MC_INCREMENTAL')).toBe('gc');
    expect(categoryOf('TimerFire')).toBe('script');
    expect(categoryOf('Receive mojo reply')).toBe('other');
  });
});
