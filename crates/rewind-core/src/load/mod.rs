//! Loading a log: from its bytes to a [`Log`](crate::Log) and its
//! [`Timeline`](crate::Timeline).
//!
//! * `formats` and [`producers`] recognise the file's layout and the producer whose shape
//!   its events have; [`gzip`] and [`jsan`] undo what wraps them;
//! * `scan` reads the type, stream, time and payload of each event in one pass;
//! * [`arriving`] loads NDJSON while its bytes arrive, and [`tail_indexer`] lets a helper
//!   index the second half of the file meanwhile, into a [`tail::TailIndex`].

pub mod arriving;
pub(crate) mod cloud_events;
pub(crate) mod formats;
pub mod gzip;
pub(crate) mod ingest;
pub mod jsan;
pub mod producers;
pub(crate) mod scan;
pub mod tail;
pub mod tail_indexer;
mod whole;

pub use whole::{open, open_with_progress, PROGRESS_EVERY};

use crate::fields::FieldOverrides;
use crate::log::{Format, Mode};
use crate::timeline::TimelineKind;

/// How to read a log; everything left `None` is detected.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Force a format instead of detecting it.
    pub format: Option<Format>,
    /// Force a fold mode instead of detecting it.
    pub mode: Option<Mode>,
    /// Override field detection.
    pub fields: FieldOverrides,
    /// Events between whole-state snapshots ([`DEFAULT_INTERVAL`](crate::timeline::DEFAULT_INTERVAL) when `None`).
    pub snapshot_interval: Option<usize>,
    /// Events of one key between its checkpoints ([`DEFAULT_CHECKPOINT`](crate::timeline::DEFAULT_CHECKPOINT) when `None`).
    pub checkpoint_interval: Option<usize>,
    /// Which timeline to build.
    pub timeline: TimelineKind,
    /// Fold each stream the first time it is read instead of while loading (merge fold
    /// with the column timeline only). Loading then only indexes the events, skipping
    /// their payloads, which is several times faster; the first question about the whole
    /// state folds every stream. The browser's worker loads this way.
    pub lazy: bool,
}
