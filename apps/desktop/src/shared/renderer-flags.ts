// The renderer's V8 flags: Electron's main process sets them for the app window, and web mode's Chromium (e2e, the
// ui bench) is launched with the same (main/web-chromium.ts), so what is measured in web mode runs as in the app.
// Both are about the UI thread's pauses during a bulk job on 2 cores (a rebalance worker computing, Chromium's
// raster and compositor threads drawing the scrolling grid); measured in the ui bench (apps/desktop/README.md).
//
// --single-threaded-gc: V8 collects garbage on the thread that made it, without helper threads. Parallel phases (a
// scavenge's copying, a mark-compact's evacuation) split the work with helpers and then wait for them; the busy
// cores kept the helpers waiting, and the UI thread with them: a scavenge of 15–22 ms CPU took 26–85 ms of wall
// time, a mark-compact's final pause of 18 ms CPU 41–49 ms. (Concurrent marking goes too: marking runs in small
// incremental steps on the thread instead.)
// --max-semi-space-size=4 (MB): a small young generation, collected often and in little time. V8 grew it to
// 16 MB or more, and a scavenge of it at a job's start had that much more to copy: 42 ms of CPU on one thread (a
// traced run). At 4 MB the bulk run's scavenges took 1–4 ms each, and the heap peaked at 76 MB instead of 101 MB.
export const RENDERER_JS_FLAGS: readonly string[] = ['--single-threaded-gc', '--max-semi-space-size=4'];
