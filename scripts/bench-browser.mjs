// Browser benchmark: the release build in headless Chromium on 127.0.0.1, a
// generated log opened through the "Open event log" file input, and what a person feels:
// time to the first state, time to the full load, the longest main-thread task while
// loading, frame times while dragging the slider across the whole range (during the load
// and after it; one position per frame, and a real mouse drag of the thumb), the idle
// frame times of the same page for comparison (the machine's floor), how long a new
// position takes to show, memory and the size of both wasm modules.
//
//   node scripts/bench-browser.mjs [EVENTS]      (default 1,000,000; needs dist/ and the CLI)
//   node scripts/bench-browser.mjs LOG.ndjson    (a log of your own, such as a 4 GB one made
//                                                 with `rewind generate --events 16900000`)
//
// An NDJSON log past a gigabyte is loaded index-only; REWIND_INDEX_ONLY=1 asks for that
// mode on any log.
//
// Prints one JSON object. Run scripts/test.sh (or trunk build --release) first.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, DIST, serveDist, launchBrowser, openPage, benchLog } from '../tests/e2e/harness.mjs';

const given = process.argv[2] ?? '1000000';
const log = /^\d+$/.test(given) ? benchLog(Number(given)) : given;
const gzipKib = (name) => gzipSync(readFileSync(join(DIST, name)), { level: 9 }).length / 1024;

const server = await serveDist();
const browser = await launchBrowser();
const { page } = await openPage(browser, server.url);
// Give the idle workers time to start, as they would while a person finds their file.
await page.waitForTimeout(1000);
await page.evaluate(() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]); })
    .observe({ type: 'longtask', buffered: false });
});

/** Drags the slider over `steps` positions, one per animation frame; frame times in ms. */
const drag = (steps) => page.evaluate(async (steps) => {
  const slider = document.querySelector('input[type=range]');
  const max = Number(slider.max);
  const times = [];
  let last = performance.now();
  for (let i = 1; i <= steps; i++) {
    slider.value = String(Math.round((i / steps) * max));
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((r) => requestAnimationFrame(() => r()));
    const now = performance.now();
    times.push(now - last);
    last = now;
  }
  return times.sort((a, b) => a - b);
}, steps);
const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.round((xs.length - 1) * p))];

// The times are taken in the page: from the file input's change event (the page's first
// news of the file) to the frame that shows the first state, and to the frame that no
// longer shows the progress bar. (Playwright's waits poll at up to 500 ms intervals, so
// timing them from here would add up to half a second.)
await page.evaluate(() => {
  window.__marks = {};
  const marks = window.__marks;
  document.addEventListener('change', () => { marks.drop ??= performance.now(); }, { capture: true });
  const atPaint = (name) => requestAnimationFrame(() => { marks[name] ??= performance.now(); });
  new MutationObserver(() => {
    if (marks.drop === undefined) return;
    const bar = document.querySelector('[role=progressbar]');
    if (bar) marks.bar = true;
    if (!marks.firstSeen && document.querySelector('section[aria-label="State"] [role=treeitem]')) {
      marks.firstSeen = true;
      atPaint('first');
    }
    if (!marks.fullSeen && marks.firstSeen && marks.bar && !bar) {
      marks.fullSeen = true;
      atPaint('full');
    }
  }).observe(document.body, { subtree: true, childList: true });
});
await page.getByLabel('Open event log').setInputFiles(log);
const state = page.getByRole('region', { name: 'State' });
await state.getByRole('treeitem').first().waitFor({ timeout: 600_000 });
const loading = await page.getByRole('progressbar').count() > 0;
// Scrub what is shown while the rest loads.
const duringLoad = loading ? await drag(30) : [];
await page.getByRole('progressbar').waitFor({ state: 'detached', timeout: 600_000 });
const { firstStateMs, fullLoadMs, longestTaskMs } = await page.evaluate(async () => {
  const marks = window.__marks;
  while (marks.full === undefined) await new Promise((r) => requestAnimationFrame(() => r()));
  // Long tasks that began before the frame showing the whole log.
  const during = window.__longTasks.filter(([start]) => start <= marks.full).map(([, d]) => d);
  return {
    firstStateMs: Math.round(marks.first - marks.drop),
    fullLoadMs: Math.round(marks.full - marks.drop),
    longestTaskMs: Math.max(0, ...during),
  };
});
await page.getByText(/MB in memory/).waitFor();

// Frames of the page doing nothing: this machine's floor for the figures below.
const idle = await page.evaluate(async () => {
  const times = [];
  let last = performance.now();
  for (let i = 0; i < 120; i++) {
    await new Promise((r) => requestAnimationFrame(() => r()));
    const now = performance.now();
    times.push(now - last);
    last = now;
  }
  return times.sort((a, b) => a - b);
});
// One new position per frame, from the start to the end.
const frames = await drag(120);
// A real mouse drag of the slider's thumb from one end to the other, frames timed meanwhile.
const box = await page.getByRole('slider', { name: 'Timeline' }).boundingBox();
await page.evaluate(() => {
  window.__frames = [];
  window.__stop = false;
  let last = performance.now();
  const tick = (now) => {
    window.__frames.push(now - last);
    last = now;
    if (!window.__stop) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
});
const y = box.y + box.height / 2;
await page.mouse.move(box.x + 2, y);
await page.mouse.down();
await page.mouse.move(box.x + box.width - 2, y, { steps: 240 });
await page.mouse.up();
const mouseFrames = await page.evaluate(() => { window.__stop = true; return window.__frames.slice(1).sort((a, b) => a - b); });
const mouseEnd = await page.getByRole('slider', { name: 'Timeline' }).inputValue();
// How long until the state of a position picked on the slider is on screen.
const latencies = await page.evaluate(async () => {
  const slider = document.querySelector('input[type=range]');
  const caption = () => document.querySelector('section[aria-label="State"] h2 .muted')?.textContent;
  const max = Number(slider.max);
  const out = [];
  for (let i = 0; i < 30; i++) {
    const target = 1 + Math.floor(((i * 7919) % 30 + 0.5) / 30 * (max - 1));
    const t = performance.now();
    slider.value = String(target);
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    while (caption() !== `after event ${target}`) await new Promise((r) => requestAnimationFrame(() => r()));
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
});
const memoryText = await page.locator('.file-name').textContent();
const workerMb = Number(/(\d+) MB in memory/.exec(memoryText)?.[1] ?? NaN);
const pageHeapMb = await page.evaluate(() => (performance.memory ? performance.memory.usedJSHeapSize / 2 ** 20 : null));
const fileMb = statSync(log).size / 2 ** 20;
const events = Number(/ · (\d+) events/.exec(memoryText)?.[1] ?? NaN);

console.log(JSON.stringify({
  events,
  file_mb: Math.round(fileMb),
  index_only: /read from the file/.test(memoryText),
  indexing_mb_per_s: Math.round(statSync(log).size / 1e6 / (fullLoadMs / 1000)),
  first_state_ms: firstStateMs,
  full_load_ms: fullLoadMs,
  longest_main_thread_task_during_load_ms: longestTaskMs,
  drag_during_load_frame_p95_ms: duringLoad.length ? pct(duringLoad, 0.95) : null,
  idle_frame_p50_ms: pct(idle, 0.5),
  idle_frame_p95_ms: pct(idle, 0.95),
  drag_frame_p50_ms: pct(frames, 0.5),
  drag_frame_p95_ms: pct(frames, 0.95),
  drag_frame_max_ms: frames[frames.length - 1],
  drag_frames_missed: frames.filter((t) => t > 25).length,
  mouse_drag_frames: mouseFrames.length,
  mouse_drag_frame_p50_ms: pct(mouseFrames, 0.5),
  mouse_drag_frame_p95_ms: pct(mouseFrames, 0.95),
  mouse_drag_frame_max_ms: mouseFrames[mouseFrames.length - 1],
  mouse_drag_frames_missed: mouseFrames.filter((t) => t > 25).length,
  mouse_drag_reached: mouseEnd,
  position_to_state_p50_ms: pct(latencies, 0.5),
  position_to_state_p95_ms: pct(latencies, 0.95),
  worker_wasm_memory_mb: workerMb,
  worker_memory_per_file_byte: workerMb / fileMb,
  page_js_heap_mb: pageHeapMb,
  page_wasm_gzip_kib: gzipKib('rewind-web_bg.wasm'),
  worker_wasm_gzip_kib: gzipKib('rewind-worker_bg.wasm'),
}, null, 2));
await browser.close();
server.close();
