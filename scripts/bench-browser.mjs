// Browser benchmark (issue 5): the release build in headless Chromium on 127.0.0.1, a
// generated log opened through the "Open event log" file input, and what a person feels:
// time to first state, time to full load, the longest main-thread task while loading,
// frame times while dragging the slider across the whole range, and heap size.
//
//   node scripts/bench-browser.mjs [EVENTS]      (default 1,000,000; needs dist/ and the CLI)
//
// Prints one JSON object. Run scripts/test.sh (or trunk build --release) first.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, serveDist, launchBrowser } from '../tests/e2e/harness.mjs';

const events = Number(process.argv[2] ?? 1_000_000);
const log = join(ROOT, 'target', `bench-${events}.ndjson`);
if (!existsSync(log)) {
  const bin = join(ROOT, 'target', 'release', 'rewind');
  if (!existsSync(bin)) execFileSync('cargo', ['build', '--release', '-p', 'rewind-core', '--bin', 'rewind'], { cwd: ROOT, stdio: 'inherit' });
  writeFileSync(log, execFileSync(bin, ['generate', '--events', String(events)], { maxBuffer: 1 << 30 }));
}

const server = await serveDist();
const browser = await launchBrowser();
const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
const page = await context.newPage();
// Trunk announces the wasm instance; keep it to read the size of its memory.
await page.addInitScript(() => {
  addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; });
});
await page.goto(server.url);
await page.getByRole('button', { name: 'Open sample' }).waitFor();
await page.evaluate(() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
    .observe({ type: 'longtask', buffered: true });
});

const t0 = Date.now();
await page.getByLabel('Open event log').setInputFiles(log);
await page.getByText(/^Event 1 of /).waitFor({ timeout: 600_000 });
const firstStateMs = Date.now() - t0;
// Everything is folded before the first state is shown (no worker yet).
const fullLoadMs = firstStateMs;
const longestTaskMs = await page.evaluate(() => Math.max(0, ...window.__longTasks));

// Drag the slider across the whole range, one step per frame, timing frames.
const frames = await page.evaluate(async () => {
  const slider = document.querySelector('input[type=range]');
  const max = Number(slider.max);
  const steps = 120;
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
});
const pct = (p) => frames[Math.min(frames.length - 1, Math.round((frames.length - 1) * p))];
const heap = await page.evaluate(() => ({
  js_heap_mb: performance.memory ? performance.memory.usedJSHeapSize / 2 ** 20 : null,
  wasm_memory_mb: window.__wasm?.memory ? window.__wasm.memory.buffer.byteLength / 2 ** 20 : null,
}));

console.log(JSON.stringify({
  events,
  file_mb: statSync(log).size / 2 ** 20,
  first_state_ms: firstStateMs,
  full_load_ms: fullLoadMs,
  longest_task_ms: longestTaskMs,
  drag_frame_p50_ms: pct(0.5),
  drag_frame_p95_ms: pct(0.95),
  drag_frame_max_ms: frames[frames.length - 1],
  js_heap_mb: heap.js_heap_mb,
  wasm_memory_mb: heap.wasm_memory_mb,
}, null, 2));
await browser.close();
server.close();
