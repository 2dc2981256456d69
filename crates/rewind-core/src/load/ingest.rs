//! Ingesting events: each scanned event becomes the log's metadata for it and a step of
//! the fold that builds the timeline. Both loaders ([`whole`](super::whole) and
//! [`arriving`](super::arriving)) feed events through here, so they build the same log.

use crate::error::LoadError;
use crate::events::{Lines, Spans};
use crate::load::scan::{Namer, Payload, Scanned, NOT_AN_EVENT};
use crate::load::LoadOptions;
use crate::log::{BadLine, EventMeta, Format, Log, Mode, NO_STREAM};
use crate::replay::Replay;
use crate::timeline::ColumnTimeline;
use crate::timeline::{TimelineBuilder, DEFAULT_CHECKPOINT, DEFAULT_INTERVAL};
use crate::value::Value;

/// Events read before the fold mode is decided.
pub(crate) const MODE_SAMPLE: usize = 20;

/// What the file says of each candidate event apart from its body, by candidate index:
/// where its text is, its line, whether Redux DevTools marked it skipped, and its time when
/// the file gives times beside the events.
#[derive(Clone, Copy)]
pub(crate) struct Candidates<'a> {
    /// `(start, len)` of each candidate's text (empty when the bodies are parsed values).
    pub(crate) spans: &'a Spans,
    /// 1-based line of each candidate, when known.
    pub(crate) lines: &'a Lines,
    /// Redux DevTools marked the action skipped (empty: none is).
    pub(crate) skipped: &'a [bool],
    /// Times given beside the events (Redux DevTools), instead of read from them.
    pub(crate) times_ms: Option<&'a [f64]>,
}

impl<'a> Candidates<'a> {
    /// NDJSON lines: their spans and line numbers, nothing else known.
    pub(crate) fn ndjson(spans: &'a Spans, lines: &'a Lines) -> Self {
        Candidates {
            spans,
            lines,
            skipped: &[],
            times_ms: None,
        }
    }
}

/// Folding state while loading: the timeline being built.
pub(crate) struct Ingest {
    builder: TimelineBuilder,
}

impl Ingest {
    /// Starts the fold of `log` (whose mode is decided) as `options` ask.
    pub(crate) fn new(log: &Log, options: &LoadOptions) -> Self {
        let builder = TimelineBuilder::new(
            log.mode,
            &log.initial_state,
            options.timeline,
            options.snapshot_interval.unwrap_or(DEFAULT_INTERVAL),
            options.checkpoint_interval.unwrap_or(DEFAULT_CHECKPOINT),
            options.lazy,
        );
        Ingest { builder }
    }

    /// The lazy column timeline being built, if that is what this fold builds (a tail
    /// indexed elsewhere can then be appended to it).
    pub(crate) fn lazy_columns(&mut self) -> Option<&mut ColumnTimeline> {
        self.builder.lazy_columns()
    }

    /// The lazy column timeline built, if that is what this fold built.
    pub(crate) fn into_lazy_columns(self) -> Option<ColumnTimeline> {
        self.builder.into_lazy_columns()
    }

    /// How much of each payload scanning must read for this fold: a lazy column timeline
    /// needs only to know whether a stream event has one.
    pub(crate) fn payload(&self) -> Payload {
        if self.builder.is_lazy() {
            Payload::Skim
        } else {
            Payload::Read
        }
    }

    /// Takes candidate `candidate` as scanned: a bad line is listed, an event is added to
    /// the log and folded.
    #[inline(never)] // See `scan_line`.
    pub(crate) fn add(
        &mut self,
        log: &mut Log,
        candidates: &Candidates<'_>,
        candidate: usize,
        mut scanned: Result<Scanned, String>,
    ) {
        let line = candidates.lines.get(candidate).unwrap_or(0);
        // Read in place: moving the scanned event out of the result costs a copy per event.
        let scanned = match &mut scanned {
            Ok(s) => s,
            Err(reason) => {
                let reason = std::mem::take(reason);
                log.bad_lines.push(BadLine {
                    line: line as usize,
                    reason,
                    before_position: log.events.len(),
                });
                return;
            }
        };
        if let (Some(kept), Some(span)) = (log.bodies.spans_mut(), candidates.spans.get(candidate))
        {
            kept.push(span);
        }
        let stream = scanned.stream_id;
        let unread = scanned.unread;
        let stream_name = scanned.stream.take();
        let time_ms = candidates
            .times_ms
            .and_then(|t| t.get(candidate).copied())
            .or(scanned.time_ms)
            .unwrap_or(f64::NAN);
        let position = log.events.len();
        let kind = scanned.kind_id;
        let time_invalid = scanned.time_invalid;
        let payload_problem = scanned.payload_problem;
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
            skipped: candidates.skipped.get(candidate).copied().unwrap_or(false),
            payload_problem,
        });
        let stream_key = stream_name
            .as_ref()
            .filter(|_| stream != NO_STREAM)
            .map(|name| (stream, name));
        // A lazy column only notes a stream event whose payload was skimmed...
        if let (Some(key), true) = (stream_key, unread) {
            if self.builder.touch(key) {
                return;
            }
        }
        // ...any other fold reads it now.
        let input = if unread {
            log.fold_input(position).unwrap_or(Value::Null)
        } else {
            input
        };
        self.builder.push(log, stream_key, &input);
    }
}

/// The loaded log, once every event is folded: its names and its timeline.
pub(crate) fn finish(mut log: Log, ingest: Ingest, namer: Namer) -> Result<Replay, LoadError> {
    if log.events.is_empty() {
        return Err(no_events(&log.bad_lines));
    }
    {
        // The names' lookup tables go now, before the timeline's are sorted: the peak of
        // a load with millions of streams is there.
        let Namer { types, streams } = namer;
        log.types = types.list;
        log.streams = streams.list;
    }
    log.events.shrink_to_fit();
    if let Some(spans) = log.bodies.spans_mut() {
        spans.shrink_to_fit();
    }
    let timeline = ingest.builder.finish(&log);
    Ok(Replay {
        log: std::sync::Arc::new(log),
        timeline,
    })
}

/// Why a log with no event is refused, from its bad lines.
fn no_events(bad_lines: &[BadLine]) -> LoadError {
    let not_events = |b: &BadLine| b.reason.ends_with(NOT_AN_EVENT);
    match bad_lines.first() {
        Some(b) if bad_lines.iter().all(not_events) => LoadError::NotAnEventLog(format!(
            "it holds no event objects ({} JSON values that are not objects; the first, line {}: {})",
            bad_lines.len(),
            b.line,
            b.reason
        )),
        Some(b) => LoadError::NoGoodLines {
            bad: bad_lines.len(),
            first_line: b.line,
            first_reason: b.reason.clone(),
        },
        None => LoadError::NotAnEventLog("it holds no events".into()),
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
