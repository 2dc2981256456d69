// Browser benchmark of what-if replay: the release build in headless Chromium, the
// generated log opened through the file input, then **Skip this event** pressed on events
// spread over the log; what a person waits for is the time from the click to the frame
// that shows the event skipped and the state without it (the What-if bar's count says so).
// Each skip is pressed again to undo it, and that is timed too. No main-thread task over
// 50 ms is allowed meanwhile; the longest is printed.
//
//   node scripts/bench-browser-whatif.mjs [EVENTS]   (default 1,000,000; needs dist/)
//
// Prints one JSON object.
import { openLoaded, benchLog } from '../tests/e2e/harness.mjs';

const events = Number(process.argv[2] ?? 1_000_000);
const log = benchLog(events);

const { server, browser, page } = await openLoaded(log);

/** Clicks Skip this event and waits for the frame whose Event region says `note` is shown (or gone). */
const timedSkip = (shown) => page.evaluate(async (shown) => {
  const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Skip this event');
  const noted = () => [...document.querySelectorAll('.whatif-note')].some((n) => n.textContent.includes('is skipped'));
  const t0 = performance.now();
  button.click();
  while (noted() !== shown) await new Promise((r) => requestAnimationFrame(r));
  return performance.now() - t0;
}, shown);

const on = [];
const off = [];
for (const fraction of [0.1, 0.3, 0.5, 0.7, 0.9]) {
  const target = Math.round(events * fraction);
  const goto = page.getByRole('spinbutton', { name: 'Go to event' });
  await goto.fill(String(target));
  await goto.press('Enter');
  await page.getByRole('region', { name: 'Timeline' }).locator('output')
    .filter({ hasText: new RegExp(`^Event ${target.toLocaleString('en-US')} of|^Event ${target} of`) }).waitFor();
  await page.getByRole('region', { name: 'Event' }).getByText(`Skip this event`).waitFor();
  await page.waitForTimeout(300);
  on.push(await timedSkip(true));
  await page.waitForTimeout(300);
  off.push(await timedSkip(false));
}
const longest = await page.evaluate(() => Math.max(0, ...window.__longTasks));
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
console.log(JSON.stringify({
  events,
  skip_ms: on.map((x) => Math.round(x)),
  skip_p50_ms: Math.round(median(on)),
  unskip_ms: off.map((x) => Math.round(x)),
  unskip_p50_ms: Math.round(median(off)),
  longest_main_thread_task_ms: Math.round(longest),
}, null, 2));
await browser.close();
server.close();
