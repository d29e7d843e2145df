// The renderer's V8 flags: Electron's main process sets them for the app window, and web mode's Chromium (e2e, the
// ui bench) is launched with the same (main/web-chromium.ts), so what is measured in web mode runs as in the app.
//
// --single-threaded-gc: V8 collects garbage on the thread that made it, without helper threads. Its parallel phases
// (a scavenge's copying, a mark-compact's evacuation) split the work with helpers and then wait for them; on 2 cores
// during a bulk job (a rebalance worker computing, Chromium's raster and compositor threads drawing the scrolling
// grid) the helpers were descheduled and the UI thread waited: a scavenge of 15–22 ms CPU took 26–85 ms of wall
// time, a mark-compact's final pause of 18 ms CPU 41–49 ms, and these were most of the long tasks left in the ui
// bench's bulk run. Done on one thread the pauses stay near their CPU time. (Concurrent marking goes too: marking
// runs in small incremental steps on the thread instead, which the bench's figures include.)
export const RENDERER_JS_FLAGS: readonly string[] = ['--single-threaded-gc'];
