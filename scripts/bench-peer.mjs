// The JavaScript peer of `rewind state LOG --at P --pointer PTR`: a time-travel debugger
// for event logs written the usual JavaScript way, so that BENCHMARKS.md can compare the
// whole process with Rewind's on one machine in one run.
//
// It reads the file, JSON.parses every line, folds each event into its stream with the
// same merge as Rewind (RFC 7396: objects merged, null removes a key), immutably (a
// merged copy of the stream's value per event, as Redux-style debuggers keep state), and
// keeps every stream's value after each of its events so that any position can be shown
// (time travel). It then prints the value at PTR after event P.
//
//   node scripts/bench-peer.mjs /tmp/big.ndjson 999999 /customer-000001
import { readFileSync } from 'node:fs';

const [path, atText, pointer] = process.argv.slice(2);
if (!path || atText === undefined || !pointer) {
  console.error('usage: node scripts/bench-peer.mjs LOG.ndjson POSITION /POINTER');
  process.exit(2);
}
const at = Number(atText);
const started = performance.now();

/** RFC 7396 merge of `patch` into `target`, as a new value (the target is not changed). */
function merged(target, patch) {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = merged(out[k], v);
  }
  return out;
}

// Each stream's history: the positions of its events and its value after each.
const history = new Map();
const text = readFileSync(path, 'utf8');
let position = -1;
let bad = 0;
for (let start = 0; start < text.length;) {
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  const line = text.slice(start, end).trim();
  start = end + 1;
  if (!line) continue;
  let e;
  try {
    e = JSON.parse(line);
  } catch {
    bad += 1;
    continue;
  }
  position += 1;
  if (e.data === undefined || e.data === null || typeof e.stream !== 'string') continue;
  let h = history.get(e.stream);
  if (!h) history.set(e.stream, (h = { positions: [], values: [] }));
  const before = h.values.length ? h.values[h.values.length - 1] : undefined;
  h.positions.push(position);
  h.values.push(merged(before, e.data));
}
const loadedMs = performance.now() - started;

// The value at `pointer` after event `at`: the stream's last value at or before it.
const [stream, ...rest] = pointer.split('/').slice(1).map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
let value;
const h = history.get(stream);
if (h) {
  let i = h.positions.length - 1;
  while (i >= 0 && h.positions[i] > at) i -= 1;
  value = i >= 0 ? h.values[i] : undefined;
  for (const key of rest) value = value?.[key];
}
const totalMs = performance.now() - started;
console.log(JSON.stringify(value ?? null));
console.error(JSON.stringify({ events: position + 1, bad_lines: bad, streams: history.size, load_ms: Math.round(loadedMs), total_ms: Math.round(totalMs) }));
