//! A loaded log as the page sees it: serialisable requests ("the view at position 41 with
//! these nodes expanded and this filter") and replies holding only what is on screen,
//! already rendered as text. The browser keeps the [`Session`] in a Web Worker and sends
//! it one [`View`] per frame; natively it is an ordinary struct, tested like the rest.

use std::collections::HashSet;
use std::sync::Arc;

use crate::filter::{matching, EventFilter};
use rewind_core::diff::Change;
use rewind_core::fields::format_rfc3339;
use rewind_core::json_patch;
use rewind_core::pointer::Pointer;
use rewind_core::Replay;
use rewind_core::Value;

use crate::density::density;
use crate::edits::EditsInfo;
use crate::messages::*;
use crate::search::search;
use crate::tree::{changed_nodes, subtree_rows, Shown};

/// Longest rendering of one value in a one-line list (diff, history).
const VALUE_CHARS: usize = 300;
/// Longest JSON text sent for the state's JSON view; exports are not cut.
const JSON_VIEW_BYTES: usize = 2_000_000;

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

/// Which positions the event list shows.
#[derive(Clone)]
enum Rows {
    /// Every event: positions `0..n`.
    All(usize),
    /// The positions the filter kept, ascending.
    Matching(Arc<Vec<u32>>),
}

impl Rows {
    fn len(&self) -> usize {
        match self {
            Rows::All(n) => *n,
            Rows::Matching(v) => v.len(),
        }
    }
    fn get(&self, i: usize) -> Option<u32> {
        match self {
            Rows::All(n) => (i < *n).then_some(i as u32),
            Rows::Matching(v) => v.get(i).copied(),
        }
    }
    fn index_of(&self, position: isize) -> usize {
        let p = position.max(0) as u32;
        match self {
            Rows::All(n) => (p as usize).min(*n),
            Rows::Matching(v) => v.partition_point(|&r| r < p),
        }
    }
    fn hits(&self) -> &[u32] {
        match self {
            Rows::All(_) => &[],
            Rows::Matching(v) => v,
        }
    }
}

/// A loaded log and what was last sent about it.
pub struct Session {
    /// The log as loaded.
    replay: Replay,
    /// The log with the view's what-if edits, when there are any (see `whatif.rs`).
    edited: Option<Replay>,
    /// The edits applied, and what the page was told of them.
    edits: EditsInfo,
    /// The page was told of [`edits`](Self::edits).
    edits_sent: bool,
    /// The flow index, built on first use.
    flows: crate::flows::Flows,
    /// The keys of correlation and causation the page asks for.
    flow_keys: rewind_core::FlowKeys,
    /// Frames answered so far.
    frames: u64,
    /// The last filter applied and what it kept.
    rows: Option<(EventFilter, Rows, Option<String>)>,
    /// The filter whose density strip was last sent.
    density_sent: Option<EventFilter>,
    /// The field whose history was last sent.
    history_sent: Option<String>,
}

/// `value` as compact JSON, cut to [`VALUE_CHARS`] characters.
pub(crate) fn short(value: &Value) -> String {
    let text = value.to_compact_string();
    match text.char_indices().nth(VALUE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// A change as the Diff region lists it.
pub(crate) fn change_row(c: &Change) -> ChangeRow {
    ChangeRow {
        op: c.op,
        path: c.path.to_string(),
        old: c.old.as_ref().map(short),
        new: c.new.as_ref().map(short),
    }
}

/// Every event that changed the field at `pointer` in `replay`, as the History region
/// lists it (the first [`HISTORY_SHOWN`]; none when the pointer is not one).
pub(crate) fn history(replay: &Replay, pointer: &str) -> History {
    let entries = Pointer::parse(pointer)
        .map(|ptr| replay.history(&ptr))
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
            edited: None,
            edits: EditsInfo::default(),
            edits_sent: true,
            flows: crate::flows::Flows::default(),
            flow_keys: rewind_core::FlowKeys::default(),
            frames: 0,
            rows: None,
            density_sent: None,
            history_sent: None,
        }
    }

    /// The loaded log.
    pub fn replay(&self) -> &Replay {
        &self.replay
    }

    /// The log shown: as loaded, or with the what-if edits.
    fn current(&self) -> &Replay {
        self.edited.as_ref().unwrap_or(&self.replay)
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
            index_only: log.reads_from_file(),
            fields: crate::field_choice::choices(log),
            time_hint: time_hint(&self.replay),
        }
    }

    /// Answers one request.
    pub fn handle(&mut self, request: Request) -> Reply {
        let replay = self.current();
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
            Request::EditText(position) => Reply::Text(self.edit_text(position)),
            Request::CheckReplace { at, text } => {
                Reply::Checked(crate::edits::replacement(at, &text).err())
            }
            Request::ExportEdited => Reply::Text(Some(self.current().edited_ndjson())),
            Request::ExportEdits => Reply::Text(Some(self.edits_file())),
            Request::FlowTree { position, keys } => {
                let Ok(p) = usize::try_from(position) else {
                    return Reply::FlowTree(Vec::new());
                };
                let log = &self.replay.log;
                Reply::FlowTree(
                    self.flows
                        .index(log, &keys)
                        .map(|i| crate::flows::tree(i, log, p))
                        .unwrap_or_default(),
                )
            }
            Request::ExportEvents(filter) => {
                let rows = self.rows_for(&filter).0;
                let mut text = String::new();
                for i in 0..rows.len() {
                    if let Some(p) = rows.get(i) {
                        text.push_str(&self.current().events_ndjson(p as usize, p as usize));
                    }
                }
                Reply::Text(Some(text))
            }
        }
    }

    /// The event's changes, or those from `from` to `position`.
    fn changes(&self, position: isize, from: Option<isize>) -> Vec<Change> {
        match from {
            Some(from) => self.current().diff_between(from, position),
            None if position >= 0 => self.current().event_diff(position as usize),
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
            let flows = self.flows.built();
            let current = self.edited.as_ref().unwrap_or(&self.replay);
            match matching(current, filter, flows) {
                Ok(hits) => (Rows::Matching(Arc::new(hits)), None),
                Err(e) => (all, Some(e)),
            }
        };
        self.rows = Some((filter.clone(), rows.clone(), error.clone()));
        (rows, error)
    }

    fn list(&self, rows: &Rows, view: &View, position: isize) -> ListWindow {
        let log = &self.current().log;
        let count = rows.len();
        let start = view.list_start.min(count);
        let end = start.saturating_add(view.list_len.min(200)).min(count);
        ListWindow {
            count,
            start,
            rows: (start..end)
                .filter_map(|i| rows.get(i))
                .filter_map(|p| Some((p, log.events.get(p as usize)?)))
                .map(|(p, meta)| ListRow {
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
                    edit: if log.is_skipped_by_edit(p as usize) {
                        Some(RowEdit::Skipped)
                    } else if log.is_replaced_by_edit(p as usize) {
                        Some(RowEdit::Replaced)
                    } else {
                        None
                    },
                })
                .collect(),
            position_row: rows.index_of(position),
        }
    }

    fn event_view(&self, position: isize) -> Option<EventView> {
        let p = usize::try_from(position).ok()?;
        let current = self.current();
        let e = current.log.event(p)?;
        let failure = current.failure(p);
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
            flow: self
                .flows
                .built()
                .and_then(|i| crate::flows::flow_view(i, &self.replay.log, p)),
            skipped_by_edit: current.log.is_skipped_by_edit(p),
            replaced: current.log.is_replaced_by_edit(p),
            failure,
            data: e.data.to_pretty_string(),
            metadata: e.metadata.to_pretty_string(),
        })
    }

    fn history(&self, pointer: &str) -> History {
        history(self.current(), pointer)
    }

    /// Everything on screen for `view`.
    pub fn frame(&mut self, view: &View) -> Frame {
        let keys_changed = self.flow_keys != view.flow_keys;
        if keys_changed {
            // The flow filter and skip-caused edits read the index: both are made anew.
            self.flow_keys = view.flow_keys.clone();
            self.rows = None;
        }
        // The index is built on first use, but not for a log's first frame: that one goes
        // out at once, and says so, so that the page asks again.
        self.frames += 1;
        let decided = self.flows.decided(&self.flow_keys);
        // A log read from its file is read again whole to index them: not unless asked.
        let flows_deferred = !decided && !view.index_flows && self.replay.log.reads_from_file();
        let flows_pending = view.position >= 0 && !decided && !flows_deferred && self.frames == 1;
        if view.position >= 0 && !flows_pending && !flows_deferred {
            self.flows.index(&self.replay.log, &self.flow_keys);
        }
        self.set_edits(&view.edits, keys_changed);
        let replay = self.current();
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
        let whatif = view.compare_original.then(|| self.comparison(position));
        let (rows, filter_error) = self.rows_for(&view.filter);
        let density = (self.density_sent.as_ref() != Some(&view.filter)).then(|| {
            self.density_sent = Some(view.filter.clone());
            density(self.current(), DENSITY_BUCKETS, rows.hits())
        });
        let edits = (!self.edits_sent).then(|| {
            self.edits_sent = true;
            self.edits.clone()
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
                .then(|| self.current().log.type_name(position as usize).to_string()),
            tree,
            selected_exists,
            changes_total: changes.len(),
            changes: changes.iter().take(CHANGES_SHOWN).map(change_row).collect(),
            event: self.event_view(position),
            list: self.list(&rows, view, position),
            filter_error,
            density,
            history,
            edits,
            whatif,
            flows_pending,
            flows_deferred,
            file_error: self.replay.log.read_failure().map(|why| {
                format!(
                    "Could not read the log's file again: {why}. Only the log's index is in \
                     memory and its events are read from the file, so what is shown may be \
                     wrong: open the file again."
                )
            }),
        }
    }
}

#[cfg(test)]
mod tests;
mod whatif;
