//! [`Replay`]: a loaded log and its timeline, and every question the UI and the CLI ask of
//! them: the state at a position, what an event changed, and which events touched a field.

use std::sync::Arc;

use serde::Serialize;

use crate::diff::Change;
use crate::log::{Format, Log, Mode};
use crate::pointer::Pointer;
use crate::timeline::{Cursor, States, Timeline};
use crate::value::{Str, Value};

/// A loaded, folded event log.
#[derive(Clone, Debug)]
pub struct Replay {
    /// The events (shared with the read models asked of the same log).
    pub log: Arc<Log>,
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

    /// The last position of the log, or -1 when it is empty.
    fn last(&self) -> isize {
        self.len() as isize - 1
    }

    /// The whole state at `position` (-1 = before the first event), clamped to the log.
    pub fn state_at(&self, position: isize) -> Value {
        let position = position.clamp(-1, self.last());
        self.timeline.state_at(&self.log, position)
    }

    /// The value at `pointer` in the state at `position`, reading only what it needs
    /// (one stream, with the column timeline).
    pub fn get(&self, position: isize, pointer: &Pointer) -> Option<Value> {
        let position = position.clamp(-1, self.last());
        self.timeline.value_at(&self.log, position, pointer)
    }

    /// A fresh cursor for stepping through this replay.
    pub fn cursor(&self) -> Cursor {
        Cursor::new()
    }

    /// Moves `cursor` to `position`, reusing the state it holds where that is cheaper;
    /// returns the number of events replayed.
    pub fn seek(&self, cursor: &mut Cursor, position: isize) -> usize {
        self.timeline.seek(&self.log, cursor, position)
    }

    /// The top-level keys of the state at `position` (clamped to the log), in key order:
    /// `limit` of them from `offset`, and how many there are in all; `None` when only
    /// the whole state can tell (then read [`state_at`](Self::state_at)).
    pub fn root_keys(
        &self,
        position: isize,
        offset: usize,
        limit: usize,
    ) -> Option<(Vec<Str>, usize)> {
        let position = position.clamp(-1, self.last());
        self.timeline.root_keys(&self.log, position, offset, limit)
    }

    /// What the event at `position` changed (state `position-1` → state `position`).
    pub fn event_diff(&self, position: usize) -> Vec<Change> {
        if position >= self.len() {
            return Vec::new();
        }
        self.timeline.event_diff(&self.log, position)
    }

    /// Changes from the state at `from` to the state at `to` (either order).
    pub fn diff_between(&self, from: isize, to: isize) -> Vec<Change> {
        let (from, to) = (from.clamp(-1, self.last()), to.clamp(-1, self.last()));
        self.timeline.diff_between(&self.log, from, to)
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
        self.timeline.history(&self.log, pointer, &mut record);
        out
    }

    /// Summary of the log for `rewind stats` and the UI header.
    pub fn stats(&self) -> Stats {
        let mut counts = vec![0usize; self.log.types.len()];
        let (mut first, mut last) = (f64::INFINITY, f64::NEG_INFINITY);
        let mut skipped = 0;
        let mut invalid_times = 0;
        for e in self.log.events.iter() {
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
        let fold = self.timeline.failure(position).map(str::to_string);
        let payload = self.log.payload_problem(position);
        match (fold, payload) {
            (Some(a), Some(b)) => Some(format!("{b}\n{a}")),
            (a, b) => a.or(b),
        }
    }

    /// Positions of the failed events (see [`Replay::failure`]), in order.
    pub fn failed_positions(&self) -> Vec<usize> {
        let mut positions = self.timeline.failed_positions();
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

impl Replay {
    /// The last position whose event happened at or before `time_ms` (milliseconds since
    /// the Unix epoch), or -1 when every event is later. Events without a time are skipped.
    pub fn position_at_time(&self, time_ms: f64) -> isize {
        let events = &self.log.events;
        (0..events.len())
            .rev()
            .find(|&p| {
                events
                    .time_ms(p)
                    .is_some_and(|t| t.is_finite() && t <= time_ms)
            })
            .map_or(-1, |p| p as isize)
    }

    /// Events `from..=to` as NDJSON, one event per line as it was in the log.
    pub fn events_ndjson(&self, from: usize, to: usize) -> String {
        let mut out = String::new();
        for p in from..=to.min(self.len().saturating_sub(1)) {
            self.push_event_line(p, &mut out);
        }
        out
    }

    /// Appends the event at `p` to `out` as one NDJSON line: as the log has it, or its body
    /// written compactly when the log keeps no text for it.
    pub(crate) fn push_event_line(&self, p: usize, out: &mut String) {
        match self.log.raw_text(p) {
            Some(line) => out.push_str(&line),
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
}
