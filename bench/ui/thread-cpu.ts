// Who holds the cores while the bulk job runs: CPU time per thread of the bench's Chromium (the browser process and
// every process under it), read from Linux's /proc before and after the run. Thread CPU is what the long-task count
// depends on here: on 2 cores a 15 ms scroll frame becomes a 50 ms task when the renderer's main thread waits behind
// the browser's IndexedDB threads, the rebalance worker, the compositor and raster. Linux only; elsewhere (no /proc)
// the sample is empty and the bench prints nothing. Units: CPU seconds, and cores (CPU seconds per wall second).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** One thread's CPU so far. `process`: Chromium's process type (`browser`, `renderer`, `gpu-process`, `utility`, …). */
export interface ThreadTicks { pid: number; tid: number; process: string; thread: string; cpuSec: number; nice: number }

/**
 * A line of /proc/<pid>/task/<tid>/stat: the thread's name (in parentheses, may hold spaces and parentheses), utime +
 * stime, and its nice value (its scheduling weight: −8 weighs ~6× a thread at 0).
 */
export function parseStat(line: string, ticksPerSec: number): { thread: string; cpuSec: number; nice: number } | null {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  // After the name: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime
  // cstime priority nice …
  const rest = line.slice(close + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  const nice = Number(rest[16]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime) || !Number.isFinite(nice)) return null;
  return { thread: line.slice(open + 1, close), cpuSec: (utime + stime) / ticksPerSec, nice };
}

/**
 * Chromium's process type from its command line (`--type=renderer`); the browser process has none. Child processes
 * retitle themselves, so their arguments may be separated by spaces instead of NULs.
 */
export function processType(cmdline: string): string {
  const m = /(?:^|[\0 ])--type=([^\0 ]+)/.exec(cmdline);
  return m ? m[1]! : 'browser';
}

/** The parent pid from /proc/<pid>/stat. */
const parentOf = (stat: string): number => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux builds we know). */
function ticksPerSecond(): number {
  try { return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100; } catch { return 100; }
}

const read = (path: string): string | null => {
  try { return readFileSync(path, 'utf8'); } catch { return null; }
};

/** Every thread of `rootPid` and of the processes under it, with its CPU time so far ([] without /proc). */
export function sampleThreads(rootPid: number, proc = '/proc'): ThreadTicks[] {
  let pids: number[];
  try { pids = readdirSync(proc).filter((d) => /^\d+$/.test(d)).map(Number); } catch { return []; }
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const stat = read(`${proc}/${pid}/stat`);
    if (stat === null) continue;
    const parent = parentOf(stat);
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const tree: number[] = [];
  for (const queue = [rootPid]; queue.length > 0;) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  const ticksPerSec = ticksPerSecond();
  const out: ThreadTicks[] = [];
  for (const pid of tree) {
    const process = processType(read(`${proc}/${pid}/cmdline`) ?? '');
    let tids: string[];
    try { tids = readdirSync(`${proc}/${pid}/task`); } catch { continue; }
    for (const tid of tids) {
      const t = parseStat(read(`${proc}/${pid}/task/${tid}/stat`) ?? '', ticksPerSec);
      if (t) out.push({ pid, tid: Number(tid), process, ...t });
    }
  }
  return out;
}

/**
 * CPU per process type and thread name between two samples, in cores over `seconds`, busiest first. A process's
 * first thread is its `main` (Chromium names it after the binary); threads of one name add up (a thread pool).
 */
export function coresByThread(before: readonly ThreadTicks[], after: readonly ThreadTicks[], seconds: number): Array<{ name: string; cores: number }> {
  const start = new Map(before.map((t) => [`${t.pid}:${t.tid}`, t.cpuSec]));
  const byName = new Map<string, number>();
  for (const t of after) {
    const name = `${t.process} ${t.tid === t.pid ? 'main' : t.thread}`;
    // A thread started during the run counts from zero.
    byName.set(name, (byName.get(name) ?? 0) + t.cpuSec - (start.get(`${t.pid}:${t.tid}`) ?? 0));
  }
  return [...byName].map(([name, cpu]) => ({ name, cores: seconds > 0 ? cpu / seconds : 0 }))
    .filter((r) => r.cores > 0).sort((a, b) => b.cores - a.cores);
}

/** The browser process of the Chromium profile in `userDataDir` (null without /proc or when it is not running). */
export function browserPid(userDataDir: string, proc = '/proc'): number | null {
  let pids: string[];
  try { pids = readdirSync(proc).filter((d) => /^\d+$/.test(d)); } catch { return null; }
  for (const pid of pids) {
    const args = (read(`${proc}/${pid}/cmdline`) ?? '').split('\0');
    if (processType(args.join('\0')) === 'browser' && args.includes(`--user-data-dir=${userDataDir}`)) return Number(pid);
  }
  return null;
}
