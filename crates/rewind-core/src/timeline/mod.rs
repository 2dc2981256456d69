//! The timeline of a loaded log: how the state at any position is reached. Every kind of
//! timeline answers the same questions, [`States`]; a [`Timeline`] is the one a log has,
//! and nothing outside this module needs to know which kind it is.
//!
//! * [`ColumnTimeline`] for the merge fold: each top-level key (stream) keeps its own
//!   history, so reading a stream at any position replays only that stream's events.
//! * [`SnapshotTimeline`] for everything else (patch, recorded, or merges that replace
//!   the whole state): a snapshot of the whole persistent state every K events.
//! * [`ModelTimeline`](crate::model::ModelTimeline) for a read model's fold.

pub(crate) mod columns;
mod edited;
pub mod fold;
pub(crate) mod snapshots;

pub use columns::{ColumnTimeline, DEFAULT_CHECKPOINT};
pub use snapshots::{Cursor, SnapshotBuilder, SnapshotTimeline, DEFAULT_INTERVAL};

use crate::diff::Change;
use crate::log::{Log, Mode};
use crate::pointer::Pointer;
use crate::value::{Str, Value};

/// Which timeline to build; `Auto` picks columns for the merge fold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimelineKind {
    /// Columns where the fold allows it, else snapshots.
    #[default]
    Auto,
    /// Whole-state snapshots, whatever the fold.
    Snapshots,
}

/// What [`States::history`] is told of each event: its position, and the value before and
/// after it.
pub type Record<'a> = dyn FnMut(usize, Option<&Value>, Option<&Value>) + 'a;

/// What a timeline answers about the states of a log: each kind of timeline (the column
/// and the snapshot timeline) implements it, and [`Timeline`] dispatches to the one a log
/// has. Positions are in `-1..len` (-1: before the first event); callers clamp them.
pub trait States {
    /// A short name for `stats` and benchmarks.
    fn kind_name(&self) -> &'static str;

    /// Number of events folded.
    fn len(&self) -> usize;

    /// True when no event was folded.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Events between snapshots (per key for columns).
    fn interval(&self) -> usize;

    /// Snapshots (or per-key checkpoints) kept.
    fn snapshot_count(&self) -> usize;

    /// Folds whatever is left to fold on first read, so that no later read has to.
    fn fold_all(&self, _log: &Log) {}

    /// The whole state at `position`.
    fn state_at(&self, log: &Log, position: isize) -> Value;

    /// The value at `pointer` in the state at `position`, reading only what it needs.
    fn value_at(&self, log: &Log, position: isize, pointer: &Pointer) -> Option<Value> {
        pointer.get(&self.state_at(log, position)).cloned()
    }

    /// Moves `cursor` to `position`, reusing the state it holds where that is cheaper;
    /// returns the number of events replayed.
    fn seek(&self, log: &Log, cursor: &mut Cursor, position: isize) -> usize;

    /// The top-level keys of the state at `position`, in key order: `limit` of them from
    /// `offset`, and how many there are in all; `None` when this timeline cannot list them
    /// without building the whole state (read [`state_at`](Self::state_at) then).
    fn root_keys(
        &self,
        _log: &Log,
        _position: isize,
        _offset: usize,
        _limit: usize,
    ) -> Option<(Vec<Str>, usize)> {
        None
    }

    /// What the event at `position` (an event of the log) changed.
    fn event_diff(&self, log: &Log, position: usize) -> Vec<Change>;

    /// Changes from the state at `from` to the state at `to` (either order).
    fn diff_between(&self, log: &Log, from: isize, to: isize) -> Vec<Change>;

    /// Calls `record(position, value before, value after)` at `pointer` for every event,
    /// in order (or for those that can have changed it, where the timeline knows them).
    fn history(&self, log: &Log, pointer: &Pointer, record: &mut Record<'_>) {
        history_by_states(self, log, pointer, record);
    }

    /// Why the event at `position` failed to fold, if it did.
    fn failure(&self, _position: usize) -> Option<&str> {
        None
    }

    /// Positions of the events that failed to fold, in order.
    fn failed_positions(&self) -> Vec<usize> {
        Vec::new()
    }
}

/// [`States::history`] by stepping a cursor through every state.
pub(crate) fn history_by_states<T: States + ?Sized>(
    t: &T,
    log: &Log,
    pointer: &Pointer,
    record: &mut Record<'_>,
) {
    let mut before = t.state_at(log, -1);
    let mut cursor = Cursor::new();
    for position in 0..t.len() {
        t.seek(log, &mut cursor, position as isize);
        record(position, pointer.get(&before), pointer.get(cursor.state()));
        before = cursor.state().clone();
    }
}

/// Keys sorted, each once.
fn sorted_unique(mut keys: Vec<Str>) -> Vec<Str> {
    keys.sort();
    keys.dedup();
    keys
}

/// A loaded log's timeline: one of the kinds of timeline, asked through [`States`].
#[derive(Clone, Debug)]
pub struct Timeline(Inner);

/// The timelines a [`Timeline`] can be.
#[derive(Clone, Debug)]
enum Inner {
    /// Per-key histories (merge fold).
    Columns(Box<ColumnTimeline>),
    /// Whole-state snapshots.
    Snapshots(SnapshotTimeline),
    /// A read model's fold.
    Model(Box<crate::model::ModelTimeline>),
}

/// Calls the same [`States`] method on whichever kind `$timeline` is (static dispatch: this
/// is the path of every seek).
macro_rules! dispatch {
    ($timeline:expr, $t:ident => $call:expr) => {
        match &$timeline.0 {
            Inner::Columns($t) => $call,
            Inner::Snapshots($t) => $call,
            Inner::Model($t) => $call,
        }
    };
}

impl States for Timeline {
    fn kind_name(&self) -> &'static str {
        dispatch!(self, t => t.kind_name())
    }
    fn len(&self) -> usize {
        dispatch!(self, t => t.len())
    }
    fn interval(&self) -> usize {
        dispatch!(self, t => t.interval())
    }
    fn snapshot_count(&self) -> usize {
        dispatch!(self, t => t.snapshot_count())
    }
    fn fold_all(&self, log: &Log) {
        dispatch!(self, t => t.fold_all(log))
    }
    fn state_at(&self, log: &Log, position: isize) -> Value {
        dispatch!(self, t => t.state_at(log, position))
    }
    fn value_at(&self, log: &Log, position: isize, pointer: &Pointer) -> Option<Value> {
        dispatch!(self, t => t.value_at(log, position, pointer))
    }
    fn seek(&self, log: &Log, cursor: &mut Cursor, position: isize) -> usize {
        dispatch!(self, t => t.seek(log, cursor, position))
    }
    fn root_keys(
        &self,
        log: &Log,
        position: isize,
        offset: usize,
        limit: usize,
    ) -> Option<(Vec<Str>, usize)> {
        dispatch!(self, t => t.root_keys(log, position, offset, limit))
    }
    fn event_diff(&self, log: &Log, position: usize) -> Vec<Change> {
        dispatch!(self, t => t.event_diff(log, position))
    }
    fn diff_between(&self, log: &Log, from: isize, to: isize) -> Vec<Change> {
        dispatch!(self, t => t.diff_between(log, from, to))
    }
    fn history(&self, log: &Log, pointer: &Pointer, record: &mut Record<'_>) {
        dispatch!(self, t => t.history(log, pointer, record))
    }
    fn failure(&self, position: usize) -> Option<&str> {
        dispatch!(self, t => t.failure(position))
    }
    fn failed_positions(&self) -> Vec<usize> {
        dispatch!(self, t => t.failed_positions())
    }
}

impl From<crate::model::ModelTimeline> for Timeline {
    fn from(model: crate::model::ModelTimeline) -> Self {
        Timeline(Inner::Model(Box::new(model)))
    }
}

impl Timeline {
    /// The read model this timeline folds, if it is a read model's.
    pub fn model(&self) -> Option<&crate::model::ModelTimeline> {
        match &self.0 {
            Inner::Model(m) => Some(m),
            _ => None,
        }
    }

    /// The read model this timeline folds, to fold more of it.
    pub fn model_mut(&mut self) -> Option<&mut crate::model::ModelTimeline> {
        match &mut self.0 {
            Inner::Model(m) => Some(m),
            _ => None,
        }
    }

    /// A column timeline, as a timeline (a saved index read back).
    pub(crate) fn from_columns(columns: ColumnTimeline) -> Self {
        Timeline(Inner::Columns(Box::new(columns)))
    }

    /// The column timeline, when this is one.
    pub(crate) fn columns(&self) -> Option<&ColumnTimeline> {
        match &self.0 {
            Inner::Columns(c) => Some(c),
            _ => None,
        }
    }

    /// A short name for `stats` and benchmarks.
    pub fn kind_name(&self) -> &'static str {
        States::kind_name(self)
    }

    /// Number of events folded.
    pub fn len(&self) -> usize {
        States::len(self)
    }

    /// True when no event was folded.
    pub fn is_empty(&self) -> bool {
        States::is_empty(self)
    }

    /// Events between snapshots (per key for columns).
    pub fn interval(&self) -> usize {
        States::interval(self)
    }

    /// Snapshots (or per-key checkpoints) kept.
    pub fn snapshot_count(&self) -> usize {
        States::snapshot_count(self)
    }

    /// Folds whatever is left to fold on first read (the streams of a lazy load), so that
    /// no later read has to.
    pub fn fold_all(&self, log: &Log) {
        States::fold_all(self, log)
    }
}

/// Builds a [`Timeline`] while a log loads, one event at a time: the column timeline where
/// the fold allows it, else snapshots (also when an event turns out to replace the whole
/// state, which the columns cannot hold: everything folded so far is then folded again
/// with snapshots).
pub(crate) struct TimelineBuilder {
    building: Building,
    interval: usize,
}

/// The timeline being built (one a load, so its size does not matter).
#[allow(clippy::large_enum_variant)]
enum Building {
    Columns(ColumnTimeline),
    Snapshots(SnapshotBuilder),
}

impl TimelineBuilder {
    /// Starts the fold in `mode` from `initial`: columns (`checkpoint` events of a key
    /// apart, folded on first read when `lazy`) for the merge fold unless `kind` asks for
    /// snapshots, else snapshots every `interval` events.
    pub(crate) fn new(
        mode: Mode,
        initial: &Value,
        kind: TimelineKind,
        interval: usize,
        checkpoint: usize,
        lazy: bool,
    ) -> Self {
        let columns = (mode == Mode::Merge && kind == TimelineKind::Auto)
            .then(|| ColumnTimeline::new(initial, checkpoint, lazy).ok())
            .flatten();
        let building = match columns {
            Some(c) => Building::Columns(c),
            None => Building::Snapshots(SnapshotBuilder::new(mode, initial.clone(), interval)),
        };
        TimelineBuilder { building, interval }
    }

    /// True when building a lazy column timeline, which folds nothing while loading.
    pub(crate) fn is_lazy(&self) -> bool {
        matches!(&self.building, Building::Columns(c) if c.is_lazy())
    }

    /// The lazy column timeline being built, if that is what is built (a tail indexed
    /// elsewhere can then be appended to it).
    pub(crate) fn lazy_columns(&mut self) -> Option<&mut ColumnTimeline> {
        match &mut self.building {
            Building::Columns(c) if c.is_lazy() => Some(c),
            _ => None,
        }
    }

    /// The lazy column timeline built, if that is what was built.
    pub(crate) fn into_lazy_columns(self) -> Option<ColumnTimeline> {
        match self.building {
            Building::Columns(c) if c.is_lazy() => Some(c),
            _ => None,
        }
    }

    /// Notes the next event, of stream `(id, name)`, without its payload (skimmed, not
    /// read): true when this timeline can take it so (a lazy column timeline); false when
    /// the payload must be read and [`push`](Self::push)ed.
    pub(crate) fn touch(&mut self, stream: (u32, &Str)) -> bool {
        match &mut self.building {
            Building::Columns(c) if c.is_lazy() => {
                c.touch(stream);
                true
            }
            _ => false,
        }
    }

    /// Folds the last event of `log` (already in it), of stream `(id, name)`, whose fold
    /// input is `input`.
    #[inline]
    pub(crate) fn push(&mut self, log: &Log, stream: Option<(u32, &Str)>, input: &Value) {
        if let Building::Columns(c) = &mut self.building {
            if c.push(stream, input).is_ok() {
                return;
            }
            // This event replaces the whole state: fold everything so far with snapshots.
            let position = log.len().saturating_sub(1);
            let mut s = SnapshotBuilder::new(log.mode, log.initial_state.clone(), self.interval);
            for p in 0..position {
                let input = log.fold_input(p).unwrap_or(Value::Null);
                s.push(log.stream_name(p), &input);
            }
            self.building = Building::Snapshots(s);
        }
        if let Building::Snapshots(s) = &mut self.building {
            s.push(stream.map(|(_, name)| name.as_ref()), input);
        }
    }

    /// The timeline of `log`, whose every event is folded. Only the recorded fold leaves a
    /// failed event's state as it was (its state is the one before it), so only then are
    /// the failures the file records marked; another fold chosen for the file applies them.
    pub(crate) fn finish(self, log: &Log) -> Timeline {
        match self.building {
            Building::Columns(c) => {
                Timeline(Inner::Columns(Box::new(c.finish(log.events.streams()))))
            }
            Building::Snapshots(mut s) => {
                let recorded = log
                    .recorded_states
                    .as_ref()
                    .filter(|_| log.mode == Mode::Recorded);
                if let Some(recorded) = recorded {
                    for (&position, reason) in &recorded.failures {
                        s.mark_failed(position, reason.clone());
                    }
                }
                Timeline(Inner::Snapshots(s.finish()))
            }
        }
    }
}
