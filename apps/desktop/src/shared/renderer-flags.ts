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
// Tried with it, not kept: a 4 MB young generation (--max-semi-space-size=4). Its scavenges took 1–4 ms instead of
// one of ~40 ms at the job's start, but the bulk runs had more long tasks (3 in 13, 50–54 ms, outside animation
// frames) and took longer (16.5–21.9 s against 15.4–18.0 s).
export const RENDERER_JS_FLAGS: readonly string[] = ['--single-threaded-gc'];
