//! The snapshot timeline: states at every position, reached through snapshots of the
//! whole state. Used for the patch and recorded folds, whose events can change anything.
//!
//! Folding keeps a snapshot of the state every `interval` events. A snapshot is a clone of
//! a persistent [`Value`], i.e. a pointer copy that shares everything with the live state;
//! only what later events change gets copied. The state at position `p` is the nearest
//! snapshot at or before `p` plus the replay of at most `interval - 1` events. A
//! [`Cursor`] keeps the last state computed, so stepping forward and scrubbing nearby
//! replay only the events in between.

use std::collections::BTreeMap;

use crate::diff::{diff, diff_at, Change};
use crate::log::{Log, Mode, NO_STREAM};
use crate::timeline::fold;
use crate::timeline::{sorted_unique, States};
use crate::value::{Str, Value};

/// Snapshot interval used when none is given. Chosen by measurement: see BENCHMARKS.md.
pub const DEFAULT_INTERVAL: usize = 128;

/// Snapshots of the fold of a [`Log`], and the events that failed to apply.
#[derive(Clone, Debug)]
pub struct SnapshotTimeline {
    interval: usize,
    /// `snapshots[j]` is the state before event `j * interval` (at position `j*interval - 1`).
    snapshots: Vec<Value>,
    /// The state after the last event.
    last: Value,
    /// Events that failed to apply, with the reason: a patch that did not apply, or a
    /// recorded state the log marks as failed.
    failures: BTreeMap<usize, String>,
    len: usize,
}

/// Builds a [`SnapshotTimeline`] one event at a time, in log order.
#[derive(Debug)]
pub struct SnapshotBuilder {
    mode: Mode,
    timeline: SnapshotTimeline,
}

impl SnapshotBuilder {
    /// Starts a fold from `initial` state, keeping a snapshot every `interval` events.
    pub fn new(mode: Mode, initial: Value, interval: usize) -> Self {
        SnapshotBuilder {
            mode,
            timeline: SnapshotTimeline {
                interval: interval.max(1),
                snapshots: Vec::new(),
                last: initial,
                failures: BTreeMap::new(),
                len: 0,
            },
        }
    }

    /// Folds the next event.
    pub fn push(&mut self, stream: Option<&str>, input: &Value) {
        let t = &mut self.timeline;
        if t.len % t.interval == 0 {
            t.snapshots.push(t.last.clone());
        }
        if let Err(reason) = fold::apply(self.mode, &mut t.last, stream, input) {
            t.failures.insert(t.len, reason);
        }
        t.len += 1;
    }

    /// Marks the event at `position` failed with `reason`, for a failure the log itself
    /// records rather than one the fold finds. Its fold input must leave the state as it
    /// was, as a failed event does (a failed event is not replayed).
    pub fn mark_failed(&mut self, position: usize, reason: String) {
        self.timeline.failures.insert(position, reason);
    }

    /// The finished timeline.
    pub fn finish(self) -> SnapshotTimeline {
        self.timeline
    }
}

impl SnapshotTimeline {
    /// This timeline with the events from `from` on folded again from `log` (the same
    /// log with edits from `from` on): the snapshots before them are kept.
    pub(crate) fn refold_from(&self, mode: Mode, log: &Log, from: usize) -> SnapshotTimeline {
        let j = (from / self.interval).min(self.snapshots.len());
        let (last, len) = match self.snapshots.get(j) {
            Some(s) => (s.clone(), j * self.interval),
            None => (self.last.clone(), self.len),
        };
        let mut failures = self.failures.clone();
        failures.split_off(&len);
        let mut builder = SnapshotBuilder {
            mode,
            timeline: SnapshotTimeline {
                interval: self.interval,
                snapshots: self.snapshots[..j].to_vec(),
                last,
                failures,
                len,
            },
        };
        let mut interner = crate::value::Interner::default();
        for p in len..log.len() {
            let input = log.fold_input_with(p, &mut interner).unwrap_or(Value::Null);
            builder.push(log.stream_name(p), &input);
        }
        builder.finish()
    }

    /// The nearest snapshot at or before `position`: its position and state.
    fn snapshot_before(&self, position: isize) -> (isize, &Value) {
        let j = usize::try_from(position + 1).unwrap_or(0) / self.interval;
        match self.snapshots.get(j) {
            Some(s) => ((j * self.interval) as isize - 1, s),
            None => (self.len as isize - 1, &self.last),
        }
    }

    /// The state at `position` (-1 = before the first event), clamped to the log.
    pub fn state_at(&self, log: &Log, position: isize) -> Value {
        let mut cursor = Cursor::new();
        cursor.seek(self, log, position);
        cursor.state
    }
}

impl States for SnapshotTimeline {
    fn kind_name(&self) -> &'static str {
        "snapshots"
    }

    fn len(&self) -> usize {
        self.len
    }

    fn interval(&self) -> usize {
        self.interval
    }

    fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }

    fn state_at(&self, log: &Log, position: isize) -> Value {
        SnapshotTimeline::state_at(self, log, position)
    }

    fn seek(&self, log: &Log, cursor: &mut Cursor, position: isize) -> usize {
        cursor.seek(self, log, position)
    }

    /// Compares the states before and after it, under the keys it names when it names them.
    fn event_diff(&self, log: &Log, position: usize) -> Vec<Change> {
        let mut cursor = Cursor::new();
        cursor.seek(self, log, position as isize - 1);
        let before = cursor.state().clone();
        cursor.seek(self, log, position as isize);
        diff_states(&before, cursor.state(), log.touched_keys(position))
    }

    /// Looking only at the keys the events in between touched is exact and fast for short
    /// ranges; long ranges compare everything (shared subtrees are still skipped).
    fn diff_between(&self, log: &Log, from: isize, to: isize) -> Vec<Change> {
        let (lo, hi) = (from.min(to), from.max(to));
        let a = SnapshotTimeline::state_at(self, log, from);
        let b = SnapshotTimeline::state_at(self, log, to);
        let keys = if hi - lo <= 4096 {
            ((lo + 1)..=hi)
                .map(|p| log.touched_keys(p as usize))
                .try_fold(Vec::new(), |mut acc, k| {
                    acc.extend(k?);
                    Some(acc)
                })
        } else {
            None
        };
        diff_states(&a, &b, keys)
    }

    fn failure(&self, position: usize) -> Option<&str> {
        self.failures.get(&position).map(String::as_str)
    }

    fn failed_positions(&self) -> Vec<usize> {
        self.failures.keys().copied().collect()
    }
}

/// Changes from `before` to `after`, looking only under `keys` when given.
fn diff_states(before: &Value, after: &Value, keys: Option<Vec<Str>>) -> Vec<Change> {
    match (keys, before, after) {
        (Some(keys), Value::Object(a), Value::Object(b)) => {
            let mut out = Vec::new();
            for k in sorted_unique(keys) {
                diff_at(
                    a.get(&k),
                    b.get(&k),
                    &crate::pointer::Pointer::root().child(&k),
                    &mut out,
                );
            }
            out
        }
        _ => diff(before, after),
    }
}

/// A position and the state there: the cache in front of the timeline.
#[derive(Clone, Debug)]
pub struct Cursor {
    position: isize,
    state: Value,
    /// True once `state` holds a computed state.
    valid: bool,
}

impl Default for Cursor {
    fn default() -> Self {
        Self::new()
    }
}

impl Cursor {
    /// A cursor with nothing computed yet.
    pub fn new() -> Self {
        Cursor {
            position: -1,
            state: Value::empty_object(),
            valid: false,
        }
    }

    /// Holds `state` as the state at `position`.
    pub(crate) fn set(&mut self, position: isize, state: Value) {
        self.position = position;
        self.state = state;
        self.valid = true;
    }

    /// True once the cursor holds a computed state.
    pub fn is_valid(&self) -> bool {
        self.valid
    }

    /// The position of the state held.
    pub fn position(&self) -> isize {
        self.position
    }

    /// The state held.
    pub fn state(&self) -> &Value {
        &self.state
    }

    /// Moves to `position` (clamped to -1..len-1), replaying as few events as possible:
    /// from the current state when it is before `position` and nearer than the snapshot.
    /// Returns how many events were replayed.
    pub fn seek(&mut self, timeline: &SnapshotTimeline, log: &Log, position: isize) -> usize {
        let target = position.clamp(-1, timeline.len as isize - 1);
        if self.valid && target == self.position {
            return 0;
        }
        if target == timeline.len as isize - 1 {
            self.state = timeline.last.clone();
            self.position = target;
            self.valid = true;
            return 0;
        }
        let (snap_pos, snap) = timeline.snapshot_before(target);
        let from_cursor = self.valid && self.position <= target && self.position >= snap_pos;
        if !from_cursor {
            self.state = snap.clone();
            self.position = snap_pos;
        }
        let mut replayed = 0;
        let mode = log.mode;
        while self.position < target {
            let p = (self.position + 1) as usize;
            if !timeline.failures.contains_key(&p) {
                if let Some(input) = log.fold_input(p) {
                    let stream = log
                        .events
                        .get(p)
                        .filter(|e| e.stream != NO_STREAM)
                        .and_then(|_| log.stream_name(p));
                    // Failures were recorded at load; the fold is deterministic, so a
                    // replayed event that applied then applies now.
                    let _ = fold::apply(mode, &mut self.state, stream, &input);
                }
            }
            self.position += 1;
            replayed += 1;
        }
        self.valid = true;
        replayed
    }
}
