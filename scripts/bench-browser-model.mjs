// Browser benchmark of read models: the release build in headless Chromium, a generated
// log opened through "Open event log", then each model of examples/models/ typed into the
// Add read model editor and applied. For each model: the time from Apply to the first tree
// rows in its panel, to the end of its fold (its "Folded N of M events" line gone), and the
// longest main-thread task meanwhile. Each model gets a fresh page, as a person would
// start, twice: Apply pressed as soon as the text is in (`at_once`), and after 3 s in the
// editor (`after_3s`), as a person choosing a template and reading it does; the models
// worker starts loading the log when the editor opens.
//
//   node scripts/bench-browser-model.mjs [EVENTS]   (default 1,000,000; needs dist/ and the CLI)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, serveDist, launchBrowser, openPage, benchLog } from '../tests/e2e/harness.mjs';

const events = Number(process.argv[2] ?? 1_000_000);
const log = benchLog(events);
const models = (process.argv[3] ?? 'status-counts,order-cards,orders-by-status').split(',');

const server = await serveDist();
const browser = await launchBrowser();
const results = [];
for (const name of models) for (const think of [0, 3000]) {
  const source = readFileSync(join(ROOT, 'examples', 'models', `${name}.json`), 'utf8');
  const { page, context } = await openPage(browser, server.url);
  await page.getByLabel('Open event log').setInputFiles(log);
  await page.getByText(new RegExp(`of ${events.toLocaleString('en-US')}|of ${events}`)).first().waitFor({ timeout: 120_000 });
  await page.locator('[role=progressbar]').waitFor({ state: 'detached', timeout: 120_000 });
  await page.getByRole('button', { name: 'Add read model' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add read model' });
  await dialog.getByRole('textbox', { name: 'Read model' }).fill(source);
  await page.waitForTimeout(think);
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
      .observe({ type: 'longtask', buffered: false });
    const marks = (window.__marks = {});
    document.addEventListener('click', (e) => {
      if (e.target.closest('button')?.textContent.trim() === 'Apply') marks.apply ??= performance.now();
    }, { capture: true });
    new MutationObserver(() => {
      if (marks.apply === undefined) return;
      const panel = document.querySelector('section[aria-label="Read models"] article');
      if (!panel) return;
      if (marks.first === undefined && panel.querySelector('[role=treeitem]')) {
        requestAnimationFrame(() => { marks.first ??= performance.now(); });
      }
      const line = panel.querySelector('.model-progress');
      if (marks.first !== undefined && marks.done === undefined && !(line && /Folded/.test(line.textContent))) {
        requestAnimationFrame(() => { marks.done ??= performance.now(); });
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await page.waitForFunction(() => window.__marks.done !== undefined, null, { timeout: 300_000, polling: 200 });
  const r = await page.evaluate(() => ({
    first_ms: Math.round(window.__marks.first - window.__marks.apply),
    fold_ms: Math.round(window.__marks.done - window.__marks.apply),
    longest_task_ms: Math.round(Math.max(0, ...window.__longTasks)),
  }));
  results.push({ model: name, events, editing: think ? 'after_3s' : 'at_once', ...r });
  await context.close();
}
await browser.close();
server.close();
console.log(JSON.stringify(results, null, 2));
