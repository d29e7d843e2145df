// Thread CPU of the bench's Chromium from /proc: the stat line's name and times, Chromium's process types, the
// process tree under the browser, and cores per thread between two samples (a fake /proc in a temp dir).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { browserPid, coresByThread, parseStat, processType, sampleThreads } from './thread-cpu.ts';

const stat = (pid: number, name: string, ppid: number, utime: number, stime: number, nice = 0) =>
  `${pid} (${name}) S ${ppid} ${pid} ${pid} 0 -1 4194560 100 0 0 0 ${utime} ${stime} 0 0 ${20 + nice} ${nice} 1 0 12345 1000 100`;

let dirs: string[] = [];
afterEach(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); dirs = []; });

function fakeProc(procs: Array<{ pid: number; ppid: number; cmdline: string; threads: Array<[number, string, number, number]> }>): string {
  const root = mkdtempSync(join(tmpdir(), 'aw-proc-'));
  dirs.push(root);
  for (const p of procs) {
    mkdirSync(join(root, String(p.pid), 'task'), { recursive: true });
    writeFileSync(join(root, String(p.pid), 'stat'), stat(p.pid, 'chromium', p.ppid, 0, 0));
    writeFileSync(join(root, String(p.pid), 'cmdline'), p.cmdline.split(' ').join('\0'));
    for (const [tid, name, u, s] of p.threads) {
      mkdirSync(join(root, String(p.pid), 'task', String(tid)));
      writeFileSync(join(root, String(p.pid), 'task', String(tid), 'stat'), stat(tid, name, p.ppid, u, s));
    }
  }
  mkdirSync(join(root, 'self'));
  return root;
}

describe('thread CPU from /proc', () => {
  it('reads the thread name (spaces and parentheses included), user + system time and the nice value', () => {
    expect(parseStat(stat(7, 'Thread (pool) 2', 1, 150, 50), 100)).toEqual({ thread: 'Thread (pool) 2', cpuSec: 2, nice: 0 });
    expect(parseStat(stat(8, 'VizCompositorTh', 1, 10, 0, -8), 100)).toEqual({ thread: 'VizCompositorTh', cpuSec: 0.1, nice: -8 });
    expect(parseStat('garbage', 100)).toBeNull();
  });

  it('names Chromium processes by --type, the browser by none', () => {
    expect(processType('/usr/lib/chromium/chromium\0--type=renderer\0--lang=en')).toBe('renderer');
    expect(processType('/usr/lib/chromium/chromium --type=gpu-process --use-gl=angle')).toBe('gpu-process');
    expect(processType('/usr/lib/chromium/chromium\0--headless\0--user-data-dir=/tmp/x')).toBe('browser');
  });

  it('samples the browser and the processes under it only, and gives cores per process type and thread', () => {
    const shape = (ticks: number) => fakeProc([
      { pid: 100, ppid: 1, cmdline: 'chromium --headless', threads: [[100, 'chromium', 10, 0], [101, 'ThreadPoolForeg', ticks, ticks]] },
      { pid: 200, ppid: 100, cmdline: 'chromium --type=zygote', threads: [[200, 'chromium', 0, 0]] },
      { pid: 300, ppid: 200, cmdline: 'chromium --type=renderer', threads: [[300, 'chromium', ticks * 2, 0], [301, 'DedicatedWorker', ticks, 0]] },
      { pid: 400, ppid: 1, cmdline: 'node other', threads: [[400, 'node', 999 * ticks, 0]] },
    ]);
    const before = sampleThreads(100, shape(100));
    expect(browserPid('/tmp/profile', fakeProc([{ pid: 100, ppid: 1, cmdline: 'chromium --headless --user-data-dir=/tmp/profile', threads: [] },
      { pid: 300, ppid: 100, cmdline: 'chromium --type=renderer --user-data-dir=/tmp/profile', threads: [] }]))).toBe(100);
    expect(browserPid('/tmp/other', shape(1))).toBeNull();
    const after = sampleThreads(100, shape(300));
    expect(before.map((t) => t.tid).sort()).toEqual([100, 101, 200, 300, 301]);
    expect(coresByThread(before, after, 4)).toEqual([
      { name: 'browser ThreadPoolForeg', cores: 1 },
      { name: 'renderer main', cores: 1 },
      { name: 'renderer DedicatedWorker', cores: 0.5 },
    ]);
  });

  it('counts a thread started during the run from zero, and gives nothing without /proc', () => {
    const t = { pid: 1, tid: 2, process: 'renderer', thread: 'DedicatedWorker', cpuSec: 3, nice: 0 };
    expect(coresByThread([], [t], 6)).toEqual([{ name: 'renderer DedicatedWorker', cores: 0.5 }]);
    expect(sampleThreads(1, '/nonexistent-proc')).toEqual([]);
  });
});
