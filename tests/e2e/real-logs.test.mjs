// End to end: logs as people's systems write them. Fields under names Rewind does not
// know, chosen with the Fields button; gzip-compressed logs; a Redux DevTools export of
// 2016 with long action types. States are compared with what the `rewind` CLI prints.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, serveDist, launchBrowser, openPage, dropFile, rewind, stateJson, positionText } from './harness.mjs';

const OUT = join(ROOT, 'target', 'e2e');
mkdirSync(OUT, { recursive: true });

let server, browser;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); server?.close(); });

/** Drops a file with these bytes on the page, as a person's drag and drop does. */
async function dropBytes(page, name, bytes) {
  const dataTransfer = await page.evaluateHandle(([name, b64]) => {
    const raw = atob(b64);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], name, { type: 'application/octet-stream' }));
    return dt;
  }, [name, Buffer.from(bytes).toString('base64')]);
  await page.dispatchEvent('main', 'dragover', { dataTransfer });
  await page.dispatchEvent('main', 'drop', { dataTransfer });
}

/** Moves to event `shown` (counted from 1) with the Go to event box. */
async function goTo(page, shown) {
  const box = page.getByRole('spinbutton', { name: 'Go to event' });
  await box.fill(String(shown));
  await box.press('Enter');
  await page.getByText(`Event ${shown} of`).waitFor();
}

/** A log whose fields are under names no detection knows, with a few streams. */
function oddLog() {
  const lines = [];
  const entities = ['x-1', 'x-2', 'x-3'];
  for (let i = 0; i < 30; i++) {
    const entity = entities[(i * 7) % 3];
    lines.push(JSON.stringify({
      kind_of_thing: i % 4 === 0 ? 'Opened' : i % 4 === 3 ? 'Closed' : 'Touched',
      entity,
      at: `2019-07-0${1 + (i % 5)}T10:${String(i).padStart(2, '0')}:00Z`,
      body2: { n: i, last: entity, tags: { [`t${i % 5}`]: i } },
    }));
  }
  return lines.join('\n') + '\n';
}

test('the Fields button chooses the keys of the type, stream and data, and the log is folded again', async () => {
  const text = oddLog();
  const file = join(OUT, 'odd-fields.ndjson');
  writeFileSync(file, text);
  const { page, context, errors } = await openPage(browser, server.url);
  await dropFile(page, 'odd-fields.ndjson', text);
  await page.getByText('Event 1 of 30').waitFor();
  await goTo(page, 17);
  // Nothing is detected: every event is (untyped) and changes nothing.
  assert.equal(JSON.parse(await stateJson(page)).n, undefined);

  await page.getByRole('button', { name: 'Fields' }).click();
  const dialog = page.getByRole('dialog', { name: 'Fields' });
  await dialog.waitFor();
  const type = dialog.getByLabel('Type', { exact: true });
  // The keys offered are those in the log, one level of dotted paths included.
  const offered = await type.locator('option').allTextContents();
  for (const key of ['kind_of_thing', 'entity', 'at', 'body2', 'body2.n', 'body2.tags']) {
    assert.ok(offered.includes(key), `${key} in ${offered}`);
  }
  assert.equal(offered[0], 'Automatic (none found)');
  await page.screenshot({ path: join(OUT, 'fields-dialog.png') });
  // Escape closes the dialog and changes nothing.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await positionText(page), 'Event 17 of 30');

  await page.getByRole('button', { name: 'Fields' }).click();
  await type.selectOption('kind_of_thing');
  await dialog.getByLabel('Stream', { exact: true }).selectOption('entity');
  // A path typed by hand.
  await dialog.getByLabel('Data', { exact: true }).selectOption({ label: 'Other: type a path…' });
  await dialog.getByLabel('Data key path').fill('body2');
  await dialog.getByLabel('Time', { exact: true }).selectOption('at');
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await dialog.waitFor({ state: 'hidden' });

  // Read again with the keys chosen, at the same place.
  const args = ['--type-key', 'kind_of_thing', '--stream-key', 'entity', '--time-key', 'at', '--data-key', 'body2'];
  const expected = JSON.parse(rewind('state', file, '--at', '16', ...args));
  assert.deepEqual(Object.keys(expected).sort(), ['x-1', 'x-2', 'x-3']);
  await page.getByRole('list', { name: 'Event list' }).getByText('Opened').first().waitFor();
  assert.equal(await positionText(page), 'Event 17 of 30');
  assert.deepEqual(JSON.parse(await stateJson(page)), expected);
  await goTo(page, 30);
  assert.deepEqual(JSON.parse(await stateJson(page)), JSON.parse(rewind('state', file, '--at', '29', ...args)));
  // The types are the ones chosen, in the event list too.
  const listText = await page.getByRole('list', { name: 'Event list' }).textContent();
  assert.match(listText, /Opened/);
  assert.doesNotMatch(listText, /\(untyped\)/);

  // The dialog says what is in use now.
  await page.getByRole('button', { name: 'Fields' }).click();
  assert.match(await dialog.textContent(), /Now read from “kind_of_thing”/);
  assert.equal(await dialog.getByLabel('Stream', { exact: true }).inputValue(), 'entity');
  await page.screenshot({ path: join(OUT, 'fields-dialog-chosen.png') });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });

  // The URL shares the choice; the browser keeps it for this file name.
  await page.waitForFunction(() => location.hash.includes('type=kind_of_thing'));
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /stream=entity/);
  assert.match(hash, /data=body2/);
  const again = await context.newPage();
  await again.goto(server.url);
  await again.getByRole('button', { name: 'Open sample' }).waitFor();
  await dropFile(again, 'odd-fields.ndjson', text);
  await again.getByText('Event 1 of 30').waitFor();
  assert.deepEqual(JSON.parse(await stateJson(again)), JSON.parse(rewind('state', file, '--at', '0', ...args)));
  assert.deepEqual(errors, []);
  await context.close();

  // A shared URL carries the choice to a browser that never made it.
  const fresh = await openPage(browser, `${server.url}#e=5&type=kind_of_thing&stream=entity&data=body2`);
  await dropFile(fresh.page, 'renamed.ndjson', text);
  await fresh.page.getByText('Event 5 of 30').waitFor();
  assert.deepEqual(JSON.parse(await stateJson(fresh.page)),
    JSON.parse(rewind('state', file, '--at', '4', '--type-key', 'kind_of_thing', '--stream-key', 'entity', '--data-key', 'body2')));
  await fresh.context.close();
});

test('a gzip-compressed log opens as if it were not, and a cut-short one keeps its start and says gzip', async () => {
  // Large enough to be read in several parts, and to show its start while it loads.
  const big = gzipSync(Buffer.from(rewind('generate', '--events', '300000', '--seed', '3')));
  const bigFile = join(OUT, 'generated-300k.ndjson.gz');
  writeFileSync(bigFile, big);
  const events = JSON.parse(rewind('stats', bigFile)).events;
  assert.equal(events, 300000);
  const { page, context, errors } = await openPage(browser, server.url);
  const started = Date.now();
  await dropBytes(page, 'generated-300k.ndjson.gz', big);
  await page.getByText('Event 1 of 300000').waitFor({ timeout: 120000 });
  const seconds = (Date.now() - started) / 1000;
  console.log(`# ${(big.length / 1e6).toFixed(1)} MB of gzip (${(JSON.parse(rewind('stats', bigFile)).events)} events) open in ${seconds.toFixed(2)} s`);
  assert.match(await page.locator('.file-name').textContent(), /generated-300k\.ndjson\.gz · 300000 events · ndjson/);

  // Small enough that the State region shows whole states, to compare with the CLI.
  const text = rewind('generate', '--events', '2000', '--seed', '11');
  const gz = gzipSync(Buffer.from(text));
  const file = join(OUT, 'generated-2k.ndjson.gz');
  writeFileSync(file, gz);
  await dropBytes(page, 'generated-2k.ndjson.gz', gz);
  await page.getByText('Event 1 of 2000').waitFor({ timeout: 60000 });
  for (const shown of [1, 1234, 2000]) {
    await goTo(page, shown);
    assert.deepEqual(JSON.parse(await stateJson(page)), JSON.parse(rewind('state', file, '--at', String(shown - 1))));
  }
  await page.screenshot({ path: join(OUT, 'gzip-open.png') });

  const cut = gz.subarray(0, Math.floor(gz.length / 2));
  await dropBytes(page, 'cut.ndjson.gz', cut);
  const notice = page.getByRole('alert').filter({ hasText: 'gzip' });
  await notice.waitFor({ timeout: 60000 });
  assert.match(await notice.textContent(), /cut\.ndjson\.gz: the gzip file ends early/);
  const shown = Number(/of (\d+)/.exec(await positionText(page))[1]);
  assert.ok(shown > 200 && shown < 2000, `${shown} events before the cut`);
  // The events before the cut are the log's own.
  await goTo(page, shown - 1);
  assert.deepEqual(JSON.parse(await stateJson(page)), JSON.parse(rewind('state', file, '--at', String(shown - 2))));
  await page.screenshot({ path: join(OUT, 'gzip-cut.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

/** A Redux DevTools export (lifted state) of 2016, with long action types. */
function reduxExport() {
  const types = ['@@INIT', '@@redux/INIT', 'redux-form/INITIALIZE', 'redux-form/REGISTER_FIELD', 'redux-form/FOCUS',
    'redux-form/CHANGE', 'redux-form/BLUR', 'redux-form/START_SUBMIT', 'redux-form/STOP_SUBMIT', 'redux-form/SET_SUBMIT_SUCCEEDED',
    '@@router/LOCATION_CHANGE', 'redux-form/DESTROY'];
  const actionsById = {};
  const computedStates = [];
  const start = Date.UTC(2016, 4, 4, 10, 22, 3);
  for (let i = 0; i < 24; i++) {
    actionsById[i] = { action: { type: types[i % types.length], meta: { form: 'signup' } }, timestamp: start + i * 1500, type: 'PERFORM_ACTION' };
    computedStates.push({ state: { form: { signup: { step: i, submitting: i % 12 === 7 } } } });
  }
  return JSON.stringify({ actionsById, computedStates, currentStateIndex: 23, nextActionId: 24, skippedActionIds: [],
    stagedActionIds: [...Array(24).keys()], isLocked: false, isPaused: false });
}

test('a Redux DevTools export of 2016: a time inside it to jump to, whole action types, the last row in view', async () => {
  const { page, context } = await openPage(browser, server.url);
  await dropFile(page, 'redux-2016.json', reduxExport());
  await page.getByText('Event 1 of 24').waitFor();
  const jump = page.getByRole('textbox', { name: 'Jump to time' });
  assert.equal(await jump.getAttribute('placeholder'), '2016-05-04 10:22');
  await jump.fill('2016-05-04 10:22:20');
  await jump.press('Enter');
  // 10:22:03 + 1.5 s a step: the 12th action is the last at or before 10:22:20.
  await page.getByText('Event 12 of 24').waitFor();

  // A type the panel has room for is shown whole; a longer one is cut, with its whole
  // name on hover.
  const types = page.getByRole('list', { name: 'Event list' }).locator('.event-type');
  const row = types.filter({ hasText: 'redux-form/START_SUBMIT' }).first();
  await row.waitFor();
  assert.equal(await row.evaluate((el) => el.scrollWidth > el.clientWidth), false, 'the type is shown whole');
  const long = types.filter({ hasText: 'redux-form/SET_SUBMIT_SUCCEEDED' }).first();
  assert.equal(await long.getAttribute('title'), 'redux-form/SET_SUBMIT_SUCCEEDED');

  await page.getByRole('slider', { name: 'Timeline' }).focus();
  await page.keyboard.press('End');
  await page.getByText('Event 24 of 24').waitFor();
  const list = page.getByRole('list', { name: 'Event list' });
  const last = list.locator('[aria-current=step]');
  await last.getByText('24', { exact: true }).waitFor();
  await page.waitForTimeout(300);
  const [view, box] = [await list.boundingBox(), await last.boundingBox()];
  assert.ok(box.y >= view.y && box.y + box.height <= view.y + view.height + 0.5,
    `last row ${box.y}+${box.height}, list ${view.y}+${view.height}`);
  // ...and in the window: the list ends above the window's bottom edge.
  assert.ok(box.y + box.height <= 720, `last row ends at ${box.y + box.height}, below the window`);
  assert.ok(view.y + view.height <= 720, `the list ends at ${view.y + view.height}, below the window`);
  await page.screenshot({ path: join(OUT, 'redux-2016-end.png') });
  await context.close();
});
