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
pub use snapshots::{Cursor, SnapshotTimeline, TimelineBuilder, DEFAULT_INTERVAL};

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
