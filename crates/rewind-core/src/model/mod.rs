//! Read models (CQRS projections, SPEC §7): folds of the same events shaped for one
//! question, written as jq handlers per event type. A [`ModelTimeline`] is one more kind
//! of timeline ([`States`]): the state at any position, diffs, history and failures are
//! asked of it exactly as of the log's own fold, through the same code.
//!
//! * Without a partition the model has one state, with snapshots every N events; N
//!   doubles while the snapshots of the whole log would outgrow [`SNAPSHOT_BUDGET`].
//! * With a partition each key keeps its own history, like a stream in the column
//!   timeline, so reading one partition replays only a few of its own events.
//!
//! Events whose type has no handler are never read for the model. A handler's error
//! marks the event failed for this model and changes nothing; the fold goes on.

mod event;
mod global;
mod partitioned;
mod spec;
mod step;

use std::sync::Arc;

pub use event::event_value;
pub use global::SNAPSHOT_BUDGET;
pub use spec::{Handler, ModelError, Needs, Partition, ReadModel, ANY};
pub use step::Note;

use crate::diff::{diff, diff_at, Change};
use crate::log::Log;
use crate::pointer::Pointer;
use crate::timeline::{history_by_states, Cursor, Record, States};
use crate::value::{Str, Value};
use global::GlobalModel;
use partitioned::PartitionedModel;
use step::Stepper;

/// The fold of one read model over a log.
#[derive(Clone, Debug)]
pub struct ModelTimeline(Kind);

#[derive(Clone, Debug)]
enum Kind {
    Global(GlobalModel),
    Partitioned(PartitionedModel),
}

impl ModelTimeline {
    /// An empty fold of `model`, its snapshots within `budget` bytes.
    pub fn new(model: Arc<ReadModel>, budget: usize) -> Self {
        let partitioned = model.partition.is_some();
        let stepper = Stepper::new(model);
        ModelTimeline(if partitioned {
            Kind::Partitioned(PartitionedModel::new(stepper))
        } else {
            Kind::Global(GlobalModel::new(stepper, budget))
        })
    }

    /// The fold of `model` over the whole of `log`.
    pub fn fold_log(model: Arc<ReadModel>, log: &Log) -> Self {
        let mut t = ModelTimeline::new(model, SNAPSHOT_BUDGET);
        t.fold(log, log.len(), &mut |_| {});
        t
    }

    /// Folds the events from the last one folded up to `until` (exclusive), calling
    /// `on_event(position)` before each (to watch for a handler that runs too long).
    pub fn fold(&mut self, log: &Log, until: usize, on_event: &mut dyn FnMut(usize)) {
        match &mut self.0 {
            Kind::Global(g) => g.fold(log, until, on_event),
            Kind::Partitioned(p) => p.fold(log, until, on_event),
        }
    }

    /// Forgets what was folded from `from` on, so that folding goes on from there with
    /// `log` (the same log with edits from `from` on). A global model goes back to its
    /// snapshot before `from`; a partitioned one takes each partition back to its value
    /// before `from`.
    pub fn truncate(&mut self, log: &Log, from: usize) {
        match &mut self.0 {
            Kind::Global(g) => g.truncate(log, from),
            Kind::Partitioned(p) => p.truncate(log, from),
        }
    }

    /// Folds again what the events `edited` of `log` (this model's log with those events
    /// changed) can reach, then on to `log`'s end: a global model from its snapshot before
    /// the first of them; a partitioned one only the partitions those events were or are
    /// in, when it was folded to the end (else from the first of them).
    pub fn refold_edited(&mut self, log: &Log, edited: &[usize]) {
        let Some(&from) = edited.iter().min() else {
            return;
        };
        match &mut self.0 {
            Kind::Partitioned(p) if p.len() == log.len() => p.refold_edited(log, edited),
            _ => {
                self.truncate(log, from);
                self.fold(log, log.len(), &mut |_| {});
            }
        }
    }

    /// The read model folded.
    pub fn model(&self) -> &ReadModel {
        &self.stepper().model
    }

    fn stepper(&self) -> &Stepper {
        match &self.0 {
            Kind::Global(g) => &g.stepper,
            Kind::Partitioned(p) => &p.stepper,
        }
    }

    fn notes(&self) -> &std::collections::BTreeMap<usize, Note> {
        match &self.0 {
            Kind::Global(g) => &g.notes,
            Kind::Partitioned(p) => &p.notes,
        }
    }

    /// What there is to say about the event at `position` in this model.
    pub fn note(&self, position: usize) -> Option<&Note> {
        self.notes().get(&position)
    }

    /// Events a handler ran for.
    pub fn handled(&self) -> usize {
        match &self.0 {
            Kind::Global(g) => g.handled,
            Kind::Partitioned(p) => p.handled,
        }
    }

    /// Whether the event at `position` has a handler in this model.
    pub fn handles(&self, log: &Log, position: usize) -> bool {
        self.stepper().handler(log, position).is_some()
    }

    /// The key of the handler for the event at `position`, if it has one.
    pub fn handler_key(&self, log: &Log, position: usize) -> Option<&str> {
        let h = self.stepper().handler(log, position)?;
        Some(self.model().handlers.get(h)?.key.as_str())
    }

    /// The partition of the event at `position` (partitioned models; `None` when the event
    /// was not handled or the model has no partitions).
    pub fn partition_of(&self, position: usize) -> Option<&str> {
        match &self.0 {
            Kind::Partitioned(p) => p.key_of(position).map(|k| &**k),
            Kind::Global(_) => None,
        }
    }

    /// Estimated bytes of snapshots held beyond the current state (global models).
    pub fn snapshot_bytes(&self) -> usize {
        match &self.0 {
            Kind::Global(g) => g.snapshot_bytes(),
            Kind::Partitioned(_) => 0,
        }
    }
}

impl States for ModelTimeline {
    fn kind_name(&self) -> &'static str {
        match &self.0 {
            Kind::Global(_) => "read model",
            Kind::Partitioned(_) => "partitioned read model",
        }
    }

    fn len(&self) -> usize {
        match &self.0 {
            Kind::Global(g) => g.len,
            Kind::Partitioned(p) => p.len(),
        }
    }

    fn interval(&self) -> usize {
        match &self.0 {
            Kind::Global(g) => g.interval,
            Kind::Partitioned(_) => partitioned::CHECKPOINT,
        }
    }

    fn snapshot_count(&self) -> usize {
        match &self.0 {
            Kind::Global(g) => g.snapshot_count(),
            Kind::Partitioned(p) => p.checkpoint_count(),
        }
    }

    fn state_at(&self, log: &Log, position: isize) -> Value {
        match &self.0 {
            Kind::Global(_) => {
                let mut cursor = Cursor::new();
                self.seek(log, &mut cursor, position);
                cursor.state().clone()
            }
            Kind::Partitioned(p) => p.state_at(log, position),
        }
    }

    fn value_at(&self, log: &Log, position: isize, pointer: &Pointer) -> Option<Value> {
        match (&self.0, pointer.tokens().split_first()) {
            (Kind::Partitioned(p), Some((key, rest))) => {
                let part = p.part_at(log, key, position)?;
                let mut v = &part;
                for t in rest {
                    v = crate::pointer::step(v, t)?;
                }
                Some(v.clone())
            }
            _ => pointer.get(&self.state_at(log, position)).cloned(),
        }
    }

    fn seek(&self, log: &Log, cursor: &mut Cursor, position: isize) -> usize {
        match &self.0 {
            Kind::Global(g) => g.seek(log, cursor, position),
            Kind::Partitioned(p) => {
                let target = position.clamp(-1, p.len() as isize - 1);
                if !(cursor.is_valid() && cursor.position() == target) {
                    cursor.set(target, p.state_at(log, target));
                }
                0
            }
        }
    }

    fn root_keys(
        &self,
        _log: &Log,
        position: isize,
        offset: usize,
        limit: usize,
    ) -> Option<(Vec<Str>, usize)> {
        match &self.0 {
            Kind::Partitioned(p) => Some(p.keys_at(position, offset, limit)),
            Kind::Global(_) => None,
        }
    }

    fn event_diff(&self, log: &Log, position: usize) -> Vec<Change> {
        match &self.0 {
            Kind::Partitioned(p) => {
                let Some(key) = p.key_of(position) else {
                    return Vec::new();
                };
                let before = p.part_at(log, key, position as isize - 1);
                let after = p.part_at(log, key, position as isize);
                let mut out = Vec::new();
                diff_at(
                    before.as_ref(),
                    after.as_ref(),
                    &Pointer::root().child(key),
                    &mut out,
                );
                out
            }
            Kind::Global(g) => {
                if g.notes.get(&position).is_some_and(|n| n.error.is_some())
                    || !self.handles(log, position)
                {
                    return Vec::new();
                }
                let mut cursor = Cursor::new();
                g.seek(log, &mut cursor, position as isize - 1);
                let before = cursor.state().clone();
                g.seek(log, &mut cursor, position as isize);
                diff(&before, cursor.state())
            }
        }
    }

    fn diff_between(&self, log: &Log, from: isize, to: isize) -> Vec<Change> {
        match &self.0 {
            Kind::Partitioned(p) => {
                let (lo, hi) = (from.min(to), from.max(to));
                let mut out = Vec::new();
                for key in p.keys_between(lo, hi) {
                    let a = p.part_at(log, &key, from);
                    let b = p.part_at(log, &key, to);
                    diff_at(
                        a.as_ref(),
                        b.as_ref(),
                        &Pointer::root().child(&key),
                        &mut out,
                    );
                }
                out
            }
            Kind::Global(_) => diff(&self.state_at(log, from), &self.state_at(log, to)),
        }
    }

    /// In a partitioned model, a field of one partition changes only at that partition's
    /// events; elsewhere every event is stepped through.
    fn history(&self, log: &Log, pointer: &Pointer, record: &mut Record<'_>) {
        match (&self.0, pointer.tokens().split_first()) {
            (Kind::Partitioned(p), Some((key, _))) => {
                for &q in p.positions(key) {
                    let q = q as isize;
                    let before = self.value_at(log, q - 1, pointer);
                    let after = self.value_at(log, q, pointer);
                    record(q as usize, before.as_ref(), after.as_ref());
                }
            }
            _ => history_by_states(self, log, pointer, record),
        }
    }

    fn failure(&self, position: usize) -> Option<&str> {
        self.notes().get(&position).and_then(|n| n.error.as_deref())
    }

    fn failed_positions(&self) -> Vec<usize> {
        self.notes()
            .iter()
            .filter(|(_, n)| n.error.is_some())
            .map(|(&p, _)| p)
            .collect()
    }
}

#[cfg(test)]
mod tests;
