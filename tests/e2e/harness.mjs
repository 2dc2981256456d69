// Shared end-to-end harness: serves the release build (dist/) on 127.0.0.1, launches
// Debian's headless Chromium through playwright-core, and records every request the page
// makes so tests can prove the log never leaves the machine.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { extname, join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// REWIND_DIST serves another build (scripts/profile-worker.mjs uses one with names kept).
export const DIST = process.env.REWIND_DIST ? resolve(process.env.REWIND_DIST) : join(ROOT, 'dist');
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.ndjson': 'application/x-ndjson', '.json': 'application/json',
  '.png': 'image/png', '.svg': 'image/svg+xml',
};

/** Serves dist/ on an ephemeral port of 127.0.0.1. */
export async function serveDist() {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = join(DIST, path === '/' ? 'index.html' : path);
    if (!file.startsWith(DIST)) { res.writeHead(403).end(); return; }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, origin: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/** Headless Chromium with the flags this machine needs (no sandbox as root, no background network). */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** `url`, asking the page to load every NDJSON log index-only (reading its events back
 * from the file, as it does past a gigabyte) when REWIND_INDEX_ONLY is set: the tests run
 * once more that way. */
export function indexOnly(url) {
  if (!process.env.REWIND_INDEX_ONLY) return url;
  const u = new URL(url);
  u.searchParams.set('index-only', '');
  return u.href;
}

/** A new page at `url`, 1280×720, with every request it makes collected in `requests`. */
export async function openPage(browser, url, { colorScheme = 'light', cores } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme });
  // A machine with `cores` logical processors, as the page sees it.
  if (cores) await context.addInitScript((n) => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n }), cores);
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(indexOnly(url));
  await page.getByRole('button', { name: 'Open sample' }).waitFor();
  return { page, context, requests, errors };
}

/** Drops a file with `text` on the page the way a person's drag and drop does. */
export async function dropFile(page, name, text) {
  const dataTransfer = await page.evaluateHandle(([name, text]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], name, { type: 'application/octet-stream' }));
    return dt;
  }, [name, text]);
  await page.dispatchEvent('main', 'dragover', { dataTransfer });
  await page.dispatchEvent('main', 'drop', { dataTransfer });
}

/** What `rewind ARGS...` prints (the native CLI built from the same core). */
export function rewind(...args) {
  const bin = process.env.REWIND_BIN ?? join(ROOT, 'target', 'debug', 'rewind');
  // The CLI's index cache goes under target/, not into the user's cache directory.
  const env = { ...process.env, REWIND_CACHE_DIR: join(ROOT, 'target', 'e2e', 'rewind-cache') };
  return execFileSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 30, env });
}

/**
 * The State region's JSON view (switching to it if the tree is shown), once it shows the
 * position the timeline reads: the worker answers a moment after the slider moves.
 */
export async function stateJson(page) {
  const region = page.getByRole('region', { name: 'State' });
  const shown = Number(/Event (\d+) of/.exec(await positionText(page))[1]);
  const caption = shown === 0 ? 'before the first event' : `after event ${shown}`;
  await region.getByText(caption, { exact: true }).waitFor();
  const button = region.getByRole('button', { name: 'JSON' });
  if ((await button.getAttribute('aria-pressed')) !== 'true') await button.click();
  return region.locator('pre').textContent();
}

/** The text of the position output, "Event P of N". */
export const positionText = (page) => page.getByRole('region', { name: 'Timeline' }).locator('output').textContent();

/** The shop log of the read-model fixtures (10 events), opened through the file input. */
export const SHOP = join(ROOT, 'crates', 'rewind-core', 'tests', 'fixtures', 'models', 'shop.ndjson');
export async function openShop(page) {
  await page.getByLabel('Open event log').setInputFiles(SHOP);
  await page.getByText('Event 1 of 10').waitFor();
}

/** Moves the Timeline slider to event `shown` (counted from 1; 0 is before the first) with
 * the keyboard, as a person does, and waits until the position reads so. */
export async function moveTo(page, shown, total = 10) {
  await page.getByRole('slider', { name: 'Timeline' }).focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < shown; i++) await page.keyboard.press('ArrowRight');
  await page.getByRole('region', { name: 'Timeline' }).locator('output')
    .filter({ hasText: new RegExp(`^Event ${shown} of ${total}$`) }).waitFor();
}

/** The generated benchmark log of `events` events in target/ (made, with the release CLI,
 * if it is not there yet; `flows`: with correlation and causation, `generate --flows`);
 * its path. */
export function benchLog(events, { flows = false } = {}) {
  const log = join(ROOT, 'target', `bench-${flows ? 'flows-' : ''}${events}.ndjson`);
  if (!existsSync(log)) {
    const bin = join(ROOT, 'target', 'release', 'rewind');
    if (!existsSync(bin)) execFileSync('cargo', ['build', '--release', '-p', 'rewind-core', '--bin', 'rewind'], { cwd: ROOT, stdio: 'inherit' });
    const args = ['generate', '--events', String(events), ...(flows ? ['--flows'] : [])];
    writeFileSync(log, execFileSync(bin, args, { maxBuffer: 1 << 30 }));
  }
  return log;
}

/** Serves dist/, opens `log` in a 1280×720 page through the file input and waits for the
 * whole of it to load; then records the main thread's long tasks in `window.__longTasks`
 * (their durations). For the browser benchmarks of what is done with a loaded log. */
export async function openLoaded(log) {
  const server = await serveDist();
  const browser = await launchBrowser();
  const { page } = await openPage(browser, server.url);
  await page.getByLabel('Open event log').setInputFiles(log);
  await page.getByRole('region', { name: 'State' }).getByRole('treeitem').first().waitFor({ timeout: 600_000 });
  await page.getByRole('progressbar').waitFor({ state: 'detached', timeout: 600_000 });
  await page.getByText(/MB in memory/).waitFor();
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
      .observe({ type: 'longtask', buffered: false });
  });
  return { server, browser, page };
}
