//! [`Replay`]: a loaded log and its timeline, and every question the UI and the CLI ask of
//! them: the state at a position, what an event changed, and which events touched a field.

use serde::Serialize;

use std::sync::Arc;

use crate::diff::{diff, diff_at, Change};
use crate::error::{json_error_parts, LoadError};
use crate::fields::{FieldKeys, FieldOverrides};
use crate::load::formats;
use crate::load::scan::{Namer, Payload, Scanned, Scanner, NOT_AN_EVENT};
use crate::log::{BadLine, Bodies, EventMeta, Format, Log, Mode, NO_STREAM};
use crate::pointer::Pointer;
use crate::timeline::{
    ColumnTimeline, Cursor, Timeline, TimelineBuilder, TimelineKind, DEFAULT_CHECKPOINT,
    DEFAULT_INTERVAL,
};
use crate::value::{Interner, Str, Value};

/// How to read a log; everything left `None` is detected.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Force a format instead of detecting it.
    pub format: Option<Format>,
    /// Force a fold mode instead of detecting it.
    pub mode: Option<Mode>,
    /// Override field detection.
    pub fields: FieldOverrides,
    /// Events between whole-state snapshots ([`DEFAULT_INTERVAL`] when `None`).
    pub snapshot_interval: Option<usize>,
    /// Events of one key between its checkpoints ([`DEFAULT_CHECKPOINT`] when `None`).
    pub checkpoint_interval: Option<usize>,
    /// Which timeline to build.
    pub timeline: TimelineKind,
    /// Fold each stream the first time it is read instead of while loading (merge fold
    /// with the column timeline only). Loading then only indexes the events, skipping
    /// their payloads, which is several times faster; the first question about the whole
    /// state folds every stream. The browser's worker loads this way.
    pub lazy: bool,
}

/// A loaded, folded event log.
#[derive(Clone, Debug)]
pub struct Replay {
    /// The events.
    pub log: Log,
    /// The fold.
    pub timeline: Timeline,
}

/// One event that changed a path, for `history`.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryEntry {
    /// 0-based position of the event.
    pub position: usize,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: String,
    /// `add`, `remove` or `replace` of the value at the path.
    pub op: crate::diff::Op,
    /// The value at the path before the event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// The value at the path after the event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
}

/// What `rewind stats` prints.
#[derive(Clone, Debug, Serialize)]
pub struct Stats {
    /// Detected or chosen format.
    pub format: Format,
    /// Detected or chosen fold mode.
    pub mode: Mode,
    /// The well-known producer recognised from the events' shape, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub producer: Option<crate::load::producers::Producer>,
    /// Number of events.
    pub events: usize,
    /// Number of distinct streams.
    pub streams: usize,
    /// Event count per type, most frequent first.
    pub types: Vec<TypeCount>,
    /// Earliest and latest event time (RFC 3339), when events have times.
    pub time_range: Option<[String; 2]>,
    /// Events whose time is not a time (an impossible date, a number outside the years
    /// 0000 to 9999): left out of `time_range`; each one's [`Event::time_problem`] says
    /// why, and the Event region shows it beside the time.
    ///
    /// [`Event::time_problem`]: crate::log::Event::time_problem
    pub invalid_times: usize,
    /// Lines that could not be read.
    pub bad_lines: Vec<crate::log::BadLine>,
    /// Events that failed to apply or were not read as sent, with the reason: a patch
    /// that did not apply, a payload that could not be read as sent, or a Redux action
    /// whose reducer threw or whose state the export lacks.
    pub failed_events: Vec<FailedEvent>,
    /// Events marked skipped (Redux DevTools).
    pub skipped_events: usize,
    /// Events between snapshots.
    pub snapshot_interval: usize,
}

/// How many events have one type.
#[derive(Clone, Debug, Serialize)]
pub struct TypeCount {
    /// The type.
    #[serde(rename = "type")]
    pub kind: String,
    /// How many events have it.
    pub count: usize,
}

/// An event whose fold failed.
#[derive(Clone, Debug, Serialize)]
pub struct FailedEvent {
    /// Its position.
    pub position: usize,
    /// Why.
    pub reason: String,
}

/// Loads and folds a log from its bytes.
pub fn open(bytes: impl Into<Vec<u8>>, options: &LoadOptions) -> Result<Replay, LoadError> {
    open_with_progress(bytes, options, &mut |_, _| {})
}

/// Events folded between two calls of a progress callback.
pub const PROGRESS_EVERY: usize = 16_384;

/// [`open`], calling `progress(events folded, events in all)` every [`PROGRESS_EVERY`]
/// events while folding, so a long load can be shown.
pub fn open_with_progress(
    bytes: impl Into<Vec<u8>>,
    options: &LoadOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Replay, LoadError> {
    let ex = formats::extract(bytes.into(), options.format)?;
    let producer = match &ex.bodies {
        Bodies::Text { text, spans } => crate::load::producers::detect_in_texts(
            spans
                .iter()
                .map(|&(start, len)| &text[start..start + len as usize]),
        ),
        Bodies::Values(values) => {
            crate::load::producers::Producer::detect(values.iter().filter_map(Value::as_object))
        }
    };
    let keys = producer
        .map_or_else(FieldKeys::default, |p| p.keys())
        .overridden(&options.fields);
    let scanner = Arc::new(Scanner::new(&keys));
    let candidates = match &ex.bodies {
        Bodies::Text { spans, .. } => spans.len(),
        Bodies::Values(v) => v.len(),
    };
    // NDJSON lines are parsed here, once; the good ones become the log's events.
    let (text, candidate_spans, bodies) = match ex.bodies {
        Bodies::Text { text, spans } => (
            Some(text.clone()),
            spans,
            Bodies::Text {
                text,
                spans: Vec::new(),
            },
        ),
        values @ Bodies::Values(_) => (None, Vec::new(), values),
    };
    let mut log = Log {
        format: ex.format,
        mode: Mode::Merge,
        events: Vec::with_capacity(candidates),
        types: Vec::new(),
        streams: Vec::new(),
        bad_lines: ex.bad_lines,
        initial_state: ex.initial_state,
        producer,
        bodies,
        keys,
        scanner,
        recorded_states: ex.recorded_states,
    };
    let mut interner = Interner::default();
    let mut namer = Namer::default();
    let scan = |log: &Log,
                interner: &mut Interner,
                namer: &mut Namer,
                i: usize,
                payload: Payload|
     -> Result<Scanned, String> {
        match (&text, &log.bodies) {
            (Some(text), _) => scan_line(
                &log.scanner,
                text,
                candidate_spans[i],
                interner,
                namer,
                payload,
            ),
            (None, Bodies::Values(v)) => {
                let mut scanned = log.scan_body(&v[i])?;
                namer.name(&mut scanned);
                Ok(scanned)
            }
            (None, Bodies::Text { .. }) => Err("no body".into()),
        }
    };

    // Decide the fold mode from the first events that can be read.
    let mut first: Vec<(usize, Result<Scanned, String>)> = Vec::new();
    let mut good = 0;
    let mut next = 0;
    while next < candidates && good < MODE_SAMPLE {
        let r = scan(&log, &mut interner, &mut namer, next, Payload::Read);
        good += usize::from(r.is_ok());
        first.push((next, r));
        next += 1;
    }
    log.mode = options.mode.or(ex.forced_mode).unwrap_or_else(|| {
        let scanned = first.iter().filter_map(|(_, r)| r.as_ref().ok());
        detect_mode(scanned, log.format)
    });

    let mut ingest = Ingest::new(&log, options);
    for (i, r) in first {
        ingest.add(
            &mut log,
            i,
            r,
            &candidate_spans,
            &ex.lines,
            &ex.skipped,
            ex.times_ms.as_deref(),
        );
    }
    let times_ms = ex.times_ms.as_deref();
    let payload = ingest.payload();
    match &text {
        // Natively, parse lines on a second thread while this one folds.
        #[cfg(not(target_arch = "wasm32"))]
        Some(text) if candidates - next >= PIPELINE_MIN_EVENTS => {
            let scanner = log.scanner.clone();
            let spans = &candidate_spans;
            let shared_namer = std::sync::Mutex::new(std::mem::take(&mut namer));
            let namer_ref = &shared_namer;
            std::thread::scope(|scope| {
                let (tx, rx) =
                    std::sync::mpsc::sync_channel::<Vec<(usize, Result<Scanned, String>)>>(8);
                let parse_rest = move |tx: std::sync::mpsc::SyncSender<_>| {
                    let Ok(mut namer) = namer_ref.lock() else {
                        return;
                    };
                    let mut interner = Interner::default();
                    let mut batch = Vec::with_capacity(PIPELINE_BATCH);
                    for (i, &span) in spans.iter().enumerate().skip(next) {
                        let r = scan_line(&scanner, text, span, &mut interner, &mut namer, payload);
                        batch.push((i, r));
                        if batch.len() == PIPELINE_BATCH
                            && tx
                                .send(std::mem::replace(
                                    &mut batch,
                                    Vec::with_capacity(PIPELINE_BATCH),
                                ))
                                .is_err()
                        {
                            return;
                        }
                    }
                    let _ = tx.send(batch);
                };
                let spawned = std::thread::Builder::new()
                    .name("rewind-parse".into())
                    .spawn_scoped(scope, move || parse_rest(tx));
                if spawned.is_err() {
                    // No second thread to be had: parse here instead.
                    let Ok(mut namer) = namer_ref.lock() else {
                        return;
                    };
                    let mut interner = Interner::default();
                    for (i, &span) in spans.iter().enumerate().skip(next) {
                        if i % PROGRESS_EVERY == 0 {
                            progress(i, candidates);
                        }
                        let r =
                            scan_line(&log.scanner, text, span, &mut interner, &mut namer, payload);
                        ingest.add(&mut log, i, r, spans, &ex.lines, &ex.skipped, times_ms);
                    }
                    return;
                }
                for batch in rx {
                    if let Some((i, _)) = batch.first() {
                        if i % PROGRESS_EVERY < PIPELINE_BATCH {
                            progress(*i, candidates);
                        }
                    }
                    for (i, r) in batch {
                        ingest.add(&mut log, i, r, spans, &ex.lines, &ex.skipped, times_ms);
                    }
                }
            });
            namer = shared_namer.into_inner().unwrap_or_default();
        }
        _ => {
            for i in next..candidates {
                if i % PROGRESS_EVERY == 0 {
                    progress(i, candidates);
                }
                let r = scan(&log, &mut interner, &mut namer, i, payload);
                ingest.add(
                    &mut log,
                    i,
                    r,
                    &candidate_spans,
                    &ex.lines,
                    &ex.skipped,
                    times_ms,
                );
            }
        }
    }
    finish(log, ingest, namer)
}

/// The loaded log, once every event is folded: its names and its timeline.
pub(crate) fn finish(mut log: Log, ingest: Ingest, namer: Namer) -> Result<Replay, LoadError> {
    if log.events.is_empty() {
        let not_events = |b: &BadLine| b.reason.ends_with(NOT_AN_EVENT);
        return Err(match log.bad_lines.first() {
            Some(b) if log.bad_lines.iter().all(not_events) => LoadError::NotAnEventLog(format!(
                "it holds no event objects ({} JSON values that are not objects; the first, line {}: {})",
                log.bad_lines.len(),
                b.line,
                b.reason
            )),
            Some(b) => LoadError::NoGoodLines {
                bad: log.bad_lines.len(),
                first_line: b.line,
                first_reason: b.reason.clone(),
            },
            None => LoadError::NotAnEventLog("it holds no events".into()),
        });
    }
    log.types = namer.types.list;
    log.streams = namer.streams.list;
    let timeline = match ingest.builder {
        Builder::Columns(c) => Timeline::Columns(Box::new(c.finish())),
        Builder::Snapshots(mut s) => {
            // Only the recorded fold leaves a failed event's state as it was (its state is
            // the one before it); another fold chosen for the file applies it.
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
    };
    Ok(Replay { log, timeline })
}

/// Events read before the fold mode is decided.
pub(crate) const MODE_SAMPLE: usize = 20;

/// Logs at least this long are parsed on a second thread while folding (natively).
#[cfg(not(target_arch = "wasm32"))]
const PIPELINE_MIN_EVENTS: usize = 20_000;
/// Events handed from the parsing thread to the folding thread at once.
#[cfg(not(target_arch = "wasm32"))]
const PIPELINE_BATCH: usize = 2048;

/// Reads one NDJSON line (or array element) and names its type and stream; a bad line's
/// reason is short and says the column.
///
/// Never inlined, nor is [`Ingest::add`]: in the browser, a function runs in the baseline
/// compiler's code until its optimised code is ready, which happens only on its next call
/// (wasm has no on-stack replacement). Inlined into the loop over a 16 MB part, the work of
/// a line would stay unoptimised for the whole part; called per line, it is optimised
/// within milliseconds.
#[inline(never)]
pub(crate) fn scan_line(
    scanner: &Scanner,
    text: &[u8],
    (start, len): (usize, u32),
    interner: &mut Interner,
    namer: &mut Namer,
    payload: Payload,
) -> Result<Scanned, String> {
    let line = &text[start..start + len as usize];
    scanner
        .scan_text(line, interner, Some(namer), payload)
        .map_err(|e| {
            let (_, column, reason) = json_error_parts(&e);
            if reason.ends_with(NOT_AN_EVENT) {
                reason
            } else if let Some(nuls) = nul_run(line) {
                format!("{nuls} NUL bytes (padding left where a crash cut the log)")
            } else if !starts_like_json(line) {
                format!(
                    "not JSON: it starts with ‘{}’, so it was cut short (the file may start mid-line, or the line was written only in part)",
                    preview(line)
                )
            } else if std::str::from_utf8(line).is_err() {
                "not valid UTF-8 text".to_string()
            } else {
                format!("{reason} (column {column})")
            }
        })
}

/// The number of NUL bytes in `line`, when it holds any.
fn nul_run(line: &[u8]) -> Option<usize> {
    let n = line.iter().filter(|&&b| b == 0).count();
    (n > 0).then_some(n)
}

/// True when `line` starts as a JSON value can.
fn starts_like_json(line: &[u8]) -> bool {
    matches!(line.first(), Some(b'{' | b'[' | b'"' | b'-' | b'0'..=b'9'))
        || [&b"true"[..], b"false", b"null"]
            .iter()
            .any(|word| line.starts_with(word))
}

/// The first characters of a line, for a message.
fn preview(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(&line[..line.len().min(24)]);
    let mut shown: String = text.chars().take(16).collect();
    if line.len() > shown.len() {
        shown.push('…');
    }
    shown
}

pub(crate) enum Builder {
    Columns(ColumnTimeline),
    Snapshots(TimelineBuilder),
}

/// Folding state while loading: the timeline being built.
pub(crate) struct Ingest {
    builder: Builder,
    interval: usize,
}

impl Ingest {
    pub(crate) fn new(log: &Log, options: &LoadOptions) -> Self {
        let interval = options.snapshot_interval.unwrap_or(DEFAULT_INTERVAL);
        let columns = (log.mode == Mode::Merge && options.timeline == TimelineKind::Auto)
            .then(|| {
                ColumnTimeline::new(
                    &log.initial_state,
                    options.checkpoint_interval.unwrap_or(DEFAULT_CHECKPOINT),
                    options.lazy,
                )
                .ok()
            })
            .flatten();
        let builder = match columns {
            Some(c) => Builder::Columns(c),
            None => Builder::Snapshots(TimelineBuilder::new(
                log.mode,
                log.initial_state.clone(),
                interval,
            )),
        };
        Ingest { builder, interval }
    }

    /// The lazy column timeline being built, if that is what this fold builds (a tail
    /// indexed elsewhere can then be appended to it).
    pub(crate) fn lazy_columns(&mut self) -> Option<&mut ColumnTimeline> {
        match &mut self.builder {
            Builder::Columns(c) if c.is_lazy() => Some(c),
            _ => None,
        }
    }

    /// The lazy column timeline built, if that is what this fold built.
    pub(crate) fn into_lazy_columns(self) -> Option<ColumnTimeline> {
        match self.builder {
            Builder::Columns(c) if c.is_lazy() => Some(c),
            _ => None,
        }
    }

    /// How much of each payload scanning must read for this fold: a lazy column timeline
    /// needs only to know whether a stream event has one.
    pub(crate) fn payload(&self) -> Payload {
        match &self.builder {
            Builder::Columns(c) if c.is_lazy() => Payload::Skim,
            _ => Payload::Read,
        }
    }

    #[allow(clippy::too_many_arguments)]
    #[inline(never)] // See `scan_line`.
    pub(crate) fn add(
        &mut self,
        log: &mut Log,
        candidate: usize,
        scanned: Result<Scanned, String>,
        spans: &[(usize, u32)],
        lines: &[u32],
        skipped: &[bool],
        times_ms: Option<&[f64]>,
    ) {
        let line = lines.get(candidate).copied().unwrap_or(0);
        let scanned = match scanned {
            Ok(s) => s,
            Err(reason) => {
                log.bad_lines.push(BadLine {
                    line: line as usize,
                    reason,
                    before_position: log.events.len(),
                });
                return;
            }
        };
        if let (Bodies::Text { spans: kept, .. }, Some(span)) =
            (&mut log.bodies, spans.get(candidate))
        {
            kept.push(*span);
        }
        let kind = scanned.kind_id;
        let stream = scanned.stream_id;
        let unread = scanned.unread;
        let time_invalid = scanned.time_invalid;
        let payload_problem = scanned.payload_problem;
        let mut scanned = scanned;
        let stream_name = scanned.stream.take();
        let time_ms = times_ms
            .and_then(|t| t.get(candidate).copied())
            .or(scanned.time_ms)
            .unwrap_or(f64::NAN);
        let position = log.events.len();
        let input = match &log.recorded_states {
            Some(states) => states.get(candidate).cloned().unwrap_or(Value::Null),
            None => log.fold_input_of(scanned),
        };
        log.events.push(EventMeta {
            kind,
            stream,
            time_ms,
            time_invalid: time_ms.is_nan() && time_invalid,
            line,
            skipped: skipped.get(candidate).copied().unwrap_or(false),
            payload_problem,
        });
        let stream_key =
            (stream != NO_STREAM).then(|| (stream, stream_name.as_deref().unwrap_or_default()));
        // A lazy column only notes a stream event whose payload was skimmed...
        if let (Builder::Columns(c), Some(key), true) = (&mut self.builder, stream_key, unread) {
            c.touch(key);
            return;
        }
        // ...any other fold reads it now.
        let input = if unread {
            log.fold_input(position).unwrap_or(Value::Null)
        } else {
            input
        };
        if let Builder::Columns(c) = &mut self.builder {
            if c.push(stream_key, &input).is_ok() {
                return;
            }
            // This event replaces the whole state: fold everything so far with snapshots.
            let mut s = TimelineBuilder::new(log.mode, log.initial_state.clone(), self.interval);
            for p in 0..position {
                let input = log.fold_input(p).unwrap_or(Value::Null);
                s.push(log.stream_name(p), &input);
            }
            self.builder = Builder::Snapshots(s);
        }
        if let Builder::Snapshots(s) = &mut self.builder {
            s.push(stream_name.as_deref(), &input);
        }
    }
}

/// Picks the fold mode from the first events: a `state` member means recorded, a JSON
/// Patch (array of `{op, path}`, or a `patch` member) means patch, anything else merge.
pub(crate) fn detect_mode<'a>(scanned: impl Iterator<Item = &'a Scanned>, format: Format) -> Mode {
    let is_patch = |v: &Value| match v {
        Value::Array(ops) => {
            !ops.is_empty()
                && ops.iter().all(|op| {
                    op.as_object().is_some_and(|o| {
                        o.get("op").and_then(Value::as_str).is_some() && o.get("path").is_some()
                    })
                })
        }
        _ => false,
    };
    for s in scanned {
        // A `patch` member that is an array (even an empty one) says patch mode.
        if matches!(s.patch, Some(Value::Array(_))) || s.data.as_ref().is_some_and(is_patch) {
            return Mode::Patch;
        }
        if s.state.is_some() && format != Format::ReduxActions {
            return Mode::Recorded;
        }
    }
    Mode::Merge
}

impl Replay {
    /// Number of events.
    pub fn len(&self) -> usize {
        self.log.len()
    }

    /// True when the log has no event.
    pub fn is_empty(&self) -> bool {
        self.log.is_empty()
    }

    /// The whole state at `position` (-1 = before the first event), clamped to the log.
    pub fn state_at(&self, position: isize) -> Value {
        let position = position.clamp(-1, self.len() as isize - 1);
        match &self.timeline {
            Timeline::Columns(c) => c.state_at(&self.log, position),
            Timeline::Snapshots(s) => s.state_at(&self.log, position),
        }
    }

    /// The value at `pointer` in the state at `position`, reading only what it needs
    /// (one stream, with the column timeline).
    pub fn get(&self, position: isize, pointer: &Pointer) -> Option<Value> {
        let position = position.clamp(-1, self.len() as isize - 1);
        match (&self.timeline, pointer.tokens().split_first()) {
            (Timeline::Columns(c), Some((top, rest))) => {
                let value = c.value_at(&self.log, top, position)?;
                rest.iter()
                    .try_fold(&value, |v, t| crate::pointer::step(v, t))
                    .cloned()
            }
            _ => pointer.get(&self.state_at(position)).cloned(),
        }
    }

    /// A fresh cursor for stepping through this replay.
    pub fn cursor(&self) -> Cursor {
        Cursor::new()
    }

    /// Moves `cursor` to `position`, reusing the state it holds where that is cheaper;
    /// returns the number of events replayed.
    pub fn seek(&self, cursor: &mut Cursor, position: isize) -> usize {
        match &self.timeline {
            Timeline::Snapshots(s) => cursor.seek(s, &self.log, position),
            Timeline::Columns(c) => {
                let p = position.clamp(-1, self.len() as isize - 1);
                cursor.set(p, c.state_at(&self.log, p));
                0
            }
        }
    }

    /// Top-level keys the event at `position` can change, or `None` when it may change the
    /// whole root (so a diff must look everywhere; never with the column timeline, which
    /// only holds folds where every event names its keys).
    fn touched_keys(&self, position: usize) -> Option<Vec<Str>> {
        match self.log.mode {
            Mode::Merge => {
                if let Some(stream) = self.log.stream_name(position) {
                    return Some(vec![Str::from(stream)]);
                }
                match self.log.fold_input(position)? {
                    Value::Null => Some(Vec::new()),
                    Value::Object(o) => Some(o.iter().map(|(k, _)| k.clone()).collect()),
                    _ => None,
                }
            }
            Mode::Patch => {
                let Value::Array(ops) = self.log.fold_input(position)? else {
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

    /// Changes from `before` to `after`, looking only under `keys` when given.
    fn diff_states(before: &Value, after: &Value, keys: Option<Vec<Str>>) -> Vec<Change> {
        match (keys, before, after) {
            (Some(keys), Value::Object(a), Value::Object(b)) => {
                let mut out = Vec::new();
                for k in sorted_unique(keys) {
                    diff_at(a.get(&k), b.get(&k), &Pointer::root().child(&k), &mut out);
                }
                out
            }
            _ => diff(before, after),
        }
    }

    /// What the event at `position` changed (state `position-1` → state `position`).
    pub fn event_diff(&self, position: usize) -> Vec<Change> {
        if position >= self.len() {
            return Vec::new();
        }
        match &self.timeline {
            Timeline::Columns(c) => {
                let mut out = Vec::new();
                for k in sorted_unique(self.touched_keys(position).unwrap_or_default()) {
                    let (before, after) = c.around(&self.log, &k, position);
                    diff_at(
                        before.as_ref(),
                        after.as_ref(),
                        &Pointer::root().child(&k),
                        &mut out,
                    );
                }
                out
            }
            Timeline::Snapshots(s) => {
                let mut cursor = Cursor::new();
                cursor.seek(s, &self.log, position as isize - 1);
                let before = cursor.state().clone();
                cursor.seek(s, &self.log, position as isize);
                Self::diff_states(&before, cursor.state(), self.touched_keys(position))
            }
        }
    }

    /// Changes from the state at `from` to the state at `to` (either order).
    pub fn diff_between(&self, from: isize, to: isize) -> Vec<Change> {
        let last = self.len() as isize - 1;
        let (from, to) = (from.clamp(-1, last), to.clamp(-1, last));
        let (lo, hi) = (from.min(to), from.max(to));
        match &self.timeline {
            Timeline::Columns(c) => {
                let mut out = Vec::new();
                for k in c.keys_touched_between(lo, hi) {
                    let a = c.value_at(&self.log, &k, from);
                    let b = c.value_at(&self.log, &k, to);
                    diff_at(a.as_ref(), b.as_ref(), &Pointer::root().child(&k), &mut out);
                }
                out
            }
            Timeline::Snapshots(_) => {
                let a = self.state_at(from);
                let b = self.state_at(to);
                // Looking only at the keys the events in between touched is exact and fast
                // for short ranges; long ranges compare everything (shared subtrees are
                // still skipped).
                let keys = if hi - lo <= 4096 {
                    ((lo + 1)..=hi)
                        .map(|p| self.touched_keys(p as usize))
                        .try_fold(Vec::new(), |mut acc, k| {
                            acc.extend(k?);
                            Some(acc)
                        })
                } else {
                    None
                };
                Self::diff_states(&a, &b, keys)
            }
        }
    }

    /// Every event that changed the value at `pointer` or below it, in order.
    pub fn history(&self, pointer: &Pointer) -> Vec<HistoryEntry> {
        let mut out = Vec::new();
        let mut record = |position: usize, old: Option<&Value>, new: Option<&Value>| {
            let op = match (old, new) {
                (None, None) => return,
                (Some(a), Some(b)) if a.ptr_eq(b) || a == b => return,
                (None, Some(_)) => crate::diff::Op::Add,
                (Some(_), None) => crate::diff::Op::Remove,
                (Some(_), Some(_)) => crate::diff::Op::Replace,
            };
            out.push(HistoryEntry {
                position,
                kind: self.log.type_name(position).to_string(),
                op,
                old: old.cloned(),
                new: new.cloned(),
            });
        };
        match (&self.timeline, pointer.tokens().split_first()) {
            // Only the events that touched the top-level key can change what is below it.
            (Timeline::Columns(c), Some((top, rest))) => {
                let below = |v: &Option<Value>| -> Option<Value> {
                    rest.iter()
                        .try_fold(v.as_ref()?, |v, t| crate::pointer::step(v, t))
                        .cloned()
                };
                for (position, before, after) in c.key_history(&self.log, top) {
                    record(position, below(&before).as_ref(), below(&after).as_ref());
                }
            }
            _ => {
                let mut before = self.state_at(-1);
                let mut cursor = self.cursor();
                for position in 0..self.len() {
                    self.seek(&mut cursor, position as isize);
                    record(position, pointer.get(&before), pointer.get(cursor.state()));
                    before = cursor.state().clone();
                }
            }
        }
        out
    }

    /// Summary of the log for `rewind stats` and the UI header.
    pub fn stats(&self) -> Stats {
        let mut counts = vec![0usize; self.log.types.len()];
        let (mut first, mut last) = (f64::INFINITY, f64::NEG_INFINITY);
        let mut skipped = 0;
        let mut invalid_times = 0;
        for e in &self.log.events {
            invalid_times += usize::from(e.time_invalid);
            if let Some(c) = counts.get_mut(e.kind as usize) {
                *c += 1;
            }
            if e.time_ms.is_finite() {
                first = first.min(e.time_ms);
                last = last.max(e.time_ms);
            }
            skipped += usize::from(e.skipped);
        }
        let mut types: Vec<TypeCount> = self
            .log
            .types
            .iter()
            .zip(counts)
            .map(|(t, count)| TypeCount {
                kind: t.to_string(),
                count,
            })
            .collect();
        types.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.kind.cmp(&b.kind)));
        Stats {
            format: self.log.format,
            mode: self.log.mode,
            producer: self.log.producer,
            events: self.len(),
            streams: self.log.streams.len(),
            types,
            time_range: first.is_finite().then(|| {
                [
                    crate::fields::format_rfc3339(first),
                    crate::fields::format_rfc3339(last),
                ]
            }),
            invalid_times,
            bad_lines: self.log.bad_lines.clone(),
            failed_events: self.failed_events(),
            skipped_events: skipped,
            snapshot_interval: self.timeline.interval(),
        }
    }
}

impl Replay {
    /// Why the event at `position` failed: its patch did not apply, or its payload could
    /// not be read as sent (both, one per line).
    pub fn failure(&self, position: usize) -> Option<String> {
        let fold = match &self.timeline {
            Timeline::Snapshots(s) => s.failures().get(&position).cloned(),
            Timeline::Columns(_) => None,
        };
        let payload = self.log.payload_problem(position);
        match (fold, payload) {
            (Some(a), Some(b)) => Some(format!("{b}\n{a}")),
            (a, b) => a.or(b),
        }
    }

    /// Positions of the failed events (see [`Replay::failure`]), in order.
    pub fn failed_positions(&self) -> Vec<usize> {
        let mut positions: Vec<usize> = match &self.timeline {
            Timeline::Snapshots(s) => s.failures().keys().copied().collect(),
            Timeline::Columns(_) => Vec::new(),
        };
        positions.extend(
            self.log
                .events
                .iter()
                .enumerate()
                .filter(|(_, e)| e.payload_problem)
                .map(|(p, _)| p),
        );
        positions.sort_unstable();
        positions.dedup();
        positions
    }

    fn failed_events(&self) -> Vec<FailedEvent> {
        self.failed_positions()
            .into_iter()
            .filter_map(|position| {
                let reason = self.failure(position)?;
                Some(FailedEvent { position, reason })
            })
            .collect()
    }
}

fn sorted_unique(mut keys: Vec<Str>) -> Vec<Str> {
    keys.sort();
    keys.dedup();
    keys
}

impl Replay {
    /// The last position whose event happened at or before `time_ms` (milliseconds since
    /// the Unix epoch), or -1 when every event is later. Events without a time are skipped.
    pub fn position_at_time(&self, time_ms: f64) -> isize {
        self.log
            .events
            .iter()
            .rposition(|e| e.time_ms.is_finite() && e.time_ms <= time_ms)
            .map_or(-1, |p| p as isize)
    }

    /// Events `from..=to` as NDJSON, one event per line as it was in the log.
    pub fn events_ndjson(&self, from: usize, to: usize) -> String {
        let mut out = String::new();
        for p in from..=to.min(self.len().saturating_sub(1)) {
            match self.log.raw_text(p) {
                Some(line) => out.push_str(line),
                None => out.push_str(
                    &self
                        .log
                        .body(p)
                        .map(|b| b.to_compact_string())
                        .unwrap_or_default(),
                ),
            }
            out.push('\n');
        }
        out
    }
}
