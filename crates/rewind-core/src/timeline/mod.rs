//! The timeline of a loaded log: how the state at any position is reached.
//!
//! * [`ColumnTimeline`] for the merge fold: each top-level key (stream) keeps its own
//!   history, so reading a stream at any position replays only that stream's events.
//! * [`SnapshotTimeline`] for everything else (patch, recorded, or merges that replace
//!   the whole state): a snapshot of the whole persistent state every K events.

pub(crate) mod columns;
pub mod fold;
pub(crate) mod snapshots;

pub use columns::{ColumnTimeline, DEFAULT_CHECKPOINT};
pub use snapshots::{Cursor, SnapshotBuilder, SnapshotTimeline, DEFAULT_INTERVAL};

use crate::log::{Log, Mode};
use crate::value::Value;

/// Which timeline to build; `Auto` picks columns for the merge fold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimelineKind {
    /// Columns where the fold allows it, else snapshots.
    #[default]
    Auto,
    /// Whole-state snapshots, whatever the fold.
    Snapshots,
}

/// A loaded log's timeline.
#[derive(Clone, Debug)]
pub enum Timeline {
    /// Per-key histories (merge fold).
    Columns(Box<ColumnTimeline>),
    /// Whole-state snapshots.
    Snapshots(SnapshotTimeline),
}

impl Timeline {
    /// Number of events folded.
    pub fn len(&self) -> usize {
        match self {
            Timeline::Columns(c) => c.len(),
            Timeline::Snapshots(s) => s.len(),
        }
    }

    /// True when no event was folded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A short name for `stats` and benchmarks.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Timeline::Columns(_) => "columns",
            Timeline::Snapshots(_) => "snapshots",
        }
    }

    /// Events between snapshots (per key for columns).
    pub fn interval(&self) -> usize {
        match self {
            Timeline::Columns(c) => c.checkpoint_interval(),
            Timeline::Snapshots(s) => s.interval(),
        }
    }

    /// Snapshots (or per-key checkpoints) kept.
    pub fn snapshot_count(&self) -> usize {
        match self {
            Timeline::Columns(c) => c.checkpoint_count(),
            Timeline::Snapshots(s) => s.snapshot_count(),
        }
    }
}

/// Builds a [`Timeline`] while a log loads, one event at a time: the column timeline where
/// the fold allows it, else snapshots (also when an event turns out to replace the whole
/// state, which the columns cannot hold: everything folded so far is then folded again
/// with snapshots).
pub(crate) struct TimelineBuilder {
    kind: Building,
    interval: usize,
}

/// The timeline being built.
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
        let kind = match columns {
            Some(c) => Building::Columns(c),
            None => Building::Snapshots(SnapshotBuilder::new(mode, initial.clone(), interval)),
        };
        TimelineBuilder { kind, interval }
    }

    /// True when building a lazy column timeline, which folds nothing while loading.
    pub(crate) fn is_lazy(&self) -> bool {
        matches!(&self.kind, Building::Columns(c) if c.is_lazy())
    }

    /// The lazy column timeline being built, if that is what is built (a tail indexed
    /// elsewhere can then be appended to it).
    pub(crate) fn lazy_columns(&mut self) -> Option<&mut ColumnTimeline> {
        match &mut self.kind {
            Building::Columns(c) if c.is_lazy() => Some(c),
            _ => None,
        }
    }

    /// The lazy column timeline built, if that is what was built.
    pub(crate) fn into_lazy_columns(self) -> Option<ColumnTimeline> {
        match self.kind {
            Building::Columns(c) if c.is_lazy() => Some(c),
            _ => None,
        }
    }

    /// Notes the next event, of stream `(id, name)`, without its payload (skimmed, not
    /// read): true when this timeline can take it so (a lazy column timeline); false when
    /// the payload must be read and [`push`](Self::push)ed.
    pub(crate) fn touch(&mut self, stream: (u32, &str)) -> bool {
        match &mut self.kind {
            Building::Columns(c) if c.is_lazy() => {
                c.touch(stream);
                true
            }
            _ => false,
        }
    }

    /// Folds the last event of `log` (already in it), of stream `(id, name)`, whose fold
    /// input is `input`.
    pub(crate) fn push(&mut self, log: &Log, stream: Option<(u32, &str)>, input: &Value) {
        if let Building::Columns(c) = &mut self.kind {
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
            self.kind = Building::Snapshots(s);
        }
        if let Building::Snapshots(s) = &mut self.kind {
            s.push(stream.map(|(_, name)| name), input);
        }
    }

    /// The timeline of `log`, whose every event is folded. Only the recorded fold leaves a
    /// failed event's state as it was (its state is the one before it), so only then are
    /// the failures the file records marked; another fold chosen for the file applies them.
    pub(crate) fn finish(self, log: &Log) -> Timeline {
        match self.kind {
            Building::Columns(c) => Timeline::Columns(Box::new(c.finish())),
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
                Timeline::Snapshots(s.finish())
            }
        }
    }
}
