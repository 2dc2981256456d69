// End to end: the release build in headless Chromium, driven as a person drives it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, serveDist, launchBrowser, openPage, dropFile, rewind, stateJson } from './harness.mjs';

const SAMPLE = join(ROOT, 'static', 'sample.ndjson');
const SAMPLE_TEXT = readFileSync(SAMPLE, 'utf8');
const SAMPLE_EVENTS = SAMPLE_TEXT.trim().split('\n').length;
const SHOTS = join(ROOT, 'target', 'e2e');
mkdirSync(SHOTS, { recursive: true });

let server, browser;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); server?.close(); });

const stateText = (page) => stateJson(page);
const positionText = (page) => page.getByRole('region', { name: 'Timeline' }).locator('output').textContent();

test('a dropped NDJSON log opens at event 1, and the slider shows the same state as `rewind state`', async () => {
  const { page, context, requests, errors } = await openPage(browser, server.url);
  await dropFile(page, 'orders.ndjson', SAMPLE_TEXT);
  await page.getByText(`Event 1 of ${SAMPLE_EVENTS}`).waitFor();
  assert.equal((await stateText(page)).trim(), rewind('state', SAMPLE, '--at', '0').trim());

  const slider = page.getByRole('slider', { name: 'Timeline' });
  await slider.focus();
  for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
  assert.equal(await positionText(page), `Event 7 of ${SAMPLE_EVENTS}`);
  assert.equal((await stateText(page)).trim(), rewind('state', SAMPLE, '--at', '6').trim());
  await page.screenshot({ path: join(SHOTS, 'skeleton-event-7.png') });

  await page.keyboard.press('End');
  assert.equal(await positionText(page), `Event ${SAMPLE_EVENTS} of ${SAMPLE_EVENTS}`);
  assert.equal((await stateText(page)).trim(), rewind('state', SAMPLE, '--at', String(SAMPLE_EVENTS - 1)).trim());

  await page.keyboard.press('Home');
  assert.equal(await positionText(page), `Event 0 of ${SAMPLE_EVENTS}`);
  assert.equal((await stateText(page)).trim(), rewind('state', SAMPLE, '--at', '-1').trim());

  // Nothing but the page's own files was requested: the log stayed on this machine.
  const foreign = requests.filter((u) => !u.startsWith(server.origin));
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a JSON array chosen with the "Open event log" file input opens too', async () => {
  const { page, context } = await openPage(browser, server.url);
  const events = SAMPLE_TEXT.trim().split('\n').map((l) => JSON.parse(l));
  await page.getByLabel('Open event log').setInputFiles({
    name: 'orders.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(events, null, 2)),
  });
  await page.getByText(`Event 1 of ${SAMPLE_EVENTS}`).waitFor();
  assert.equal((await stateText(page)).trim(), rewind('state', SAMPLE, '--at', '0').trim());
  await context.close();
});

test('"Open sample" opens the bundled sample log', async () => {
  const { page, context } = await openPage(browser, server.url);
  await page.screenshot({ path: join(SHOTS, 'welcome.png') });
  await page.getByRole('button', { name: 'Open sample' }).click();
  await page.getByText(`Event 1 of ${SAMPLE_EVENTS}`).waitFor();
  await context.close();
});

test('a file that is not an event log gives a readable message in an alert', async () => {
  const { page, context } = await openPage(browser, server.url);
  await dropFile(page, 'notes.txt', 'hello, this is not JSON');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /notes\.txt.*not an event log/);
  await page.screenshot({ path: join(SHOTS, 'skeleton-error.png') });
  await alert.getByRole('button', { name: 'Dismiss message' }).click();
  assert.equal(await page.getByRole('alert').count(), 0);
  await context.close();
});

test('a malformed line is reported with its number while every other line loads', async () => {
  const { page, context } = await openPage(browser, server.url);
  const lines = SAMPLE_TEXT.trim().split('\n');
  lines.splice(2, 0, '{"type": "Broken", "data": {');
  await dropFile(page, 'broken.ndjson', lines.join('\n'));
  await page.getByText(`Event 1 of ${SAMPLE_EVENTS}`).waitFor();
  assert.match(await page.getByRole('alert').textContent(), /Line 3/);
  await context.close();
});

test('payload text is shown as text and never run', async () => {
  const { page, context } = await openPage(browser, server.url);
  const evil = JSON.stringify({ type: 'X', stream: 's', data: { html: '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>' } });
  await dropFile(page, 'evil.ndjson', evil + '\n');
  await page.getByText('Event 1 of 1').waitFor();
  assert.match(await stateText(page), /<script>window.__pwned=1<\/script>/);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await context.close();
});
