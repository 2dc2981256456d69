//! A read model with one state: snapshots of it every N events, N growing so that the
//! snapshots stay within a memory budget, and a cursor so that stepping runs one handler.

use std::collections::BTreeMap;

use crate::log::Log;
use crate::model::step::{Note, Stepper};
use crate::timeline::Cursor;
use crate::value::{Object, Value};

/// Bytes the snapshots of one read model may hold beyond its current state.
pub const SNAPSHOT_BUDGET: usize = 128 << 20;

/// Events between snapshots to start with (fewer replays while the budget allows).
const FIRST_INTERVAL: usize = 32;

/// The fold of a read model without partitions.
#[derive(Clone, Debug)]
pub(crate) struct GlobalModel {
    pub(crate) stepper: Stepper,
    pub(crate) interval: usize,
    /// `snapshots[j]` is the state before event `j * interval`.
    snapshots: Vec<Value>,
    /// Estimated bytes each snapshot holds that the one before it does not share.
    fresh: Vec<usize>,
    /// The state after the last event folded.
    last: Value,
    pub(crate) len: usize,
    pub(crate) notes: BTreeMap<usize, Note>,
    pub(crate) handled: usize,
    budget: usize,
    /// States kept from recent replays.
    recent: Recent,
    /// A handler failed or gave no output: from then on each handler is given a copy of
    /// the state, so that the state stays when it fails.
    careful: bool,
}

impl GlobalModel {
    pub(crate) fn new(stepper: Stepper, budget: usize) -> Self {
        let last = stepper.model.init.clone();
        GlobalModel {
            stepper,
            interval: FIRST_INTERVAL,
            snapshots: Vec::new(),
            fresh: Vec::new(),
            last,
            len: 0,
            notes: BTreeMap::new(),
            handled: 0,
            budget,
            recent: Recent::default(),
            careful: false,
        }
    }

    /// Folds events `self.len..until` of `log`, calling `on_event` before each.
    pub(crate) fn fold(&mut self, log: &Log, until: usize, on_event: &mut dyn FnMut(usize)) {
        let total = log.len();
        self.stepper.learn_types(log);
        while self.len < until.min(total) {
            let p = self.len;
            on_event(p);
            if p % self.interval == 0 {
                self.snapshot(total);
            }
            if let Some(h) = self.stepper.handler(log, p) {
                self.handled += 1;
                let (event, _) = self.stepper.event(log, p);
                // Until a handler fails or gives nothing, the state is handed over and
                // updated in place (no copy of the path to each change); the state
                // before a failure is then rebuilt once, and the rest of the fold keeps
                // a copy to fall back on.
                let outcome = if self.careful {
                    self.stepper.run(h, &self.last, &event)
                } else {
                    self.stepper
                        .run_owned(h, std::mem::take(&mut self.last), &event)
                };
                match outcome.state {
                    Some(s) => self.last = s,
                    None if !self.careful => {
                        self.careful = true;
                        self.last = self.rebuild(log, p);
                    }
                    None => {}
                }
                if let Some(n) = outcome.note {
                    self.notes.insert(p, n);
                }
            }
            self.len += 1;
        }
    }

    /// Goes back to the snapshot at or before `from` (see [`ModelTimeline::truncate`]).
    ///
    /// [`ModelTimeline::truncate`]: crate::model::ModelTimeline::truncate
    pub(crate) fn truncate(&mut self, log: &Log, from: usize) {
        let j = from / self.interval;
        let Some(state) = self.snapshots.get(j).cloned() else {
            return; // Not folded that far yet: nothing to forget.
        };
        let len = j * self.interval;
        // (Events before `from` are the same in the edited log.)
        self.handled = (0..len)
            .filter(|&p| self.stepper.handler(log, p).is_some())
            .count();
        self.snapshots.truncate(j);
        self.fresh.truncate(j);
        self.last = state;
        self.len = len;
        self.notes.split_off(&len);
        self.recent = Recent::default();
    }

    /// The state before event `position` (the one being folded), replayed from the last
    /// snapshot: the notes of the events in between are already taken.
    fn rebuild(&self, log: &Log, position: usize) -> Value {
        let j = self.snapshots.len().saturating_sub(1);
        let mut state = self
            .snapshots
            .get(j)
            .cloned()
            .unwrap_or_else(|| self.stepper.model.init.clone());
        for q in j * self.interval..position {
            self.stepper.replay(log, q, &mut state, &self.notes);
        }
        state
    }

    /// Takes the snapshot before event `self.len`, then widens the interval (dropping
    /// every other snapshot) while the snapshots of a `total`-event log would outgrow the
    /// budget.
    fn snapshot(&mut self, total: usize) {
        let fresh = self
            .snapshots
            .last()
            .map_or_else(|| size(&self.last), |prev| fresh_bytes(prev, &self.last));
        self.snapshots.push(self.last.clone());
        self.fresh.push(fresh);
        loop {
            let held: usize = self.fresh.iter().sum();
            let projected = held / self.snapshots.len() * total.div_ceil(self.interval);
            if self.snapshots.len() < 8 || projected <= self.budget {
                break;
            }
            self.widen();
        }
    }

    /// Doubles the interval, keeping every other snapshot.
    fn widen(&mut self) {
        let kept: Vec<Value> = self.snapshots.iter().step_by(2).cloned().collect();
        let mut fresh = Vec::with_capacity(kept.len());
        for (j, s) in kept.iter().enumerate() {
            fresh.push(match j {
                0 => self.fresh.first().copied().unwrap_or(0),
                _ => fresh_bytes(&kept[j - 1], s),
            });
        }
        self.snapshots = kept;
        self.fresh = fresh;
        self.interval *= 2;
        // The snapshot for the events folded since the last kept one is taken at the next
        // multiple of the new interval.
    }

    pub(crate) fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }

    /// Estimated bytes held by the snapshots beyond the current state.
    pub(crate) fn snapshot_bytes(&self) -> usize {
        self.fresh.iter().skip(1).sum()
    }

    /// Moves `cursor` to `position` (clamped), replaying from the nearest state at or
    /// before it: the cursor's, a snapshot, or a state kept from a recent replay. Returns
    /// the events replayed.
    pub(crate) fn seek(&self, log: &Log, cursor: &mut Cursor, position: isize) -> usize {
        let target = position.clamp(-1, self.len as isize - 1);
        if cursor.is_valid() && cursor.position() == target {
            return 0;
        }
        if target == self.len as isize - 1 {
            cursor.set(target, self.last.clone());
            return 0;
        }
        let j = usize::try_from(target + 1).unwrap_or(0) / self.interval;
        let (mut from, mut state) = match self.snapshots.get(j) {
            Some(s) => ((j * self.interval) as isize - 1, s.clone()),
            None => (self.len as isize - 1, self.last.clone()),
        };
        if let Some((p, s)) = self.recent.nearest(from, target) {
            (from, state) = (p, s);
        }
        if cursor.is_valid() && cursor.position() <= target && cursor.position() >= from {
            from = cursor.position();
            state = cursor.state().clone();
        }
        // While replaying far, keep a few states on the way, so that stepping back or
        // seeking near here again replays little.
        let keep_every = (self.interval / 32).max(8) as isize;
        for p in (from + 1)..=target {
            if target - p >= keep_every && (p - from) % keep_every == 0 {
                self.recent.keep(p - 1, &state, target);
            }
            self.stepper
                .replay(log, p as usize, &mut state, &self.notes);
        }
        cursor.set(target, state);
        (target - from) as usize
    }
}

/// States met while replaying between snapshots, kept for the next seeks near them.
#[derive(Debug, Default)]
struct Recent(std::sync::Mutex<Vec<(isize, Value)>>);

/// States a [`Recent`] keeps at most (they share most of their structure).
const RECENT: usize = 16;

impl Clone for Recent {
    fn clone(&self) -> Self {
        Recent::default()
    }
}

impl Recent {
    /// The latest kept state after `after` and at or before `target`.
    fn nearest(&self, after: isize, target: isize) -> Option<(isize, Value)> {
        let kept = self.0.lock().ok()?;
        kept.iter()
            .filter(|(p, _)| *p > after && *p <= target)
            .max_by_key(|(p, _)| *p)
            .cloned()
    }

    /// Keeps `state` at `position`, forgetting the state farthest from `near` when full.
    fn keep(&self, position: isize, state: &Value, near: isize) {
        let Ok(mut kept) = self.0.lock() else {
            return;
        };
        if kept.iter().any(|(p, _)| *p == position) {
            return;
        }
        if kept.len() >= RECENT {
            if let Some(i) = (0..kept.len()).max_by_key(|&i| (kept[i].0 - near).abs()) {
                kept.swap_remove(i);
            }
        }
        kept.push((position, state.clone()));
    }
}

/// Estimated bytes of a value held on its own.
fn size(v: &Value) -> usize {
    match v {
        Value::Null | Value::Bool(_) | Value::Number(_) => 0,
        Value::String(s) => 16 + s.len(),
        Value::Array(a) => 16 + a.iter().map(|x| 24 + size(x)).sum::<usize>(),
        Value::Object(o) => 16 + o.iter().map(|(_, x)| MEMBER + size(x)).sum::<usize>(),
    }
}

/// Bytes of one object member (its key pointer and value).
const MEMBER: usize = 40;

/// Bytes of a B-tree leaf a change copies, on average (half of 64 members).
const LEAF_SHARE: usize = 32 * MEMBER;

/// Estimated bytes `new` holds that it does not share with `old`: only the parts the
/// two do not share are walked.
fn fresh_bytes(old: &Value, new: &Value) -> usize {
    if old.ptr_eq(new) {
        return 0;
    }
    match (old, new) {
        (Value::Object(Object::Large(a)), Value::Object(Object::Large(b))) => {
            // Changes in the same leaf share its copy: the copied nodes never exceed the
            // whole tree's members.
            let (mut nodes, mut below) = (0, 0);
            for item in a.diff(b) {
                nodes += LEAF_SHARE;
                below += match item {
                    imbl::ordmap::DiffItem::Add(_, v) => size(v),
                    imbl::ordmap::DiffItem::Remove(..) => 0,
                    imbl::ordmap::DiffItem::Update { old, new } => fresh_bytes(old.1, new.1),
                };
            }
            nodes.min(b.len() * MEMBER + 16) + below
        }
        (Value::Object(a), Value::Object(b)) => {
            16 + b
                .iter()
                .map(|(k, v)| MEMBER + a.get(k).map_or_else(|| size(v), |o| fresh_bytes(o, v)))
                .sum::<usize>()
        }
        (Value::Array(a), Value::Array(b)) => {
            16 + b
                .iter()
                .enumerate()
                .map(|(i, v)| 24 + a.get(i).map_or_else(|| size(v), |o| fresh_bytes(o, v)))
                .sum::<usize>()
        }
        _ => size(new),
    }
}
