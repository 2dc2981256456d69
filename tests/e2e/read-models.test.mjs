// End to end: read models (SPEC §7) on the shop fixture. A model typed into the editor is
// folded beside the log, and its panel shows what `rewind state --model` prints; a model
// that does not compile says where; a handler that fails on an event shows jq's message
// with that event and marks it on the density strip; a handler that never returns is
// stopped after 5 s while the page goes on.
//
// These need the jq engine (`rewind_core::jq`): until it is built, every model is refused
// and the tests fail saying so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SHOP, serveDist, launchBrowser, openPage, openShop, moveTo, rewind } from './harness.mjs';

const MODELS = join(ROOT, 'crates', 'rewind-core', 'tests', 'fixtures', 'models');
const OUT = join(ROOT, 'target', 'e2e');
mkdirSync(OUT, { recursive: true });

let server, browser;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); server?.close(); });

/** Opens the editor, types `text` as the model and applies it; the dialog. */
async function typeModel(page, text) {
  await page.getByRole('button', { name: 'Add read model' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add read model' });
  await dialog.waitFor();
  await dialog.getByRole('textbox', { name: 'Read model' }).fill(text);
  await dialog.getByRole('button', { name: 'Apply' }).click();
  return dialog;
}

/** Applies the fixture model `file`; its panel. Fails, saying why, if it is refused. */
async function applyModel(page, file) {
  const text = readFileSync(join(MODELS, file), 'utf8');
  const dialog = await typeModel(page, text);
  const alert = dialog.getByRole('alert');
  await Promise.race([dialog.waitFor({ state: 'hidden' }), alert.waitFor()]);
  if (await alert.isVisible()) {
    assert.fail(`the read model ${file} was refused: "${await alert.textContent()}" — is the jq engine (rewind_core::jq) built yet?`);
  }
  const panel = page.getByRole('region', { name: 'Read models' })
    .getByRole('article', { name: `Read model ${JSON.parse(text).name}` });
  await panel.waitFor();
  return panel;
}

/** Waits until `panel` shows event `shown` (its step's heading). */
async function panelAt(panel, shown) {
  await panel.locator('.model-step h4').filter({ hasText: new RegExp(`^Event ${shown}\\b`) }).waitFor();
}

/** The visible rows of a panel's tree: pointer → summary. */
async function treeRows(panel) {
  return panel.locator('[role=treeitem]').evaluateAll((rows) =>
    Object.fromEntries(rows.map((r) => [r.dataset.pointer, r.querySelector('.summary').textContent])));
}

test('a read model typed into the editor shows the states rewind state --model prints', async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  await openShop(page);
  const panel = await applyModel(page, 'orders-by-status.json');
  for (const shown of [5, 8]) {
    await moveTo(page, shown);
    await panelAt(panel, shown);
    const cli = JSON.parse(rewind('state', SHOP, '--at', String(shown - 1), '--model', join(MODELS, 'orders-by-status.json')));
    for (const key of ['count', 'status']) {
      const expand = panel.getByRole('button', { name: `Expand ${key}` });
      if (await expand.count()) await expand.click();
    }
    await panel.locator(`[data-pointer="/status/order-1"]`).waitFor();
    const rows = await treeRows(panel);
    for (const [group, values] of Object.entries(cli)) {
      for (const [k, v] of Object.entries(values)) {
        assert.equal(rows[`/${group}/${k}`], JSON.stringify(v), `/${group}/${k} after event ${shown}`);
      }
      assert.equal(rows[`/${group}`], `{${Object.keys(values).length} keys}`);
    }
    // Export read model saves the same state.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'Export read model' }).click(),
    ]);
    assert.deepEqual(JSON.parse(readFileSync(await download.path(), 'utf8')), cli);
  }
  // The event's step: its handler and what it changed.
  const step = await panel.locator('.model-step').textContent();
  assert.match(step, /handler OrderPlaced,OrderPaid,OrderShipped,OrderCancelled/);
  assert.match(step, /\/status\/order-3"placed" → "paid"/);
  // The model is remembered and carried by the link.
  await page.waitForFunction(() => location.hash.includes('&m='));
  assert.match(await page.evaluate(() => localStorage.getItem('rewind.models')), /^[A-Za-z0-9_-]+$/);
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: join(OUT, `read-models-${colorScheme}.png`) });
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('a read model that does not compile says where, and the editor selects that line', async () => {
  const { page, context } = await openPage(browser, server.url);
  await openShop(page);
  const broken = '{\n  "name": "broken",\n  "init": {},\n  "when": {\n    "OrderPlaced": ".status["\n  }\n}\n';
  const dialog = await typeModel(page, broken);
  const alert = dialog.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /Line 5, column \d+/);
  const line = await dialog.getByRole('textbox', { name: 'Read model' })
    .evaluate((t) => t.value.slice(0, t.selectionStart).split('\n').length);
  assert.equal(line, 5);
  await page.screenshot({ path: join(OUT, 'read-models-error.png') });
  // Nothing was added; Cancel closes the editor.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.getByRole('region', { name: 'Read models' }).getByRole('article').count(), 0);
  await context.close();
});

test('an event whose handler fails shows jq\'s error in the panel and on the density strip', async () => {
  const { page, context } = await openPage(browser, server.url);
  await openShop(page);
  const panel = await applyModel(page, 'revenue-by-customer.json');
  await moveTo(page, 8);
  await panelAt(panel, 8);
  const failed = panel.locator('.failed-note');
  await failed.waitFor();
  assert.match(await failed.textContent(), /ten/);
  assert.match(await panel.locator('.model-name').textContent(), /1 failed/);
  await page.locator('.density .bucket.model-failed').first().waitFor();
  assert.equal(await page.locator('.density .bucket.model-failed').count(), 1);
  await context.close();
});

test('a handler that runs too long is stopped after 5 s; the page and the other models go on', async () => {
  const { page, context } = await openPage(browser, server.url);
  await openShop(page);
  const good = await applyModel(page, 'orders-by-status.json');
  const slow = '{"name": "slow", "init": 0, "when": {"OrderShipped": "reduce range(1e15) as $i (.; .)"}}';
  const dialog = await typeModel(page, slow);
  await dialog.waitFor({ state: 'hidden' });
  const stopped = page.getByRole('region', { name: 'Read models' }).getByRole('alert');
  await stopped.waitFor({ timeout: 15000 });
  assert.match(await stopped.textContent(),
    /^Stopped: a handler of slow ran longer than 5 s near event \d+; the page is fine — fix the handler and apply again\.$/);
  // The page answered all along, and the other model is folded again by a fresh worker.
  await moveTo(page, 9);
  await panelAt(good, 9);
  assert.match(await good.textContent(), /handler OrderPlaced/);
  await context.close();
});
