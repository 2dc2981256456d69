// End to end: the accessibility audit. axe-core (the engine behind most accessibility
// checkers) is injected into the page and run over every state a person sees: the empty first
// page; the sample log with an event selected, a field's History, a filter applied, two
// positions compared, a search in the State and its JSON view, the Fields dialog; a damaged
// log's alert and gap marks, and a failed event; the read model editor with a compile
// error and a read model's panel with a failed event and a field's history; what-if edits
// (the bar, a skipped event, the comparison, the Edit event dialog with an error) and a
// flow (the Event region's causes and effects, Show flow and its tree); each in the light
// and the dark colour scheme. Any violation fails the test, listed with its rule, impact, element and why.
// REWIND_A11Y_SHOTS=1 also saves a screenshot of each state in target/e2e/a11y/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, serveDist, launchBrowser, openPage, dropFile, positionText } from './harness.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const OUT = join(ROOT, 'target', 'e2e', 'a11y');
mkdirSync(OUT, { recursive: true });
const SHOTS = Boolean(process.env.REWIND_A11Y_SHOTS);

let server, browser;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); server?.close(); });

/** One line per element of each violation: rule, impact, element and what is wrong. */
function describe(violations) {
  return violations.flatMap((v) => v.nodes.map((n) =>
    `${v.id} (${n.impact ?? v.impact}) at ${n.target.join(' ')}: ${(n.failureSummary ?? v.help).replace(/\s+/g, ' ')}`));
}

/**
 * Runs axe-core over the whole page; what it finds is added to `found`, each line led by
 * `name` (the state audited), so that one run reports every state's violations.
 */
async function audit(page, name, found) {
  // Transitions and finite animations finish first, so colours are measured as they are shown.
  await page.evaluate(() => Promise.all(document.getAnimations()
    .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
    .map((a) => a.finished.catch(() => {}))));
  if (SHOTS) await page.screenshot({ path: join(OUT, `${name}.png`) });
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id, impact, help, nodes: nodes.map(({ target, impact, failureSummary }) => ({ target, impact, failureSummary })),
    }));
  });
  found.push(...describe(violations).map((line) => `${name}: ${line}`));
}

/** Fails with every violation found, one a line. */
function assertNone(found) {
  assert.equal(found.length, 0, `${found.length} accessibility violation(s):\n  ${found.join('\n  ')}`);
}

/** The sample log at event `shown`, chosen by a click on its row in the Events list. */
async function openSampleAt(page, shown) {
  await page.getByRole('button', { name: 'Open sample' }).click();
  await page.getByText('Event 1 of 14').waitFor();
  await page.getByRole('list', { name: 'Event list' }).getByRole('button', { name: new RegExp(`^${shown}(?!\\d)`) }).click();
  await page.getByText(`Event ${shown} of 14`).waitFor();
  await page.getByRole('region', { name: 'State' }).getByText(`after event ${shown}`, { exact: true }).waitFor();
}

for (const colorScheme of ['light', 'dark']) {
  test(`${colorScheme}: the empty first page`, async () => {
    const { page, context, errors } = await openPage(browser, server.url, { colorScheme });
    const found = [];
    await audit(page, `${colorScheme}-empty`, found);
    assertNone(found);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test(`${colorScheme}: the sample with an event selected, a field's History, a filter, a comparison, a search and the Fields dialog`, async () => {
    const { page, context, errors } = await openPage(browser, server.url, { colorScheme });
    const found = [];
    await openSampleAt(page, 7);
    await audit(page, `${colorScheme}-sample`, found);

    // A field selected in the State tree: its History shows.
    const tree = page.getByRole('tree', { name: 'State tree' });
    await tree.getByRole('button', { name: 'Expand order-17' }).click();
    await tree.locator('[data-pointer="/order-17/total"] .key').click();
    const history = page.getByRole('region', { name: 'History' });
    await history.locator('.history-entry').first().waitFor();
    await audit(page, `${colorScheme}-history`, found);

    // A filter: the list narrows, the strip marks the hits; the position stays.
    await page.getByRole('combobox', { name: 'Event type' }).selectOption('ItemAdded');
    await page.locator('.density .bucket.hit').first().waitFor();
    await page.getByRole('searchbox', { name: 'Filter events' }).fill('order-17');
    await page.getByRole('searchbox', { name: 'Filter events' }).press('Enter');
    await page.getByText(/\d+ of 14/).first().waitFor();
    assert.equal(await positionText(page), 'Event 7 of 14');
    await audit(page, `${colorScheme}-filtered`, found);

    // Comparing two positions, and a search in the tree.
    await page.getByRole('region', { name: 'Diff' }).getByRole('button', { name: 'Compare from here' }).click();
    await page.getByRole('slider', { name: 'Timeline' }).focus();
    await page.keyboard.press('End');
    const state = page.getByRole('region', { name: 'State' });
    await state.getByText('after event 14', { exact: true }).waitFor();
    const search = state.getByRole('searchbox', { name: 'Search state' });
    await search.fill('ada');
    await search.press('Enter');
    await state.getByText(/^1 of \d+/).waitFor();
    await audit(page, `${colorScheme}-compare`, found);
    // The State as JSON text.
    await state.getByRole('button', { name: 'JSON', exact: true }).click();
    await state.locator('pre').waitFor();
    await audit(page, `${colorScheme}-json`, found);

    // The Fields dialog, open over the page.
    await page.getByRole('button', { name: 'Fields' }).click();
    const dialog = page.getByRole('dialog', { name: 'Fields' });
    await dialog.waitFor();
    await audit(page, `${colorScheme}-fields-dialog`, found);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assertNone(found);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test(`${colorScheme}: a damaged log's alert and gap marks, and a failed event`, async () => {
    const { page, context, errors } = await openPage(browser, server.url, { colorScheme });
    const found = [];
    const lines = [];
    for (let i = 0; i < 40; i++) {
      lines.push(JSON.stringify({ type: i % 2 ? 'ItemAdded' : 'PriceChanged', stream: `cart-${i % 4}`, data: { n: i } }));
      if (i === 20) lines.push('[1, 2, 3]', 'null', '42');
    }
    await dropFile(page, 'damaged.ndjson', lines.join('\n').slice(25) + '\n');
    await page.getByText('Event 1 of 39').waitFor();
    await page.getByRole('alert').getByText(/lines could not be read/).waitFor();
    await page.locator('.density .bucket.gap').first().waitFor();
    await audit(page, `${colorScheme}-damaged`, found);

    const patch = readFileSync(join(ROOT, 'crates/rewind-core/tests/fixtures/logs/patch.json'), 'utf8');
    await dropFile(page, 'patch.json', patch);
    await page.getByText('Event 1 of 4').waitFor();
    const box = page.getByRole('spinbutton', { name: 'Go to event' });
    await box.fill('3');
    await box.press('Enter');
    await page.getByRole('region', { name: 'Event', exact: true }).getByText(/failed to apply/).waitFor();
    await audit(page, `${colorScheme}-failed-event`, found);
    assertNone(found);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test(`${colorScheme}: the read model editor with a compile error, and a model's panel with a failed event`, async () => {
    const { page, context, errors } = await openPage(browser, server.url, { colorScheme });
    const found = [];
    const models = join(ROOT, 'crates/rewind-core/tests/fixtures/models');
    await page.getByLabel('Open event log').setInputFiles(join(models, 'shop.ndjson'));
    await page.getByText('Event 1 of 10').waitFor();
    await page.getByRole('button', { name: 'Add read model' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add read model' });
    const text = dialog.getByRole('textbox', { name: 'Read model' });
    await text.fill('{\n  "name": "broken",\n  "when": {"OrderPlaced": ".status["}\n}');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.getByRole('alert').waitFor();
    await audit(page, `${colorScheme}-model-editor`, found);
    await text.fill(readFileSync(join(models, 'revenue-by-customer.json'), 'utf8'));
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const box = page.getByRole('spinbutton', { name: 'Go to event' });
    await box.fill('8');
    await box.press('Enter');
    await page.getByRole('article', { name: 'Read model revenue-by-customer' }).locator('.failed-note').waitFor();
    await page.getByRole('button', { name: 'Expand revenue' }).click();
    await page.getByRole('region', { name: 'Read models' }).getByRole('button', { name: 'customer-1' }).click();
    await page.getByRole('region', { name: 'History in revenue-by-customer' }).waitFor();
    await audit(page, `${colorScheme}-read-model`, found);
    assertNone(found);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test(`${colorScheme}: what-if edits with the comparison and the Edit event dialog, and a flow with its tree`, async () => {
    const { page, context, errors } = await openPage(browser, server.url, { colorScheme });
    const found = [];
    const fixtures = join(ROOT, 'crates/rewind-core/tests/fixtures');
    await page.getByLabel('Open event log').setInputFiles(join(fixtures, 'models/shop.ndjson'));
    await page.getByText('Event 1 of 10').waitFor();
    const box = page.getByRole('spinbutton', { name: 'Go to event' });
    await box.fill('4');
    await box.press('Enter');
    const event = page.getByRole('region', { name: 'Event', exact: true });
    await event.getByRole('button', { name: 'Skip this event' }).click();
    const bar = page.getByRole('region', { name: 'What-if' });
    await bar.getByText(/^What-if: 1 edit changes 1 event/).waitFor();
    await bar.getByRole('button', { name: 'Compare with original' }).click();
    await page.getByRole('region', { name: 'Compared with original' }).locator('li.change').first().waitFor();
    await audit(page, `${colorScheme}-whatif`, found);
    await event.getByRole('button', { name: 'Edit event' }).click();
    const editor = page.getByRole('dialog', { name: 'Edit event 4' });
    await page.waitForFunction(() => document.querySelector('#event-source')?.value.includes('OrderPaid'));
    await editor.getByRole('textbox', { name: 'Event' }).fill('{"type": }');
    await editor.getByRole('button', { name: 'Apply' }).click();
    await editor.getByRole('alert').waitFor();
    await audit(page, `${colorScheme}-event-editor`, found);
    await editor.getByRole('button', { name: 'Cancel' }).click();
    await editor.waitFor({ state: 'detached' });

    await page.getByLabel('Open event log').setInputFiles(join(fixtures, 'flows/eventstoredb.json'));
    await page.getByText('Event 1 of 9').waitFor();
    await box.fill('3');
    await box.press('Enter');
    await event.getByRole('button', { name: 'Show flow' }).click();
    await page.getByRole('tree', { name: 'Causation tree' }).getByRole('treeitem').first().waitFor();
    await audit(page, `${colorScheme}-flow`, found);
    assertNone(found);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
