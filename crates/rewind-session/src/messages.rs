//! The messages between the page and the [`Session`](crate::Session): what the page asks
//! for ([`View`], [`Request`]) and what it is sent back ([`Frame`], [`Reply`],
//! [`Summary`]), already rendered as text, with the limits on how much of each is sent.

use serde::{Deserialize, Serialize};

use rewind_core::Op;

use crate::density::Bucket;
use crate::edits::{EditList, EditsInfo};
use crate::filter::EventFilter;
use crate::tree::TreeRow;

/// Slices of the density strip.
pub const DENSITY_BUCKETS: usize = 240;
/// Changes listed in the Diff region; the rest are counted.
pub const CHANGES_SHOWN: usize = 500;
/// History entries listed; the rest are counted.
pub const HISTORY_SHOWN: usize = 1000;
/// Streams offered as filter suggestions.
pub const STREAMS_SUGGESTED: usize = 2000;
/// Matches a state search lists at most.
pub const SEARCH_LIMIT: usize = 1000;

/// What the page shows, as it asks for it every frame.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct View {
    /// Current position (-1: before the first event).
    pub position: isize,
    /// Expanded nodes of the state tree, by pointer.
    pub expanded: Vec<String>,
    /// Children listed under nodes where more than the default were asked for.
    pub shown: Vec<(String, usize)>,
    /// Show only this stream's state.
    pub focus: Option<String>,
    /// The selected field, whose history is listed.
    pub selected: Option<String>,
    /// Compare the state with this position instead of listing the event's changes.
    pub compare_from: Option<isize>,
    /// The event list's filter.
    pub filter: EventFilter,
    /// First row of the event list in view.
    pub list_start: usize,
    /// Rows of the event list in view.
    pub list_len: usize,
    /// The what-if edits to show the log with.
    pub edits: EditList,
    /// Show what the edits changed in the state at this position.
    pub compare_original: bool,
    /// Where events name their correlation and causation (`None`s: the conventions).
    pub flow_keys: rewind_core::FlowKeys,
    /// Index causes and flows now, for a log that leaves them until asked (one read from
    /// its file, where indexing reads every event again).
    pub index_flows: bool,
}

/// One line of the Diff region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRow {
    /// Add, remove or replace.
    pub op: Op,
    /// Pointer of the changed value.
    pub path: String,
    /// The value before, as compact JSON (shortened when long).
    pub old: Option<String>,
    /// The value after.
    pub new: Option<String>,
}

/// One row of the event list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListRow {
    /// 0-based position.
    pub position: u32,
    /// Type index (for its colour).
    pub kind: u32,
    /// Type name.
    pub type_name: String,
    /// Stream name, or empty.
    pub stream: String,
    /// Time of day (`HH:MM:SS`), or empty.
    pub time: String,
    /// A what-if edit skips it or gives it another type or data.
    pub edit: Option<RowEdit>,
}

/// How a what-if edit changes an event of the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowEdit {
    /// Skipped: it changes nothing.
    Skipped,
    /// Another type or data.
    Replaced,
}

/// The rows of the event list in view.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListWindow {
    /// Events the filter keeps.
    pub count: usize,
    /// Index of the first row below.
    pub start: usize,
    /// The rows.
    pub rows: Vec<ListRow>,
    /// Index of the current event among the kept ones (or where it would be).
    pub position_row: usize,
}

/// The Event region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    /// Type.
    pub kind: String,
    /// Id, if any.
    pub id: Option<String>,
    /// Time as written in the log.
    pub time: Option<String>,
    /// Stream, if any.
    pub stream: Option<String>,
    /// Redux DevTools skipped it.
    pub skipped: bool,
    /// A what-if edit skips it (it changes nothing).
    pub skipped_by_edit: bool,
    /// A what-if edit gave it another type or data.
    pub replaced: bool,
    /// Why it failed to apply, if it did.
    pub failure: Option<String>,
    /// Its cause, effects and flow, when the log names them.
    pub flow: Option<crate::flows::FlowView>,
    /// Payload, pretty JSON.
    pub data: String,
    /// Metadata, pretty JSON.
    pub metadata: String,
}

/// One entry of the History region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRow {
    /// 0-based position.
    pub position: usize,
    /// Event type.
    pub kind: String,
    /// What the event did to the field.
    pub op: Op,
    /// Value before (`—` when absent).
    pub old: String,
    /// Value after.
    pub new: String,
}

/// The events that changed one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// The field.
    pub pointer: String,
    /// How many events changed it.
    pub total: usize,
    /// The first [`HISTORY_SHOWN`] of them.
    pub rows: Vec<HistoryRow>,
}

/// Everything on screen at one position.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frame {
    /// The position shown (clamped to the log).
    pub position: isize,
    /// Type of the current event.
    pub event_type: Option<String>,
    /// Visible rows of the state tree.
    pub tree: Vec<TreeRow>,
    /// The selected field exists at this position.
    pub selected_exists: bool,
    /// The Diff region's changes (the event's, or the comparison's), at most [`CHANGES_SHOWN`].
    pub changes: Vec<ChangeRow>,
    /// How many changes there are in all.
    pub changes_total: usize,
    /// The Event region.
    pub event: Option<EventView>,
    /// The event list in view.
    pub list: ListWindow,
    /// Why the filter is invalid (the list then keeps every event).
    pub filter_error: Option<String>,
    /// The density strip, when it differs from the last frame's.
    pub density: Option<Vec<Bucket>>,
    /// The selected field's history, when it differs from the last frame's.
    pub history: Option<History>,
    /// The what-if edits applied, when they changed since the last frame.
    pub edits: Option<EditsInfo>,
    /// What the edits changed in the state here, when comparing with the original.
    pub whatif: Option<Comparison>,
    /// The flow index is not built yet (the first frame of a log goes out without it):
    /// ask for this frame again to see the event's flow.
    pub flows_pending: bool,
    /// Causes and flows are left until asked for ([`View::index_flows`]): the log is read
    /// from its file, and indexing them reads every event again.
    pub flows_deferred: bool,
    /// The log's file could not be read again (an index-only log reads its events from
    /// it), in words: what is shown may be wrong.
    pub file_error: Option<String>,
}

/// The changes from the original state to the edited one at a position.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// The first [`CHANGES_SHOWN`] changes.
    pub changes: Vec<ChangeRow>,
    /// How many there are in all.
    pub total: usize,
}

/// What the page can ask of a loaded log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Everything on screen.
    Frame(Box<View>),
    /// Pointers of the nodes whose key or value holds the text.
    Search {
        /// Position searched.
        position: isize,
        /// Text looked for.
        query: String,
    },
    /// The value at a pointer as pretty JSON (copy).
    ValueJson {
        /// Position.
        position: isize,
        /// Pointer.
        pointer: String,
    },
    /// The whole state as pretty JSON, shortened for display.
    StateJson {
        /// Position.
        position: isize,
    },
    /// The position of the last event at or before a time (milliseconds since the epoch).
    PositionAtTime(f64),
    /// The whole state, for a download.
    ExportState {
        /// Position.
        position: isize,
    },
    /// The Diff region's changes as a JSON Patch, for a download.
    ExportDiff {
        /// Position.
        position: isize,
        /// Compared with this position, if comparing.
        from: Option<isize>,
    },
    /// The events the filter keeps, as NDJSON, for a download.
    ExportEvents(EventFilter),
    /// The event at a position as the Edit event dialog shows it: `{"type", "data"}`.
    EditText(isize),
    /// Whether the Edit event dialog's text can replace the event at `at`.
    CheckReplace {
        /// The event's position.
        at: u32,
        /// The dialog's text.
        text: String,
    },
    /// The log as edited, as NDJSON (skipped events left out), for a download.
    ExportEdited,
    /// The edits file (SPEC §8), for a download.
    ExportEdits,
    /// The causation tree of the flow of the event at a position.
    FlowTree {
        /// The event.
        position: isize,
        /// Where events name their correlation and causation.
        keys: rewind_core::FlowKeys,
    },
}

/// The answer to a [`Request`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reply {
    /// For [`Request::Frame`].
    Frame(Box<Frame>),
    /// For [`Request::Search`].
    Pointers(Vec<String>),
    /// JSON or NDJSON text (`None`: nothing at that pointer).
    Text(Option<String>),
    /// For [`Request::PositionAtTime`].
    Position(isize),
    /// For [`Request::FlowTree`] (empty when the event is in no flow).
    FlowTree(Vec<crate::flows::FlowTreeRow>),
    /// For [`Request::CheckReplace`]: what is wrong with the text, if anything.
    Checked(Option<crate::models::ModelProblem>),
    /// The request could not be answered.
    Error(String),
}

/// What the page learns once a log is open.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// The file's name.
    pub name: String,
    /// Number of events.
    pub events: usize,
    /// Format name.
    pub format: String,
    /// Fold mode name.
    pub mode: String,
    /// Event types, by index.
    pub types: Vec<String>,
    /// The first [`STREAMS_SUGGESTED`] streams.
    pub streams: Vec<String>,
    /// Lines that could not be read, in words.
    pub notice: Option<String>,
    /// Only the start of the log is loaded; the rest is still loading.
    pub partial: bool,
    /// Memory the loaded log takes, where the host can tell (the browser's worker).
    pub memory_bytes: Option<u64>,
    /// Only the log's index is in memory; its events are read back from the file.
    pub index_only: bool,
    /// The keys of the events, and which of them hold the type, stream, time and data.
    pub fields: crate::field_choice::FieldChoices,
    /// A time inside the log, written as a person types one (`2016-05-04 10:22`), to
    /// suggest what jumping to a time looks like; `None` when events have no time.
    pub time_hint: Option<String>,
}
