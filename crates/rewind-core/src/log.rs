//! An event log as loaded: compact per-event metadata plus the event bodies, which stay as
//! raw text (NDJSON) and are parsed again only when an event is looked at or replayed.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::fields::{self, FieldKeys};
pub use crate::names::{NO_STREAM, UNTYPED};
use crate::pointer::Pointer;
use crate::value::{Object, Str, Value};

/// The input format of a log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// A top-level JSON array of events.
    JsonArray,
    /// One JSON value per line.
    Ndjson,
    /// An object with the events under `events`, `records`, `items` or `data`.
    Wrapped,
    /// CloudEvents: a single event, an array, or a batch.
    CloudEvents,
    /// Redux DevTools export: action list with optional `preloadedState`.
    ReduxActions,
    /// Redux DevTools export: lifted state with `computedStates`.
    ReduxLifted,
}

impl Format {
    /// Every format, for `--format` and the UI.
    pub const ALL: [Format; 6] = [
        Format::JsonArray,
        Format::Ndjson,
        Format::Wrapped,
        Format::CloudEvents,
        Format::ReduxActions,
        Format::ReduxLifted,
    ];

    /// The name used on the command line and in `stats`.
    pub fn name(self) -> &'static str {
        match self {
            Format::JsonArray => "json-array",
            Format::Ndjson => "ndjson",
            Format::Wrapped => "wrapped",
            Format::CloudEvents => "cloud-events",
            Format::ReduxActions => "redux-actions",
            Format::ReduxLifted => "redux-lifted",
        }
    }

    /// Parses a format name (also accepts `json`, `jsonl`, `cloudevents`).
    pub fn from_name(name: &str) -> Option<Format> {
        let n = name.to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.name() == n)
            .or(match n.as_str() {
                "json" | "array" => Some(Format::JsonArray),
                "jsonl" | "json-lines" => Some(Format::Ndjson),
                "cloudevents" => Some(Format::CloudEvents),
                "redux" => Some(Format::ReduxActions),
                _ => None,
            })
    }
}

/// How events become state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// RFC 7396 merge of each event's data into its stream (the default).
    Merge,
    /// RFC 6902 patch applied to the root.
    Patch,
    /// Each event carries the state after it.
    Recorded,
}

impl Mode {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Merge => "merge",
            Mode::Patch => "patch",
            Mode::Recorded => "recorded",
        }
    }

    /// Parses a mode name.
    pub fn from_name(name: &str) -> Option<Mode> {
        match name.to_ascii_lowercase().as_str() {
            "merge" => Some(Mode::Merge),
            "patch" => Some(Mode::Patch),
            "recorded" => Some(Mode::Recorded),
            _ => None,
        }
    }
}

/// What the log keeps of every event, as read back from [`Events`](crate::events::Events)
/// (which packs it).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventMeta {
    /// Index into [`Log::types`].
    pub kind: u32,
    /// Index into [`Log::streams`], or [`NO_STREAM`].
    pub stream: u32,
    /// Milliseconds since the Unix epoch, or NaN when the event has no readable time.
    pub time_ms: f64,
    /// The event gives a time that is not one (`2024-02-30`, `1e300`): `time_ms` is NaN,
    /// and the event has no place in the log's time range nor in a jump to a time.
    pub time_invalid: bool,
    /// 1-based line in the file where the event starts (0 when unknown).
    pub line: u32,
    /// Redux DevTools marked the action skipped.
    pub skipped: bool,
    /// The payload could not be read as sent (CloudEvents data that is not base64, or
    /// binary): the event is listed with the failed ones, [`Log::payload_problem`] says why.
    pub payload_problem: bool,
}

/// A line of an NDJSON file that could not be read, with why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadLine {
    /// 1-based line number.
    pub line: usize,
    /// Short reason, with the column.
    pub reason: String,
    /// How many good events came before it (where the timeline shows the gap).
    pub before_position: usize,
}

/// Where the bodies of the events are kept.
#[derive(Clone, Debug)]
pub(crate) enum Bodies {
    /// Raw text and each event's `(start, len)` in it.
    Text {
        text: crate::text::Text,
        spans: crate::events::Spans,
    },
    /// Each event's `(start, len)` in a file read when asked for (the page's index-only
    /// mode for logs larger than a tab's memory).
    Paged {
        pages: crate::paged::Paged,
        spans: crate::events::Spans,
    },
    /// Parsed values (for JSON documents, which were parsed whole to be validated).
    Values(Vec<Value>),
}

impl Bodies {
    /// The text of the event at `position`, when bodies are kept as text and it can be
    /// read.
    pub(crate) fn text_of(&self, position: usize) -> Option<Cow<'_, [u8]>> {
        match self {
            Bodies::Text { text, spans } => spans.text_in(text, position).map(Cow::Borrowed),
            Bodies::Paged { pages, spans } => {
                let (start, len) = spans.get(position)?;
                pages.get(start, len as usize)
            }
            Bodies::Values(_) => None,
        }
    }

    /// Where each event's text is, when bodies are kept as text.
    pub(crate) fn spans(&self) -> Option<&crate::events::Spans> {
        match self {
            Bodies::Text { spans, .. } | Bodies::Paged { spans, .. } => Some(spans),
            Bodies::Values(_) => None,
        }
    }

    /// [`spans`](Self::spans), to change.
    pub(crate) fn spans_mut(&mut self) -> Option<&mut crate::events::Spans> {
        match self {
            Bodies::Text { spans, .. } | Bodies::Paged { spans, .. } => Some(spans),
            Bodies::Values(_) => None,
        }
    }
}

/// One event, fully read: what the Event region and `rewind` show.
#[derive(Clone, Debug, Serialize)]
pub struct Event {
    /// 0-based position.
    pub position: usize,
    /// Event id, if the event has one.
    pub id: Option<String>,
    /// Event type, `(untyped)` when missing.
    #[serde(rename = "type")]
    pub kind: String,
    /// Stream (aggregate), if any.
    pub stream: Option<String>,
    /// Time as given in the log.
    pub time: Option<Value>,
    /// Why [`time`](Self::time) is not a time, when it is not one.
    pub time_problem: Option<String>,
    /// The payload.
    pub data: Value,
    /// Everything else: `metadata`/`meta`/`headers` members and other top-level keys.
    pub metadata: Value,
    /// Redux DevTools marked this action skipped.
    pub skipped: bool,
}

/// A loaded event log.
#[derive(Clone, Debug)]
pub struct Log {
    /// Detected or chosen format.
    pub format: Format,
    /// Detected or chosen fold mode.
    pub mode: Mode,
    /// Per-event metadata, by position.
    pub events: crate::events::Events,
    /// Event type names, indexed by [`EventMeta::kind`].
    pub types: Vec<Str>,
    /// Stream names, indexed by [`EventMeta::stream`].
    pub streams: Vec<Str>,
    /// Lines that could not be read.
    pub bad_lines: Vec<BadLine>,
    /// The state before the first event (`{}`, or Redux `preloadedState`).
    pub initial_state: Value,
    /// The well-known producer whose shape the events have, when one was recognised (its
    /// keys were then used to read them).
    pub producer: Option<crate::load::producers::Producer>,
    pub(crate) bodies: Bodies,
    pub(crate) keys: FieldKeys,
    pub(crate) scanner: std::sync::Arc<crate::load::scan::Scanner>,
    /// Redux lifted state: the state after each event, given by the file.
    pub(crate) recorded_states: Option<Recorded>,
    /// What-if edits (§8), when this log is an edited copy of a loaded one.
    pub(crate) edited: Option<Arc<crate::whatif::Overlay>>,
}

/// The states a file gives (Redux DevTools lifted state), one per event, and the events
/// it marks as failed. Every body of such a file is an event, so an index into the
/// bodies is a position.
#[derive(Clone, Debug, Default)]
pub(crate) struct Recorded {
    /// The state after each event; a failed event's is the state before it.
    pub(crate) states: Vec<Value>,
    /// Events that did not apply (the reducer threw, or the file has no state for them),
    /// with why, by position.
    pub(crate) failures: BTreeMap<usize, String>,
}

impl Recorded {
    /// The state after the event at `position`.
    pub(crate) fn get(&self, position: usize) -> Option<&Value> {
        self.states.get(position)
    }
}

/// A Redux action's data: the action minus `type`.
pub(crate) fn redux_data(action: &Value) -> Value {
    match action.as_object() {
        Some(o) => Value::Object(
            o.iter()
                .filter(|(k, _)| k.as_ref() != "type")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        None => action.clone(),
    }
}

impl Log {
    /// The keys the events' type, stream, time and data were read from.
    pub fn keys(&self) -> &FieldKeys {
        &self.keys
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// True when the log has no event.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// True when the log keeps only its index, and reads its events' text back from the
    /// file when asked (see [`NdjsonStream::start_index_only`](crate::NdjsonStream::start_index_only)).
    pub fn reads_from_file(&self) -> bool {
        matches!(self.bodies, Bodies::Paged { .. })
    }

    /// Why the file an index-only log reads its events from could not be read, if it ever
    /// could not: what was folded since may be wrong.
    pub fn read_failure(&self) -> Option<&str> {
        match &self.bodies {
            Bodies::Paged { pages, .. } => pages.failure(),
            _ => None,
        }
    }

    /// The type name of the event at `position`.
    pub fn type_name(&self, position: usize) -> &str {
        self.events
            .kind(position)
            .and_then(|kind| self.types.get(kind as usize))
            .map_or(UNTYPED, |s| s.as_ref())
    }

    /// The stream name of the event at `position`.
    pub fn stream_name(&self, position: usize) -> Option<&str> {
        let stream = self.events.stream(position)?;
        self.streams.get(stream as usize).map(|s| s.as_ref())
    }

    /// The raw body of the event at `position`, parsed.
    pub fn body(&self, position: usize) -> Option<Value> {
        self.body_with(position, &mut crate::value::Interner::default())
    }

    /// [`body`](Self::body), sharing key strings through `interner`.
    pub fn body_with(
        &self,
        position: usize,
        interner: &mut crate::value::Interner,
    ) -> Option<Value> {
        if let Some(body) = self.replaced_body(position) {
            return Some(body.clone());
        }
        match &self.bodies {
            Bodies::Values(v) => v.get(position).cloned(),
            bodies => crate::value::parse_with(&bodies.text_of(position)?, interner).ok(),
        }
    }

    /// The raw text of the event at `position`, when the log keeps raw text.
    /// It is borrowed from the log's bytes, or read from its file (index-only).
    pub fn raw_text(&self, position: usize) -> Option<Cow<'_, str>> {
        if self.is_replaced_by_edit(position) {
            return None;
        }
        match self.bodies.text_of(position)? {
            Cow::Borrowed(bytes) => std::str::from_utf8(bytes).ok().map(Cow::Borrowed),
            Cow::Owned(bytes) => String::from_utf8(bytes).ok().map(Cow::Owned),
        }
    }

    /// What the fold needs of the event at `position` for `mode`: the data (merge), the
    /// patch (patch) or the state after it (recorded).
    pub fn fold_input(&self, position: usize) -> Option<Value> {
        self.fold_input_with(position, &mut crate::value::Interner::default())
    }

    /// [`fold_input`](Self::fold_input), sharing key strings through `interner`.
    pub(crate) fn fold_input_with(
        &self,
        position: usize,
        interner: &mut crate::value::Interner,
    ) -> Option<Value> {
        if self.edited.is_some() {
            if self.is_skipped_by_edit(position) {
                return Some(crate::whatif::overlay::skip_input(self.mode));
            }
            if let Some(body) = self.replaced_body(position) {
                let mut scanned = self.scan_body(body).ok()?;
                return Some(self.fold_input_of(&mut scanned));
            }
        }
        if let Some(states) = &self.recorded_states {
            return states.get(position).cloned();
        }
        let mut scanned = match &self.bodies {
            Bodies::Values(v) => self.scan_body(v.get(position)?).ok()?,
            bodies => self
                .scanner
                .scan_text(
                    &bodies.text_of(position)?,
                    interner,
                    None,
                    crate::load::scan::Payload::Read,
                )
                .ok()?,
        };
        Some(self.fold_input_of(&mut scanned))
    }

    /// Reads a parsed event body (Redux actions have their own shape); anything but an
    /// object is refused with the reason.
    pub(crate) fn scan_body(&self, body: &Value) -> Result<crate::load::scan::Scanned, String> {
        match self.format {
            Format::ReduxActions | Format::ReduxLifted => Ok(crate::load::scan::Scanned {
                kind: body
                    .as_object()
                    .and_then(|o| o.get("type"))
                    .and_then(fields::scalar_str),
                data: Some(redux_data(body)),
                ..Default::default()
            }),
            _ => self.scanner.scan_value(body),
        }
    }

    /// The fold input of a scanned event, for this log's mode.
    #[inline]
    pub(crate) fn fold_input_of(&self, scanned: &mut crate::load::scan::Scanned) -> Value {
        match self.mode {
            Mode::Merge => scanned.data.take(),
            Mode::Patch => scanned.patch.take().or_else(|| scanned.data.take()),
            Mode::Recorded => scanned.state.take().or_else(|| scanned.data.take()),
        }
        .unwrap_or(Value::Null)
    }

    /// Why the payload of the event at `position` could not be read as sent, if it could
    /// not (see [`EventMeta::payload_problem`]).
    pub fn payload_problem(&self, position: usize) -> Option<String> {
        if !self.events.get(position)?.payload_problem {
            return None;
        }
        let body = self.body(position)?;
        crate::load::cloud_events::cloud_event_payload(body.as_object()?).1
    }

    /// The event at `position`, fully read.
    pub fn event(&self, position: usize) -> Option<Event> {
        self.event_with(position, &mut crate::value::Interner::default())
    }

    /// [`event`](Self::event), sharing key strings through `interner` (a read model reads
    /// hundreds of thousands of events).
    pub fn event_with(
        &self,
        position: usize,
        interner: &mut crate::value::Interner,
    ) -> Option<Event> {
        let meta = self.events.get(position)?;
        let body = self.body_with(position, interner)?;
        let obj = body.as_object().cloned().unwrap_or_default();
        let keys = &self.keys;
        let used = |ks: &[String]| fields::first(&obj, ks).map(|(k, _)| k.to_string());
        let mut consumed: Vec<String> = [used(&keys.kind), used(&keys.time), used(&keys.id)]
            .into_iter()
            .flatten()
            .collect();
        if self.format == Format::CloudEvents {
            consumed.extend(["specversion", "data", "data_base64"].map(String::from));
        } else if let Some(k) = used(&keys.stream) {
            consumed.push(k);
        }
        let data = match self.format {
            Format::ReduxActions | Format::ReduxLifted => {
                consumed = obj.iter().map(|(k, _)| k.to_string()).collect();
                redux_data(&body)
            }
            Format::CloudEvents => crate::load::cloud_events::cloud_event_payload(&obj).0,
            _ => {
                if let Some(k) = used(&keys.data) {
                    consumed.push(k);
                }
                self.scanner
                    .scan_value(&body)
                    .ok()
                    .and_then(|s| s.data)
                    .unwrap_or(Value::Null)
            }
        };
        let mut metadata = Object::new();
        for (k, v) in obj.iter() {
            let k_str: &str = k;
            if keys.metadata.iter().any(|m| m == k_str) {
                if let Value::Object(inner) = v {
                    for (ik, iv) in inner.iter() {
                        metadata.insert(ik.clone(), iv.clone());
                    }
                    continue;
                }
            }
            if !consumed
                .iter()
                .any(|c| c == k_str || c.split('.').next() == Some(k_str))
            {
                metadata.insert(k.clone(), v.clone());
            }
        }
        // The time used is the first key's that reads as one (as when loading); else the
        // first key's value, shown with why it is not a time.
        let readable = keys
            .time
            .iter()
            .find_map(|k| fields::lookup(&obj, k).filter(|v| fields::time_millis(v).is_some()));
        let given = readable.or_else(|| fields::first(&obj, &keys.time).map(|(_, v)| v));
        let time_problem = given.and_then(fields::time_problem);
        let time = given.cloned().or_else(|| {
            meta.time_ms
                .is_finite()
                .then(|| Value::String(fields::format_rfc3339(meta.time_ms).into()))
        });
        Some(Event {
            position,
            id: fields::first(&obj, &keys.id).and_then(|(_, v)| fields::scalar_text(v)),
            kind: self.type_name(position).to_string(),
            stream: self.stream_name(position).map(str::to_string),
            time,
            time_problem,
            data,
            metadata: Value::Object(metadata),
            skipped: meta.skipped,
        })
    }
}

impl Log {
    /// Top-level keys the event at `position` can change, or `None` when it may change the
    /// whole root (so a diff must look everywhere; never with the column timeline, which
    /// only holds folds where every event names its keys).
    pub(crate) fn touched_keys(&self, position: usize) -> Option<Vec<Str>> {
        match self.mode {
            Mode::Merge => {
                if let Some(stream) = self.stream_name(position) {
                    return Some(vec![Str::from(stream)]);
                }
                match self.fold_input(position)? {
                    Value::Null => Some(Vec::new()),
                    Value::Object(o) => Some(o.iter().map(|(k, _)| k.clone()).collect()),
                    _ => None,
                }
            }
            Mode::Patch => {
                let Value::Array(ops) = self.fold_input(position)? else {
                    return None;
                };
                let mut keys = Vec::new();
                for op in ops.iter() {
                    let o = op.as_object()?;
                    for member in ["path", "from"] {
                        if let Some(text) = o.get(member).and_then(Value::as_str) {
                            let p = Pointer::parse(text).ok()?;
                            keys.push(Str::from(p.tokens().first()?.as_str()));
                        }
                    }
                }
                Some(keys)
            }
            Mode::Recorded => None,
        }
    }
}
