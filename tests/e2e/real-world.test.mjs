// End to end: logs as real systems leave them. A log whose first line was cut and whose
// lines include values that are not events opens with every event that can be read; the
// page says which lines were skipped, the strip above the timeline marks where, and the
// state is exactly what `rewind state` prints.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, serveDist, launchBrowser, openPage, dropFile, rewind, stateJson, positionText } from './harness.mjs';

const OUT = join(ROOT, 'target', 'e2e');
mkdirSync(OUT, { recursive: true });

let server, browser;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); server?.close(); });

/** A log as `tail -c` leaves it (its first line cut), with stray values among the events. */
function damagedLog() {
  const lines = [];
  for (let i = 0; i < 40; i++) {
    lines.push(JSON.stringify({ type: i % 2 ? 'ItemAdded' : 'PriceChanged', stream: `cart-${i % 4}`, data: { n: i } }));
    if (i === 20) lines.push('[1, 2, 3]', 'null', '42');
  }
  return lines.join('\n').slice(25) + '\n';
}

test('a damaged log loads every readable line, says which were skipped and marks the gap', async () => {
  const text = damagedLog();
  const file = join(OUT, 'damaged.ndjson');
  writeFileSync(file, text);
  const { page, context, errors } = await openPage(browser, server.url);
  await dropFile(page, 'damaged.ndjson', text);
  // 40 events, the first cut: 39 load.
  await page.getByText('Event 1 of 39').waitFor();
  const alert = page.getByRole('alert');
  await alert.getByText(/4 lines could not be read/).waitFor();
  assert.match(await alert.textContent(), /Line 1: not JSON: it starts with .*cut short/);
  // The strip marks the slices where lines are missing: at the start and after event 21.
  const gaps = await page.locator('.density .bucket.gap').evaluateAll((els) => els.map((e) => Number(e.dataset.start)));
  assert.ok(gaps.includes(0), `gaps at ${gaps}`);
  assert.ok(gaps.some((s) => s >= 15 && s <= 21), `gaps at ${gaps}`);
  // The state at the end is the CLI's, with no stream borrowed by the stray values.
  await page.getByRole('slider', { name: 'Timeline' }).focus();
  await page.keyboard.press('End');
  assert.equal(await positionText(page), 'Event 39 of 39');
  const shown = JSON.parse(await stateJson(page));
  assert.deepEqual(shown, JSON.parse(rewind('state', file, '--at', '38')));
  assert.deepEqual(Object.keys(shown).sort(), ['cart-0', 'cart-1', 'cart-2', 'cart-3']);
  await page.screenshot({ path: join(OUT, 'damaged-log.png') });
  assert.deepEqual(errors, []);
  await context.close();
});
