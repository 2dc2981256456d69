// End to end: causes, effects and flows (SPEC §9) on an EventStoreDB export whose events
// name $correlationId and $causationId across order, payment and shipment streams. The
// Event region shows what rewind flow prints; following a cause crosses streams; Show
// flow keeps the flow in the list and draws its causation tree, walked with the keyboard;
// Skip with its effects skips what the event caused; keys chosen in Fields are used.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, serveDist, launchBrowser, openPage, rewind, positionText } from './harness.mjs';

const LOG = join(ROOT, 'crates', 'rewind-core', 'tests', 'fixtures', 'flows', 'eventstoredb.json');
const OVERRIDES = join(ROOT, 'crates', 'rewind-core', 'tests', 'fixtures', 'flows', 'overrides.ndjson');

let server, browser;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); server?.close(); });

async function open(page, file) {
  await page.getByLabel('Open event log').setInputFiles(file);
  await page.getByText(/^Event 1 of \d+$/).waitFor();
}

async function goTo(page, shown) {
  const box = page.getByRole('spinbutton', { name: 'Go to event' });
  await box.fill(String(shown));
  await box.press('Enter');
  await page.getByRole('region', { name: 'Timeline' }).locator('output').filter({ hasText: new RegExp(`^Event ${shown} of`) }).waitFor();
}

test('the Event region shows cause, effects and flow as rewind flow does, and a cause is followed across streams', async () => {
  const { page, errors, requests } = await openPage(browser, server.url);
  await open(page, LOG);
  await goTo(page, 3);
  const report = JSON.parse(rewind('flow', LOG, '--at', '2'));
  const flow = page.getByRole('region', { name: 'Event' }).getByLabel('Flow of this event');
  await flow.waitFor();
  const causedBy = flow.getByRole('button', { name: new RegExp(`^event ${report.caused_by + 1} · `) });
  assert.equal(await causedBy.textContent(), `event ${report.caused_by + 1} · OrderPlaced · order-1`);
  const caused = await flow.locator('ul.caused button').allTextContents();
  assert.deepEqual(caused.map((t) => Number(/^event (\d+)/.exec(t)[1]) - 1), report.causes);
  await flow.getByText(`${report.flow.length} events · ${report.correlation}`).waitFor();

  // Following the cause crosses from the payment stream to the order stream.
  await causedBy.click();
  assert.equal(await positionText(page), `Event ${report.caused_by + 1} of 9`);
  await page.getByRole('region', { name: 'Event' }).getByText('cmd-place-order-1 (not in this log)').waitFor();

  // Show flow: the list keeps the flow, and its tree is drawn.
  await goTo(page, 3);
  await flow.getByRole('button', { name: 'Show flow' }).click();
  const list = page.getByRole('region', { name: 'Events' });
  await list.getByText(`${report.flow.length} of 9`).waitFor();
  const tree = page.getByRole('tree', { name: 'Causation tree' });
  await tree.waitFor();
  const items = tree.getByRole('treeitem');
  assert.equal(await items.count(), report.flow.length);
  assert.equal(await tree.locator('[aria-selected=true]').textContent(), '3 · PaymentRequested · payment-1');
  // The keyboard walks the tree: ↓ to the next event, → to its first effect, Enter goes there.
  await tree.locator('[tabindex="0"]').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  assert.equal(await positionText(page), 'Event 5 of 9');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  assert.equal(await positionText(page), 'Event 3 of 9');
  await page.screenshot({ path: join(ROOT, 'target', 'e2e', 'flows.png'), fullPage: true });

  // Skip with its effects: the event and the four it led to.
  await page.getByRole('region', { name: 'Event' }).getByRole('button', { name: /^Skip with its effects/ }).click();
  await page.getByRole('region', { name: 'What-if' }).getByText('What-if: 1 edit changes 5 events.', { exact: false }).waitFor();
  assert.deepEqual(errors, []);
  assert.ok(requests.every((u) => u.startsWith(server.origin)), `requests left the machine: ${requests}`);
});

test('keys chosen in Fields name the correlation and causation', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await open(page, OVERRIDES);
  const overrides = JSON.parse(rewind('flow', OVERRIDES, '--at', '1', '--correlation-key', 'conversation', '--causation-key', 'context.inReplyTo'));
  await goTo(page, 2);
  await page.getByRole('button', { name: 'Fields' }).click();
  const dialog = page.getByRole('dialog', { name: 'Fields' });
  await dialog.getByLabel('Correlation key').fill('conversation');
  await dialog.getByLabel('Causation key').fill('context.inReplyTo');
  await dialog.getByRole('button', { name: 'Apply' }).click();
  const flow = page.getByRole('region', { name: 'Event' }).getByLabel('Flow of this event');
  await flow.getByText(`${overrides.flow.length} event`, { exact: false }).waitFor();
  if (overrides.caused_by !== null) {
    await flow.getByRole('button', { name: new RegExp(`^event ${overrides.caused_by + 1} · `) }).waitFor();
  }
  assert.deepEqual(errors, []);
});
