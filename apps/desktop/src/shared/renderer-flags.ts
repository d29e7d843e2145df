// The renderer's V8 flags: Electron's main process sets them for the app window, and web mode's Chromium (e2e, the
// ui bench) is launched with the same (main/web-chromium.ts), so what is measured in web mode runs as in the app.
//
// --single-threaded-gc: V8 collects garbage on the thread that made it, without helper threads. Its parallel phases
// (a scavenge's copying, a mark-compact's evacuation) split the work with helpers and then wait for them; on 2 cores
// during a bulk job (a rebalance worker computing, Chromium's raster and compositor threads drawing the scrolling
// grid) the helpers were descheduled and the UI thread waited: a scavenge of 15–22 ms CPU took 26–85 ms of wall
// time, a mark-compact's final pause of 18 ms CPU 41–49 ms, and these were most of the long tasks left in the ui
// bench's bulk run. On one thread a pause costs more CPU but waits for nothing. (Concurrent marking goes too:
// marking runs in small incremental steps on the thread instead, which the bench's figures include.)
//
// --max-semi-space-size=8: a scavenge copies what survives in the young generation, and on one thread that costs 2–5 ms
// per MB (V8's --trace-gc-nvp: 200–450 KB/ms). V8 grows the young generation to 32 MB when most of it survives, as when
// the review grid loads 100,000 rows; the rows still young when the load ends (9–14 MB) were then copied by the first
// scavenge of the next job: a task of 30–48 ms CPU (67 ms of wall time once) that ran no script, so the page's
// long-task PerformanceObserver never reports it (Blink reports only tasks that touched the page); the ui bench's
// DevTools trace (--cpu) does. At 8 MB a scavenge copies at most that: the longest main-thread task of a traced bulk
// run was 18–27 ms CPU against 30–40 ms without the cap (4 runs each); the grid's 100,000 rows load ~0.3 s slower. 4 MB
// (session 15): bulk runs 1–4 s slower (the flags apply to every isolate of the renderer, the rebalance worker's too),
// and no fewer long tasks.
export const RENDERER_JS_FLAGS: readonly string[] = ['--single-threaded-gc', '--max-semi-space-size=8'];
