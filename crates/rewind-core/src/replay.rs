//! [`Replay`]: a loaded log and its timeline, and every question the UI and the CLI ask of
//! them: the state at a position, what an event changed, and which events touched a field.

use serde::Serialize;

use crate::diff::{diff, diff_at, Change};
use crate::error::LoadError;
use crate::fields::{FieldKeys, FieldOverrides};
use crate::fold;
use crate::formats;
use crate::log::{EventMeta, Format, Log, Mode, Names, NO_STREAM};
use crate::pointer::Pointer;
use crate::timeline::{Cursor, Timeline, TimelineBuilder, DEFAULT_INTERVAL};
use crate::value::{Object, Str, Value};

/// How to read a log; everything left `None` is detected.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Force a format instead of detecting it.
    pub format: Option<Format>,
    /// Force a fold mode instead of detecting it.
    pub mode: Option<Mode>,
    /// Override field detection.
    pub fields: FieldOverrides,
    /// Events between snapshots ([`DEFAULT_INTERVAL`] when `None`).
    pub snapshot_interval: Option<usize>,
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
    /// Number of events.
    pub events: usize,
    /// Number of distinct streams.
    pub streams: usize,
    /// Event count per type, most frequent first.
    pub types: Vec<TypeCount>,
    /// Earliest and latest event time (RFC 3339), when events have times.
    pub time_range: Option<[String; 2]>,
    /// Lines that could not be read.
    pub bad_lines: Vec<crate::log::BadLine>,
    /// Events whose patch failed, with the reason.
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
    let ex = formats::extract(bytes.into(), options.format)?;
    let keys = FieldKeys::with_overrides(&options.fields);
    let mut log = Log {
        format: ex.format,
        mode: Mode::Merge,
        events: Vec::new(),
        types: Vec::new(),
        streams: Vec::new(),
        bad_lines: ex.bad_lines,
        initial_state: ex.initial_state,
        bodies: ex.bodies,
        keys,
        recorded_states: ex.recorded_states,
    };
    let count = match &log.bodies {
        crate::log::Bodies::Text { spans, .. } => spans.len(),
        crate::log::Bodies::Values(v) => v.len(),
    };
    log.mode = options
        .mode
        .or(ex.forced_mode)
        .unwrap_or_else(|| detect_mode(&log, count));
    let interval = options.snapshot_interval.unwrap_or(DEFAULT_INTERVAL);
    let mut builder = TimelineBuilder::new(log.mode, log.initial_state.clone(), interval);
    let mut types = Names::default();
    let mut streams = Names::default();
    log.events.reserve_exact(count);
    for position in 0..count {
        let Some(body) = log.body(position) else {
            continue;
        };
        let parts = crate::log::parts(&body, &log.keys, log.format);
        let kind = match log.format {
            Format::ReduxActions | Format::ReduxLifted => body
                .as_object()
                .and_then(|o| o.get("type"))
                .and_then(crate::fields::scalar_text),
            _ => parts.kind,
        };
        let kind = types.id(kind.as_deref().unwrap_or(crate::log::UNTYPED));
        let stream_name = match log.format {
            Format::ReduxActions | Format::ReduxLifted => None,
            _ => parts.stream,
        };
        let stream = stream_name.as_deref().map_or(NO_STREAM, |s| streams.id(s));
        let time_ms = ex
            .times_ms
            .as_ref()
            .and_then(|t| t.get(position).copied())
            .or(parts.time_ms)
            .unwrap_or(f64::NAN);
        let input = match &log.recorded_states {
            Some(states) => states.get(position).cloned().unwrap_or(Value::Null),
            None => log.fold_input_of(&body),
        };
        builder.push(stream_name.as_deref(), &input);
        log.events.push(EventMeta {
            kind,
            stream,
            time_ms,
            line: ex.lines.get(position).copied().unwrap_or(0),
            skipped: ex.skipped.get(position).copied().unwrap_or(false),
        });
    }
    log.types = types.list;
    log.streams = streams.list;
    Ok(Replay {
        log,
        timeline: builder.finish(),
    })
}

/// Picks the fold mode from the first events: a `state` member means recorded, a JSON
/// Patch (array of `{op, path}`, or a `patch` member) means patch, anything else merge.
fn detect_mode(log: &Log, count: usize) -> Mode {
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
    for position in 0..count.min(20) {
        let Some(body) = log.body(position) else {
            continue;
        };
        let obj = body.as_object();
        if obj.is_some_and(|o| o.get("patch").is_some_and(is_patch)) {
            return Mode::Patch;
        }
        if obj.is_some_and(|o| o.get("state").is_some()) && log.format != Format::ReduxActions {
            return Mode::Recorded;
        }
        let data = crate::log::parts(&body, &log.keys, log.format)
            .data
            .cloned();
        if data.as_ref().is_some_and(is_patch)
            || (log.format == Format::JsonArray && is_patch(&body))
        {
            return Mode::Patch;
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

    /// The state at `position` (-1 = before the first event).
    pub fn state_at(&self, position: isize) -> Value {
        self.timeline.state_at(&self.log, position)
    }

    /// A fresh cursor for stepping through this replay.
    pub fn cursor(&self) -> Cursor {
        Cursor::new()
    }

    /// Moves `cursor` to `position`; returns the number of events replayed.
    pub fn seek(&self, cursor: &mut Cursor, position: isize) -> usize {
        cursor.seek(&self.timeline, &self.log, position)
    }

    /// Top-level keys the event at `position` can change, or `None` when it may change the
    /// whole root (so a diff must look everywhere).
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
            (Some(mut keys), Value::Object(a), Value::Object(b)) => {
                keys.sort();
                keys.dedup();
                let mut out = Vec::new();
                for k in keys {
                    diff_at(a.get(&k), b.get(&k), &Pointer::root().child(&k), &mut out);
                }
                out
            }
            _ => diff(before, after),
        }
    }

    /// What the event at `position` changed (state `position-1` → state `position`).
    pub fn event_diff(&self, position: usize) -> Vec<Change> {
        let mut cursor = Cursor::new();
        self.event_diff_with(&mut cursor, position)
    }

    /// Like [`Replay::event_diff`], reusing `cursor` (left at `position`).
    pub fn event_diff_with(&self, cursor: &mut Cursor, position: usize) -> Vec<Change> {
        if position >= self.len() {
            return Vec::new();
        }
        self.seek(cursor, position as isize - 1);
        let before = cursor.state().clone();
        self.seek(cursor, position as isize);
        Self::diff_states(&before, cursor.state(), self.touched_keys(position))
    }

    /// Changes from the state at `from` to the state at `to` (either order).
    pub fn diff_between(&self, from: isize, to: isize) -> Vec<Change> {
        let a = self.state_at(from);
        let b = self.state_at(to);
        let (lo, hi) = (from.min(to), from.max(to));
        // Looking only at the keys the events in between touched is exact and fast for
        // short ranges; long ranges compare everything (shared subtrees are still skipped).
        let keys = if hi - lo <= 4096 {
            ((lo + 1).max(0)..=hi.max(-1))
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

    /// Every event that changed the value at `pointer` or below it, in order.
    pub fn history(&self, pointer: &Pointer) -> Vec<HistoryEntry> {
        let mut out = Vec::new();
        let mut record = |position: usize, old: Option<&Value>, new: Option<&Value>| {
            let changed = match (old, new) {
                (None, None) => false,
                (Some(a), Some(b)) => !(a.ptr_eq(b) || a == b),
                _ => true,
            };
            if changed {
                let op = match (old, new) {
                    (None, _) => crate::diff::Op::Add,
                    (_, None) => crate::diff::Op::Remove,
                    _ => crate::diff::Op::Replace,
                };
                out.push(HistoryEntry {
                    position,
                    kind: self.log.type_name(position).to_string(),
                    op,
                    old: old.cloned(),
                    new: new.cloned(),
                });
            }
        };
        let top = pointer.tokens().first().cloned();
        match (self.log.mode, top) {
            // Merge mode: only events of that stream, or without a stream, can change
            // `/top/...`; fold just `/top` through them.
            (Mode::Merge, Some(top)) => {
                let rest =
                    Pointer::parse(&pointer.to_string()[1 + crate::pointer::escape(&top).len()..])
                        .unwrap_or_default();
                let mut cur = self
                    .log
                    .initial_state
                    .as_object()
                    .and_then(|o| o.get(&top))
                    .cloned();
                let top_id = self.log.streams.iter().position(|s| s.as_ref() == top);
                for (position, meta) in self.log.events.iter().enumerate() {
                    let relevant = meta.stream == NO_STREAM || Some(meta.stream as usize) == top_id;
                    if !relevant {
                        continue;
                    }
                    let Some(input) = self.log.fold_input(position) else {
                        continue;
                    };
                    let mut tiny = Object::new();
                    if let Some(c) = &cur {
                        tiny.insert(Str::from(top.as_str()), c.clone());
                    }
                    let mut state = Value::Object(tiny);
                    let _ = fold::apply(
                        Mode::Merge,
                        &mut state,
                        self.log.stream_name(position),
                        &input,
                    );
                    let next = state.as_object().and_then(|o| o.get(&top)).cloned();
                    record(
                        position,
                        cur.as_ref().and_then(|c| rest.get(c)),
                        next.as_ref().and_then(|n| rest.get(n)),
                    );
                    cur = next;
                }
            }
            _ => {
                let mut cursor = Cursor::new();
                self.seek(&mut cursor, -1);
                let mut before = cursor.state().clone();
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
        for e in &self.log.events {
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
            events: self.len(),
            streams: self.log.streams.len(),
            types,
            time_range: first.is_finite().then(|| {
                [
                    crate::fields::format_rfc3339(first),
                    crate::fields::format_rfc3339(last),
                ]
            }),
            bad_lines: self.log.bad_lines.clone(),
            failed_events: self
                .timeline
                .failures()
                .iter()
                .map(|(&position, reason)| FailedEvent {
                    position,
                    reason: reason.clone(),
                })
                .collect(),
            skipped_events: skipped,
            snapshot_interval: self.timeline.interval(),
        }
    }
}
