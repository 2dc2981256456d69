// CPU profile of the worker that loads a log: where a load's time goes, by wasm function.
// Playwright cannot attach to workers, so this speaks CDP over a WebSocket itself.
//
//   sed 's/data-wasm-opt="s"/data-wasm-opt="0"/' index.html > index-prof.html   # keep names
//   trunk build --release --dist target/dist-prof index-prof.html && rm index-prof.html
//   REWIND_DIST=target/dist-prof node --experimental-websocket scripts/profile-worker.mjs target/bench-1000000.ndjson
//
// Prints the worker's busy time and its functions by self time. Not part of the tests.
import { serveDist } from '../tests/e2e/harness.mjs';
import { chromium } from 'playwright-core';
const server = await serveDist();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--remote-debugging-port=9333'] });
const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
await page.goto(server.url);
await page.getByRole('button', { name: 'Open sample' }).waitFor();
await page.waitForTimeout(1500);
const version = await (await fetch('http://127.0.0.1:9333/json/version')).json();
const ws = new WebSocket(version.webSocketDebuggerUrl);
await new Promise((ok) => ws.addEventListener('open', ok));
let nextId = 1; const pending = new Map();
ws.addEventListener('message', (e) => { const m = JSON.parse(e.data); if (m.id && pending.has(m.id)) { pending.get(m.id)(m); pending.delete(m.id); } });
const send = (method, params = {}, sessionId) => new Promise((ok) => { const id = nextId++; pending.set(id, ok); ws.send(JSON.stringify({ id, method, params, sessionId })); });
const { result: { targetInfos } } = await send('Target.getTargets');
const workers = targetInfos.filter((t) => t.type === 'worker');
console.log('workers', workers.length);
const sessions = [];
for (const w of workers) {
  const r = await send('Target.attachToTarget', { targetId: w.targetId, flatten: true });
  const s = r.result.sessionId; sessions.push(s);
  await send('Profiler.enable', {}, s);
  await send('Profiler.setSamplingInterval', { interval: 200 }, s);
  await send('Profiler.start', {}, s);
}
await page.getByLabel('Open event log').setInputFiles(process.argv[2]);
await page.getByRole('progressbar').waitFor({ state: 'detached', timeout: 600_000 });
let best = null;
for (const s of sessions) {
  const r = await send('Profiler.stop', {}, s);
  const p = r.result?.profile; if (!p) continue;
  const dt = {}; p.samples.forEach((id, i) => { dt[id] = (dt[id] ?? 0) + (p.timeDeltas[i] ?? 0); });
  const self = {};
  for (const n of p.nodes) { const k = n.callFrame.functionName || '(anon)'; self[k] = (self[k] ?? 0) + (dt[n.id] ?? 0) / 1000; }
  const busy = Object.entries(self).filter(([k]) => k !== '(idle)').reduce((a, [, v]) => a + v, 0);
  if (!best || busy > best.busy) best = { busy, self };
}
console.log('busy ms', best.busy.toFixed(0));
console.log(Object.entries(best.self).sort((a, b) => b[1] - a[1]).slice(0, 50).map(([k, v]) => `${v.toFixed(0)}ms ${k.slice(0, 150)}`).join('\n'));
ws.close(); await browser.close(); server.close();
