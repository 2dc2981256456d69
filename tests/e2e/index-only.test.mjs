// End to end: a log loaded index-only (as an NDJSON log past a gigabyte is: only where each
// event is in the file is kept, and its text is read back from the file when needed) shows
// exactly what the same log held in memory shows: states, the event, its diff, a field's
// history, a text filter and the bad lines. The page is asked for that mode with
// `?index-only`, so the log can be small. (`REWIND_INDEX_ONLY=1` runs the other browser
// tests that way too: see scripts/test.sh.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, serveDist, launchBrowser, openPage, rewind, positionText, stateJson } from './harness.mjs';

const OUT = join(ROOT, 'target', 'e2e');
mkdirSync(OUT, { recursive: true });
// Forty thousand events (about 9 MB, many 64 KiB blocks of the file), with a line cut
// short and a NUL run in the middle, as a crashed writer leaves them.
const COUNT = 40_000;
const LOG = join(OUT, 'index-only-40k.ndjson');
const lines = rewind('generate', '--events', String(COUNT), '--seed', '5').trimEnd().split('\n');
lines.splice(20_000, 0, '{"type":"OrderPlaced","stream":"order-cut","da', '\0'.repeat(40));
writeFileSync(LOG, lines.join('\n') + '\n');

let server, browser;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); server?.close(); });

/** Opens LOG in a fresh page, index-only or not, and waits for all of it. */
async function opened(indexOnly) {
  const url = indexOnly ? `${server.url}?index-only` : server.url;
  const tab = await openPage(browser, url);
  await tab.page.getByLabel('Open event log').setInputFiles(LOG);
  await tab.page.getByText(`Event 1 of ${COUNT}`).waitFor({ timeout: 60_000 });
  await tab.page.getByRole('progressbar').waitFor({ state: 'detached', timeout: 60_000 });
  await tab.page.getByText(/MB in memory/).waitFor();
  return tab;
}

/** Goes to event `shown` (counted from 1) of `total` with the Go to event box. */
async function goTo(page, shown, total = COUNT) {
  const box = page.getByRole('spinbutton', { name: 'Go to event' });
  await box.fill(String(shown));
  await box.press('Enter');
  await page.getByText(`Event ${shown} of ${total}`).waitFor();
}

/** What the page shows at event `shown`: the state, the event and what it changed. */
async function shownAt(page, shown) {
  await goTo(page, shown);
  const state = await stateJson(page);
  const event = page.getByRole('region', { name: 'Event', exact: true });
  await event.getByText(`evt-${String(shown - 1).padStart(8, '0')}`, { exact: true }).waitFor();
  return { state, event: await event.textContent() };
}

test('a log read back from its file shows what the same log held in memory shows', async () => {
  const memory = await opened(false);
  const fromFile = await opened(true);
  const bar = (tab) => tab.page.locator('.file-name').textContent();
  assert.match(await bar(fromFile), /MB in memory \(the index; events are read from the file\)/);
  assert.doesNotMatch(await bar(memory), /read from the file/);
  // The same two bad lines, said the same way.
  const notice = (tab) => tab.page.getByRole('alert').first().textContent();
  assert.match(await notice(fromFile), /2 lines/);
  assert.equal(await notice(fromFile), await notice(memory));

  // Causes and flows wait to be asked for (the file is read whole again): then the same.
  await fromFile.page.getByRole('button', { name: 'Index causes and flows' }).click();
  await fromFile.page.getByLabel('Flow of this event').waitFor();
  for (const shown of [1, 4321, 20_000, 33_333, COUNT]) {
    assert.deepEqual(await shownAt(fromFile.page, shown), await shownAt(memory.page, shown), `event ${shown}`);
  }
  // A field's history: every event that changed it, read from the file.
  const historyOf = async (page) => {
    const tree = page.getByRole('tree', { name: 'State tree' });
    await page.getByRole('region', { name: 'State' }).getByRole('button', { name: 'Tree' }).click();
    await tree.getByRole('button', { name: 'Expand customer-000001' }).click();
    await tree.locator('[data-pointer^="/customer-000001/"] .key').first().click();
    const history = page.getByRole('region', { name: 'History' });
    await history.locator('.history-entry').first().waitFor();
    return history.locator('.history-entry').allTextContents();
  };
  const history = await historyOf(fromFile.page);
  assert.ok(history.length > 1, `${history.length} changes`);
  assert.deepEqual(history, await historyOf(memory.page));
  // A text filter reads every event's text: the same hits, which the log's lines count.
  const hits = lines.filter((l) => l.includes('"customer-000042"')).length;
  for (const tab of [fromFile, memory]) {
    const filter = tab.page.getByRole('searchbox', { name: 'Filter events' });
    await filter.fill('"customer-000042"');
    await filter.press('Enter');
    await tab.page.getByText(`${hits} of ${COUNT}`).waitFor();
  }
  assert.equal(await positionText(fromFile.page), await positionText(memory.page));
  await fromFile.page.screenshot({ path: join(OUT, 'index-only.png') });
  await memory.context.close();
  await fromFile.context.close();
});

test('a log whose file is deleted while it is open says that what is shown may be wrong', async () => {
  // Larger than the 16 MiB of recent blocks the worker keeps, so its events are read again.
  const copy = join(OUT, 'index-only-deleted.ndjson');
  writeFileSync(copy, rewind('generate', '--events', '100000', '--seed', '8'));
  const { page, context } = await openPage(browser, `${server.url}?index-only`);
  await page.getByLabel('Open event log').setInputFiles(copy);
  await page.getByRole('progressbar').waitFor({ state: 'detached', timeout: 60_000 });
  await page.getByText(/events are read from the file/).waitFor();
  await page.getByRole('region', { name: 'State' }).getByText('after event 1', { exact: true }).waitFor();
  assert.equal(await page.getByRole('alert').count(), 0);
  unlinkSync(copy);
  const alert = page.getByRole('alert').filter({ hasText: "Could not read the log's file again" });
  // Streams not folded yet are read from the file when shown.
  for (const shown of [50_000, 77_777, 99_999]) {
    const box = page.getByRole('spinbutton', { name: 'Go to event' });
    await box.fill(String(shown));
    await box.press('Enter');
    await page.getByRole('region', { name: 'State' }).getByText(`after event ${shown}`, { exact: true }).waitFor();
  }
  await alert.waitFor();
  assert.match(await alert.textContent(), /what is shown may be wrong: open the file again/);
  await page.screenshot({ path: join(OUT, 'index-only-file-deleted.png') });
  await context.close();
});

test('causes and flows of a log read from its file are indexed when asked, and then shown as rewind flow reports them', async () => {
  const marten = join(ROOT, 'crates', 'rewind-core', 'tests', 'fixtures', 'flows', 'marten.ndjson');
  const { page, context } = await openPage(browser, `${server.url}?index-only`);
  await page.getByLabel('Open event log').setInputFiles(marten);
  await page.getByText(/events are read from the file/).waitFor();
  await goTo(page, 2, 5);
  const event = page.getByRole('region', { name: 'Event', exact: true });
  // Scrubbing never waits for the whole file to be read again: the index is asked for.
  await event.getByText(/Causes and flows are indexed when asked for/).waitFor();
  const flow = event.getByLabel('Flow of this event');
  assert.equal(await flow.count(), 0);
  await event.getByRole('button', { name: 'Index causes and flows' }).click();
  await flow.waitFor();
  const report = JSON.parse(rewind('flow', marten, '--at', '1'));
  const causedBy = flow.getByRole('button', { name: /^event \d+ · / }).first();
  assert.equal(await causedBy.textContent(), `event ${report.caused_by + 1} · order_placed · order-1`);
  await flow.getByText(`${report.flow.length} events · ${report.correlation}`).waitFor();
  // Asked once, it stays indexed as the person moves.
  await goTo(page, 3, 5);
  await flow.waitFor();
  await page.screenshot({ path: join(OUT, 'index-only-flows.png') });
  await context.close();
});
