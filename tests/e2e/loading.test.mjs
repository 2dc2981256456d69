// End to end: a large log loads in a worker. The page shows a progress bar with
// bytes and events and a Cancel button, shows the log's start while the rest loads, keeps
// the person's place when the whole log arrives, and cancelling keeps the log open before.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, serveDist, launchBrowser, openPage, rewind, positionText } from './harness.mjs';

const OUT = join(ROOT, 'target', 'e2e');
mkdirSync(OUT, { recursive: true });
// Half a million events (about 118 MB): long enough to load that a person sees it happen.
const LARGE = join(OUT, 'generated-500k.ndjson');
const COUNT = 500_000;
writeFileSync(LARGE, rewind('generate', '--events', String(COUNT), '--seed', '11'));

let server, browser;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); server?.close(); });

// Idle workers the page keeps started; a load takes the loading one and the preview, and
// the helper when the log is split (on four processors or more).
const SPARES = 3;

for (const cores of [undefined, 8]) test(`a large log shows its progress and its start at once, then all of it in the same place (${cores ? `${cores} processors: split between two workers` : "this machine's processors"})`, async () => {
  const { page, context, errors } = await openPage(browser, server.url, { cores });
  const split = await page.evaluate(() => navigator.hardwareConcurrency >= 4);
  if (cores) assert.equal(split, true);
  // The idle workers are up; count those started from now on.
  while (page.workers().length < SPARES) await page.waitForTimeout(50);
  let started = 0;
  page.on('worker', () => { started += 1; });
  await page.getByLabel('Open event log').setInputFiles(LARGE);
  const bar = page.getByRole('progressbar', { name: 'Loading' });
  await bar.waitFor();
  assert.match(await bar.getAttribute('aria-valuetext'), /generated-500k\.ndjson/);
  // The first events are shown while the rest loads, and the slider works on them.
  await page.getByText(/events so far/).waitFor();
  // The memory of the worker showing the start would mislead: it is said once all is loaded.
  assert.doesNotMatch(await page.locator('.file-name').textContent(), /in memory/);
  const shown = Number(/Event 1 of (\d+)/.exec(await positionText(page))[1]);
  assert.ok(shown > 1000 && shown < COUNT, `the start of the log: ${shown} events`);
  await page.locator('.progress').getByText(/Loading generated-500k\.ndjson: \d+ of 118 MB, [\d,]+ events read/).waitFor();
  await page.screenshot({ path: join(OUT, 'loading.png') });
  await page.getByRole('slider', { name: 'Timeline' }).focus();
  await page.keyboard.press('PageDown');
  // The rest of the log may have arrived meanwhile (a quick load): the place is kept either way.
  const moved = await positionText(page);
  assert.ok([`Event 101 of ${shown}`, `Event 101 of ${COUNT}`].includes(moved), moved);
  await page.getByRole('region', { name: 'State' }).getByText('after event 101', { exact: true }).waitFor();
  // The side panels follow once the position rests (while loading, they wait for it).
  await page.getByRole('region', { name: 'Event' }).getByText('evt-00000100', { exact: true }).waitFor();
  // The whole log: the same position, now out of every event.
  await bar.waitFor({ state: 'detached', timeout: 60_000 });
  await page.getByText(`Event 101 of ${COUNT}`).waitFor();
  assert.doesNotMatch(await page.locator('.file-name').textContent(), /so far/);
  assert.match(await page.locator('.file-name').textContent(), /\d+ MB in memory/);
  await page.keyboard.press('End');
  await page.getByRole('region', { name: 'State' }).getByText(`after event ${COUNT}`, { exact: true }).waitFor();
  // The workers the load used are replaced a moment after it: one more when it was split.
  const used = split ? 3 : 2;
  for (let waited = 0; started < used && waited < 15_000; waited += 100) await page.waitForTimeout(100);
  await page.waitForTimeout(1000);
  assert.equal(started, used, `workers started after the load: ${started}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('Cancel stops loading and the log open before stays', async () => {
  const { page, context } = await openPage(browser, server.url);
  await page.getByRole('button', { name: 'Open sample' }).click();
  await page.getByText('Event 1 of 14').waitFor();
  await page.getByLabel('Open event log').setInputFiles(LARGE);
  await page.getByRole('progressbar', { name: 'Loading' }).waitFor();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('progressbar').waitFor({ state: 'detached' });
  await page.getByText('Event 1 of 14').waitFor();
  assert.match(await page.locator('.file-name').textContent(), /^sample\.ndjson · 14 events/);
  // It stays cancelled: nothing replaces the sample later.
  await page.waitForTimeout(4000);
  assert.match(await page.locator('.file-name').textContent(), /^sample\.ndjson · 14 events/);
  // And the sample still answers: its state follows the slider.
  await page.getByRole('slider', { name: 'Timeline' }).focus();
  await page.keyboard.press('End');
  await page.getByRole('region', { name: 'State' }).getByText('after event 14', { exact: true }).waitFor();
  await context.close();
});

test('opening another log while one loads drops the first load for the second', async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  await page.getByLabel('Open event log').setInputFiles(LARGE);
  await page.getByRole('progressbar', { name: 'Loading' }).waitFor();
  await page.getByRole('button', { name: 'Open sample' }).click();
  await page.getByText('Event 1 of 14').waitFor();
  await page.getByRole('progressbar').waitFor({ state: 'detached' });
  // The large log does not come back later to replace the one asked for last.
  await page.waitForTimeout(4000);
  assert.match(await page.locator('.file-name').textContent(), /^sample\.ndjson · 14 events/);
  await page.getByRole('slider', { name: 'Timeline' }).focus();
  await page.keyboard.press('End');
  await page.getByRole('region', { name: 'State' }).getByText('after event 14', { exact: true }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
