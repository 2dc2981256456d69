// Browser benchmark of flows: the release build in headless Chromium, a log generated with
// `rewind generate --flows` (orders whose events cause payments and shipments in other
// streams, linked by $correlationId and $causationId) opened through the file input. What
// a person waits for: the first event shown after the load with its Flow section (the
// index is built on first use), moving to another event (the index is then built), and
// **Show flow** until the list keeps the flow and its tree is drawn.
//
//   node scripts/bench-browser-flows.mjs [EVENTS]   (default 1,000,000; needs dist/)
//
// Prints one JSON object.
import { openLoaded, benchLog } from '../tests/e2e/harness.mjs';

const events = Number(process.argv[2] ?? 1_000_000);
const log = benchLog(events, { flows: true });

const { server, browser, page } = await openLoaded(log);

/** Goes to event `n` (the Go to event box) and waits frame by frame until the Event
 * region shows its Flow section; milliseconds. */
const timedGo = (n) => page.evaluate(async (n) => {
  const caption = `after event ${n}`;
  const box = document.querySelector('input.goto');
  const t0 = performance.now();
  box.value = String(n);
  box.dispatchEvent(new Event('change', { bubbles: true }));
  const done = () => document.querySelector('[aria-label="Flow of this event"]')
    && document.querySelector('section[aria-label="State"] h2')?.textContent.includes(caption);
  while (!done()) await new Promise((r) => requestAnimationFrame(r));
  return performance.now() - t0;
}, n);

// The first move after the load builds the index; the next ones read it.
const firstMs = await timedGo(events / 2);
const nextMs = [];
for (const f of [0.2, 0.4, 0.6, 0.8]) {
  await page.waitForTimeout(200);
  nextMs.push(await timedGo(Math.round(events * f)));
}
await page.waitForTimeout(200);
const showMs = await page.evaluate(async () => {
  const t0 = performance.now();
  [...document.querySelectorAll('button')].find((b) => b.textContent === 'Show flow').click();
  const done = () => document.querySelectorAll('[role=tree] [role=treeitem]').length > 0
    && document.querySelector('.flow-chip');
  while (!done()) await new Promise((r) => requestAnimationFrame(r));
  return performance.now() - t0;
});
const longest = await page.evaluate(() => Math.max(0, ...window.__longTasks));
const sorted = (xs) => [...xs].sort((a, b) => a - b);
console.log(JSON.stringify({
  events,
  first_move_with_index_build_ms: Math.round(firstMs),
  next_moves_ms: sorted(nextMs).map(Math.round),
  show_flow_ms: Math.round(showMs),
  longest_main_thread_task_ms: Math.round(longest),
}, null, 2));
await browser.close();
server.close();
