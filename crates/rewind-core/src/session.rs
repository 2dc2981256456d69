//! A loaded log as the page sees it: serialisable requests ("the view at position 41 with
//! these nodes expanded and this filter") and replies holding only what is on screen,
//! already rendered as text. The browser keeps the [`Session`] in a Web Worker and sends
//! it one [`View`] per frame; natively it is an ordinary struct, tested like the rest.

use std::collections::HashSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diff::{Change, Op};
use crate::fields::format_rfc3339;
use crate::filter::{matching, EventFilter};
use crate::json_patch;
use crate::pointer::Pointer;
use crate::replay::Replay;
use crate::value::Value;
use crate::view::{changed_nodes, density, search, subtree_rows, Bucket, Shown, TreeRow};

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
/// Longest rendering of one value in a one-line list (diff, history).
const VALUE_CHARS: usize = 300;
/// Longest JSON text sent for the state's JSON view; exports are not cut.
const JSON_VIEW_BYTES: usize = 2_000_000;

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
    /// Why it failed to apply, if it did.
    pub failure: Option<String>,
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
}

/// What the page can ask of a loaded log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Everything on screen.
    Frame(View),
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
    /// The request could not be answered.
    Error(String),
}

/// The first event's time (of those that have one), to the minute, UTC, as in
/// `2016-05-04 10:22`.
fn time_hint(replay: &Replay) -> Option<String> {
    let ms = replay
        .log
        .events
        .iter()
        .map(|e| e.time_ms)
        .find(|t| t.is_finite())?;
    let text = format_rfc3339(ms);
    Some(text.get(..16)?.replacen('T', " ", 1))
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
    /// The keys of the events, and which of them hold the type, stream, time and data.
    pub fields: crate::field_choice::FieldChoices,
    /// A time inside the log, written as a person types one (`2016-05-04 10:22`), to
    /// suggest what jumping to a time looks like; `None` when events have no time.
    pub time_hint: Option<String>,
}

/// Which positions the event list shows.
#[derive(Clone)]
enum Rows {
    All(usize),
    Some(Arc<Vec<u32>>),
}

impl Rows {
    fn len(&self) -> usize {
        match self {
            Rows::All(n) => *n,
            Rows::Some(v) => v.len(),
        }
    }
    fn get(&self, i: usize) -> Option<u32> {
        match self {
            Rows::All(n) => (i < *n).then_some(i as u32),
            Rows::Some(v) => v.get(i).copied(),
        }
    }
    fn index_of(&self, position: isize) -> usize {
        let p = position.max(0) as u32;
        match self {
            Rows::All(n) => (p as usize).min(*n),
            Rows::Some(v) => v.partition_point(|&r| r < p),
        }
    }
    fn hits(&self) -> &[u32] {
        match self {
            Rows::All(_) => &[],
            Rows::Some(v) => v,
        }
    }
}

/// A loaded log and what was last sent about it.
pub struct Session {
    replay: Replay,
    /// The last filter applied and what it kept.
    rows: Option<(EventFilter, Rows, Option<String>)>,
    /// The filter whose density strip was last sent.
    density_sent: Option<EventFilter>,
    /// The field whose history was last sent.
    history_sent: Option<String>,
}

/// `value` as compact JSON, cut to [`VALUE_CHARS`] characters.
fn short(value: &Value) -> String {
    let text = value.to_compact_string();
    match text.char_indices().nth(VALUE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

fn change_row(c: &Change) -> ChangeRow {
    ChangeRow {
        op: c.op,
        path: c.path.to_string(),
        old: c.old.as_ref().map(short),
        new: c.new.as_ref().map(short),
    }
}

/// The notice shown when lines were skipped.
fn bad_lines_notice(replay: &Replay) -> Option<String> {
    let bad = &replay.log.bad_lines;
    let first = bad.first()?;
    let more = if bad.len() > 1 {
        format!(" and {} more", bad.len() - 1)
    } else {
        String::new()
    };
    Some(format!(
        "{} line{} could not be read and {} skipped; every other line loaded. Line {}: {}{more}.",
        bad.len(),
        if bad.len() == 1 { "" } else { "s" },
        if bad.len() == 1 { "was" } else { "were" },
        first.line,
        first.reason
    ))
}

impl Session {
    /// A session over a loaded log.
    pub fn new(replay: Replay) -> Self {
        Session {
            replay,
            rows: None,
            density_sent: None,
            history_sent: None,
        }
    }

    /// The loaded log.
    pub fn replay(&self) -> &Replay {
        &self.replay
    }

    /// What the page shows about the log as a whole.
    pub fn summary(&self, name: &str, partial: bool) -> Summary {
        let log = &self.replay.log;
        Summary {
            name: name.to_string(),
            events: self.replay.len(),
            format: log.format.name().to_string(),
            mode: log.mode.name().to_string(),
            types: log.types.iter().map(|t| t.to_string()).collect(),
            streams: log
                .streams
                .iter()
                .take(STREAMS_SUGGESTED)
                .map(|s| s.to_string())
                .collect(),
            notice: bad_lines_notice(&self.replay),
            partial,
            memory_bytes: None,
            fields: crate::field_choice::choices(log),
            time_hint: time_hint(&self.replay),
        }
    }

    /// Answers one request.
    pub fn handle(&mut self, request: Request) -> Reply {
        let replay = &self.replay;
        let clamp = |p: isize| p.clamp(-1, replay.len() as isize - 1);
        match request {
            Request::Frame(view) => Reply::Frame(Box::new(self.frame(&view))),
            Request::Search { position, query } => Reply::Pointers(search(
                &replay.state_at(clamp(position)),
                &query,
                SEARCH_LIMIT,
            )),
            Request::ValueJson { position, pointer } => match Pointer::parse(&pointer) {
                Ok(ptr) => Reply::Text(
                    replay
                        .get(clamp(position), &ptr)
                        .map(|v| v.to_pretty_string()),
                ),
                Err(e) => Reply::Error(e.to_string()),
            },
            Request::StateJson { position } => {
                let mut text = replay.state_at(clamp(position)).to_pretty_string();
                if text.len() > JSON_VIEW_BYTES {
                    let mut cut = JSON_VIEW_BYTES;
                    while !text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    text.truncate(cut);
                    text.push_str("\n… (cut here: use Export state for all of it)");
                }
                Reply::Text(Some(text))
            }
            Request::PositionAtTime(ms) => Reply::Position(replay.position_at_time(ms)),
            Request::ExportState { position } => {
                Reply::Text(Some(replay.state_at(clamp(position)).to_pretty_string()))
            }
            Request::ExportDiff { position, from } => {
                let patch = json_patch(&self.changes(clamp(position), from.map(clamp)));
                Reply::Text(Some(patch.to_pretty_string()))
            }
            Request::ExportEvents(filter) => {
                let rows = self.rows_for(&filter).0;
                let mut text = String::new();
                for i in 0..rows.len() {
                    if let Some(p) = rows.get(i) {
                        text.push_str(&self.replay.events_ndjson(p as usize, p as usize));
                    }
                }
                Reply::Text(Some(text))
            }
        }
    }

    /// The event's changes, or those from `from` to `position`.
    fn changes(&self, position: isize, from: Option<isize>) -> Vec<Change> {
        match from {
            Some(from) => self.replay.diff_between(from, position),
            None if position >= 0 => self.replay.event_diff(position as usize),
            None => Vec::new(),
        }
    }

    /// The rows `filter` keeps (every row, with the error, when it is invalid); the last
    /// filter's are kept, since every frame asks again.
    fn rows_for(&mut self, filter: &EventFilter) -> (Rows, Option<String>) {
        if let Some((f, rows, error)) = &self.rows {
            if f == filter {
                return (rows.clone(), error.clone());
            }
        }
        let all = Rows::All(self.replay.len());
        let (rows, error) = if filter.is_empty() {
            (all, None)
        } else {
            match matching(&self.replay, filter) {
                Ok(hits) => (Rows::Some(Arc::new(hits)), None),
                Err(e) => (all, Some(e)),
            }
        };
        self.rows = Some((filter.clone(), rows.clone(), error.clone()));
        (rows, error)
    }

    fn list(&self, rows: &Rows, view: &View, position: isize) -> ListWindow {
        let log = &self.replay.log;
        let count = rows.len();
        let start = view.list_start.min(count);
        let end = start.saturating_add(view.list_len.min(200)).min(count);
        ListWindow {
            count,
            start,
            rows: (start..end)
                .filter_map(|i| rows.get(i))
                .map(|p| {
                    let meta = &log.events[p as usize];
                    ListRow {
                        position: p,
                        kind: meta.kind,
                        type_name: log.type_name(p as usize).to_string(),
                        stream: log.stream_name(p as usize).unwrap_or("").to_string(),
                        time: if meta.time_ms.is_finite() {
                            format_rfc3339(meta.time_ms)
                                .get(11..19)
                                .unwrap_or("")
                                .to_string()
                        } else {
                            String::new()
                        },
                    }
                })
                .collect(),
            position_row: rows.index_of(position),
        }
    }

    fn event_view(&self, position: isize) -> Option<EventView> {
        let p = usize::try_from(position).ok()?;
        let e = self.replay.log.event(p)?;
        let failure = self.replay.failure(p);
        Some(EventView {
            kind: e.kind,
            id: e.id,
            time: e.time.map(|t| {
                let text = t
                    .as_str()
                    .map_or_else(|| t.to_compact_string(), str::to_string);
                match &e.time_problem {
                    Some(problem) => format!("{text} (not a time: {problem})"),
                    None => text,
                }
            }),
            stream: e.stream,
            skipped: e.skipped,
            failure,
            data: e.data.to_pretty_string(),
            metadata: e.metadata.to_pretty_string(),
        })
    }

    fn history(&self, pointer: &str) -> History {
        let entries = Pointer::parse(pointer)
            .map(|ptr| self.replay.history(&ptr))
            .unwrap_or_default();
        let text = |v: &Option<Value>| v.as_ref().map_or_else(|| "—".to_string(), short);
        History {
            pointer: pointer.to_string(),
            total: entries.len(),
            rows: entries
                .iter()
                .take(HISTORY_SHOWN)
                .map(|h| HistoryRow {
                    position: h.position,
                    kind: h.kind.clone(),
                    op: h.op,
                    old: text(&h.old),
                    new: text(&h.new),
                })
                .collect(),
        }
    }

    /// Everything on screen for `view`.
    pub fn frame(&mut self, view: &View) -> Frame {
        let replay = &self.replay;
        let position = view.position.clamp(-1, replay.len() as isize - 1);
        let event_changes = if position >= 0 {
            replay.event_diff(position as usize)
        } else {
            Vec::new()
        };
        let changed = changed_nodes(&event_changes);
        let root = view
            .focus
            .as_deref()
            .map_or_else(Pointer::root, |s| Pointer::root().child(s));
        let mut expanded: HashSet<String> = view.expanded.iter().cloned().collect();
        expanded.insert(root.to_string());
        let shown: Shown = view.shown.iter().cloned().collect();
        let tree = subtree_rows(replay, position, &root, &expanded, &changed, &shown);
        let selected_exists = view
            .selected
            .as_deref()
            .and_then(|s| Pointer::parse(s).ok())
            .is_some_and(|ptr| replay.get(position, &ptr).is_some());
        let changes = match view.compare_from {
            Some(from) => self.changes(position, Some(from.clamp(-1, position.max(-1)))),
            None => event_changes,
        };
        let (rows, filter_error) = self.rows_for(&view.filter);
        let density = (self.density_sent.as_ref() != Some(&view.filter)).then(|| {
            self.density_sent = Some(view.filter.clone());
            density(&self.replay, DENSITY_BUCKETS, rows.hits())
        });
        let history = match &view.selected {
            Some(p) if self.history_sent.as_ref() != Some(p) => {
                self.history_sent = Some(p.clone());
                Some(self.history(p))
            }
            _ => None,
        };
        Frame {
            position,
            event_type: (position >= 0)
                .then(|| self.replay.log.type_name(position as usize).to_string()),
            tree,
            selected_exists,
            changes_total: changes.len(),
            changes: changes.iter().take(CHANGES_SHOWN).map(change_row).collect(),
            event: self.event_view(position),
            list: self.list(&rows, view, position),
            filter_error,
            density,
            history,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{open, LoadOptions};

    fn session() -> Session {
        let log = br#"{"type":"Placed","stream":"order-1","data":{"status":"placed","total":10}}
{"type":"Paid","stream":"order-1","data":{"status":"paid"}}
{"type":"Placed","stream":"order-2","data":{"status":"placed"}}"#;
        Session::new(open(&log[..], &LoadOptions::default()).expect("loads"))
    }

    fn frame(s: &mut Session, view: View) -> Frame {
        match s.handle(Request::Frame(view)) {
            Reply::Frame(f) => *f,
            other => panic!("not a frame: {other:?}"),
        }
    }

    #[test]
    fn the_summary_suggests_a_time_inside_the_log_and_the_fields_in_use() {
        assert_eq!(session().summary("a", false).time_hint, None);
        let log = br#"{"type":"A","stream":"s","data":{}}
{"type":"B","stream":"s","timestamp":1462356123000,"data":{}}
{"type":"C","stream":"s","timestamp":1462359999000,"data":{}}"#;
        let s = Session::new(open(&log[..], &LoadOptions::default()).expect("loads"));
        let summary = s.summary("a", false);
        let hint = summary.time_hint.expect("a time");
        assert_eq!(hint, "2016-05-04 10:02");
        // The hint is read back as the time of the first event that has one, to the minute.
        let ms = crate::fields::parse_rfc3339_millis(&hint).expect("parses");
        assert_eq!(s.replay.position_at_time(ms + 60_000.0), 1);
        assert_eq!(summary.fields.in_use.kind.as_deref(), Some("type"));
        assert_eq!(summary.fields.in_use.time.as_deref(), Some("timestamp"));
        assert_eq!(summary.fields.keys, ["data", "stream", "timestamp", "type"]);
    }

    #[test]
    fn a_frame_holds_the_tree_diff_event_and_list_rows_in_view() {
        let mut s = session();
        let f = frame(
            &mut s,
            View {
                position: 1,
                expanded: vec!["".into(), "/order-1".into()],
                list_start: 1,
                list_len: 5,
                ..View::default()
            },
        );
        assert_eq!(f.position, 1);
        assert_eq!(f.event_type.as_deref(), Some("Paid"));
        let status = f.tree.iter().find(|r| r.pointer == "/order-1/status");
        assert_eq!(
            status.map(|r| (r.summary.as_str(), r.changed)),
            Some(("\"paid\"", true))
        );
        assert_eq!(f.changes.len(), 1);
        assert_eq!(f.changes[0].path, "/order-1/status");
        assert_eq!(f.changes[0].old.as_deref(), Some("\"placed\""));
        assert_eq!(f.list.count, 3);
        assert_eq!(
            f.list.rows.iter().map(|r| r.position).collect::<Vec<_>>(),
            [1, 2]
        );
        assert_eq!(f.list.position_row, 1);
        assert_eq!(f.event.map(|e| e.stream), Some(Some("order-1".into())));
    }

    #[test]
    fn density_and_history_are_sent_again_only_when_they_change() {
        let mut s = session();
        let view = View {
            position: 2,
            selected: Some("/order-1/status".into()),
            ..View::default()
        };
        let first = frame(&mut s, view.clone());
        let history = first.history.expect("history sent first");
        assert_eq!(history.total, 2);
        assert_eq!(history.rows[1].new, "\"paid\"");
        assert!(first.density.is_some());
        let again = frame(
            &mut s,
            View {
                position: 0,
                ..view.clone()
            },
        );
        assert!(again.history.is_none() && again.density.is_none());
        let filtered = frame(
            &mut s,
            View {
                filter: EventFilter {
                    stream: Some("order-2".into()),
                    ..EventFilter::default()
                },
                ..view
            },
        );
        assert_eq!(filtered.list.count, 1);
        let density = filtered.density.expect("density follows the filter");
        assert!(density.iter().any(|b| b.hit));
    }

    #[test]
    fn a_bad_regex_lists_every_event_and_says_why() {
        let mut s = session();
        let f = frame(
            &mut s,
            View {
                filter: EventFilter {
                    text: "(".into(),
                    regex: true,
                    ..EventFilter::default()
                },
                list_len: 10,
                ..View::default()
            },
        );
        assert_eq!(f.list.count, 3);
        assert!(f
            .filter_error
            .is_some_and(|e| e.contains("regular expression")));
    }

    #[test]
    fn the_event_region_says_why_a_time_or_a_payload_is_not_what_it_seems() {
        let log = br#"{"type":"A","stream":"s","time":"2024-02-30T10:00:00Z","data":{"x":1}}
{"specversion":"1.0","type":"B","source":"/s","id":"1","subject":"s","data_base64":"%"}"#;
        let mut s = Session::new(open(&log[..], &LoadOptions::default()).expect("loads"));
        let event = |s: &mut Session, position| {
            frame(
                s,
                View {
                    position,
                    ..View::default()
                },
            )
            .event
            .expect("an event")
        };
        let first = event(&mut s, 0);
        assert_eq!(
            first.time.as_deref(),
            Some("2024-02-30T10:00:00Z (not a time: no such day)")
        );
        assert_eq!(first.failure, None);
        let second = event(&mut s, 1);
        let failure = second.failure.expect("failed");
        assert!(
            failure.starts_with("data_base64 is not base64"),
            "{failure}"
        );
    }

    #[test]
    fn requests_round_trip_through_json_and_answer() {
        let mut s = session();
        let request = Request::ExportDiff {
            position: 2,
            from: Some(-1),
        };
        let text = serde_json::to_string(&request).expect("serialises");
        let back: Request = serde_json::from_str(&text).expect("parses");
        let Reply::Text(Some(patch)) = s.handle(back) else {
            panic!("no patch")
        };
        let patch: serde_json::Value = serde_json::from_str(&patch).expect("JSON");
        assert_eq!(patch.as_array().map(Vec::len), Some(2));
        let reply = s.handle(Request::Search {
            position: 2,
            query: "paid".into(),
        });
        assert_eq!(reply, Reply::Pointers(vec!["/order-1/status".into()]));
        let frame = s.handle(Request::Frame(View::default()));
        let json = serde_json::to_string(&frame).expect("serialises");
        assert_eq!(serde_json::from_str::<Reply>(&json).expect("parses"), frame);
    }
}
