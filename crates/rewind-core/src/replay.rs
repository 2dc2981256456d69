//! [`Replay`]: a loaded log and its timeline, and every question the UI and the CLI ask of
//! them: the state at a position, what an event changed, and which events touched a field.

use serde::Serialize;

use crate::diff::{diff, diff_at, Change};
use crate::log::{Format, Log, Mode};
use crate::pointer::Pointer;
use crate::timeline::{Cursor, Timeline};
use crate::value::{Str, Value};

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
