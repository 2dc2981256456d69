// End to end: the debugger's features, each done the way a person does it and
// checked by what a person sees, against the `rewind` CLI where there is a right answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, serveDist, launchBrowser, openPage, dropFile, rewind, stateJson, positionText } from './harness.mjs';

const SAMPLE = join(ROOT, 'static', 'sample.ndjson');
const SAMPLE_TEXT = readFileSync(SAMPLE, 'utf8');
const OUT = join(ROOT, 'target', 'e2e');
mkdirSync(OUT, { recursive: true });
const BIG = join(OUT, 'generated-100k.ndjson');
writeFileSync(BIG, rewind('generate', '--events', '100000', '--seed', '5'));
const BIG_TEXT = readFileSync(BIG, 'utf8');

let server, browser;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); server?.close(); });

async function openSample(page) {
  await page.getByRole('button', { name: 'Open sample' }).click();
  await page.getByText('Event 1 of 14').waitFor();
  await stateShown(page, 1);
}

async function goTo(page, shown) {
  const box = page.getByRole('spinbutton', { name: 'Go to event' });
  await box.fill(String(shown));
  await box.press('Enter');
  await page.getByText(`Event ${shown} of`).waitFor();
  await stateShown(page, shown);
}

/** Waits until the State region shows the state after event `shown` (counted from 1). */
async function stateShown(page, shown) {
  const caption = shown === 0 ? 'before the first event' : `after event ${shown}`;
  await page.getByRole('region', { name: 'State' }).getByText(caption, { exact: true }).waitFor();
}

test('pasting a log opens it', async () => {
  const { page, context } = await openPage(browser, server.url);
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.setData('text', text);
    document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true }));
  }, SAMPLE_TEXT);
  await page.getByText('Event 1 of 14').waitFor();
  assert.match(await page.locator('.file-name').textContent(), /pasted text/);
  await context.close();
});

test('the keyboard moves through time: arrows, Shift, PgUp/PgDn, Home/End, a typed position', async () => {
  const { page, context } = await openPage(browser, server.url);
  await dropFile(page, 'big.ndjson', BIG_TEXT);
  await page.getByText('Event 1 of 100000').waitFor({ timeout: 60000 });
  await page.getByRole('slider', { name: 'Timeline' }).focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await positionText(page), 'Event 2 of 100000');
  await page.keyboard.press('Shift+ArrowRight');
  assert.equal(await positionText(page), 'Event 12 of 100000');
  await page.keyboard.press('PageDown');
  assert.equal(await positionText(page), 'Event 112 of 100000');
  await page.keyboard.press('PageUp');
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await positionText(page), 'Event 1 of 100000');
  await page.keyboard.press('End');
  assert.equal(await positionText(page), 'Event 100000 of 100000');
  // The list follows to the last event: its row is in view, with rows drawn above it.
  const list = page.getByRole('list', { name: 'Event list' });
  const last = list.locator('[aria-current=step]');
  await last.getByText('100000', { exact: true }).waitFor();
  const [view, row] = [await list.boundingBox(), await last.boundingBox()];
  assert.ok(row.y >= view.y && row.y + row.height <= view.y + view.height + 1, `last row at ${row.y}, list ${view.y}+${view.height}`);
  const rowAtTop = await page.evaluate(() => {
    const v = document.querySelector('.list-viewport').getBoundingClientRect();
    return document.elementFromPoint(v.left + 40, v.top + 4)?.closest('.event-row')?.textContent;
  });
  assert.match(rowAtTop ?? '', /^999\d\d/, 'a row at the top of the list');
  await page.keyboard.press('Home');
  assert.equal(await positionText(page), 'Event 0 of 100000');
  await goTo(page, 54321);
  assert.equal(await positionText(page), 'Event 54321 of 100000');
  // The tree's root counts the CLI's streams there, and the current event's stream is
  // listed even though it sorts beyond the first 500 keys.
  const state = JSON.parse(rewind('state', BIG, '--at', '54320'));
  const root = page.locator('[data-pointer=""] .summary');
  assert.equal(await root.textContent(), `{${Object.keys(state).length} keys}`);
  // A hundred keys are listed at first; "Show 100 more" lists the next hundred.
  const tree = page.getByRole('tree', { name: 'State tree' });
  const before = await tree.locator('.row').count();
  await tree.getByRole('button', { name: /^Show 100 more/ }).click();
  await tree.locator('.row').nth(before + 99).waitFor();
  assert.equal(await tree.locator('.row').count(), before + 100);
  const stream = JSON.parse(BIG_TEXT.split('\n')[54320]).stream;
  await page.getByRole('button', { name: `Expand ${stream}` }).click();
  const status = page.locator(`[data-pointer="/${stream}/status"] .summary`);
  assert.equal(await status.textContent(), JSON.stringify(state[stream].status));
  await context.close();
});

test('Space plays and pauses at the chosen speed', async () => {
  const { page, context } = await openPage(browser, server.url);
  await openSample(page);
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('50');
  await page.locator('body').click();
  await page.keyboard.press(' ');
  await page.getByText('Event 14 of 14').waitFor({ timeout: 5000 });
  assert.equal(await page.getByRole('button', { name: 'Play' }).getAttribute('aria-pressed'), 'false');
  await page.keyboard.press(' ');
  await page.waitForTimeout(150);
  await page.keyboard.press(' ');
  const stopped = await positionText(page);
  await page.waitForTimeout(300);
  assert.equal(await positionText(page), stopped, 'paused playback must not move');
  assert.notEqual(stopped, 'Event 14 of 14');
  await context.close();
});

test('jumping to a time goes to the last event at or before it', async () => {
  const { page, context } = await openPage(browser, server.url);
  await openSample(page);
  const box = page.getByRole('textbox', { name: 'Jump to time' });
  await box.fill('2026-03-01 09:15');
  await box.press('Enter');
  // Events 9 (09:15:10) and later are after 09:15:00; event 8 is at 09:14:00.
  await page.getByText('Event 8 of 14').waitFor();
  await context.close();
});

test('the density strip shows types, filter hits and jumps on click', async () => {
  const { page, context } = await openPage(browser, server.url);
  await openSample(page);
  const buckets = page.locator('.density .bucket');
  assert.equal(await buckets.count(), 14);
  assert.equal(await page.locator('.density .bucket.hit').count(), 0);
  await page.getByRole('combobox', { name: 'Event type' }).selectOption('OrderPaid');
  // The worker sends the strip again with the frame that follows the new filter.
  await page.locator('.density .bucket.hit').nth(1).waitFor();
  assert.equal(await page.locator('.density .bucket.hit').count(), 2);
  await buckets.nth(11).click();
  assert.equal(await positionText(page), 'Event 12 of 14');
  await context.close();
});

test('the state tree highlights what the event changed, and copies a field and its pointer', async () => {
  const { page, context } = await openPage(browser, server.url);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  await openSample(page);
  await goTo(page, 7); // ItemQuantityChanged on order-17
  const tree = page.getByRole('tree', { name: 'State tree' });
  await tree.getByRole('button', { name: 'Expand order-17' }).click();
  await tree.getByRole('button', { name: 'Expand lines' }).click();
  await tree.locator('[data-pointer="/order-17/lines/SKU-0007"]').waitFor();
  const changed = await tree.locator('.row.changed').evaluateAll((rows) => rows.map((r) => r.dataset.pointer));
  assert.deepEqual(changed.sort(), ['', '/order-17', '/order-17/lines', '/order-17/lines/SKU-0007', '/order-17/total'].sort());
  // Nodes that are not expanded have no rows: only what is open is rendered.
  assert.equal(await tree.locator('[data-pointer^="/order-18/"]').count(), 0);
  await tree.locator('[data-pointer="/order-17/lines"] .key').click();
  const state = page.getByRole('region', { name: 'State' });
  await page.getByRole('button', { name: 'Copy pointer' }).click();
  await state.getByRole('status').filter({ hasText: 'Pointer copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), '/order-17/lines');
  await page.getByRole('button', { name: 'Copy JSON' }).click();
  await state.getByRole('status').filter({ hasText: 'JSON copied' }).waitFor();
  const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
  assert.deepEqual(copied, JSON.parse(rewind('state', SAMPLE, '--at', '6', '--pointer', '/order-17/lines')));
  await context.close();
});

test('the diff lists the event\'s changes, compares two positions and exports JSON Patch', async () => {
  const { page, context } = await openPage(browser, server.url);
  await openSample(page);
  await goTo(page, 9);
  const diff = page.getByRole('region', { name: 'Diff' });
  assert.match(await diff.textContent(), /\/order-17\/lines\/SKU-0042/);
  assert.match(await diff.textContent(), /8650\s*→\s*3750/);
  const [download] = await Promise.all([page.waitForEvent('download'), diff.getByRole('button', { name: 'Export diff' }).click()]);
  const file = join(OUT, 'diff-export.json');
  await download.saveAs(file);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), JSON.parse(rewind('diff', SAMPLE, '--at', '8')));

  await goTo(page, 2);
  await diff.getByRole('button', { name: 'Compare from here' }).click();
  await goTo(page, 11);
  assert.match(await diff.textContent(), /from event 2 to event 11/);
  const shown = await diff.locator('.change .pointer').allTextContents();
  const expected = JSON.parse(rewind('diff', SAMPLE, '--from', '1', '--to', '10')).map((op) => op.path);
  assert.deepEqual(shown, expected);
  await context.close();
});

test('the event region shows id, time, stream, type, data and metadata', async () => {
  const { page, context } = await openPage(browser, server.url);
  await openSample(page);
  await goTo(page, 8);
  const region = page.getByRole('region', { name: 'Event', exact: true });
  const text = await region.textContent();
  for (const want of ['OrderPaid', 'evt-008', 'order-18', '2026-03-01T09:14:00Z', 'causationId', 'evt-006', '4242']) {
    assert.ok(text.includes(want), `Event region lacks ${want}`);
  }
  await context.close();
});

test('a hundred thousand events: about fifty rows in the page, scroll to the end, click to jump, filter', async () => {
  const { page, context } = await openPage(browser, server.url);
  await dropFile(page, 'big.ndjson', BIG_TEXT);
  await page.getByText('Event 1 of 100000').waitFor({ timeout: 60000 });
  const list = page.getByRole('list', { name: 'Event list' });
  const rows = list.getByRole('listitem');
  assert.ok((await rows.count()) < 80, `too many rows in the DOM: ${await rows.count()}`);
  const tallest = await page.evaluate(() => Math.max(...[...document.querySelectorAll('*')].map((e) => e.scrollHeight)));
  assert.ok(tallest < 5_000_000, `an element is ${tallest}px tall`);
  await list.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await list.getByRole('button', { name: /^100000/ }).waitFor();
  await list.getByRole('button', { name: /^100000/ }).click();
  assert.equal(await positionText(page), 'Event 100000 of 100000');

  await page.getByRole('combobox', { name: 'Event type' }).selectOption('OrderShipped');
  const shipped = BIG_TEXT.split('\n').filter((l) => l.includes('"type":"OrderShipped"')).length;
  await page.getByText(`${shipped} of 100000`).waitFor();
  await page.getByRole('combobox', { name: 'Event type' }).selectOption('');
  const filter = page.getByRole('searchbox', { name: 'Filter events' });
  await filter.fill('customer-00000[12]"');
  await page.getByRole('checkbox', { name: 'regex' }).check();
  await filter.press('Enter');
  const regex = BIG_TEXT.split('\n').filter((l) => /customer-00000[12]"/.test(l)).length;
  await page.getByText(`${regex} of 100000`).waitFor();
  await page.getByRole('checkbox', { name: 'not' }).check();
  await page.getByText(`${100000 - regex} of 100000`).waitFor();
  await page.screenshot({ path: join(OUT, 'debugger-100k.png') });
  await context.close();
});

test('a stream filter lists only that stream\'s events', async () => {
  const { page, context } = await openPage(browser, server.url);
  await openSample(page);
  const stream = page.getByRole('combobox', { name: 'Stream' });
  await stream.fill('order-18');
  await stream.press('Enter');
  const want = SAMPLE_TEXT.trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.stream === 'order-18');
  await page.getByText(`${want.length} of 14`).waitFor();
  const types = await page.getByRole('list', { name: 'Event list' }).locator('.event-type').allTextContents();
  assert.deepEqual(types, want.map((e) => e.type));
  await context.close();
});

test('history: select a field, see every event that changed it, click to jump there', async () => {
  const { page, context } = await openPage(browser, server.url);
  await openSample(page);
  await goTo(page, 14);
  const tree = page.getByRole('tree', { name: 'State tree' });
  await tree.getByRole('button', { name: 'Expand order-17' }).click();
  await tree.locator('[data-pointer="/order-17/total"] .key').click();
  const history = page.getByRole('region', { name: 'History' });
  await history.locator('.history-entry').first().waitFor();
  const entries = await history.locator('.history-entry .num').allTextContents();
  const cli = rewind('history', SAMPLE, '--pointer', '/order-17/total').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(entries, cli.map((h) => `Event ${h.position + 1}`));
  assert.match(await history.textContent(), /3750\s*→\s*-750/);
  await history.getByRole('button', { name: /Event 10 DiscountApplied/ }).click();
  assert.equal(await positionText(page), 'Event 10 of 14');
  await page.screenshot({ path: join(OUT, 'debugger-history.png') });
  await context.close();
});

test('the URL follows the position and selection, and reopening the log restores them', async () => {
  const { page, context } = await openPage(browser, server.url);
  await openSample(page);
  await goTo(page, 10);
  await page.getByRole('tree', { name: 'State tree' }).getByRole('button', { name: 'Expand order-17' }).click();
  await page.locator('[data-pointer="/order-17/total"] .key').click();
  // The URL is rewritten once the position rests (not at every frame of a drag).
  await page.waitForURL(/#e=10&p=\/order-17\/total$/);
  const url = page.url();
  await context.close();

  const again = await openPage(browser, url);
  await again.page.getByRole('button', { name: 'Open sample' }).click();
  await again.page.getByText('Event 10 of 14').waitFor();
  assert.match(await again.page.getByRole('region', { name: 'History' }).textContent(), /\/order-17\/total/);
  await again.context.close();
});

test('exports download the state and the listed events, with no network request', async () => {
  const { page, context, requests } = await openPage(browser, server.url);
  await openSample(page);
  await goTo(page, 6);
  const [state] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export state' }).click()]);
  const stateFile = join(OUT, 'state-export.json');
  await state.saveAs(stateFile);
  assert.deepEqual(JSON.parse(readFileSync(stateFile, 'utf8')), JSON.parse(rewind('state', SAMPLE, '--at', '5')));

  await page.getByRole('combobox', { name: 'Event type' }).selectOption('ItemAdded');
  const [events] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export events' }).click()]);
  const eventsFile = join(OUT, 'events-export.ndjson');
  await events.saveAs(eventsFile);
  const lines = readFileSync(eventsFile, 'utf8').trim().split('\n');
  assert.deepEqual(lines, SAMPLE_TEXT.trim().split('\n').filter((l) => l.includes('"type":"ItemAdded"')));
  assert.deepEqual(requests.filter((u) => !u.startsWith(server.origin) && !u.startsWith('blob:')), []);
  await context.close();
});

test('dark theme and 1280×720: everything fits and reads', async () => {
  const { page, context } = await openPage(browser, server.url, { colorScheme: 'dark' });
  await openSample(page);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(bg, 'rgb(255, 255, 255)');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0, 'no horizontal scrolling at 1280 px');
  await page.screenshot({ path: join(OUT, 'debugger-dark.png') });
  await context.close();
});

test('search in the state finds keys and values, next and previous move between hits', async () => {
  const { page, context } = await openPage(browser, server.url);
  await openSample(page);
  await goTo(page, 14);
  const region = page.getByRole('region', { name: 'State', exact: true });
  const search = region.getByRole('searchbox', { name: 'Search state' });
  await search.fill('platinum');
  await search.press('Enter');
  await region.getByText('1 of 1').waitFor();
  assert.equal(await region.locator('.selected-pointer').textContent(), '/customer-ada/tier');
  assert.equal(await region.locator('.row.selected').getAttribute('data-pointer'), '/customer-ada/tier');
  await search.fill('method');
  await search.press('Enter');
  await region.getByText('1 of 2').waitFor();
  const first = await region.locator('.selected-pointer').textContent();
  await region.getByRole('button', { name: 'Next match' }).click();
  await region.getByText('2 of 2').waitFor();
  const second = await region.locator('.selected-pointer').textContent();
  assert.deepEqual([first, second], ['/order-17/payment/method', '/order-18/payment/method']);
  await region.getByRole('button', { name: 'Previous match' }).click();
  assert.equal(await region.locator('.selected-pointer').textContent(), first);
  await context.close();
});

test('choosing a stream shows only its state and its events', async () => {
  const { page, context } = await openPage(browser, server.url);
  await openSample(page);
  await goTo(page, 14);
  const stream = page.getByRole('combobox', { name: 'Stream' });
  await stream.fill('order-18');
  await stream.press('Enter');
  const tree = page.getByRole('tree', { name: 'State tree' });
  await tree.locator('[data-pointer="/order-18/status"]').waitFor();
  const pointers = await tree.locator('.row').evaluateAll((rows) => rows.map((r) => r.dataset.pointer));
  assert.ok(pointers.every((p) => p === '/order-18' || p.startsWith('/order-18/')), pointers.join(' '));
  assert.equal(await tree.locator('[data-pointer="/order-18/status"] .summary').textContent(), '"shipped"');
  await context.close();
});

test('a patch log marks its failed event on the strip and says why in the Event region', async () => {
  const { page, context } = await openPage(browser, server.url);
  const log = readFileSync(join(ROOT, 'crates/rewind-core/tests/fixtures/logs/patch.json'), 'utf8');
  await dropFile(page, 'patch.json', log);
  await page.getByText('Event 1 of 4').waitFor();
  await stateShown(page, 1);
  assert.match(await page.locator('.file-name').textContent(), /patch fold/);
  const failed = await page.locator('.density .bucket').evaluateAll((b) => b.map((x) => x.classList.contains('failed')));
  assert.deepEqual(failed, [false, false, true, false]);
  await goTo(page, 3);
  assert.match(await page.getByRole('region', { name: 'Event', exact: true }).textContent(), /failed to apply: operation 0 \(remove\)/);
  await context.close();
});
