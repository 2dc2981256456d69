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
    lines: Vec<u32>,
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
            spans
                .iter()
                .map(|(start, len)| &text[start..start + len as usize]),
        ),
        Bodies::Values(values) => {
            crate::load::producers::Producer::detect(values.iter().filter_map(Value::as_object))
        }
    };
    let keys = producer
        .map_or_else(FieldKeys::default, |p| p.keys())
        .overridden(&options.fields);
    let scanner = Arc::new(Scanner::new(&keys));
    let len = match &ex.bodies {
        Bodies::Text { spans, .. } => spans.len(),
        Bodies::Values(v) => v.len(),
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
        values @ Bodies::Values(_) => (None, Spans::default(), values),
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
                text,
                input.spans.get(i).unwrap_or_default(),
                &mut self.interner,
                &mut self.namer,
                payload,
            ),
            (None, Bodies::Values(v)) => {
                let mut scanned = log.scan_body(&v[i])?;
                self.namer.name(&mut scanned);
                Ok(scanned)
            }
            (None, Bodies::Text { .. }) => Err("no body".into()),
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

/// Logs at least this long are parsed on a second thread while folding (natively).
#[cfg(not(target_arch = "wasm32"))]
const PIPELINE_MIN_EVENTS: usize = 20_000;
/// Events handed from the parsing thread to the folding thread at once.
#[cfg(not(target_arch = "wasm32"))]
const PIPELINE_BATCH: usize = 2048;

/// Scanned candidates, as the parsing thread hands them over.
#[cfg(not(target_arch = "wasm32"))]
type Batch = Vec<(usize, Result<Scanned, String>)>;

#[cfg(not(target_arch = "wasm32"))]
impl Reader {
    /// [`read_rest`](Self::read_rest) for the lines of a long text: a second thread scans
    /// them while this one ingests (on one thread when no second one can be had).
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
        let shared_namer = std::sync::Mutex::new(std::mem::take(&mut self.namer));
        let namer_ref = &shared_namer;
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(8);
            let parse_rest = move |tx: std::sync::mpsc::SyncSender<Batch>| {
                let Ok(mut namer) = namer_ref.lock() else {
                    return;
                };
                let mut interner = Interner::default();
                let mut batch = Vec::with_capacity(PIPELINE_BATCH);
                for (i, span) in spans.iter().enumerate().skip(next) {
                    batch.push((
                        i,
                        scan_line(&scanner, text, span, &mut interner, &mut namer, payload),
                    ));
                    if batch.len() == PIPELINE_BATCH {
                        let full =
                            std::mem::replace(&mut batch, Vec::with_capacity(PIPELINE_BATCH));
                        if tx.send(full).is_err() {
                            return;
                        }
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
                for (i, span) in spans.iter().enumerate().skip(next) {
                    if i % PROGRESS_EVERY == 0 {
                        progress(i, input.len);
                    }
                    let r = scan_line(&log.scanner, text, span, &mut interner, &mut namer, payload);
                    ingest.add(log, &input.candidates(), i, r);
                }
                return;
            }
            for batch in rx {
                if let Some((i, _)) = batch.first() {
                    if i % PROGRESS_EVERY < PIPELINE_BATCH {
                        progress(*i, input.len);
                    }
                }
                for (i, r) in batch {
                    ingest.add(log, &input.candidates(), i, r);
                }
            }
        });
        self.namer = shared_namer.into_inner().unwrap_or_default();
    }
}
