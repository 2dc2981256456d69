// The JavaScript peer of `rewind bench --model`: the read models of examples/models/
// written as an EventStoreDB user writes a projection (JSON.parse per line, a `when`
// handler per type), folded over the same NDJSON log. Prints milliseconds per model and
// microseconds per event, so that BENCHMARKS.md compares like with like on one machine.
//
//   node scripts/bench-model-peer.mjs /tmp/big.ndjson
import { readFileSync } from 'node:fs';

const path = process.argv[2];
if (!path) {
  console.error('usage: node scripts/bench-model-peer.mjs LOG.ndjson');
  process.exit(2);
}

const models = {
  'status-counts': {
    init: () => ({ placed: 0, paid: 0, shipped: 0, cancelled: 0 }),
    when: {
      OrderPlaced: (s) => { s.placed += 1; return s; },
      OrderPaid: (s) => { s.placed -= 1; s.paid += 1; return s; },
      OrderShipped: (s) => { s.paid -= 1; s.shipped += 1; return s; },
      OrderCancelled: (s) => { s.cancelled += 1; return s; },
    },
  },
  'orders-by-status': {
    init: () => ({ status: {}, count: {} }),
    when: Object.fromEntries(['OrderPlaced', 'OrderPaid', 'OrderShipped', 'OrderCancelled'].map((t) => [t, (s, e) => {
      const old = s.status[e.stream];
      s.status[e.stream] = e.data.status;
      if (old) s.count[old] -= 1;
      s.count[e.data.status] = (s.count[e.data.status] ?? 0) + 1;
      return s;
    }])),
  },
  'order-cards': {
    init: () => ({}),
    partition: true,
    when: {
      OrderPlaced: (s, e) => ({ ...s, status: e.data.status, customer: e.data.customer, placed: e.time }),
      ItemAdded: (s, e) => ({ ...s, items: Object.keys(e.data.lines).length + s.items, total: e.data.total }),
      ItemRemoved: (s, e) => ({ ...s, items: Object.keys(e.data.lines).length + s.items, total: e.data.total }),
      OrderPaid: (s, e) => ({ ...s, status: e.data.status, updated: e.time }),
      OrderShipped: (s, e) => ({ ...s, status: e.data.status, updated: e.time }),
      OrderCancelled: (s, e) => ({ ...s, status: e.data.status, updated: e.time }),
    },
  },
};

const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
for (const [name, model] of Object.entries(models)) {
  const started = performance.now();
  let state = model.partition ? {} : model.init();
  for (const line of lines) {
    const e = JSON.parse(line);
    const handler = model.when[e.type];
    if (!handler) continue;
    if (model.partition) {
      state[e.stream] = handler(state[e.stream] ?? { status: null, items: 0, total: 0 }, e);
    } else {
      state = handler(state, e);
    }
  }
  const ms = performance.now() - started;
  console.log(JSON.stringify({ model: name, events: lines.length, fold_ms: Math.round(ms), us_per_event: +(ms * 1000 / lines.length).toFixed(2) }));
}
