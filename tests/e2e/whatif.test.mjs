// End to end: what-if replay (SPEC §8) on the shop fixture. Skipping an event shows the
// state rewind state --edits prints, says plainly that edits exist, marks the strip,
// compares with the original, jumps to the first difference, exports the edited log and
// its edits, travels in the link and resets; editing an event says where its JSON is
// wrong, and replacing the event that broke a read model brings the model right.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SHOP, serveDist, launchBrowser, openPage, openShop, moveTo, rewind, stateJson, positionText } from './harness.mjs';

const MODELS = join(ROOT, 'crates', 'rewind-core', 'tests', 'fixtures', 'models');
const OUT = join(ROOT, 'target', 'e2e');
mkdirSync(OUT, { recursive: true });

let server, browser;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); server?.close(); });

/** Writes `edits` to a file for the CLI; its path. */
function editsFile(name, edits) {
  const path = join(OUT, name);
  writeFileSync(path, JSON.stringify(edits));
  return path;
}

test('skipping an event shows the state without it, compares, jumps, exports and resets', async () => {
  const { page, requests, errors } = await openPage(browser, server.url);
  await openShop(page);
  await moveTo(page, 4);
  const event = page.getByRole('region', { name: 'Event' });
  const skip = event.getByRole('button', { name: 'Skip this event' });
  assert.equal(await skip.getAttribute('aria-pressed'), 'false');
  await skip.click();
  await event.getByText('What-if: this event is skipped; it changes nothing.').waitFor();
  assert.equal(await skip.getAttribute('aria-pressed'), 'true');
  const bar = page.getByRole('region', { name: 'What-if' });
  await bar.getByText('What-if: 1 edit changes 1 event.', { exact: false }).waitFor();

  // The state is what the CLI prints for the same edits, at this event and at the end.
  const edits = editsFile('skip-4.json', [{ op: 'skip', at: 3 }]);
  for (const shown of [4, 10]) {
    await moveTo(page, shown);
    const want = JSON.parse(rewind('state', SHOP, '--at', String(shown - 1), '--edits', edits));
    await page.waitForFunction(() => true);
    assert.deepEqual(JSON.parse(await stateJson(page)), want, `state after event ${shown}`);
  }
  // The strip frames the edited slice, and the list marks the skipped event.
  assert.equal(await page.locator('.density .bucket.edited').count() > 0, true);
  const skipped = page.locator('.event-row.skipped-edit');
  assert.equal(await skipped.count(), 1);
  assert.match(await skipped.textContent(), /^4OrderPaid/);

  // Compare with original: what the skip changed in the state here.
  await bar.getByRole('button', { name: 'Compare with original' }).click();
  assert.equal(await bar.getByRole('button', { name: 'Compare with original' }).getAttribute('aria-pressed'), 'true');
  const compared = page.getByRole('region', { name: 'Compared with original' });
  await compared.getByText('/order-1/amount').waitFor();
  const whatif = JSON.parse(rewind('whatif', SHOP, '--edits', edits, '--at', '9'));
  assert.deepEqual(whatif.patch.map((c) => c.path), ['/order-1/amount']);
  assert.equal(await compared.locator('li.change').count(), whatif.patch.length);

  // First difference jumps to the skipped event.
  await bar.getByRole('button', { name: `First difference: event ${whatif.first_difference + 1}` }).click();
  assert.equal(await positionText(page), `Event ${whatif.first_difference + 1} of 10`);

  // The link carries the edits.
  await page.waitForFunction((e) => location.hash.includes('w=') && location.hash.includes(`e=${e}&`), whatif.first_difference + 1);
  const link = await page.evaluate(() => location.href);

  // Export edited log: the file folds to the edited state (one event fewer).
  const [logFile] = await Promise.all([page.waitForEvent('download'), bar.getByRole('button', { name: 'Export edited log' }).click()]);
  const exported = join(OUT, 'edited.ndjson');
  await logFile.saveAs(exported);
  assert.equal(readFileSync(exported, 'utf8').trim().split('\n').length, 9);
  assert.deepEqual(JSON.parse(rewind('state', exported, '--at', '8')), JSON.parse(rewind('state', SHOP, '--at', '9', '--edits', edits)));
  const [editsDownload] = await Promise.all([page.waitForEvent('download'), bar.getByRole('button', { name: 'Export edits' }).click()]);
  assert.deepEqual(JSON.parse(readFileSync(await editsDownload.path(), 'utf8')), [{ op: 'skip', at: 3 }]);

  // Reset what-if: the log as the file has it.
  await bar.getByRole('button', { name: 'Reset what-if' }).click();
  await bar.waitFor({ state: 'detached' });
  await moveTo(page, 10);
  assert.deepEqual(JSON.parse(await stateJson(page)), JSON.parse(rewind('state', SHOP, '--at', '9')));

  // Opening the link again (with the file) brings the edits back.
  const second = await openPage(browser, link);
  await second.page.getByLabel('Open event log').setInputFiles(SHOP);
  await second.page.getByText(`Event ${whatif.first_difference + 1} of 10`).waitFor();
  await second.page.getByRole('region', { name: 'What-if' }).getByText('What-if: 1 edit changes 1 event.', { exact: false }).waitFor();
  await second.page.screenshot({ path: join(OUT, 'whatif-link.png') });
  await second.context.close();

  assert.deepEqual(errors, []);
  assert.ok(requests.every((u) => u.startsWith(server.origin)), `requests left the machine: ${requests}`);
});

test('editing the payment that broke a read model brings the model right', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await openShop(page);
  const model = readFileSync(join(MODELS, 'revenue-by-customer.json'), 'utf8');
  await page.getByRole('button', { name: 'Add read model' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add read model' });
  await dialog.getByRole('textbox', { name: 'Read model' }).fill(model);
  await dialog.getByRole('button', { name: 'Apply' }).click();
  const panel = page.getByRole('article', { name: 'Read model revenue-by-customer' });
  await panel.getByText('1 failed', { exact: false }).waitFor();

  await moveTo(page, 8);
  const event = page.getByRole('region', { name: 'Event' });
  await event.getByRole('button', { name: 'Edit event' }).click();
  const editor = page.getByRole('dialog', { name: 'Edit event 8' });
  const text = editor.getByRole('textbox', { name: 'Event' });
  await page.waitForFunction(() => document.querySelector('#event-source')?.value.includes('OrderPaid'));
  assert.match(await text.inputValue(), /"amount": "ten"/);
  // Text that is not JSON is refused, with its line.
  await text.fill('{\n  "type": "OrderPaid",\n  "data": {"status": "paid", "amount": }\n}');
  await editor.getByRole('button', { name: 'Apply' }).click();
  await editor.getByRole('alert').getByText('Line 3', { exact: false }).waitFor();
  await text.fill('{\n  "type": "OrderPaid",\n  "data": {"status": "paid", "amount": 1000}\n}');
  await editor.getByRole('button', { name: 'Apply' }).click();
  await editor.waitFor({ state: 'detached' });
  await event.getByText("What-if: this event's type and data are edited.").waitFor();
  // The model comes right from there: no failure, and the state the CLI prints.
  await panel.getByText('0 failed', { exact: false }).waitFor();
  const edits = editsFile('pay-1000.json', [{ op: 'replace', at: 7, event: { type: 'OrderPaid', data: { status: 'paid', amount: 1000 } } }]);
  const want = JSON.parse(rewind('state', SHOP, '--at', '9', '--model', join(MODELS, 'revenue-by-customer.json'), '--edits', edits));
  assert.deepEqual(want.revenue, { 'customer-1': 7400, 'customer-2': 1000 });
  await moveTo(page, 10);
  await panel.locator('[role=treeitem][data-pointer="/revenue"]').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Export read model' }).click()]);
  assert.deepEqual(JSON.parse(readFileSync(await download.path(), 'utf8')), want);
  // Compare with original shows the new revenue in the model.
  await page.getByRole('region', { name: 'What-if' }).getByRole('button', { name: 'Compare with original' }).click();
  await panel.getByText('/revenue/customer-2').waitFor();
  await page.screenshot({ path: join(OUT, 'whatif-model.png'), fullPage: true });
  assert.deepEqual(errors, []);
});
