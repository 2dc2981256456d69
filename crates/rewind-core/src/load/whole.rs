//! Loading a log given whole ([`open`]): its format is recognised, its first events decide
//! the fold mode, then every event is scanned and ingested; natively a second thread
//! scans the lines of a long NDJSON log while this one folds.

use std::sync::Arc;

use crate::error::LoadError;
use crate::events::{Events, Spans};
use crate::fields::FieldKeys;
use crate::load::formats::{self, Extracted};
use crate::load::ingest::{detect_mode, finish, Candidates, Ingest, MODE_SAMPLE};
use crate::load::scan::{scan_line, Namer, Payload, Scanned, Scanner};
use crate::load::LoadOptions;
use crate::log::{Bodies, Log, Mode};
use crate::replay::Replay;
use crate::text::Text;
use crate::value::{Interner, Value};

/// Loads and folds a log from its bytes.
pub fn open(bytes: impl Into<Text>, options: &LoadOptions) -> Result<Replay, LoadError> {
    open_with_progress(bytes, options, &mut |_, _| {})
}

/// Events folded between two calls of a progress callback.
pub const PROGRESS_EVERY: usize = 16_384;

/// [`open`], calling `progress(events folded, events in all)` every [`PROGRESS_EVERY`]
/// events while folding, so a long load can be shown.
pub fn open_with_progress(
    bytes: impl Into<Text>,
    options: &LoadOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Replay, LoadError> {
    let ex = formats::extract(bytes.into(), options.format)?;
    let forced_mode = options.mode.or(ex.forced_mode);
    let (mut log, input) = start(ex, options);
    let mut reader = Reader::default();
    let first = reader.read_sample(&log, &input);
    log.mode = forced_mode.unwrap_or_else(|| {
        let scanned = first.iter().filter_map(|(_, r)| r.as_ref().ok());
        detect_mode(scanned, log.format)
    });
    let mut ingest = Ingest::new(&log, options);
    let next = first.len();
    for (i, r) in first {
        ingest.add(&mut log, &input.candidates(), i, r);
    }
    reader.read_rest(&mut log, &mut ingest, &input, next, progress);
    // The candidates' spans and lines are copied into the log by now.
    drop(input);
    finish(log, ingest, reader.namer)
}

/// The candidate events of a file being loaded, and what the file says of them.
struct Input {
    /// The text the candidates are read from, when the bodies are text (NDJSON lines are
    /// parsed here, once; the good ones become the log's events).
    text: Option<Text>,
    spans: Spans,
    lines: crate::events::Lines,
    skipped: Vec<bool>,
    times_ms: Option<Vec<f64>>,
    /// Number of candidates.
    len: usize,
}

impl Input {
    fn candidates(&self) -> Candidates<'_> {
        Candidates {
            spans: &self.spans,
            lines: &self.lines,
            skipped: &self.skipped,
            times_ms: self.times_ms.as_deref(),
        }
    }
}

/// The log to fill from what `extract` found (its mode not decided yet, no event in it),
/// read with the keys of the producer the events' shape names, as `options` override them.
fn start(ex: Extracted, options: &LoadOptions) -> (Log, Input) {
    let producer = match &ex.bodies {
        Bodies::Text { text, spans } => crate::load::producers::detect_in_texts(
            (0..spans.len()).filter_map(|p| spans.text_in(text, p)),
        ),
        Bodies::Values(values) => {
            crate::load::producers::Producer::detect(values.iter().filter_map(Value::as_object))
        }
        // Formats give text or values: a log read from its file is only made while it
        // streams (`NdjsonStream`).
        Bodies::Paged { .. } => None,
    };
    let keys = producer
        .map_or_else(FieldKeys::default, |p| p.keys())
        .overridden(&options.fields);
    let scanner = Arc::new(Scanner::new(&keys));
    let len = match &ex.bodies {
        Bodies::Values(v) => v.len(),
        bodies => bodies.spans().map_or(0, Spans::len),
    };
    // The log keeps the spans of the good candidates only (see `Ingest::add`).
    let (text, spans, bodies) = match ex.bodies {
        Bodies::Text { text, spans } => (
            Some(text.clone()),
            spans,
            Bodies::Text {
                text,
                spans: Spans::default(),
            },
        ),
        other => (None, Spans::default(), other),
    };
    let log = Log {
        format: ex.format,
        mode: Mode::Merge,
        events: {
            let mut events = Events::default();
            events.reserve(len);
            events
        },
        types: Vec::new(),
        streams: Vec::new(),
        bad_lines: ex.bad_lines,
        initial_state: ex.initial_state,
        producer,
        bodies,
        keys,
        scanner,
        recorded_states: ex.recorded_states,
        edited: None,
    };
    let input = Input {
        text,
        spans,
        lines: ex.lines,
        skipped: ex.skipped,
        times_ms: ex.times_ms,
        len,
    };
    (log, input)
}

/// Scans candidates in order, naming their types and streams.
#[derive(Default)]
struct Reader {
    interner: Interner,
    namer: Namer,
}

impl Reader {
    /// Scans candidate `i`.
    fn scan(
        &mut self,
        log: &Log,
        input: &Input,
        i: usize,
        payload: Payload,
    ) -> Result<Scanned, String> {
        match (&input.text, &log.bodies) {
            (Some(text), _) => scan_line(
                &log.scanner,
                input.spans.text_in(text, i).unwrap_or_default(),
                &mut self.interner,
                &mut self.namer,
                payload,
            ),
            (None, Bodies::Values(v)) => {
                let mut scanned = log.scan_body(&v[i])?;
                self.namer.name(&mut scanned);
                Ok(scanned)
            }
            (None, _) => Err("no body".into()),
        }
    }

    /// Scans the first candidates, up to [`MODE_SAMPLE`] good ones, to decide the fold mode.
    fn read_sample(&mut self, log: &Log, input: &Input) -> Vec<(usize, Result<Scanned, String>)> {
        let mut first = Vec::new();
        let mut good = 0;
        while first.len() < input.len && good < MODE_SAMPLE {
            let r = self.scan(log, input, first.len(), Payload::Read);
            good += usize::from(r.is_ok());
            first.push((first.len(), r));
        }
        first
    }

    /// Scans and ingests the candidates from `next` on.
    fn read_rest(
        &mut self,
        log: &mut Log,
        ingest: &mut Ingest,
        input: &Input,
        next: usize,
        progress: &mut dyn FnMut(usize, usize),
    ) {
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(text) = &input.text {
            if input.len - next >= PIPELINE_MIN_EVENTS {
                return self.read_pipelined(log, ingest, input, text, next, progress);
            }
        }
        let payload = ingest.payload();
        for i in next..input.len {
            if i % PROGRESS_EVERY == 0 {
                progress(i, input.len);
            }
            let r = self.scan(log, input, i, payload);
            ingest.add(log, &input.candidates(), i, r);
        }
    }
}

/// Logs at least this long are scanned by helper threads while this one folds (natively).
#[cfg(not(target_arch = "wasm32"))]
const PIPELINE_MIN_EVENTS: usize = 20_000;
/// Candidates a helper scans at once. Two helpers take turns, part by part, so that the
/// parts come back in the log's order and no more than a few are held at a time.
#[cfg(not(target_arch = "wasm32"))]
const PART: usize = 1 << 14;

/// A helper forgets its names once it holds this many, so that it never holds a copy of
/// every stream name of a log with millions of streams.
#[cfg(not(target_arch = "wasm32"))]
const HELPER_NAMES: usize = 1 << 16;

/// Candidates scanned by a helper, with the names they gave ids to that the helper had
/// not sent before (its ids count from 0; the folding thread maps them to the log's).
#[cfg(not(target_arch = "wasm32"))]
struct Part {
    start: usize,
    /// The helper forgot its names before this part: its ids count from 0 again.
    fresh: bool,
    scanned: Vec<Result<Scanned, String>>,
    new_types: Vec<crate::value::Str>,
    new_streams: Vec<crate::value::Str>,
}

/// A helper's own names and key strings, kept from part to part.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Default)]
struct Helper {
    namer: Namer,
    interner: Interner,
    sent_types: usize,
    sent_streams: usize,
}

#[cfg(not(target_arch = "wasm32"))]
impl Helper {
    /// Scans candidates `start..end` of `spans`.
    fn part(
        &mut self,
        scanner: &Scanner,
        text: &[u8],
        spans: &crate::events::Spans,
        (start, end): (usize, usize),
        payload: Payload,
    ) -> Part {
        let fresh = self.namer.types.list.len() + self.namer.streams.list.len() > HELPER_NAMES;
        if fresh {
            *self = Helper::default();
        }
        let scanned = (start..end)
            .map(|i| {
                scan_line(
                    scanner,
                    spans.text_in(text, i).unwrap_or_default(),
                    &mut self.interner,
                    &mut self.namer,
                    payload,
                )
            })
            .collect();
        let new_types = self.namer.types.list[self.sent_types..].to_vec();
        let new_streams = self.namer.streams.list[self.sent_streams..].to_vec();
        self.sent_types += new_types.len();
        self.sent_streams += new_streams.len();
        Part {
            start,
            fresh,
            scanned,
            new_types,
            new_streams,
        }
    }
}

/// Where the folding thread gets a helper's parts: from the helper's thread, or by scanning
/// the helper's `ranges` itself when no thread could be had.
#[cfg(not(target_arch = "wasm32"))]
enum Source<I> {
    Thread(std::sync::mpsc::Receiver<Part>),
    Here(Helper, I),
}

/// The log's ids of a helper's names, by the helper's id.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Default)]
struct Ids {
    types: Vec<u32>,
    streams: Vec<u32>,
}

#[cfg(not(target_arch = "wasm32"))]
impl Ids {
    /// Names a part's new names in the log (in the order the helper met them, which is
    /// the order they first appear in the log after what was folded before), and gives
    /// its events the log's ids and shared names.
    fn map(&mut self, namer: &mut Namer, part: &mut Part) {
        if part.fresh {
            *self = Ids::default();
        }
        for t in &part.new_types {
            self.types.push(namer.types.id(t));
        }
        for s in &part.new_streams {
            self.streams.push(namer.streams.id(s));
        }
        for scanned in part.scanned.iter_mut().flatten() {
            if let Some(&id) = self.types.get(scanned.kind_id as usize) {
                scanned.kind_id = id;
                scanned.kind = namer.types.list.get(id as usize).cloned();
            }
            if scanned.stream_id != crate::log::NO_STREAM {
                if let Some(&id) = self.streams.get(scanned.stream_id as usize) {
                    scanned.stream_id = id;
                    scanned.stream = namer.streams.list.get(id as usize).cloned();
                }
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Reader {
    /// [`read_rest`](Self::read_rest) for the lines of a long text: two helper threads
    /// scan parts of it in turn while this one folds them in order (this thread scans a
    /// helper's parts itself when no thread can be had).
    fn read_pipelined(
        &mut self,
        log: &mut Log,
        ingest: &mut Ingest,
        input: &Input,
        text: &[u8],
        next: usize,
        progress: &mut dyn FnMut(usize, usize),
    ) {
        let payload = ingest.payload();
        let scanner = log.scanner.clone();
        let spans = &input.spans;
        let len = input.len;
        // Helper `h` scans parts `h`, `h + 2`, `h + 4`... counted from `next`.
        let parts_of = move |h: usize| {
            (next + h * PART..len)
                .step_by(2 * PART)
                .map(move |start| (start, (start + PART).min(len)))
        };
        std::thread::scope(|scope| {
            let mut sources = Vec::new();
            for h in 0..2 {
                let (tx, rx) = std::sync::mpsc::sync_channel::<Part>(2);
                let scanner = &scanner;
                let spawned = std::thread::Builder::new()
                    .name("rewind-scan".into())
                    .spawn_scoped(scope, move || {
                        let mut helper = Helper::default();
                        for range in parts_of(h) {
                            let part = helper.part(scanner, text, spans, range, payload);
                            if tx.send(part).is_err() {
                                return;
                            }
                        }
                    });
                sources.push(match spawned {
                    Ok(_) => Source::Thread(rx),
                    Err(_) => Source::Here(Helper::default(), parts_of(h)),
                });
            }
            let mut ids = [Ids::default(), Ids::default()];
            let mut h = 0;
            loop {
                let part = match &mut sources[h] {
                    Source::Thread(rx) => rx.recv().ok(),
                    Source::Here(helper, ranges) => ranges
                        .next()
                        .map(|range| helper.part(&scanner, text, spans, range, payload)),
                };
                let Some(mut part) = part else {
                    break;
                };
                ids[h].map(&mut self.namer, &mut part);
                let end = part.start + part.scanned.len();
                for (k, r) in part.scanned.into_iter().enumerate() {
                    ingest.add(log, &input.candidates(), part.start + k, r);
                }
                // Said once a part is in, so that the last part brings it to the end.
                progress(end, len);
                h = 1 - h;
            }
        });
    }
}
